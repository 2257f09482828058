/* SPDX-License-Identifier: MIT */
/* example: no heap at all — every allocator over one static buffer */
#include <stdio.h>
#include "provalloc.h"

static char memory[256 * 1024] __attribute__((aligned(16)));

int main(void)
{
    pv_static_source src;
    pv_region r;
    pv_arena a;
    char buf[1000];
    if (!pv_static_source_init(&src, memory, sizeof memory)) {
        return 1;
    }
    pv_region_init(&r, &src.source);
    void *p = pv_region_alloc_aligned(&r, 100, 64);
    pv_arena_init(&a, buf, sizeof buf);       /* the verified core on its own */
    void *q = pv_arena_alloc(&a, 10);
    printf("static: %s\n", (p != NULL && q != NULL) ? "ok" : "out of memory");
    pv_region_destroy(&r);                    /* back into the buffer */
    return (p != NULL && q != NULL) ? 0 : 1;
}
