/* SPDX-License-Identifier: MIT */
/* Unit tests of the stack allocator (pv_stack.h). */
#include "pv_test.h"

static test_source ts;
static pv_stack s;

#define FIRST_CAP ((size_t)PV_STACK_CHUNK_MIN) /* the first chunk, from a source aligned on PV_ALIGN */
#define BIG ((size_t)1024u * 1024u)           /* a request far above the first chunk */

static void open_stack(void)
{
    test_source_init(&ts);
    assert_true(pv_stack_init(&s, &ts.src));
    memset(&misuse_log, 0, sizeof misuse_log);
}

static void close_stack(void)
{
    pv_stats st;
    pv_stack_destroy(&s);
    pv_stack_stats(&s, &st);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(ts.gets, ts.puts);
}

static pv_stats stats(void)
{
    pv_stats st;
    pv_stack_stats(&s, &st);
    return st;
}

static void stack_init_rejects_null_and_defaults_to_malloc(void **state)
{
    pv_stack m;
    pv_stack_frame f;
    pv_stats st;
    char *p;
    (void)state;
    assert_false(pv_stack_init(NULL, NULL));
    assert_true(pv_stack_init(&m, NULL));
    f = pv_stack_push(&m);
    p = pv_stack_alloc(&m, 100);
    assert_non_null(p);
    fill(p, 100, 1);
    pv_stack_stats(&m, &st);
    assert_int_equal(st.source_gets, 1);
    assert_true(pv_stack_pop(&m, f));
    pv_stack_destroy(&m);
    pv_stack_stats(&m, &st);
    assert_int_equal(st.source_puts, 1);
    assert_int_equal(st.reserved, 0);
}

static void stack_null_handle(void **state)
{
    pv_stats st;
    pv_stack_frame f;
    char x[16];
    (void)state;
    memset(&st, 0xff, sizeof st);
    pv_stack_stats(NULL, &st);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_gets, 0);
    assert_int_equal(st.source_puts, 0);
    assert_int_equal(st.failures, 0);
    f = pv_stack_push(NULL);
    assert_false(pv_stack_pop(NULL, f));
    assert_int_equal(misuse_log.count, 0); /* NULL stack: nothing reported */
    assert_null(pv_stack_alloc(NULL, 8));
    assert_null(pv_stack_alloc(NULL, 0));
    assert_null(pv_stack_alloc_aligned(NULL, 8, 64));
    assert_null(pv__stack_alloc_slow(NULL, 8, PV_ALIGN)); /* the inline path's fallback, called directly */
    assert_false(pv_stack_free(NULL, x, 8));
    assert_null(pv_stack_realloc(NULL, NULL, 0, 8));
    assert_null(pv_stack_realloc(NULL, x, 8, 16));
    assert_int_equal(pv_stack_depth(NULL), 0);
    pv_stack_reset(NULL);
    pv_stack_destroy(NULL);
    /* a NULL-stack cookie is refused by a real stack too */
    open_stack();
    assert_false(pv_stack_pop(&s, f));
    assert_int_equal(misuse_log.count, 1);
    pv_stack_stats(&s, NULL); /* no crash */
    close_stack();
}

static void stack_push_pop_releases_frame(void **state)
{
    pv_stack_frame f, g;
    char *keep, *p, *q;
    pv_stats a;
    (void)state;
    open_stack();
    keep = pv_stack_alloc(&s, 24);
    fill(keep, 24, 0x77);
    a = stats();
    f = pv_stack_push(&s);
    assert_int_equal(pv_stack_depth(&s), 1);
    p = pv_stack_alloc(&s, 100);
    assert_ptr_equal(p, keep + rnd(24));
    g = pv_stack_push(&s);
    assert_int_equal(pv_stack_depth(&s), 2);
    q = pv_stack_alloc(&s, 50);
    assert_ptr_equal(q, p + rnd(100));
    assert_int_equal(stats().in_use, a.in_use + rnd(100) + rnd(50));
    assert_true(pv_stack_pop(&s, g));
    assert_int_equal(pv_stack_depth(&s), 1);
    assert_int_equal(stats().in_use, a.in_use + rnd(100));
    assert_ptr_equal(pv_stack_alloc(&s, 8), q); /* q's space is reused */
    assert_true(pv_stack_pop(&s, f));
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(stats().in_use, a.in_use);
    assert_int_equal(stats().peak_in_use, a.in_use + rnd(100) + rnd(50));
    assert_true(holds(keep, 24, 0x77));
    assert_ptr_equal(pv_stack_alloc(&s, 8), p);
    assert_int_equal(misuse_log.count, 0);
    close_stack();
}

static void stack_pop_across_chunks(void **state)
{
    pv_stack_frame f;
    char *keep, *p;
    size_t i;
    pv_stats a, b;
    (void)state;
    open_stack();
    keep = pv_stack_alloc(&s, 1000);
    fill(keep, 1000, 0x12);
    a = stats();
    f = pv_stack_push(&s);
    for (i = 0; i < 100; i++) { /* several chunks */
        p = pv_stack_alloc(&s, 1000);
        assert_non_null(p);
        fill(p, 1000, (unsigned char)i);
    }
    b = stats();
    assert_true(b.chunks >= 3);
    assert_int_equal(b.in_use, a.in_use + 100u * rnd(1000));
    assert_true(pv_stack_pop(&s, f));
    assert_int_equal(stats().in_use, a.in_use);
    assert_int_equal(stats().chunks, b.chunks); /* kept */
    assert_true(holds(keep, 1000, 0x12));
    assert_ptr_equal(pv_stack_alloc(&s, 16), keep + rnd(1000));
    close_stack();
}

