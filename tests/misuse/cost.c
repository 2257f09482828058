/* SPDX-License-Identifier: MIT */
/* The hardened build's cost, measured with callgrind instruction counts
 * (tests/misuse/README.md): one workload per allocator, N iterations, run
 * with argv[1] = region | stack | fifo. Build it once per configuration
 * (default, -DPV_HARDENED=1) and compare "Ir" of the whole run.
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null ./cost region */
#include <stdio.h>
#include <string.h>

#include "provalloc.h"

#define N 100000
#define BLK 48

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "region";
    volatile unsigned char sink = 0;
    int i, j;
    if (strcmp(which, "region") == 0) { /* 8 allocations, free the newest, reset */
        pv_region r;
        pv_region_init(&r, NULL);
        for (i = 0; i < N; i++) {
            unsigned char *p = NULL;
            for (j = 0; j < 8; j++) {
                p = pv_region_alloc(&r, BLK);
                p[0] = (unsigned char)j;
            }
            sink = p[0];
            (void)pv_region_free(&r, p, BLK);
            pv_region_reset(&r);
        }
        pv_region_destroy(&r);
    } else if (strcmp(which, "stack") == 0) { /* push, 8 allocations, pop */
        pv_stack s;
        pv_stack_init(&s, NULL);
        for (i = 0; i < N; i++) {
            pv_stack_frame f = pv_stack_push(&s);
            for (j = 0; j < 8; j++) {
                unsigned char *p = pv_stack_alloc(&s, BLK);
                p[0] = (unsigned char)j;
                sink = p[0];
            }
            (void)pv_stack_pop(&s, f);
        }
        pv_stack_destroy(&s);
    } else { /* 8 allocations, 8 frees in order */
        pv_fifo f;
        unsigned char *q[8];
        pv_fifo_init(&f, NULL);
        for (i = 0; i < N; i++) {
            for (j = 0; j < 8; j++) {
                q[j] = pv_fifo_alloc(&f, BLK);
            }
            for (j = 0; j < 8; j++) {
                sink = q[j][0];
                pv_fifo_free(&f, q[j]);
            }
        }
        pv_fifo_destroy(&f);
    }
    printf("%s: %d iterations (%u)\n", which, N, (unsigned)sink);
    return 0;
}
