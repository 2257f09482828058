/* SPDX-License-Identifier: MIT */
/* Use of a grown-in-place block's old tail after a shrink: a block grows
 * in place from 16 to 64 bytes, its tail is written, the block shrinks in
 * place back to 16 bytes, and the cut tail is read.
 *   argv[1] = "region" (default), "stack" or "fifo": the allocator. */
#include "misuse.h"

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "region";
    pv_region r;
    pv_stack s;
    pv_fifo f;
    unsigned char *p, *q;
    unsigned char sink;
    MUST(pv_region_init(&r, NULL) && pv_stack_init(&s, NULL) && pv_fifo_init(&f, NULL));
    if (strcmp(which, "stack") == 0) {
        p = pv_stack_alloc(&s, 16);
        MUST(p != NULL && pv_stack_realloc(&s, p, 16, 64) == p);
        memset(p, 1, 64);
        MUST(pv_stack_realloc(&s, p, 64, 16) == p);
    } else if (strcmp(which, "fifo") == 0) {
        p = pv_fifo_alloc(&f, 16);
        MUST(p != NULL && pv_fifo_realloc(&f, p, 64) == p);
        memset(p, 1, 64);
        MUST(pv_fifo_realloc(&f, p, 16) == p);
    } else {
        p = pv_region_alloc(&r, 16);
        MUST(p != NULL && pv_region_realloc(&r, p, 16, 64) == p);
        memset(p, 1, 64);
        MUST(pv_region_realloc(&r, p, 64, 16) == p);
    }
    q = p + 40;
    sink = misuse_read(q);          /* BUG: the block is 16 bytes now */
    pv_fifo_destroy(&f);
    pv_stack_destroy(&s);
    pv_region_destroy(&r);
    return misuse_done(sink);
}
