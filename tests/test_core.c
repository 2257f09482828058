/* Unit tests of the verified core (pv_core.h). */
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
    assert_int_equal(pv_arena_used(&a), PV_ALIGN + 24);
    assert_null(pv_arena_alloc(&a, 0));
    assert_null(pv_arena_alloc(&a, SIZE_MAX));
    assert_null(pv_arena_alloc(NULL, 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_rejects_bad_args),
        cmocka_unit_test(alloc_bumps_and_aligns),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
