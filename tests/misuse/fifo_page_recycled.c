/* SPDX-License-Identifier: MIT */
/* Read of a FIFO page after it was recycled: the only block of the current
 * page is freed, so the page is rewound; a new, smaller block takes the
 * start of the page again. Reading through the stale pointer past the new
 * block's end reads recycled page space that no block holds. (Within the
 * new block's 16 bytes the stale pointer names valid memory of the new
 * block: no tool can report that; see pv_fifo.h on stale pointers.) */
#include "misuse.h"

int main(void)
{
    pv_fifo f;
    unsigned char *a, *c;
    unsigned char sink;
    MUST(pv_fifo_init(&f, NULL));
    a = pv_fifo_alloc(&f, 100);
    MUST(a != NULL);
    memset(a, 1, 100);
    pv_fifo_free(&f, a);            /* the page is empty: recycled */
    c = pv_fifo_alloc(&f, 16);
    MUST(c == a);                   /* the page was rewound */
    memset(c, 2, 16);
    sink = misuse_read(a + 64);     /* BUG: stale pointer into the recycled page */
    pv_fifo_free(&f, c);
    pv_fifo_destroy(&f);
    return misuse_done(sink);
}
