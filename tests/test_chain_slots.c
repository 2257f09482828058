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
    /* a block bigger than any chunk held needs a chunk of its own, in the
     * table too: refused the same way */
    assert_null(pv_region_alloc(&r, 4u * PV_REGION_CHUNK_MIN));
    pv_region_stats(&r, &b);
    assert_int_equal(b.failures, 3);
    assert_int_equal(b.in_use, a.in_use);
    assert_int_equal(b.chunks, 2);
    assert_int_equal(ts.calls, 2);
    /* after a reset the chunks are reused, without the source: a block too
     * big for the first chunk enters the second */
    pv_region_reset(&r);
    assert_non_null(pv_region_alloc(&r, PV_REGION_CHUNK_MIN + 1u));
    assert_true(r.chain.ci == 1u);
    assert_non_null(pv_region_alloc(&r, 1000u));
    pv_region_stats(&r, &b);
    assert_int_equal(b.failures, 3);
    assert_int_equal(b.source_puts, 0);
    assert_int_equal(ts.calls, 2);
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

/* A spare chunk is entered only if the bytes in use before it stay within
 * PV_ARENA_CAP_MAX with all of it: with the in use set by hand so that the
 * spare (chunk 2, twice chunk 1's size) would pass the bound, the request
 * skips it, and the table being full, fails: counted, the source not asked,
 * still in chunk 1. */
static void spare_skipped_past_the_in_use_bound(void **state)
{
    pv_region r;
    pv_chunk *c;
    size_t top1;
    (void)state;
    test_source_init(&ts);
    assert_true(pv_region_init(&r, &ts.src));
    while (r.chain.n < 2u) {
        assert_non_null(pv_region_alloc(&r, 2000u));
    }
    assert_int_equal(ts.calls, 2);
    assert_true(r.chain.tab[1].arena.cap > r.chain.tab[0].arena.cap);
    pv_region_reset(&r); /* chunk 1 current and empty, chunk 2 a spare */
    assert_true(r.chain.ci == 0u);
    top1 = r.chain.tab[1].arena.top;
    c = &r.chain.tab[0];
    c->before = PV_ARENA_CAP_MAX - c->arena.cap; /* the most the invariant allows */
    assert_null(pv__chain_alloc_slow(&r.chain, c->arena.cap + 1u, PV_ALIGN));
    assert_true(r.chain.failures == 1u);
    assert_int_equal(ts.calls, 2);
    assert_true(r.chain.ci == 0u);
    assert_true(r.chain.tab[1].arena.top == top1); /* untouched */
    c->before = 0u; /* the same request now enters the spare */
    assert_non_null(pv__chain_alloc_slow(&r.chain, c->arena.cap + 1u, PV_ALIGN));
    assert_true(r.chain.ci == 1u);
    assert_int_equal(ts.calls, 2);
    pv_region_destroy(&r);
    assert_int_equal(ts.outstanding, 0);
}

/* The chain's slow path refuses what the region and the stack never pass it
 * (they check first): a size above PV__CHAIN_REQ_MAX, an alignment that is
 * not a power of two or is above PV_ALIGN_MAX. Each counted, the source
 * not asked. */
static void chain_refuses_bad_requests(void **state)
{
    pv_region r;
    (void)state;
    test_source_init(&ts);
    assert_true(pv_region_init(&r, &ts.src));
    assert_null(pv__chain_alloc_slow(&r.chain, PV__CHAIN_REQ_MAX + 1u, PV_ALIGN));
    assert_null(pv__chain_alloc_slow(&r.chain, 8u, 3u));
    assert_null(pv__chain_alloc_slow(&r.chain, 8u, 2u * PV_ALIGN_MAX));
    assert_true(r.chain.failures == 3u);
    assert_int_equal(ts.calls, 0);
    assert_int_equal(r.chain.n, 0);
    assert_non_null(pv__chain_alloc_slow(&r.chain, 8u, PV_ALIGN_MAX)); /* the largest alignment */
    assert_int_equal(ts.calls, 1);
    assert_true(r.chain.failures == 3u);
    pv_region_destroy(&r);
    assert_int_equal(ts.outstanding, 0);
}

/* The chain's arithmetic at its ends, which no run reaches: the bytes
 * reserved saturate at SIZE_MAX, a count given back stops at 0, the next
 * chunk's size doubles up to PV__CHAIN_REQ_MAX and stays there; and an
 * emptied chunk fits a request only with the padding its alignment needs
 * from the chunk's bias. */
static void chain_arithmetic_at_its_ends(void **state)
{
    pv_arena a = PV_ARENA_EMPTY;
    size_t pad = 64u - PV_ALIGN; /* from a bias of PV_ALIGN to 64 */
    (void)state;
    assert_true(pv__add_sat(1u, 2u) == 3u);
    assert_true(pv__add_sat(SIZE_MAX - 2u, 2u) == SIZE_MAX);
    assert_true(pv__add_sat(SIZE_MAX - 1u, 2u) == SIZE_MAX);
    assert_true(pv__sub_floor(3u, 2u) == 1u);
    assert_true(pv__sub_floor(2u, 2u) == 0u);
    assert_true(pv__sub_floor(1u, 2u) == 0u);
    assert_true(pv__double(256u) == 512u);
    assert_true(pv__double(PV__CHAIN_REQ_MAX / 2u) == PV__CHAIN_REQ_MAX / 2u * 2u);
    assert_true(pv__double(PV__CHAIN_REQ_MAX / 2u + 1u) == PV__CHAIN_REQ_MAX);
    assert_true(pv__double(PV__CHAIN_REQ_MAX) == PV__CHAIN_REQ_MAX);
    a.cap = 256u;
    a.bias = PV_ALIGN;
    assert_true(pv__fits_empty(&a, 256u, PV_ALIGN));          /* no padding */
    assert_false(pv__fits_empty(&a, 256u, 64u));              /* pad + 256 > 256 */
    assert_true(pv__fits_empty(&a, 256u - pad, 64u));         /* exactly full */
    assert_false(pv__fits_empty(&a, 256u - pad + 1u, 64u));   /* one granule more */
    assert_false(pv__fits_empty(&a, 257u, 1u));               /* above the capacity */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_table_region),
        cmocka_unit_test(full_table_stack),
        cmocka_unit_test(counters_saturate),
        cmocka_unit_test(in_use_bound),
        cmocka_unit_test(spare_skipped_past_the_in_use_bound),
        cmocka_unit_test(chain_refuses_bad_requests),
        cmocka_unit_test(chain_arithmetic_at_its_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