static void stack_pop_bad_cookies_refused_and_reported(void **state)
{
    pv_stack other;
    pv_stack_frame f, g, h, forged, none;
    pv_stats a, b;
    char *p;
    (void)state;
    open_stack();
    assert_true(pv_stack_init(&other, &ts.src));
    /* pop without push: a zeroed cookie */
    memset(&none, 0, sizeof none);
    assert_false(pv_stack_pop(&s, none));
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_BAD_COOKIE);
    assert_ptr_equal(misuse_log.allocator, &s);
    none.life = s.chain.life; /* this life, generation 0: a refused push's */
    assert_false(pv_stack_pop(&s, none));
    assert_int_equal(misuse_log.count, 2);
    assert_null(misuse_log.ptr);

    f = pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, 64));
    g = pv_stack_push(&s);
    p = pv_stack_alloc(&s, 64);
    fill(p, 64, 0x3c);
    a = stats();
    /* out of order: the outer frame while the inner is open */
    assert_false(pv_stack_pop(&s, f));
    assert_int_equal(misuse_log.count, 3);
    /* a cookie of another stack */
    h = pv_stack_push(&other);
    assert_false(pv_stack_pop(&s, h));
    assert_int_equal(misuse_log.count, 4);
    assert_ptr_equal(misuse_log.allocator, &s);
    /* a forged cookie: the right life, a generation never issued */
    forged = g;
    forged.gen = g.gen + 1000u;
    assert_false(pv_stack_pop(&s, forged));
    assert_int_equal(misuse_log.count, 5);
    forged = g;
    forged.gen = 0;
    assert_false(pv_stack_pop(&s, forged));
    assert_int_equal(misuse_log.count, 6);
    /* nothing changed */
    b = stats();
    assert_stats_equal(a, b);
    assert_int_equal(pv_stack_depth(&s), 2);
    assert_true(holds(p, 64, 0x3c));
    /* the right order works, and then the cookie is stale */
    assert_true(pv_stack_pop(&s, g));
    assert_false(pv_stack_pop(&s, g));
    assert_int_equal(misuse_log.count, 7);
    assert_int_equal(pv_stack_depth(&s), 1);
    assert_true(pv_stack_pop(&s, f));
    assert_false(pv_stack_pop(&s, f));
    assert_int_equal(misuse_log.count, 8);
    assert_int_equal(pv_stack_depth(&s), 0);
    /* a stale cookie whose generation is reused by no later frame */
    f = pv_stack_push(&s);
    g = pv_stack_push(&s);
    assert_true(pv_stack_pop(&s, g));
    h = pv_stack_push(&s); /* same chunk and top as g, fresh generation */
    assert_false(pv_stack_pop(&s, g));
    assert_int_equal(misuse_log.count, 9);
    assert_true(pv_stack_pop(&s, h));
    assert_true(pv_stack_pop(&s, f));
    assert_true(pv_stack_pop(&other, pv_stack_push(&other)) == true);
    pv_stack_destroy(&other);
    assert_int_equal(misuse_log.count, 9);
    close_stack();
}

static void stack_cookies_stale_after_reset_and_destroy(void **state)
{
    pv_stack_frame f, g;
    (void)state;
    open_stack();
    f = pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, 100));
    pv_stack_reset(&s);
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(stats().in_use, 0);
    assert_false(pv_stack_pop(&s, f));
    assert_int_equal(misuse_log.count, 1);
    g = pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, 100));
    pv_stack_destroy(&s);
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_false(pv_stack_pop(&s, g));
    assert_false(pv_stack_pop(&s, f));
    assert_int_equal(misuse_log.count, 3);
    /* usable again */
    f = pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, 100));
    assert_true(pv_stack_pop(&s, f));
    close_stack();
}

static void stack_steady_state_no_source_calls(void **state)
{
    size_t round, i, calls = 0, chunks = 0;
    (void)state;
    open_stack();
    for (round = 0; round < 20; round++) {
        pv_stack_frame f = pv_stack_push(&s);
        for (i = 0; i < 60; i++) { /* spans a few chunks */
            char *p = pv_stack_alloc(&s, 500 + i);
            assert_non_null(p);
            fill(p, 500 + i, (unsigned char)round);
            if (i % 10 == 0) {
                pv_stack_frame g = pv_stack_push(&s);
                assert_non_null(pv_stack_alloc_aligned(&s, 300, 256));
                assert_true(pv_stack_pop(&s, g));
            }
        }
        assert_true(pv_stack_pop(&s, f));
        assert_int_equal(stats().in_use, 0);
        if (round == 0) {
            calls = ts.calls;
            chunks = stats().chunks;
            assert_true(chunks >= 2);
        }
    }
    assert_int_equal(ts.calls, calls);
    assert_int_equal(stats().chunks, chunks);
    assert_int_equal(stats().source_puts, 0);
    close_stack();
}

