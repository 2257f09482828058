/* SPDX-License-Identifier: MIT */
/* Unit tests of the verified core (pv_core.h). */
#include <stdio.h>

#include "pv_test.h"

static char buf[1 << 16] __attribute__((aligned(4096)));

static void init_rejects_bad_args(void **state)
{
    pv_arena a = PV_ARENA_EMPTY;
    (void)state;
    assert_false(pv_arena_init(NULL, buf, sizeof buf));
    assert_false(pv_arena_init(&a, NULL, sizeof buf));
    assert_false(pv_arena_init(&a, buf + 1, PV_ALIGN - 1)); /* no whole granule */
    assert_false(pv_arena_init(&a, buf, (size_t)PTRDIFF_MAX));
    assert_null(a.base); /* untouched */
}

static void alloc_bumps_and_aligns(void **state)
{
    pv_arena a;
    char *p, *q;
    (void)state;
    assert_true(pv_arena_init(&a, buf + 3, 1000));
    assert_true(is_aligned(a.base, PV_ALIGN));
    assert_int_equal(a.bias, (uintptr_t)a.base % PV_ALIGN_MAX); /* the trusted fact */
    p = pv_arena_alloc(&a, 1);
    q = pv_arena_alloc(&a, 24);
    assert_non_null(p);
    assert_ptr_equal(q, p + PV_ALIGN);
    assert_int_equal(pv_arena_used(&a), PV_ALIGN + rnd(24));
    assert_null(pv_arena_alloc(&a, 0));
    assert_null(pv_arena_alloc(&a, SIZE_MAX));
    assert_null(pv_arena_alloc(NULL, 8));
}


static void version_matches_macros(void **state)
{
    char expect[32];
    (void)state;
    assert_int_equal(pv_version(), PV_VERSION_MAJOR * 10000 + PV_VERSION_MINOR * 100 +
                                       PV_VERSION_PATCH);
    (void)snprintf(expect, sizeof expect, "%d.%d.%d", PV_VERSION_MAJOR, PV_VERSION_MINOR,
                   PV_VERSION_PATCH);
    assert_string_equal(expect, PV_VERSION_STRING);
}

/* pv_config_name() spells the settings the library was built with, in
 * pv_link_check.h's order (these tests are built with the library's
 * settings, so they are the ones the macros give here). */
static void config_name_spells_the_settings(void **state)
{
    char expect[160];
    (void)state;
    (void)snprintf(expect, sizeof expect,
                   "pv_config_align%u_alignmax%u_slots%u_frames%u_hardened%d_valgrind%d_asan%d",
                   (unsigned)PV_ALIGN, (unsigned)PV_ALIGN_MAX, (unsigned)PV_CHAIN_SLOTS, (unsigned)PV_STACK_FRAMES, PV_HARDENED ? 1 : 0,
                   PV_VALGRIND ? 1 : 0,
#if defined(PV__ASAN)
                   1
#else
                   0
#endif
    );
    assert_string_equal(pv_config_name(), expect);
}

static void init_capacity_arithmetic(void **state)
{
    pv_arena a;
    size_t off, len;
    (void)state;
    for (off = 0; off < 2u * PV_ALIGN; off++) {
        for (len = 2u * PV_ALIGN - 1u; len < 6u * PV_ALIGN; len++) {
            assert_true(pv_arena_init(&a, buf + off, len));
            assert_true(is_aligned(a.base, PV_ALIGN));
            assert_true(a.base >= buf + off);
            assert_true(a.base + a.cap <= buf + off + len);
            assert_int_equal(a.cap % PV_ALIGN, 0);
            assert_true(a.cap + 2u * (PV_ALIGN - 1u) >= len);
            assert_int_equal(a.top, 0);
            assert_int_equal(a.bias, (uintptr_t)a.base % PV_ALIGN_MAX);
            assert_int_equal(pv_arena_capacity(&a), a.cap);
            assert_int_equal(pv_arena_available(&a), a.cap);
            assert_int_equal(pv_arena_used(&a), 0);
        }
    }
    /* one whole granule is enough; one byte too few is not */
    assert_true(pv_arena_init(&a, buf + 1, 2u * PV_ALIGN - 1u));
    assert_int_equal(a.cap, PV_ALIGN);
    a.top = 77u;
    assert_false(pv_arena_init(&a, buf + 1, 2u * PV_ALIGN - 2u));
    assert_int_equal(a.top, 77u); /* untouched */
    assert_false(pv_arena_init(&a, buf, PV_ARENA_CAP_MAX + 1u));
    assert_false(pv_arena_init(&a, buf, SIZE_MAX));
    assert_false(pv_arena_init(&a, buf, 0));
    assert_int_equal(a.top, 77u);
}

