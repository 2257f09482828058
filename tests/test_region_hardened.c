/* SPDX-License-Identifier: MIT */
/* The region's hardened build (PV_HARDENED=1): this file compiles its own
 * copies of pv_chain.c and pv_region.c with the option on (their definitions take the place of
 * the library's), and checks what pv_region.h says that build adds to
 * pv_region_realloc: a pointer in none of the region's chunks in use (the
 * current one and those before it), or an old_size past the top of the
 * chunk that holds the block, is reported as PV_MISUSE_BAD_SIZE before
 * anything is copied, and the call returns NULL with nothing changed and
 * nothing counted. */
#define PV_HARDENED 1
#include "pv_test.h"
#include "../src/pv_chain.c"
#include "../src/pv_region.c"

/* Bigger than the room of the first chunk and than the next size: a chunk
 * of its own. */
#define BIG_SZ (3u * (size_t)PV_REGION_CHUNK_MIN)

static pv_region r;
static test_source ts;

static void assert_bad_size(void *p, size_t old_size, size_t new_size, int n)
{
    pv_stats a, b;
    pv_region_stats(&r, &a);
    assert_null(pv_region_realloc(&r, p, old_size, new_size));
    assert_int_equal(misuse_log.count, n);
    assert_int_equal(misuse_log.kind, PV_MISUSE_BAD_SIZE);
    assert_ptr_equal(misuse_log.ptr, p);
    assert_ptr_equal(misuse_log.allocator, &r);
    pv_region_stats(&r, &b);
    assert_stats_equal(a, b);
}

static void hardened_realloc_checks_the_old_size(void **state)
{
    static char elsewhere[128] __attribute__((aligned(16)));
    char *p, *q, *big, *x;
    size_t top;
    (void)state;
    test_source_init(&ts);
    memset(&misuse_log, 0, sizeof misuse_log);
    assert_true(pv_region_init(&r, &ts.src));
    assert_bad_size(elsewhere, 16, 32, 1);              /* no chunk at all yet */
    p = pv_region_alloc(&r, 64);
    q = pv_region_alloc(&r, 64);
    assert_non_null(p);
    assert_non_null(q);
    fill(p, 64, 0x21);
    assert_bad_size(p, 100000, 200, 2);                 /* past the chunk's top */
    assert_bad_size(q, 65 + PV_ALIGN, 200, 3);          /* one granule past the top */
    assert_bad_size(elsewhere + 16, 64, 128, 4);        /* in no chunk */
    /* Up to the top exactly is accepted (p's old size running to q's end:
     * in place, the same size); one byte more is not. */
    top = r.chain.cur->arena.top - (size_t)(p - r.chain.cur->arena.base);
    assert_ptr_equal(pv_region_realloc(&r, p, top, top), p);
    assert_int_equal(misuse_log.count, 4);
    assert_bad_size(p, top + 1u, top, 5);
    /* A block in a chunk of its own: that chunk's top bounds it. */
    big = pv_region_alloc(&r, BIG_SZ);
    assert_non_null(big);
    assert_true(r.chain.ci == 1u);
    assert_bad_size(big, BIG_SZ + 4096u, 8, 6);
    x = big + rnd(BIG_SZ); /* in the big block's chunk, at its top: no block */
    assert_bad_size(x, 8, 16, 7);
    x = pv_region_realloc(&r, big, BIG_SZ, BIG_SZ + 64u); /* moves: a third chunk */
    assert_non_null(x);
    assert_true(r.chain.ci == 2u);
    assert_int_equal(misuse_log.count, 7);
    /* An older chunk still bounds its blocks once a later one is current. */
    assert_bad_size(q, 100000, 16, 8);
    assert_ptr_not_equal(pv_region_realloc(&r, q, 64, 16), NULL); /* the right size: moves */
    assert_int_equal(misuse_log.count, 8);
    assert_true(holds(p, 64, 0x21));
    /* After a reset the chunks after the first are spares, in no use: a
     * block there is reported (its chunk's old top does not count), as is
     * one of the first chunk above its new top. */
    pv_region_reset(&r);
    assert_bad_size(big, BIG_SZ, 8, 9);
    assert_bad_size(x, 64, 8, 10);
    assert_bad_size(p, 64, 16, 11);
    assert_ptr_equal(pv_region_alloc(&r, 64), p);
    assert_ptr_equal(pv_region_realloc(&r, p, 64, 16), p); /* a block again: in place */
    assert_int_equal(misuse_log.count, 11);
    pv_region_destroy(&r);
    assert_int_equal(ts.outstanding, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hardened_realloc_checks_the_old_size),
    };
    return cmocka_run_group_tests_name("region_hardened", tests, misuse_setup, misuse_teardown);
}
