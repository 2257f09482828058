/* SPDX-License-Identifier: MIT */
/* Hardened build: pv_region_realloc with an old_size the block does not have.
 * The region keeps no per-block header, so a normal build would copy
 * old_size bytes from p when it moves the block, reading past its chunk
 * (Valgrind: invalid read). The hardened build checks that p lies in one
 * of the region's chunks in use (the current one and those before it) and
 * that old_size bytes from p stay below that chunk's top: otherwise
 * PV_MISUSE_BAD_SIZE (with p), NULL, and nothing changed. */
#include "hardened.h"

static int same_stats(const pv_stats *a, const pv_stats *b)
{
    return a->in_use == b->in_use && a->peak_in_use == b->peak_in_use && a->reserved == b->reserved &&
           a->chunks == b->chunks && a->source_gets == b->source_gets &&
           a->source_puts == b->source_puts && a->failures == b->failures;
}

int main(void)
{
    static char elsewhere[256] __attribute__((aligned(64)));
    pv_region r;
    pv_stats before, after;
    char *p, *q, *big, *x;
    int n;
    (void)pv_set_misuse_handler(record);
    CHECK(pv_region_init(&r, NULL));
    p = pv_region_alloc(&r, 64);
    q = pv_region_alloc(&r, 64);                  /* p is not the newest */
    big = pv_region_alloc(&r, 3u * (size_t)PV_REGION_CHUNK_MIN); /* a chunk of its own */
    CHECK(p != NULL && q != NULL && big != NULL);
    memset(p, 7, 64);

    pv_region_stats(&r, &before);
    n = reports.count;
    CHECK(pv_region_realloc(&r, p, 100000, 200) == NULL); /* BUG: old_size past the chunk */
    CHECK_REPORTED(n, PV_MISUSE_BAD_SIZE, p);
    CHECK(reports.allocator == &r);
    n = reports.count;
    CHECK(pv_region_realloc_aligned(&r, p, 100000, 200, 64) == NULL); /* BUG: the same, aligned */
    CHECK_REPORTED(n, PV_MISUSE_BAD_SIZE, p);
    n = reports.count;
    CHECK(pv_region_realloc(&r, big, 3u * (size_t)PV_REGION_CHUNK_MIN + 4096u, 8) == NULL); /* BUG: past its chunk */
    CHECK_REPORTED(n, PV_MISUSE_BAD_SIZE, big);
    n = reports.count;
    CHECK(pv_region_realloc(&r, elsewhere + 64, 64, 128) == NULL); /* BUG: in no chunk */
    CHECK_REPORTED(n, PV_MISUSE_BAD_SIZE, elsewhere + 64);
    pv_region_stats(&r, &after);
    CHECK(same_stats(&before, &after));           /* nothing changed, nothing counted */
    CHECK(p[0] == 7 && p[63] == 7);

    n = reports.count;
    x = pv_region_realloc(&r, p, 64, 200);        /* the right size: moves, no report */
    CHECK(x != NULL && x != p && x[0] == 7 && x[63] == 7);
    CHECK(reports.count == n);

    pv_region_reset(&r);                          /* big's chunk is a spare now */
    pv_region_stats(&r, &before);
    n = reports.count;
    CHECK(pv_region_realloc(&r, big, 3u * (size_t)PV_REGION_CHUNK_MIN, 8) == NULL); /* BUG: released by reset */
    CHECK_REPORTED(n, PV_MISUSE_BAD_SIZE, big);
    pv_region_stats(&r, &after);
    CHECK(same_stats(&before, &after));
    pv_region_destroy(&r);
    (void)pv_set_misuse_handler(NULL);
    return finish("hardened_region_realloc_size");
}