static void alloc_fills_exactly_the_capacity(void **state)
{
    pv_arena a;
    size_t n, k, i;
    char *p, *prev = NULL;
    (void)state;
    for (n = 1; n <= 3u * PV_ALIGN; n++) {
        assert_true(pv_arena_init(&a, buf + 5, 1000));
        k = a.cap / rnd(n);
        for (i = 0; i < k; i++) {
            p = pv_arena_alloc(&a, n);
            assert_non_null(p);
            assert_true(is_aligned(p, PV_ALIGN));
            if (i > 0) {
                assert_ptr_equal(p, prev + rnd(n));
            }
            fill(p, n, (unsigned char)i);
            prev = p;
            assert_int_equal(pv_arena_used(&a), (i + 1u) * rnd(n));
            assert_int_equal(pv_arena_available(&a), a.cap - (i + 1u) * rnd(n));
        }
        /* exactly what is left fits; one byte more does not */
        if (pv_arena_available(&a) > 0) {
            assert_null(pv_arena_alloc(&a, pv_arena_available(&a) + 1u));
            assert_non_null(pv_arena_alloc(&a, pv_arena_available(&a)));
        }
        assert_int_equal(pv_arena_available(&a), 0);
        assert_null(pv_arena_alloc(&a, 1));
        assert_int_equal(pv_arena_used(&a), a.cap);
    }
}

static void alloc_huge_sizes_fail_without_change(void **state)
{
    pv_arena a;
    static const size_t sizes[] = { SIZE_MAX, SIZE_MAX - 1u, SIZE_MAX - PV_ALIGN + 2u,
                                    SIZE_MAX / 2u + 1u, PV_ARENA_CAP_MAX };
    size_t i;
    (void)state;
    assert_true(pv_arena_init(&a, buf, 4096));
    assert_non_null(pv_arena_alloc(&a, 8));
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(pv_arena_alloc(&a, sizes[i]));
        assert_null(pv_arena_alloc_aligned(&a, sizes[i], 1));
        assert_null(pv_arena_alloc_aligned(&a, sizes[i], PV_ALIGN_MAX));
        assert_int_equal(pv_arena_used(&a), rnd(8));
    }
    /* a size that fits, but not with its padding */
    assert_null(pv_arena_alloc_aligned(&a, pv_arena_available(&a), 64));
    assert_int_equal(pv_arena_used(&a), rnd(8));
}

static void alloc_aligned_every_power(void **state)
{
    pv_arena a;
    size_t al, top;
    char *p;
    (void)state;
    assert_true(pv_arena_init(&a, buf + 24, sizeof buf - 24u));
    for (al = 1; al <= PV_ALIGN_MAX; al *= 2u) {
        assert_non_null(pv_arena_alloc(&a, 1)); /* misalign the top */
        top = pv_arena_used(&a);
        p = pv_arena_alloc_aligned(&a, 24, al);
        assert_non_null(p);
        assert_true(is_aligned(p, al > PV_ALIGN ? al : PV_ALIGN));
        assert_true(p >= a.base + top);
        assert_true((size_t)(p - (a.base + top)) < (al > PV_ALIGN ? al : PV_ALIGN)); /* least pad */
        assert_int_equal(pv_arena_used(&a), (size_t)(p - a.base) + rnd(24));
        fill(p, 24, 0x3e);
    }
}

