/* SPDX-License-Identifier: MIT */
/* Use after FIFO free: a freed FIFO block is read while its page is still
 * held (another block keeps it live), so its memory has not been handed out
 * again. */
#include "misuse.h"

int main(void)
{
    pv_fifo f;
    unsigned char *a, *b;
    unsigned char sink;
    MUST(pv_fifo_init(&f, NULL));
    a = pv_fifo_alloc(&f, 32);
    b = pv_fifo_alloc(&f, 32);
    MUST(a != NULL && b != NULL);
    memset(a, 1, 32);
    pv_fifo_free(&f, a);
    sink = misuse_read(a + 5);      /* BUG: a was freed */
    pv_fifo_free(&f, b);
    pv_fifo_destroy(&f);
    return misuse_done(sink);
}
