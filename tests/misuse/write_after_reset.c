/* SPDX-License-Identifier: MIT */
/* Write after region reset: a block is written after pv_region_reset.
 * The region holds two chunks; the block written lies in the second one,
 * which reset keeps as a spare (its memory stays in the region). */
#include "misuse.h"

int main(void)
{
    pv_region r;
    unsigned char *a = NULL, *b;
    size_t i;
    MUST(pv_region_init(&r, NULL));
    /* fill the first chunk, then one block in the second */
    for (i = 0; i < PV_REGION_CHUNK_MIN / 512u; i++) {
        a = pv_region_alloc(&r, 512);
        MUST(a != NULL);
        memset(a, 1, 512);
    }
    b = pv_region_alloc(&r, 512);
    MUST(b != NULL);
    memset(b, 2, 512);
    pv_region_reset(&r);
    misuse_write(b + 10, 7);        /* BUG: b was released by reset */
    pv_region_destroy(&r);
    return misuse_done(0);
}
