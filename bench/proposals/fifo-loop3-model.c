/* SPDX-License-Identifier: MIT */
/* Issue 23, FIFO loop 3 memory (bench/analysis.md): a model of design (b), page counts only
 * (no library): size classes, each its own current page of the given bytes (72 B page header)
 * and one spare, pages recycled at live 0. Prints mean reserved/live and page turnovers.
 *   cc -O2 bench/proposals/fifo-loop3-model.c && ./a.out 128 512 9999 1536
 * arguments: pairs (largest block size of the class, page bytes), the last class catching all. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#define TAB 65536u
#define K 1024u
#define MAXP 4000000
static uint16_t sz[TAB], sl[TAB];
static int live[MAXP]; static int slotpg[K]; static uint16_t ss[K];
int main(int argc, char **argv) {
    int nc = (argc - 1) / 2; unsigned lim[8]; unsigned psz[8]; int cur[8], spare[8]; size_t used[8];
    for (int c = 0; c < nc; c++) { lim[c] = (unsigned)atoi(argv[1+2*c]); psz[c] = (unsigned)atoi(argv[2+2*c]); cur[c] = -1; spare[c] = -1; }
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < TAB; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; sz[i] = (uint16_t)(16u + (unsigned)(x % 249u));
        x ^= x << 13; x ^= x >> 7; x ^= x << 17; sl[i] = (uint16_t)(x % K); }
    static int pcls[MAXP]; int np = 0; long res = 0, turn = 0; size_t lv = 0; double sr = 0, sl2 = 0;
    for (int k = 0; k < (int)K; k++) slotpg[k] = -1;
    long n = 2000000;
    for (long t = 0; t < n; t++) {
        unsigned k = sl[t & (TAB-1)]; unsigned s = sz[t & (TAB-1)];
        if (slotpg[k] >= 0) { int p = slotpg[k]; lv -= ss[k]; int c = pcls[p];
            if (--live[p] == 0) { if (p == cur[c]) used[c] = 72; else if (spare[c] < 0) spare[c] = p; else res -= psz[c]; } }
        int c = 0; while (c < nc - 1 && s > lim[c]) c++;
        unsigned cost = 8 + ((s + 7) & ~7u);
        if (cur[c] < 0 || used[c] + cost > psz[c]) { turn++;
            if (cur[c] >= 0 && live[cur[c]] == 0) { if (spare[c] < 0) spare[c] = cur[c]; else res -= psz[c]; }
            if (spare[c] >= 0) { cur[c] = spare[c]; spare[c] = -1; } else { cur[c] = np; pcls[np] = c; live[np] = 0; np++; res += psz[c]; if (np >= MAXP) return 1; }
            used[c] = 72; }
        used[c] += cost; live[cur[c]]++; slotpg[k] = cur[c]; ss[k] = (uint16_t)s; lv += s;
        if (t > 100000 && t % 997 == 0) { sr += (double)res; sl2 += (double)lv; }
    }
    printf("classes:"); for (int c = 0; c < nc; c++) printf(" <=%u:%uB", lim[c], psz[c]);
    printf("  mean reserved/live %.2f, page turnovers per 1000 ops %.0f, source gets per 1000 ops %.0f\n", sr / sl2, 1000.0 * (double)turn / (double)n, 1000.0*(double)np/(double)n);
    return 0;
}
