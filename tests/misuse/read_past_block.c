/* SPDX-License-Identifier: MIT */
/* Read one byte past a block: p[n] of an n-byte block.
 *
 * Blocks are rounded up to PV_ALIGN (8) bytes and packed back to back, and
 * the allocator keeps no red zone between them. So what lies at p[n] decides
 * what a tool can see:
 *   "padding" (default): n = 20, p[20] is rounding padding (bytes 20..23 of
 *       the block's 24-byte granule). It belongs to no block: Memcheck sees
 *       it byte-exactly, and ASan too because the block starts an 8-byte
 *       granule and its accessible part is a prefix (20 = 16 + 4). A newer
 *       block follows, so this is the case a plain allocator would miss.
 *   "end": n = 24 (a multiple of 8), the newest block: p[24] is unused
 *       chunk space, inaccessible to both tools.
 * Not detectable: p[n] of a block whose size is a multiple of 8 when a newer
 * block follows: p[n] is then the first byte of that block, valid memory
 * (no tool can tell the two apart without red zones the layout does not
 * have). Likewise with PV_ALIGN = 4, ASan (not Memcheck) misses p[n] when
 * round(n) is not a multiple of 8 and a newer block shares the granule. */
#include "misuse.h"

int main(int argc, char **argv)
{
    pv_region r;
    unsigned char *p, *next;
    unsigned char sink;
    int end = argc > 1 && strcmp(argv[1], "end") == 0;
    size_t n = end ? 24u : 20u;
    MUST(pv_region_init(&r, NULL));
    p = pv_region_alloc(&r, n);
    MUST(p != NULL);
    memset(p, 1, n);
    if (!end) {
        next = pv_region_alloc(&r, 8);
        MUST(next == p + 24);
        memset(next, 2, 8);
    }
    sink = misuse_read(p + n);      /* BUG: one byte past the block */
    pv_region_destroy(&r);
    return misuse_done(sink);
}