static void stack_free_most_recent_only(void **state)
{
    pv_stack_frame f;
    char *p, *q;
    pv_stats a;
    (void)state;
    open_stack();
    f = pv_stack_push(&s);
    p = pv_stack_alloc(&s, 40);
    q = pv_stack_alloc(&s, 24);
    fill(p, 40, 1);
    fill(q, 24, 2);
    a = stats();
    assert_false(pv_stack_free(&s, NULL, 24));
    assert_false(pv_stack_free(&s, q, 0));
    assert_false(pv_stack_free(&s, p, 40)); /* not the most recent: no-op */
    assert_false(pv_stack_free(&s, q, 8));  /* wrong size */
    assert_stats_equal(a, stats());
    assert_true(holds(p, 40, 1));
    assert_true(holds(q, 24, 2));
    assert_true(pv_stack_free(&s, q, 24));
    assert_int_equal(stats().in_use, a.in_use - rnd(24));
    assert_ptr_equal(pv_stack_alloc(&s, 8), q);
    assert_true(pv_stack_free(&s, q, 8));
    assert_true(pv_stack_free(&s, p, 40));
    assert_int_equal(stats().in_use, 0);
    assert_int_equal(stats().peak_in_use, rnd(40) + rnd(24));
    assert_int_equal(stats().failures, 0);
    assert_true(pv_stack_pop(&s, f));
    close_stack();
}

static void stack_size_zero_and_huge(void **state)
{
    static const size_t sizes[] = { SIZE_MAX, SIZE_MAX - 1u, SIZE_MAX - PV_ALIGN + 1u,
                                    SIZE_MAX / 2u + 1u, PV__CHAIN_REQ_MAX + 1u };
    pv_stats a, b;
    size_t i, calls;
    char *p;
    (void)state;
    open_stack();
    p = pv_stack_alloc(&s, 8);
    a = stats();
    calls = ts.calls;
    assert_null(pv_stack_alloc(&s, 0));
    assert_null(pv_stack_alloc_aligned(&s, 0, 64));
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(pv_stack_alloc(&s, sizes[i]));
        assert_null(pv_stack_alloc_aligned(&s, sizes[i], PV_ALIGN_MAX));
    }
    assert_int_equal(ts.calls, calls);
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.source_gets, a.source_gets);
    assert_int_equal(b.failures, a.failures + 2u + 2u * (sizeof sizes / sizeof sizes[0]));
    assert_null(pv_stack_alloc(&s, PV__CHAIN_REQ_MAX));
    assert_int_equal(ts.calls, calls + 1);
    assert_true(ts.last_get > PV__CHAIN_REQ_MAX);
    assert_ptr_equal(pv_stack_alloc(&s, 8), p + rnd(8));
    close_stack();
}

static void stack_bad_alignment(void **state)
{
    static const size_t aligns[] = { 0u, 3u, 12u, 100u, 2u * PV_ALIGN_MAX, 3u * PV_ALIGN_MAX,
                                     SIZE_MAX, SIZE_MAX / 2u + 1u };
    pv_stats a, b;
    size_t i, calls;
    (void)state;
    open_stack();
    assert_non_null(pv_stack_alloc(&s, 8));
    a = stats();
    calls = ts.calls;
    for (i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        assert_null(pv_stack_alloc_aligned(&s, 16, aligns[i]));
        assert_null(pv_stack_alloc_aligned(&s, FIRST_CAP, aligns[i])); /* would need a chunk */
    }
    assert_int_equal(ts.calls, calls);
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 2u * (sizeof aligns / sizeof aligns[0]));
    close_stack();
}

static void stack_aligned_alloc_every_power(void **state)
{
    char *p[13];
    size_t al, k = 0, i;
    (void)state;
    open_stack();
    for (al = 1; al <= PV_ALIGN_MAX; al *= 2u, k++) {
        p[k] = pv_stack_alloc_aligned(&s, 40, al);
        assert_non_null(p[k]);
        assert_true(is_aligned(p[k], al > PV_ALIGN ? al : PV_ALIGN));
        fill(p[k], 40, (unsigned char)(k + 1u));
    }
    for (i = 0; i < k; i++) {
        assert_true(holds(p[i], 40, (unsigned char)(i + 1u)));
    }
    /* an aligned block that needs a new chunk */
    p[0] = pv_stack_alloc_aligned(&s, FIRST_CAP - 8u, PV_ALIGN_MAX);
    assert_non_null(p[0]);
    assert_true(is_aligned(p[0], PV_ALIGN_MAX));
    fill(p[0], FIRST_CAP - 8u, 0x99);
    /* bigger than any chunk the growth would give: a chunk with room for the
     * padding too */
    p[1] = pv_stack_alloc_aligned(&s, BIG, PV_ALIGN_MAX);
    assert_non_null(p[1]);
    assert_true(is_aligned(p[1], PV_ALIGN_MAX));
    fill(p[1], BIG, 0x9a);
    assert_true(holds(p[0], FIRST_CAP - 8u, 0x99));
    close_stack();
}

