/* SPDX-License-Identifier: MIT */
/* The FIFO's hardened build (PV_HARDENED=1): this file compiles its own copy
 * of pv_fifo.c with the option on (its definitions take the place of the
 * library's), and checks what pv_fifo.h says that build adds: pointers in no
 * page of the FIFO are rejected before anything is read, and freed memory is
 * filled with PV_FREE_FILL. */
#define PV_HARDENED 1
#include "pv_test.h"
#include "../src/pv_fifo.c"

static pv_fifo f;
static test_source ts;

static void hardened_rejects_pointers_in_no_page(void **state)
{
    static char elsewhere[64] __attribute__((aligned(16)));
    char *p, *q;
    pv_stats a, b;
    (void)state;
    test_source_init(&ts);
    memset(&misuse_log, 0, sizeof misuse_log);
    assert_true(pv_fifo_init(&f, &ts.src));
    /* no page at all yet */
    pv_fifo_free(&f, elsewhere + 16);
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.ptr, elsewhere + 16);
    p = pv_fifo_alloc(&f, 100);
    q = pv_fifo_alloc(&f, 100);
    fill(p, 100, 0x31);
    fill(elsewhere, sizeof elsewhere, 0x44);
    pv_fifo_stats(&f, &a);
    pv_fifo_free(&f, elsewhere + 16);           /* outside every page */
    assert_int_equal(misuse_log.count, 2);
    pv_fifo_free(&f, p + 1);                    /* inside a page, misaligned */
    assert_int_equal(misuse_log.count, 3);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    pv_fifo_free(&f, q + 200);                  /* above the page's top */
    assert_int_equal(misuse_log.count, 4);
    assert_int_equal(pv_fifo_block_size(&f, elsewhere + 16), 0);
    assert_int_equal(misuse_log.count, 5);
    assert_null(pv_fifo_realloc(&f, elsewhere + 16, 8));
    assert_int_equal(misuse_log.count, 6);
    pv_fifo_stats(&f, &b);
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 1);
    assert_true(holds(elsewhere, sizeof elsewhere, 0x44)); /* never written */
    assert_true(holds(p, 100, 0x31));
    /* blocks of f are still accepted */
    assert_int_equal(pv_fifo_block_size(&f, p), 100);
    pv_fifo_free(&f, p);
#if !PV_DBG_ON /* freed memory is poisoned under ASan and Valgrind: look only without them */
    assert_true(holds(p, 100, (unsigned char)PV_FREE_FILL));
#endif
    pv_fifo_free(&f, p); /* double free: still detected */
    assert_int_equal(misuse_log.count, 7);
    assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
    pv_fifo_free(&f, q);
    assert_int_equal(misuse_log.count, 7);
    pv_fifo_destroy(&f);
    assert_int_equal(ts.outstanding, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hardened_rejects_pointers_in_no_page),
    };
    return cmocka_run_group_tests_name("fifo_hardened", tests, misuse_setup, misuse_teardown);
}
