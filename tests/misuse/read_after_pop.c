/* SPDX-License-Identifier: MIT */
/* Read after pop: a block of a popped stack frame is read.
 * The frame spans two chunks (the second block does not fit in the rest of
 * the first chunk), and the block read lies in the second one: releasing a
 * frame is per chunk (pv_debug.h), not one address range. A block of the
 * enclosing frame, in the first chunk, stays readable (no false report). */
#include "misuse.h"

int main(void)
{
    pv_stack s;
    pv_stack_frame outer, inner;
    unsigned char *keep, *a, *b;
    unsigned char sink;
    MUST(pv_stack_init(&s, NULL));
    outer = pv_stack_push(&s);
    keep = pv_stack_alloc(&s, 16);
    MUST(keep != NULL);
    memset(keep, 1, 16);
    inner = pv_stack_push(&s);
    a = pv_stack_alloc(&s, 1000);
    b = pv_stack_alloc(&s, PV_STACK_CHUNK_MIN); /* a chunk of its own */
    MUST(a != NULL && b != NULL);
    memset(a, 2, 1000);
    memset(b, 3, PV_STACK_CHUNK_MIN);
    MUST(pv_stack_pop(&s, inner));
    sink = misuse_read(keep);       /* fine: the outer frame is open */
    sink = misuse_read(b + 100);    /* BUG: b went with the inner frame */
    MUST(pv_stack_pop(&s, outer));
    pv_stack_destroy(&s);
    return misuse_done(sink);
}