static void stack_realloc(void **state)
{
    pv_stack_frame f;
    char *p, *q, *t;
    size_t i;
    pv_stats a, b;
    (void)state;
    open_stack();
    f = pv_stack_push(&s);
    p = pv_stack_realloc(&s, NULL, 0, 100); /* same as alloc */
    assert_non_null(p);
    for (i = 0; i < 100; i++) {
        p[i] = (char)(i + 1u);
    }
    assert_null(pv_stack_realloc(&s, NULL, 0, 0));
    /* most recent: in place, both ways */
    assert_ptr_equal(pv_stack_realloc(&s, p, 100, 1000), p);
    assert_int_equal(stats().in_use, rnd(1000));
    assert_ptr_equal(pv_stack_realloc(&s, p, 1000, 60), p);
    assert_int_equal(stats().in_use, rnd(60));
    for (i = 0; i < 60; i++) {
        assert_int_equal(p[i], (char)(i + 1u));
    }
    /* not the most recent: moves, keeps min(old, new) */
    q = pv_stack_alloc(&s, 16);
    fill(q, 16, 0x44);
    t = pv_stack_realloc(&s, p, 60, 200);
    assert_non_null(t);
    assert_true(t != p);
    for (i = 0; i < 60; i++) {
        assert_int_equal(t[i], (char)(i + 1u));
    }
    assert_true(holds(q, 16, 0x44));
    t = pv_stack_realloc(&s, p, 60, 10);
    assert_non_null(t);
    assert_true(t != p);
    for (i = 0; i < 10; i++) {
        assert_int_equal(t[i], (char)(i + 1u));
    }
    /* most recent, does not fit the chunk: moves to a new chunk */
    a = stats();
    t = pv_stack_realloc(&s, t, 10, FIRST_CAP);
    assert_non_null(t);
    for (i = 0; i < 10; i++) {
        assert_int_equal(t[i], (char)(i + 1u));
    }
    assert_int_equal(stats().chunks, a.chunks + 1);
    /* bad sizes: NULL, block intact */
    fill(t, FIRST_CAP, 0x55);
    a = stats();
    assert_null(pv_stack_realloc(&s, t, FIRST_CAP, 0));
    assert_null(pv_stack_realloc(&s, t, FIRST_CAP, SIZE_MAX));
    assert_null(pv_stack_realloc(&s, t, FIRST_CAP, PV__CHAIN_REQ_MAX + 1u));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 3);
    assert_true(holds(t, FIRST_CAP, 0x55));
    /* source failure: NULL, block intact, nothing changed */
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_stack_realloc(&s, t, FIRST_CAP, 3u * FIRST_CAP));
    assert_null(pv_stack_realloc(&s, q, 16, 2u * FIRST_CAP));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 2);
    assert_true(holds(t, FIRST_CAP, 0x55));
    assert_true(holds(q, 16, 0x44));
    assert_true(pv_stack_free(&s, t, FIRST_CAP)); /* still the most recent */
    ts.fail_after = -1;
    assert_true(pv_stack_pop(&s, f));
    close_stack();
}

static void stack_source_failure_changes_nothing(void **state)
{
    pv_stack_frame f;
    char *blocks[64];
    size_t n = 0, i;
    pv_stats a, b;
    (void)state;
    open_stack();
    ts.fail_after = 0;
    a = stats();
    f = pv_stack_push(&s);
    assert_null(pv_stack_alloc(&s, 8));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, 1);
    assert_int_equal(b.source_gets, 1);
    ts.fail_after = 1;
    while (stats().in_use + 512u <= FIRST_CAP) {
        blocks[n] = pv_stack_alloc(&s, 512);
        assert_non_null(blocks[n]);
        fill(blocks[n], 512, (unsigned char)n);
        n++;
    }
    a = stats();
    assert_null(pv_stack_alloc(&s, 512));
    assert_null(pv_stack_alloc_aligned(&s, 512, 1024));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 2);
    for (i = 0; i < n; i++) {
        assert_true(holds(blocks[i], 512, (unsigned char)i));
    }
    assert_true(pv_stack_free(&s, blocks[n - 1], 512));
    assert_ptr_equal(pv_stack_alloc(&s, 512), blocks[n - 1]);
    assert_true(pv_stack_pop(&s, f));
    ts.fail_after = -1;
    close_stack();
}

/* A spare smaller than the request is passed over (pv__fits_empty's size
 * test): a new chunk is appended after it, and the spare stays for later. */
static void stack_spare_too_small_passed_over(void **state)
{
    pv_stack_frame f;
    pv_stats a;
    char *p, *q;
    (void)state;
    open_stack();
    p = pv_stack_alloc(&s, 64);            /* the first chunk */
    fill(p, 64, 4);
    f = pv_stack_push(&s);
    q = pv_stack_alloc(&s, FIRST_CAP);     /* does not fit after p: a second chunk */
    assert_non_null(q);
    assert_true(pv_stack_pop(&s, f));      /* back to the first; the second is a spare */
    a = stats();
    assert_int_equal(a.chunks, 2);
    q = pv_stack_alloc(&s, 4 * FIRST_CAP); /* more than the spare holds */
    assert_non_null(q);
    fill(q, 4 * FIRST_CAP, 5);
    assert_int_equal(stats().chunks, 3);
    assert_int_equal(stats().source_gets, a.source_gets + 1);
    assert_true(holds(p, 64, 4));
    assert_true(holds(q, 4 * FIRST_CAP, 5));
    close_stack();
}