static void alloc_aligned_bad_alignment(void **state)
{
    pv_arena a;
    static const size_t aligns[] = { 0u, 3u, 5u, 6u, 12u, 24u, 48u, 100u, 4095u,
                                     2u * PV_ALIGN_MAX, 3u * PV_ALIGN_MAX, SIZE_MAX,
                                     SIZE_MAX / 2u + 1u };
    size_t i;
    (void)state;
    assert_true(pv_arena_init(&a, buf, sizeof buf));
    assert_non_null(pv_arena_alloc(&a, 8));
    for (i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        assert_null(pv_arena_alloc_aligned(&a, 16, aligns[i]));
        assert_int_equal(pv_arena_used(&a), rnd(8));
    }
    assert_null(pv_arena_alloc_aligned(&a, 0, 64));
    assert_null(pv_arena_alloc_aligned(NULL, 16, 64));
    assert_int_equal(pv_arena_used(&a), rnd(8));
}

static void free_most_recent_only(void **state)
{
    pv_arena a;
    char *p, *q, *r;
    (void)state;
    assert_true(pv_arena_init(&a, buf, 1024));
    p = pv_arena_alloc(&a, 10);
    q = pv_arena_alloc(&a, 20);
    r = pv_arena_alloc(&a, 1);
    fill(p, 10, 1);
    fill(q, 20, 2);
    fill(r, 1, 3);
    assert_false(pv_arena_free(NULL, r, 1));
    assert_false(pv_arena_free(&a, NULL, 1));
    assert_false(pv_arena_free(&a, r, 0));
    assert_false(pv_arena_free(&a, q, 20));      /* not the most recent */
    assert_false(pv_arena_free(&a, r, PV_ALIGN + 1u)); /* wrong size */
    assert_false(pv_arena_free(&a, r, SIZE_MAX));
    assert_false(pv_arena_free(&a, p, pv_arena_used(&a) + 1u));
    assert_int_equal(pv_arena_used(&a), rnd(10) + rnd(20) + rnd(1));
    assert_true(holds(q, 20, 2));
    assert_true(pv_arena_free(&a, r, 1));
    assert_int_equal(pv_arena_used(&a), rnd(10) + rnd(20));
    assert_true(pv_arena_free(&a, q, 20));
    assert_true(pv_arena_free(&a, p, 10));
    assert_int_equal(pv_arena_used(&a), 0);
    assert_ptr_equal(pv_arena_alloc(&a, 4), p);
    /* an aligned block frees; its padding stays */
    assert_true(pv_arena_init(&a, buf, 1024));
    assert_non_null(pv_arena_alloc(&a, 8));
    q = pv_arena_alloc_aligned(&a, 8, 64);
    assert_true(pv_arena_free(&a, q, 8));
    assert_int_equal(pv_arena_used(&a), (size_t)(q - a.base));
}

static void resize_in_place(void **state)
{
    pv_arena a;
    char *p, *q;
    size_t i;
    (void)state;
    assert_true(pv_arena_init(&a, buf, 1024));
    p = pv_arena_alloc(&a, 16);
    q = pv_arena_alloc(&a, 10);
    for (i = 0; i < 10; i++) {
        q[i] = (char)i;
    }
    assert_true(pv_arena_resize(&a, q, 10, 100));
    assert_int_equal(pv_arena_used(&a), rnd(16) + rnd(100));
    for (i = 0; i < 10; i++) {
        assert_int_equal(q[i], (char)i);
    }
    assert_true(pv_arena_resize(&a, q, 100, 3));
    assert_int_equal(pv_arena_used(&a), rnd(16) + rnd(3));
    /* up to exactly the end of the arena, not one byte more */
    assert_false(pv_arena_resize(&a, q, 3, a.cap - rnd(16) + 1u));
    assert_true(pv_arena_resize(&a, q, 3, a.cap - rnd(16)));
    assert_int_equal(pv_arena_available(&a), 0);
    assert_true(pv_arena_resize(&a, q, a.cap - rnd(16), 5));
    /* refused: changes nothing */
    assert_false(pv_arena_resize(NULL, q, 5, 8));
    assert_false(pv_arena_resize(&a, p, 16, 8));  /* not the most recent */
    assert_false(pv_arena_resize(&a, q, 5, 0));   /* new size 0 */
    assert_false(pv_arena_resize(&a, q, 0, 8));   /* old size 0 */
    assert_false(pv_arena_resize(&a, q, 5, SIZE_MAX));
    assert_false(pv_arena_resize(&a, q, 5, SIZE_MAX - PV_ALIGN + 2u));
    assert_false(pv_arena_resize(&a, q, SIZE_MAX, 8));
    assert_false(pv_arena_resize(&a, q, PV_ALIGN + 1u, 8)); /* wrong old size */
    assert_false(pv_arena_resize(&a, NULL, 5, 8));
    assert_int_equal(pv_arena_used(&a), rnd(16) + rnd(5));
}

