/* SPDX-License-Identifier: MIT */
/* Issue 23, FIFO loop 3 memory (bench/analysis.md): loop 3 with bench.c's tables on the
 * library, reserved and live sampled every 997 operations. From the repository root:
 *   cc -O2 -std=c99 -Isrc -DPV_FIFO_PAGE_SIZE=4096u bench/proposals/fifo-loop3-sim.c src/pv_[a-z]*.c
 *   ./a.out 20000000 1      (1: loop 3, random slot; 0: loop 2) */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "pv_fifo.h"
#define TAB 65536u
#define K 1024u
static uint16_t sz[TAB], sl[TAB];
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 20000000L; int rnd = argc > 2 ? atoi(argv[2]) : 1;
    uint64_t x = 0x9E3779B97F4A7C15ull; size_t i;
    for (i = 0; i < TAB; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; sz[i] = (uint16_t)(16u + (unsigned)(x % 249u));
        x ^= x << 13; x ^= x >> 7; x ^= x << 17; sl[i] = (uint16_t)(x % K); }
    static void *slot[K]; static uint16_t ss[K]; pv_fifo f; pv_fifo_init(&f, NULL);
    size_t live = 0; double sr = 0, sl2 = 0, mx = 0; long ns = 0; pv_stats st;
    for (long t = 0; t < n; t++) {
        unsigned k = rnd ? sl[t & (TAB-1)] : (unsigned)(t & (K-1)); size_t s = sz[t & (TAB-1)];
        if (slot[k]) { pv_fifo_free(&f, slot[k]); live -= ss[k]; }
        slot[k] = pv_fifo_alloc(&f, s); ss[k] = (uint16_t)s; live += s;
        if (t > 100000 && t % 997 == 0) { pv_fifo_stats(&f, &st); double r = (double)st.reserved / (double)live;
            sr += (double)st.reserved; sl2 += (double)live; if (r > mx) mx = r; ns++; }
    }
    pv_fifo_stats(&f, &st);
    printf("page %u: mean reserved/live %.2f (max %.2f), end %zu/%zu = %.2f, gets %zu puts %zu\n",
        (unsigned)PV_FIFO_PAGE_SIZE, sr / sl2, mx, st.reserved, live, (double)st.reserved/(double)live, st.source_gets, st.source_puts);
    return 0;
}