static void stack_reset_keeps_chunks(void **state)
{
    char *first;
    size_t i, calls;
    pv_stats a, b;
    (void)state;
    open_stack();
    first = pv_stack_alloc(&s, 100);
    (void)pv_stack_push(&s);
    for (i = 0; i < 60; i++) {
        assert_non_null(pv_stack_alloc(&s, 1000));
    }
    a = stats();
    pv_stack_reset(&s);
    b = stats();
    assert_int_equal(b.in_use, 0);
    assert_int_equal(b.chunks, a.chunks);
    assert_int_equal(b.source_puts, 0);
    assert_int_equal(b.peak_in_use, a.in_use);
    assert_int_equal(pv_stack_depth(&s), 0);
    calls = ts.calls;
    assert_ptr_equal(pv_stack_alloc(&s, 100), first);
    for (i = 0; i < 60; i++) {
        assert_non_null(pv_stack_alloc(&s, 1000));
    }
    assert_int_equal(ts.calls, calls);
    close_stack();
}

static void stack_destroy_returns_everything(void **state)
{
    size_t i;
    pv_stats st;
    (void)state;
    open_stack();
    (void)pv_stack_push(&s);
    for (i = 0; i < 50; i++) {
        assert_non_null(pv_stack_alloc(&s, 100 * i + 1));
    }
    (void)pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, 3u * BIG));
    assert_int_equal(pv_stack_depth(&s), 2);
    pv_stack_destroy(&s);
    st = stats();
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_puts, st.source_gets);
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_non_null(pv_stack_alloc(&s, 10));
    assert_int_equal(stats().chunks, 1);
    close_stack();
}

static void stack_stats_agree(void **state)
{
    pv_stack_frame f;
    pv_stats st;
    (void)state;
    open_stack();
    st = stats();
    assert_int_equal(st.in_use + st.peak_in_use + st.reserved + st.chunks + st.source_gets, 0);
    f = pv_stack_push(&s);
    assert_non_null(pv_stack_alloc(&s, 100));
    st = stats();
    assert_int_equal(st.in_use, rnd(100));
    assert_int_equal(st.peak_in_use, rnd(100));
    assert_int_equal(st.reserved, PV_STACK_CHUNK_MIN);
    assert_int_equal(st.reserved, ts.outstanding);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_gets, 1);
    assert_non_null(pv_stack_alloc(&s, FIRST_CAP));
    st = stats();
    assert_int_equal(st.in_use, rnd(100) + FIRST_CAP);
    assert_int_equal(st.chunks, 2);
    assert_int_equal(st.source_gets, 2);
    assert_int_equal(st.reserved, ts.outstanding);
    assert_int_equal(ts.last_get, 2u * PV_STACK_CHUNK_MIN); /* geometric growth */
    assert_true(pv_stack_pop(&s, f));
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, rnd(100) + FIRST_CAP);
    assert_int_equal(st.chunks, 2);
    assert_int_equal(st.source_puts, 0);
    assert_int_equal(st.failures, 0);
    assert_null(pv_stack_alloc(&s, 0));
    assert_int_equal(stats().failures, 1);
    close_stack();
}

static int scope_body(int early)
{
    PV_STACK_SCOPE(&s);
    char *p = pv_stack_alloc(&s, 64);
    assert_non_null(p);
    assert_int_equal(pv_stack_depth(&s), 1);
    if (early) {
        return 1;
    }
    assert_non_null(pv_stack_alloc(&s, 64));
    return 2;
}

static void stack_scope_pops_at_exit(void **state)
{
    size_t used, i;
    (void)state;
    open_stack();
    assert_non_null(pv_stack_alloc(&s, 24));
    used = stats().in_use;
    assert_int_equal(scope_body(1), 1);
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(stats().in_use, used);
    assert_int_equal(scope_body(0), 2);
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(stats().in_use, used);
    for (i = 0; i < 3; i++) {
        PV_STACK_SCOPE(&s);
        assert_non_null(pv_stack_alloc(&s, 32));
        assert_int_equal(pv_stack_depth(&s), 1);
        if (i == 1) {
            break;
        }
    }
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(stats().in_use, used);
    assert_int_equal(misuse_log.count, 0);
    close_stack();
}