static void mark_rewind_reset(void **state)
{
    pv_arena a;
    pv_arena_mark m0, m1, m2, forged;
    char *p, *q;
    (void)state;
    assert_true(pv_arena_init(&a, buf, 1024));
    m0 = pv_arena_mark_get(&a);
    p = pv_arena_alloc(&a, 30);
    m1 = pv_arena_mark_get(&a);
    q = pv_arena_alloc(&a, 50);
    (void)pv_arena_alloc_aligned(&a, 8, 256);
    m2 = pv_arena_mark_get(&a);
    assert_int_equal(m0.top, 0);
    assert_int_equal(m1.top, rnd(30));
    assert_true(pv_arena_rewind(&a, m2)); /* to where it is: fine */
    assert_int_equal(pv_arena_used(&a), m2.top);
    assert_true(pv_arena_rewind(&a, m1));
    assert_int_equal(pv_arena_used(&a), rnd(30));
    assert_ptr_equal(pv_arena_alloc(&a, 8), q);
    assert_true(pv_arena_rewind(&a, m1));
    /* stale: m2 is above the top now */
    assert_false(pv_arena_rewind(&a, m2));
    assert_int_equal(pv_arena_used(&a), rnd(30));
    /* forged: not a granule boundary */
    forged.top = 1;
    assert_false(pv_arena_rewind(&a, forged));
    forged.top = PV_ALIGN / 2u;
    assert_false(pv_arena_rewind(&a, forged));
    forged.top = SIZE_MAX;
    assert_false(pv_arena_rewind(&a, forged));
    assert_int_equal(pv_arena_used(&a), rnd(30));
    assert_false(pv_arena_rewind(NULL, m0));
    assert_int_equal(pv_arena_mark_get(NULL).top, 0);
    assert_true(pv_arena_rewind(&a, m0));
    assert_ptr_equal(pv_arena_alloc(&a, 1), p);
    pv_arena_reset(&a);
    assert_int_equal(pv_arena_used(&a), 0);
    assert_int_equal(pv_arena_available(&a), pv_arena_capacity(&a));
    pv_arena_reset(NULL);
    assert_int_equal(pv_arena_used(NULL), 0);
    assert_int_equal(pv_arena_available(NULL), 0);
    assert_int_equal(pv_arena_capacity(NULL), 0);
}

static void empty_arena_refuses_everything(void **state)
{
    pv_arena a = PV_ARENA_EMPTY;
    pv_arena_mark m = { 0 };
    (void)state;
    assert_null(pv_arena_alloc(&a, 1));
    assert_null(pv_arena_alloc_aligned(&a, 1, 1));
    assert_false(pv_arena_free(&a, NULL, 1));
    assert_int_equal(pv_arena_capacity(&a), 0);
    assert_true(pv_arena_rewind(&a, m));
    assert_int_equal(pv_arena_used(&a), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_rejects_bad_args),
        cmocka_unit_test(alloc_bumps_and_aligns),
        cmocka_unit_test(version_matches_macros),
        cmocka_unit_test(config_name_spells_the_settings),
        cmocka_unit_test(init_capacity_arithmetic),
        cmocka_unit_test(alloc_fills_exactly_the_capacity),
        cmocka_unit_test(alloc_huge_sizes_fail_without_change),
        cmocka_unit_test(alloc_aligned_every_power),
        cmocka_unit_test(alloc_aligned_bad_alignment),
        cmocka_unit_test(free_most_recent_only),
        cmocka_unit_test(resize_in_place),
        cmocka_unit_test(mark_rewind_reset),
        cmocka_unit_test(empty_arena_refuses_everything),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
