/* SPDX-License-Identifier: MIT */
/* A chunk table that fills: PV_CHAIN_SLOTS = 2. This file compiles its own
 * copies of the chain, region and stack with the option (their definitions
 * take the place of the library's), and checks what pv_chain.h, pv_region.h
 * and pv_stack.h say of a full table: the allocation that needs a third
 * chunk returns NULL, is counted as a failure, asks the source nothing and
 * changes nothing else; after a reset the chunks are reused. And the chain's
 * counters saturate at SIZE_MAX instead of wrapping (set there by hand: no
 * run reaches 2^64 events; mutants/24 is found here), and the bytes in use
 * stay below PV_ARENA_CAP_MAX (mutants/44). */
#define PV_CHAIN_SLOTS 2u
#include "pv_test.h"
#include "../src/pv_chain.c"
#include "../src/pv_region.c"
#include "../src/pv_stack.c"

static test_source ts;

static void full_table_region(void **state)
{
    pv_region r;
    pv_stats a, b;
    size_t n = 0;
    (void)state;
    test_source_init(&ts);
    assert_true(pv_region_init(&r, &ts.src));
    while (r.chain.n < 2u || pv_region_alloc(&r, 1000u) != NULL) {
        if (r.chain.n < 2u) {
            assert_non_null(pv_region_alloc(&r, 1000u));
        }
        n++;
        assert_true(n < 100000u);
    }
    /* the last call failed: the table is full and no chunk has room */
    pv_region_stats(&r, &a);
    assert_int_equal(a.failures, 1);
    assert_int_equal(a.chunks, 2);
    assert_int_equal(ts.calls, 2);
    assert_null(pv_region_alloc(&r, 1000u));
    pv_region_stats(&r, &b);
    assert_int_equal(b.failures, 2);
    assert_int_equal(b.in_use, a.in_use);
    assert_int_equal(b.reserved, a.reserved);
    assert_int_equal(b.source_gets, a.source_gets);
    assert_int_equal(ts.calls, 2);
    /* large blocks have chunks of their own, outside the table */
    assert_non_null(pv_region_alloc(&r, PV_REGION_LARGE + 1u));
    pv_region_reset(&r);
    assert_non_null(pv_region_alloc(&r, 1000u));
    pv_region_destroy(&r);
    assert_int_equal(ts.outstanding, 0);
}

static void full_table_stack(void **state)
{
    pv_stack s;
    pv_stats a;
    pv_stack_frame f;
    (void)state;
    test_source_init(&ts);
    assert_true(pv_stack_init(&s, &ts.src));
    f = pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, PV_STACK_CHUNK_MIN));     /* chunk 1, full */
    assert_int_equal(s.chain.n, 1);
    assert_non_null(pv_stack_alloc(&s, 2u * PV_STACK_CHUNK_MIN)); /* chunk 2 ... */
    assert_non_null(pv_stack_alloc(&s, PV__CHUNK_SLACK));         /* ... full (its slack) */
    assert_int_equal(s.chain.n, 2);
    assert_null(pv_stack_alloc(&s, 8u));                          /* a third: refused */
    pv_stack_stats(&s, &a);
    assert_int_equal(a.failures, 1);
    assert_int_equal(a.chunks, 2);
    assert_int_equal(a.source_gets, 2);
    assert_true(pv_stack_pop(&s, f));
    assert_non_null(pv_stack_alloc(&s, 8u)); /* the chunks are reused */
    pv_stack_destroy(&s);
    assert_int_equal(ts.outstanding, 0);
}

static void counters_saturate(void **state)
{
    pv_region r;
    (void)state;
    test_source_init(&ts);
    assert_true(pv_region_init(&r, &ts.src));
    r.chain.failures = SIZE_MAX - 1u;
    r.chain.gets = SIZE_MAX;
    assert_null(pv__chain_alloc_slow(&r.chain, 0u, PV_ALIGN)); /* a bad request */
    assert_true(r.chain.failures == SIZE_MAX);
    assert_null(pv__chain_alloc_slow(&r.chain, 0u, PV_ALIGN));
    assert_true(r.chain.failures == SIZE_MAX);
    assert_non_null(pv__chain_alloc_slow(&r.chain, 64u, PV_ALIGN)); /* asks the source */
    assert_true(r.chain.gets == SIZE_MAX);
    assert_true(r.chain.failures == SIZE_MAX);
    pv_region_destroy(&r);
    assert_int_equal(ts.outstanding, 0);
}

/* The bytes in use never pass PV_ARENA_CAP_MAX: a new chunk that would take
 * them past it is refused before the source is asked (the chain checks the
 * bound, the source's contract does not trust it). Set by hand: no run holds
 * 2^63 bytes; mutants/44 is found here. */
static void in_use_bound(void **state)
{
    pv_region r;
    pv_chunk *c;
    (void)state;
    test_source_init(&ts);
    assert_true(pv_region_init(&r, &ts.src));
    assert_non_null(pv_region_alloc(&r, 64u)); /* chunk 1 */
    assert_int_equal(ts.calls, 1);
    c = &r.chain.tab[r.chain.ci];
    c->before = PV_ARENA_CAP_MAX - c->arena.cap; /* the most the invariant allows */
    /* a request as large as chunk 1 needs a new chunk, of at least its size */
    assert_null(pv__chain_alloc_slow(&r.chain, c->arena.cap, PV_ALIGN));
    assert_int_equal(ts.calls, 1);
    assert_true(r.chain.failures == 1u);
    assert_int_equal(r.chain.n, 1);
    assert_true(r.chain.ci == 0u);
    c->before = 0u;
    pv_region_destroy(&r);
    assert_int_equal(ts.outstanding, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_table_region),
        cmocka_unit_test(full_table_stack),
        cmocka_unit_test(counters_saturate),
        cmocka_unit_test(in_use_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