static void stack_over_static_source(void **state)
{
    static char buf[128 * 1024] __attribute__((aligned(64)));
    pv_static_source ss;
    pv_stack st;
    pv_stack_frame f;
    pv_stats a, b;
    size_t round, i;
    (void)state;
    assert_true(pv_static_source_init(&ss, buf, sizeof buf));
    assert_true(pv_stack_init(&st, &ss.source));
    for (round = 0; round < 3; round++) {
        f = pv_stack_push(&st);
        for (i = 0; i < 30; i++) {
            char *p = pv_stack_alloc(&st, 1000);
            assert_non_null(p);
            assert_true(p >= buf && p + 1000 <= buf + sizeof buf);
            fill(p, 1000, (unsigned char)i);
        }
        assert_true(pv_stack_pop(&st, f));
    }
    pv_stack_stats(&st, &a);
    assert_int_equal(a.source_gets, 2); /* 16 KiB then 32 KiB, reused each round */
    assert_null(pv_stack_alloc(&st, sizeof buf)); /* more than the buffer */
    pv_stack_stats(&st, &b);
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, 1);
    pv_stack_destroy(&st);
    pv_stack_stats(&st, &a);
    assert_int_equal(a.reserved, 0);
    /* every chunk went back: a new stack over the same buffer is served the
     * same chunks again */
    assert_true(pv_stack_init(&st, &ss.source));
    for (i = 0; i < 30; i++) {
        assert_non_null(pv_stack_alloc(&st, 1000));
    }
    pv_stack_stats(&st, &a);
    assert_int_equal(a.failures, 0);
    assert_int_equal(a.chunks, 2);
    pv_stack_destroy(&st);
}

/* Regression: a block allocated before a push and grown in place inside
 * the frame used to lose its grown bytes at the pop (the next allocation
 * overwrote them) although in place it stayed the same, outer block. */
/* Regression (AFL, fuzz/corpus/stack/regress-stack-realloc-grow-across-outer-frame):
 * a block from before two nested pushes, made the most recent block by a
 * free in the inner frame, used to grow in place up to the inner frame's
 * start, across the outer frame's start; the outer pop then cut it. Now the
 * free is refused (b is from before the inner push), and the growth of a
 * still moves. */
static void stack_realloc_growth_across_outer_frame_survives_pops(void **state)
{
    pv_stack_frame f, g;
    char *a, *b, *q;
    (void)state;
    open_stack();
    a = pv_stack_alloc(&s, 96);
    fill(a, 96, 0x61);
    f = pv_stack_push(&s);            /* starts at a + 96 */
    b = pv_stack_alloc(&s, 96);
    fill(b, 96, 0x63);
    g = pv_stack_push(&s);            /* starts at b + 96 */
    assert_false(pv_stack_free(&s, b, 96)); /* from before g's push */
    q = pv_stack_realloc(&s, a, 96, 121);
    assert_non_null(q);
    assert_true(q != a);              /* moved: growing in place would cross f */
    assert_true(holds(q, 96, 0x61));
    fill(q, 121, 0x62);
    assert_true(holds(a, 96, 0x61));  /* the old block is whole */
    assert_true(pv_stack_pop(&s, g)); /* q goes with g */
    assert_true(holds(a, 96, 0x61));
    assert_true(holds(b, 96, 0x63));  /* b is f's */
    assert_true(pv_stack_free(&s, b, 96)); /* in its own frame it is freed */
    assert_true(pv_stack_pop(&s, f));
    assert_true(holds(a, 96, 0x61));  /* a is outside both frames */
    close_stack();
}

static void stack_realloc_growth_below_frame_survives_pop(void **state)
{
    pv_stack_frame f, g;
    pv_stats st;
    char *a, *b, *q, *r;
    (void)state;
    open_stack();
    a = pv_stack_alloc(&s, 16);
    fill(a, 16, 0x70);
    b = pv_stack_alloc(&s, 64);
    fill(b, 64, 0x71);
    f = pv_stack_push(&s);
    /* growing past the frame's start: moves into the frame, b stays whole */
    q = pv_stack_realloc(&s, b, 64, 256);
    assert_non_null(q);
    assert_true(q != b);
    assert_true(holds(q, 64, 0x71));
    assert_true(pv_stack_pop(&s, f));
    r = pv_stack_alloc(&s, 256);
    assert_ptr_equal(r, b + 64); /* the pop went back to the frame's start */
    fill(r, 256, 0x72);
    assert_true(holds(b, 64, 0x71));
    assert_true(pv_stack_free(&s, r, 256));
    /* shrinking an outer block is in place; growing it again, even back up
     * to the frame's start, moves it */
    f = pv_stack_push(&s);
    assert_ptr_equal(pv_stack_realloc(&s, b, 64, 16), b);
    q = pv_stack_realloc(&s, b, 16, 64);
    assert_true(q != b);
    assert_true(holds(q, 16, 0x71));
    assert_true(pv_stack_pop(&s, f));
    assert_true(holds(b, 16, 0x71)); /* b has 16 bytes now, the top is still at b + 64 */
    b = pv_stack_alloc(&s, 64);
    assert_non_null(b);
    fill(b, 64, 0x71);
    /* a block from before the push is not freed in the frame, and shrinks
     * without moving the top: the frame's blocks start at the frame's start
     * and go with its pop (regression: the free lowered the top below the
     * frame's start, and a block allocated next survived the pop) */
    f = pv_stack_push(&s);
    st = stats();
    assert_false(pv_stack_free(&s, b, 64));
    assert_false(pv_stack_free(&s, b, 0));
    assert_stats_equal(st, stats());
    assert_ptr_equal(pv_stack_realloc(&s, b, 64, 16), b);
    assert_stats_equal(st, stats());
    assert_true(holds(b, 16, 0x71));
    q = pv_stack_alloc(&s, 200);
    assert_ptr_equal(q, b + 64);
    fill(q, 200, 0x73);
    assert_true(pv_stack_pop(&s, f));
    assert_int_equal(stats().in_use, st.in_use); /* q went with the pop */
    assert_true(holds(b, 16, 0x71));
    /* b is 16 bytes now, the top still at b + 64: it grows by moving */
    q = pv_stack_realloc(&s, b, 16, 64);
    assert_ptr_equal(q, b + 64);
    assert_true(holds(q, 16, 0x71));
    b = q; /* the old b's bytes stay consumed until reset */
    fill(b, 64, 0x71);
    /* a block of the innermost frame still grows in place, also after an
     * inner frame was pushed and popped */
    f = pv_stack_push(&s);
    q = pv_stack_alloc(&s, 32);
    g = pv_stack_push(&s);
    assert_true(pv_stack_pop(&s, g));
    assert_ptr_equal(pv_stack_realloc(&s, q, 32, 512), q);
    assert_true(pv_stack_pop(&s, f));
    /* outside any frame, the most recent block grows in place */
    assert_ptr_equal(pv_stack_realloc(&s, b, 64, 4096), b);
    assert_true(holds(a, 16, 0x70));
    assert_true(holds(b, 64, 0x71));
    close_stack();
}

/* Regression: generations restart at init, so a cookie pushed before a
 * destroy and a new init matched the new innermost frame's generation and
 * pop rewound to its chunk -- given back to the source by destroy (a write
 * to freed memory). A cookie now carries the life of its stack, and pop
 * takes the position from the frame table, never from the cookie. */
static void stack_cookie_from_earlier_life_refused(void **state)
{
    pv_stack_frame f, g, forged;
    pv_stats a;
    (void)state;
    open_stack();
    assert_non_null(pv_stack_alloc(&s, 8));
    f = pv_stack_push(&s); /* in the first chunk, above the 8 bytes */
    assert_non_null(pv_stack_alloc(&s, 100));
    pv_stack_destroy(&s);
    assert_true(pv_stack_init(&s, &ts.src));
    g = pv_stack_push(&s); /* same generation as f, another position */
    assert_int_equal(g.gen, f.gen);
    a = stats();
    assert_false(pv_stack_pop(&s, f));
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_BAD_COOKIE);
    assert_stats_equal(a, stats());
    assert_int_equal(pv_stack_depth(&s), 1);
    /* the right generation with the earlier life is refused, as is any
     * other life */
    assert_non_null(pv_stack_alloc(&s, 64));
    forged = g;
    forged.life = f.life;
    assert_true(forged.life != g.life);
    assert_false(pv_stack_pop(&s, forged));
    assert_int_equal(misuse_log.count, 2);
    forged = g;
    forged.life = g.life + 1u;
    assert_false(pv_stack_pop(&s, forged));
    assert_int_equal(misuse_log.count, 3);
    assert_true(pv_stack_pop(&s, g));
    assert_int_equal(stats().in_use, 0);
    close_stack();
}

/* Regression: generations restart at init, and a cookie from an earlier
 * life with the same generation, chunk and position as the new innermost
 * frame was accepted; its pop restored the enclosing frame from the old
 * life's record, after which the real enclosing frame's cookie was refused
 * (fuzz reproducer bug-stack-reinit-cookie-wrong-enclosing-frame). Every
 * init now starts a new life, carried by the cookie. */
static void stack_identical_cookie_from_earlier_life_refused(void **state)
{
    pv_stack_frame old_outer, old_inner, outer, inner;
    pv_stats a;
    (void)state;
    open_stack();
    old_outer = pv_stack_push(&s); /* no chunk yet: both sit on the sentinel */
    old_inner = pv_stack_push(&s);
    pv_stack_destroy(&s);
    assert_true(pv_stack_init(&s, &ts.src));
    outer = pv_stack_push(&s);
    inner = pv_stack_push(&s);
    /* indistinguishable but for the life */
    assert_true(inner.gen == old_inner.gen && outer.gen == old_outer.gen);
    assert_true(inner.life != old_inner.life && outer.life != old_outer.life);
    a = stats();
    assert_false(pv_stack_pop(&s, old_inner));
    assert_false(pv_stack_pop(&s, old_outer));
    assert_int_equal(misuse_log.count, 2);
    assert_int_equal(misuse_log.kind, PV_MISUSE_BAD_COOKIE);
    assert_stats_equal(a, stats());
    assert_int_equal(pv_stack_depth(&s), 2);
    assert_true(pv_stack_pop(&s, inner));
    assert_true(pv_stack_pop(&s, outer));
    assert_int_equal(pv_stack_depth(&s), 0);
    close_stack();
}

/* The last generation of a life (2^63 - 1, pv_stack.h) is handed out; the
 * push after it is refused (generation 0), counted, and changes nothing else,
 * and the frame it would have closed still pops. (The counter is set by hand
 * near its end: 2^63 pushes cannot be made in a test.) */
static void stack_push_after_last_generation_refused(void **state)
{
    pv_stack_frame last, over;
    pv_stats a;
    (void)state;
    open_stack();
    s.chain.gen_next = INT64_MAX - 1;
    last = pv_stack_push(&s);
    assert_true(last.gen == (uint64_t)INT64_MAX);
    assert_int_equal(pv_stack_depth(&s), 1);
    assert_non_null(pv_stack_alloc(&s, 8));
    a = stats();
    over = pv_stack_push(&s);
    assert_true(over.gen == 0 && over.life == 0);
    assert_int_equal(pv_stack_depth(&s), 1);
    assert_int_equal(stats().failures, a.failures + 1);
    assert_int_equal(stats().in_use, a.in_use);
    assert_true(pv_stack_pop(&s, last));
    assert_int_equal(pv_stack_depth(&s), 0);
    assert_int_equal(stats().in_use, 0);
    close_stack();
}

/* The frame table holds PV_STACK_FRAMES open frames: one more push is
 * refused (generation 0), counted as a failure, and changes nothing else;
 * its allocations go into the enclosing frame, and every pop then works. */
static void stack_push_beyond_frame_table_refused(void **state)
{
    pv_stack_frame f[PV_STACK_FRAMES], over;
    pv_stats a;
    size_t i;
    char *p;
    (void)state;
    open_stack();
    for (i = 0; i < PV_STACK_FRAMES; i++) {
        f[i] = pv_stack_push(&s);
        assert_true(f[i].gen != 0);
        assert_non_null(pv_stack_alloc(&s, 8));
    }
    assert_int_equal(pv_stack_depth(&s), PV_STACK_FRAMES);
    a = stats();
    over = pv_stack_push(&s);
    assert_true(over.gen == 0 && over.life == 0);
    assert_int_equal(pv_stack_depth(&s), PV_STACK_FRAMES);
    assert_int_equal(stats().failures, a.failures + 1);
    assert_int_equal(stats().in_use, a.in_use);
    p = pv_stack_alloc(&s, 16); /* in the innermost open frame */
    assert_non_null(p);
    assert_false(pv_stack_pop(&s, over));
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(pv_stack_depth(&s), PV_STACK_FRAMES);
    for (i = PV_STACK_FRAMES; i > 0; i--) {
        assert_true(pv_stack_pop(&s, f[i - 1]));
        assert_int_equal(stats().in_use, (i - 1) * rnd(8));
    }
    assert_int_equal(stats().in_use, 0);
    /* a push works again */
    f[0] = pv_stack_push(&s);
    assert_true(f[0].gen != 0);
    assert_true(pv_stack_pop(&s, f[0]));
    close_stack();
}

/* After the outermost frame is popped, the stack is back in the chunk it
 * started in, at its start, so the next allocation reuses that chunk in
 * place (the first chunk is the one the frame's start refers to, not an
 * empty placeholder). */
static void stack_outermost_pop_back_in_first_chunk(void **state)
{
    pv_stack_frame f;
    char *p, *q;
    size_t calls;
    (void)state;
    open_stack();
    f = pv_stack_push(&s); /* no chunk yet */
    p = pv_stack_alloc(&s, 64);
    assert_non_null(p);
    calls = ts.calls;
    assert_true(pv_stack_pop(&s, f));
    assert_int_equal(s.chain.n, 1);
    assert_int_equal(s.chain.ci, 0);
    assert_int_equal(s.chain.cur->arena.top, 0);
    q = pv_stack_alloc(&s, 64);
    assert_ptr_equal(q, p);
    assert_int_equal(ts.calls, calls);
    close_stack();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stack_init_rejects_null_and_defaults_to_malloc),
        cmocka_unit_test(stack_null_handle),
        cmocka_unit_test(stack_push_pop_releases_frame),
        cmocka_unit_test(stack_pop_across_chunks),
        cmocka_unit_test(stack_pop_bad_cookies_refused_and_reported),
        cmocka_unit_test(stack_cookies_stale_after_reset_and_destroy),
        cmocka_unit_test(stack_cookie_from_earlier_life_refused),
        cmocka_unit_test(stack_identical_cookie_from_earlier_life_refused),
        cmocka_unit_test(stack_steady_state_no_source_calls),
        cmocka_unit_test(stack_free_most_recent_only),
        cmocka_unit_test(stack_size_zero_and_huge),
        cmocka_unit_test(stack_bad_alignment),
        cmocka_unit_test(stack_aligned_alloc_every_power),
        cmocka_unit_test(stack_realloc),
        cmocka_unit_test(stack_realloc_growth_below_frame_survives_pop),
        cmocka_unit_test(stack_realloc_growth_across_outer_frame_survives_pops),
        cmocka_unit_test(stack_source_failure_changes_nothing),
        cmocka_unit_test(stack_spare_too_small_passed_over),
        cmocka_unit_test(stack_reset_keeps_chunks),
        cmocka_unit_test(stack_destroy_returns_everything),
        cmocka_unit_test(stack_stats_agree),
        cmocka_unit_test(stack_scope_pops_at_exit),
        cmocka_unit_test(stack_push_beyond_frame_table_refused),
        cmocka_unit_test(stack_outermost_pop_back_in_first_chunk),
        cmocka_unit_test(stack_push_after_last_generation_refused),
        cmocka_unit_test(stack_over_static_source),
    };
    return cmocka_run_group_tests_name("stack", tests, misuse_setup, misuse_teardown);
}
