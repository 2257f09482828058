/* SPDX-License-Identifier: MIT */
/* Unit tests of the region allocator (pv_region.h). */
#include "pv_test.h"

static test_source ts;
static pv_region r;

/* Capacity of the first chunk (its data area). */
#define FIRST_CAP ((size_t)PV_REGION_CHUNK_MIN) /* the first chunk, from a source aligned on PV_ALIGN */
#define LARGE ((size_t)PV_REGION_LARGE)

static void open_region(void)
{
    test_source_init(&ts);
    assert_true(pv_region_init(&r, &ts.src));
}

static void close_region(void)
{
    pv_stats st;
    pv_region_destroy(&r);
    pv_region_stats(&r, &st);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(ts.gets, ts.puts);
}

static pv_stats stats(void)
{
    pv_stats st;
    pv_region_stats(&r, &st);
    return st;
}

static void region_init_rejects_null_and_defaults_to_malloc(void **state)
{
    pv_region m;
    char *p;
    pv_stats st;
    (void)state;
    assert_false(pv_region_init(NULL, NULL));
    assert_true(pv_region_init(&m, NULL)); /* malloc source */
    p = pv_region_alloc(&m, 100);
    assert_non_null(p);
    fill(p, 100, 0x5a);
    pv_region_stats(&m, &st);
    assert_int_equal(st.source_gets, 1);
    assert_int_equal(st.in_use, rnd(100));
    pv_region_destroy(&m);
    pv_region_stats(&m, &st);
    assert_int_equal(st.source_puts, 1);
    assert_int_equal(st.reserved, 0);
}

static void region_null_handle(void **state)
{
    pv_stats st;
    char x[16];
    (void)state;
    memset(&st, 0xff, sizeof st);
    pv_region_stats(NULL, &st);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_gets, 0);
    assert_int_equal(st.source_puts, 0);
    assert_int_equal(st.failures, 0);
    assert_null(pv_region_alloc(NULL, 8));
    assert_null(pv_region_alloc(NULL, 0));
    assert_null(pv_region_alloc(NULL, LARGE + 1));
    assert_null(pv_region_alloc_aligned(NULL, 8, 64));
    assert_false(pv_region_free(NULL, x, 8));
    assert_null(pv_region_realloc(NULL, NULL, 0, 8));
    assert_null(pv_region_realloc(NULL, x, 8, 16));
    pv_region_reset(NULL);
    pv_region_destroy(NULL);
    open_region();
    pv_region_stats(&r, NULL); /* no crash */
    close_region();
}

static void region_size_zero_fails_and_changes_nothing(void **state)
{
    pv_stats a, b;
    char *p;
    (void)state;
    open_region();
    p = pv_region_alloc(&r, 8);
    assert_non_null(p);
    a = stats();
    assert_null(pv_region_alloc(&r, 0));
    assert_null(pv_region_alloc_aligned(&r, 0, 64));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.source_gets, a.source_gets);
    assert_int_equal(b.failures, a.failures + 2);
    /* the next block is just above p: the failed calls consumed nothing */
    assert_ptr_equal(pv_region_alloc(&r, 8), p + rnd(8));
    close_region();
}

static void region_huge_sizes_do_not_wrap(void **state)
{
    static const size_t sizes[] = { SIZE_MAX, SIZE_MAX - 1u, SIZE_MAX - PV_ALIGN + 1u,
                                    SIZE_MAX / 2u + 1u, PV__CHAIN_REQ_MAX + 1u };
    pv_stats a, b;
    size_t i, calls;
    (void)state;
    open_region();
    assert_non_null(pv_region_alloc(&r, 8));
    a = stats();
    calls = ts.calls;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(pv_region_alloc(&r, sizes[i]));
        assert_null(pv_region_alloc_aligned(&r, sizes[i], 64));
        assert_null(pv_region_alloc_aligned(&r, sizes[i], PV_ALIGN_MAX));
    }
    assert_int_equal(ts.calls, calls); /* rejected before asking the source */
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 3 * (sizeof sizes / sizeof sizes[0]));
    /* the largest accepted request reaches the source with a size that did
     * not wrap (the test source refuses it) */
    assert_null(pv_region_alloc(&r, PV__CHAIN_REQ_MAX));
    assert_int_equal(ts.calls, calls + 1);
    assert_true(ts.last_get > PV__CHAIN_REQ_MAX);
    assert_null(pv_region_alloc_aligned(&r, PV__CHAIN_REQ_MAX, PV_ALIGN_MAX));
    assert_true(ts.last_get > PV__CHAIN_REQ_MAX + PV_ALIGN_MAX - PV_ALIGN);
    a = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(a.failures, b.failures + 2);
    assert_int_equal(a.source_gets, b.source_gets + 2);
    close_region();
}

static void region_bad_alignment(void **state)
{
    static const size_t aligns[] = { 0u, 3u, 6u, 24u, 100u, 3u * PV_ALIGN_MAX, 2u * PV_ALIGN_MAX,
                                     SIZE_MAX, SIZE_MAX / 2u + 1u };
    static const size_t sizes[] = { 8u, 1000u, LARGE + 1u, 3u * LARGE };
    pv_stats a, b;
    size_t i, j, calls;
    (void)state;
    open_region();
    assert_non_null(pv_region_alloc(&r, 8));
    a = stats();
    calls = ts.calls;
    for (i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        for (j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
            assert_null(pv_region_alloc_aligned(&r, sizes[j], aligns[i]));
        }
    }
    b = stats();
    assert_int_equal(ts.calls, calls);
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.source_gets, a.source_gets);
    assert_int_equal(b.failures, a.failures + (sizeof aligns / sizeof aligns[0]) *
                                                  (sizeof sizes / sizeof sizes[0]));
    close_region();
}

static void region_aligned_alloc_every_power(void **state)
{
    char *small[13], *large[13];
    size_t al, k = 0, i;
    (void)state;
    open_region();
    for (al = 1; al <= PV_ALIGN_MAX; al *= 2u, k++) {
        small[k] = pv_region_alloc_aligned(&r, 24, al);
        assert_non_null(small[k]);
        assert_true(is_aligned(small[k], al > PV_ALIGN ? al : PV_ALIGN));
        fill(small[k], 24, (unsigned char)(k + 1u));
        large[k] = pv_region_alloc_aligned(&r, LARGE + 1u, al);
        assert_non_null(large[k]);
        assert_true(is_aligned(large[k], al > PV_ALIGN ? al : PV_ALIGN));
        fill(large[k], LARGE + 1u, (unsigned char)(k + 101u));
    }
    assert_int_equal(k, 13);
    for (i = 0; i < k; i++) {
        assert_true(holds(small[i], 24, (unsigned char)(i + 1u)));
        assert_true(holds(large[i], LARGE + 1u, (unsigned char)(i + 101u)));
    }
    /* the newest large aligned block frees whole, padding included */
    {
        pv_stats a = stats(), b;
        char *p = pv_region_alloc_aligned(&r, 3000, PV_ALIGN_MAX);
        assert_non_null(p);
        assert_true(pv_region_free(&r, p, 3000));
        b = stats();
        assert_int_equal(b.in_use, a.in_use);
        assert_int_equal(b.chunks, a.chunks);
        assert_int_equal(b.reserved, a.reserved);
    }
    close_region();
}

static void region_blocks_disjoint_across_chunks(void **state)
{
    char *p[300];
    size_t sz[300];
    size_t i, sum = 0;
    pv_stats st;
    (void)state;
    open_region();
    for (i = 0; i < 300; i++) {
        sz[i] = 1u + (i * 37u) % 400u;
        p[i] = pv_region_alloc(&r, sz[i]);
        assert_non_null(p[i]);
        assert_true(is_aligned(p[i], PV_ALIGN));
        fill(p[i], sz[i], (unsigned char)i);
        sum += rnd(sz[i]);
    }
    for (i = 0; i < 300; i++) {
        assert_true(holds(p[i], sz[i], (unsigned char)i));
    }
    st = stats();
    assert_int_equal(st.in_use, sum);
    assert_true(st.chunks >= 2);
    assert_int_equal(st.reserved, ts.outstanding);
    close_region();
}

static void region_free_most_recent_only(void **state)
{
    char *p, *q;
    pv_stats a;
    (void)state;
    open_region();
    p = pv_region_alloc(&r, 40);
    q = pv_region_alloc(&r, 24);
    fill(p, 40, 1);
    fill(q, 24, 2);
    assert_false(pv_region_free(&r, NULL, 24));
    assert_false(pv_region_free(&r, q, 0));
    assert_false(pv_region_free(&r, q, 8)); /* wrong size: not the most recent block */
    a = stats();
    /* not the most recent: a defined no-op, not a failure */
    assert_false(pv_region_free(&r, p, 40));
    assert_stats_equal(a, stats());
    assert_true(holds(p, 40, 1));
    assert_true(holds(q, 24, 2));
    /* the most recent: reclaimed, and the space is reused */
    assert_true(pv_region_free(&r, q, 24));
    assert_int_equal(stats().in_use, rnd(40));
    assert_int_equal(stats().peak_in_use, rnd(40) + rnd(24));
    assert_int_equal(stats().failures, 0);
    assert_ptr_equal(pv_region_alloc(&r, 16), q);
    assert_true(pv_region_free(&r, q, 16));
    assert_true(pv_region_free(&r, p, 40)); /* now the most recent */
    assert_int_equal(stats().in_use, 0);
    assert_ptr_equal(pv_region_alloc(&r, 8), p);
    close_region();
}

static void region_large_blocks_own_chunks(void **state)
{
    pv_stats a, b;
    char *p, *q, *s;
    size_t out;
    (void)state;
    open_region();
    s = pv_region_alloc(&r, 16);
    a = stats();
    p = pv_region_alloc(&r, LARGE + 1u);
    assert_non_null(p);
    b = stats();
    assert_int_equal(b.chunks, a.chunks + 1);
    assert_int_equal(b.source_gets, a.source_gets + 1);
    assert_int_equal(b.in_use, a.in_use + rnd(LARGE + 1u));
    assert_int_equal(b.reserved, ts.outstanding);
    assert_true(ts.last_get >= LARGE + 1u + PV__CHUNK_SLACK);
    assert_true(ts.last_get < PV_REGION_CHUNK_MIN); /* exactly its own size */
    /* the small block is still the most recent of the current chunk */
    q = pv_region_alloc(&r, 3u * LARGE);
    assert_non_null(q);
    fill(p, LARGE + 1u, 7);
    fill(q, 3u * LARGE, 8);
    assert_false(pv_region_free(&r, p, LARGE + 1u)); /* not the newest large block */
    assert_true(holds(p, LARGE + 1u, 7));
    out = ts.outstanding;
    assert_true(pv_region_free(&r, q, 3u * LARGE));
    assert_int_equal(ts.puts, 1);
    assert_true(ts.outstanding < out);
    assert_true(pv_region_free(&r, p, LARGE + 1u)); /* now the newest */
    b = stats();
    assert_int_equal(b.in_use, a.in_use);
    assert_int_equal(b.chunks, a.chunks);
    assert_int_equal(b.reserved, a.reserved);
    assert_int_equal(b.source_puts, 2);
    assert_true(pv_region_free(&r, s, 16)); /* small blocks unaffected */
    close_region();
}

static void region_realloc_null_zero_huge(void **state)
{
    char *p;
    pv_stats a, b;
    (void)state;
    open_region();
    p = pv_region_realloc(&r, NULL, 0, 40); /* same as alloc */
    assert_non_null(p);
    assert_int_equal(stats().in_use, rnd(40));
    assert_null(pv_region_realloc(&r, NULL, 0, 0)); /* alloc of 0 */
    fill(p, 40, 9);
    a = stats();
    assert_null(pv_region_realloc(&r, p, 40, 0));
    assert_null(pv_region_realloc(&r, p, 40, SIZE_MAX));
    assert_null(pv_region_realloc(&r, p, 40, PV__CHAIN_REQ_MAX + 1u));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 3);
    assert_true(holds(p, 40, 9));
    /* p is still the most recent block: it frees */
    assert_true(pv_region_free(&r, p, 40));
    close_region();
}

static void region_realloc_in_place_exactly_when_documented(void **state)
{
    char *p, *q, *s;
    pv_stats a;
    size_t i;
    (void)state;
    open_region();
    p = pv_region_alloc(&r, 100);
    for (i = 0; i < 100; i++) {
        p[i] = (char)i;
    }
    /* most recent, fits: in place, both ways */
    q = pv_region_realloc(&r, p, 100, 300);
    assert_ptr_equal(q, p);
    assert_int_equal(stats().in_use, rnd(300));
    for (i = 0; i < 100; i++) {
        assert_int_equal(q[i], (char)i);
    }
    q = pv_region_realloc(&r, p, 300, 50);
    assert_ptr_equal(q, p);
    assert_int_equal(stats().in_use, rnd(50));
    assert_ptr_equal(pv_region_alloc(&r, 8), p + rnd(50)); /* shrink gave it back */
    /* not the most recent: moves, keeps min(old, new), the old block stays */
    a = stats();
    q = pv_region_realloc(&r, p, 50, 70);
    assert_non_null(q);
    assert_true(q != p);
    for (i = 0; i < 50; i++) {
        assert_int_equal(q[i], (char)i);
    }
    assert_int_equal(stats().in_use, a.in_use + rnd(70));
    s = pv_region_realloc(&r, p, 50, 20); /* shrink of an older block also moves */
    assert_non_null(s);
    assert_true(s != p);
    for (i = 0; i < 20; i++) {
        assert_int_equal(s[i], (char)i);
    }
    /* most recent but too big for the rest of the chunk: moves */
    q = pv_region_alloc(&r, 64);
    fill(q, 64, 0x33);
    a = stats();
    s = pv_region_realloc(&r, q, 64, LARGE);
    assert_non_null(s);
    if (a.in_use + rnd(LARGE) - rnd(64) > FIRST_CAP) {
        assert_true(s != q);
        assert_int_equal(stats().chunks, a.chunks + 1);
    }
    assert_true(holds(s, 64, 0x33));
    close_region();
}

static void region_realloc_across_large_threshold_moves(void **state)
{
    char *p, *q, *s;
    pv_stats a, b;
    (void)state;
    open_region();
    p = pv_region_alloc(&r, 100);
    fill(p, 100, 0x41);
    a = stats();
    /* would fit in the chunk, but crosses PV_REGION_LARGE: a chunk of its own */
    q = pv_region_realloc(&r, p, 100, LARGE + 1u);
    assert_non_null(q);
    assert_true(q != p);
    assert_true(holds(q, 100, 0x41));
    b = stats();
    assert_int_equal(b.chunks, a.chunks + 1);
    assert_int_equal(b.in_use, rnd(LARGE + 1u)); /* p was the most recent: freed */
    fill(q, LARGE + 1u, 0x42);
    /* large, newest, same rounded size: in place */
    s = pv_region_realloc(&r, q, LARGE + 1u, rnd(LARGE + 1u));
    assert_ptr_equal(s, q);
    /* large, newest, does not fit its chunk: moves */
    s = pv_region_realloc(&r, q, rnd(LARGE + 1u), 2u * LARGE);
    assert_non_null(s);
    assert_true(s != q);
    assert_true(holds(s, LARGE + 1u, 0x42));
    /* large shrinking but staying large: in place */
    q = pv_region_realloc(&r, s, 2u * LARGE, LARGE + 8u);
    assert_ptr_equal(q, s);
    /* large to small: moves into the chain, the large chunk goes back */
    a = stats();
    p = pv_region_realloc(&r, q, LARGE + 8u, 16);
    assert_non_null(p);
    assert_true(p != q);
    assert_true(holds(p, 16, 0x42));
    b = stats();
    assert_int_equal(b.source_puts, a.source_puts + 1);
    assert_int_equal(b.chunks, a.chunks - 1);
    close_region();
}

static void region_realloc_failure_keeps_block(void **state)
{
    char *p, *q;
    pv_stats a, b;
    (void)state;
    open_region();
    q = pv_region_alloc(&r, 200);
    fill(q, 200, 0x11);
    p = pv_region_alloc(&r, 1000);
    fill(p, 1000, 0x22);
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_region_realloc(&r, p, 1000, LARGE + 1u));   /* needs a large chunk */
    assert_null(pv_region_realloc(&r, p, 1000, FIRST_CAP));    /* too big for the chunk */
    assert_null(pv_region_realloc(&r, q, 200, FIRST_CAP - 8u)); /* older block, no room */
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 3);
    assert_int_equal(b.source_gets, a.source_gets + 3);
    assert_true(holds(p, 1000, 0x22));
    assert_true(holds(q, 200, 0x11));
    /* p is still the most recent block of 1000 bytes */
    assert_true(pv_region_free(&r, p, 1000));
    ts.fail_after = -1;
    close_region();
}

static void region_source_failure_changes_nothing(void **state)
{
    char *blocks[200];
    size_t n = 0, i;
    pv_stats a, b;
    (void)state;
    open_region();
    /* first allocation of all */
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_region_alloc(&r, 8));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, 1);
    assert_int_equal(b.source_gets, 1);
    /* fill one chunk */
    ts.fail_after = 1;
    while (stats().in_use + 64u <= FIRST_CAP) {
        blocks[n] = pv_region_alloc(&r, 64);
        assert_non_null(blocks[n]);
        fill(blocks[n], 64, (unsigned char)n);
        n++;
    }
    assert_int_equal(stats().chunks, 1);
    a = stats();
    assert_null(pv_region_alloc(&r, 64));
    assert_null(pv_region_alloc(&r, LARGE + 1u));
    assert_null(pv_region_alloc_aligned(&r, 64, 64));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 3);
    for (i = 0; i < n; i++) {
        assert_true(holds(blocks[i], 64, (unsigned char)i));
    }
    /* the region is intact: the last block still frees, and allocation
     * resumes when the source recovers */
    assert_true(pv_region_free(&r, blocks[n - 1], 64));
    assert_ptr_equal(pv_region_alloc(&r, 64), blocks[n - 1]);
    ts.fail_after = -1;
    assert_non_null(pv_region_alloc(&r, 64));
    assert_int_equal(stats().chunks, 2);
    close_region();
}

static void region_reset_reuses_chunks(void **state)
{
    char *first, *p;
    size_t i, calls, puts;
    pv_stats a, b;
    (void)state;
    open_region();
    first = pv_region_alloc(&r, 100);
    for (i = 0; i < 200; i++) {
        assert_non_null(pv_region_alloc(&r, 100 + i));
    }
    p = pv_region_alloc(&r, LARGE * 2u);
    assert_non_null(p);
    a = stats();
    assert_true(a.chunks >= 4);
    puts = ts.puts;
    pv_region_reset(&r);
    b = stats();
    assert_int_equal(b.in_use, 0);
    assert_int_equal(b.chunks, a.chunks - 1);      /* only the large chunk went back */
    assert_int_equal(ts.puts, puts + 1);
    assert_int_equal(b.peak_in_use, a.in_use);
    calls = ts.calls;
    /* the same demand again: the same memory, from the first chunk on, and
     * no source call */
    assert_ptr_equal(pv_region_alloc(&r, 100), first);
    for (i = 0; i < 200; i++) {
        p = pv_region_alloc(&r, 100 + i);
        assert_non_null(p);
        fill(p, 100 + i, (unsigned char)i);
    }
    assert_int_equal(ts.calls, calls);
    assert_int_equal(stats().chunks, b.chunks);
    assert_int_equal(stats().in_use, a.in_use - rnd(LARGE * 2u));
    /* reset twice in a row, and reset of an empty region, are fine */
    pv_region_reset(&r);
    pv_region_reset(&r);
    assert_int_equal(stats().in_use, 0);
    assert_ptr_equal(pv_region_alloc(&r, 8), first);
    close_region();
    pv_region_reset(&r); /* after destroy: empty */
    assert_int_equal(stats().in_use, 0);
}

static void region_destroy_returns_everything(void **state)
{
    size_t i;
    pv_stats st;
    (void)state;
    open_region();
    for (i = 0; i < 100; i++) {
        assert_non_null(pv_region_alloc(&r, 50 * i + 1));
    }
    assert_non_null(pv_region_alloc_aligned(&r, 5000, 1024));
    assert_true(ts.outstanding > 0);
    pv_region_destroy(&r);
    st = stats();
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(ts.gets, ts.puts);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_puts, st.source_gets);
    /* usable again, as after init */
    assert_non_null(pv_region_alloc(&r, 10));
    assert_int_equal(stats().chunks, 1);
    close_region();
}

static void region_stats_agree(void **state)
{
    pv_stats st;
    char *p, *q;
    (void)state;
    open_region();
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_gets, 0);
    p = pv_region_alloc(&r, 100);
    st = stats();
    assert_int_equal(st.in_use, rnd(100));
    assert_int_equal(st.peak_in_use, rnd(100));
    assert_int_equal(st.reserved, PV_REGION_CHUNK_MIN);
    assert_int_equal(st.reserved, ts.outstanding);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_gets, 1);
    q = pv_region_alloc(&r, 3000);
    st = stats();
    assert_int_equal(st.in_use, rnd(100) + rnd(3000));
    assert_int_equal(st.reserved, ts.outstanding);
    assert_int_equal(st.chunks, 2);
    assert_int_equal(st.source_gets, 2);
    assert_true(pv_region_free(&r, q, 3000));
    assert_true(pv_region_free(&r, p, 100));
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, rnd(100) + rnd(3000));
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_puts, 1);
    assert_int_equal(st.failures, 0);
    p = pv_region_alloc(&r, 200);
    assert_non_null(pv_region_realloc(&r, p, 200, 1000));
    pv_region_reset(&r);
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, rnd(100) + rnd(3000));
    assert_null(pv_region_alloc(&r, 0));
    assert_int_equal(stats().failures, 1);
    close_region();
}

static void region_chunks_grow_geometrically(void **state)
{
    size_t expect = PV_REGION_CHUNK_MIN, gets = 0, n = 0;
    (void)state;
    open_region();
    while (n < 12) {
        assert_non_null(pv_region_alloc(&r, LARGE));
        if (ts.gets != gets) {
            gets = ts.gets;
            assert_int_equal(ts.last_get, expect); /* doubling, no cap below PV__CHAIN_REQ_MAX */
            expect = expect * 2u;
            n++;
        }
    }
    assert_int_equal(ts.last_get, (size_t)PV_REGION_CHUNK_MIN << 11);
    close_region();
}

static void region_over_static_source(void **state)
{
    static char buf[64 * 1024] __attribute__((aligned(64)));
    pv_static_source ss;
    pv_region sr;
    char *p[40];
    size_t i, n = 0;
    pv_stats a, b;
    (void)state;
    assert_true(pv_static_source_init(&ss, buf, sizeof buf));
    assert_true(pv_region_init(&sr, &ss.source));
    for (i = 0; i < 40; i++) {
        p[i] = pv_region_alloc(&sr, 700);
        if (p[i] == NULL) {
            break;
        }
        assert_true(p[i] >= buf && p[i] + 700 <= buf + sizeof buf);
        fill(p[i], 700, (unsigned char)i);
        n++;
    }
    assert_true(n >= 10);
    {
        char *big = pv_region_alloc(&sr, 3000);
        assert_non_null(big);
        assert_true(big >= buf && big + 3000 <= buf + sizeof buf);
        assert_true(pv_region_free(&sr, big, 3000));
    }
    for (i = 0; i < n; i++) {
        assert_true(holds(p[i], 700, (unsigned char)i));
    }
    /* exhaust the buffer: a clean failure */
    while (pv_region_alloc(&sr, 2000) != NULL) {
    }
    pv_region_stats(&sr, &a);
    assert_null(pv_region_alloc(&sr, LARGE * 4u));
    pv_region_stats(&sr, &b);
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 1);
    /* reset, then the same demand is served again from the buffer */
    pv_region_reset(&sr);
    for (i = 0; i < n; i++) {
        assert_non_null(pv_region_alloc(&sr, 700));
    }
    pv_region_destroy(&sr);
    pv_region_stats(&sr, &a);
    assert_int_equal(a.reserved, 0);
    assert_int_equal(a.source_gets - a.failures, a.source_puts); /* each failed get counted once */
    /* everything went back: the buffer serves a region again from its start */
    assert_true(pv_region_init(&sr, &ss.source));
    assert_non_null(pv_region_alloc(&sr, 8));
    pv_region_destroy(&sr);
}

/* Regression: a large block that grows by realloc used to leave its old
 * chunk behind until reset (the new chunk became the newest large block, so
 * freeing the old one was a no-op): one chunk per call, quadratic memory. */
static void region_realloc_large_growth_frees_old_chunk(void **state)
{
    char *p, *q;
    size_t size = LARGE + 100u, i;
    pv_stats st;
    (void)state;
    open_region();
    p = pv_region_alloc(&r, size);
    fill(p, size, 0x61);
    for (i = 0; i < 20; i++) {
        q = pv_region_realloc(&r, p, size, size + 1000u);
        assert_non_null(q);
        assert_true(holds(q, size, 0x61));
        fill(q + size, 1000, 0x61);
        p = q;
        size += 1000u;
        st = stats();
        assert_int_equal(st.chunks, 1); /* only the block's own chunk */
        assert_int_equal(st.in_use, rnd(size));
        assert_int_equal(st.reserved, ts.outstanding);
    }
    /* shrinking into the chain gives the large chunk back too */
    q = pv_region_realloc(&r, p, size, 100);
    assert_non_null(q);
    assert_true(holds(q, 100, 0x61));
    st = stats();
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.in_use, rnd(100));
    /* an older large block that moves stays until reset, as documented */
    p = pv_region_alloc(&r, LARGE + 8u);
    q = pv_region_alloc(&r, LARGE + 8u);
    assert_non_null(pv_region_realloc(&r, p, LARGE + 8u, 3u * LARGE));
    assert_int_equal(stats().chunks, 4);
    (void)q;
    close_region();
}

/* The peak counts the large blocks held when a small block's free lowers
 * the in-use (the inline free records it; fails if it forgets them). */
static void region_peak_counts_large_blocks_at_free(void **state)
{
    char *big, *a;
    pv_stats st;
    size_t before;
    (void)state;
    open_region();
    big = pv_region_alloc(&r, LARGE + 1u);
    a = pv_region_alloc(&r, 100);
    assert_non_null(big);
    assert_non_null(a);
    before = stats().in_use;
    assert_true(before >= rnd(LARGE + 1u) + rnd(100));
    assert_true(pv_region_free(&r, a, 100));
    st = stats();
    assert_int_equal(st.in_use, before - rnd(100));
    assert_int_equal(st.peak_in_use, before);
    assert_false(pv_region_free(&r, big + 16, 100)); /* not a block: in-use unchanged */
    assert_int_equal(stats().in_use, before - rnd(100));
    close_region();
}

/* A failed source call changes nothing but the counters: the growth goes
 * on from where it was, and the retry asks the source for the size the
 * failed call asked (fails if a failure resets the growth to the first
 * chunk's size). */
static void region_failed_get_keeps_growth(void **state)
{
    size_t asked, chunks;
    (void)state;
    open_region();
    assert_non_null(pv_region_alloc(&r, 64));
    for (chunks = 1; chunks < 3u; chunks++) { /* fill chunks 1 and 2 */
        while (stats().chunks == chunks) {
            assert_non_null(pv_region_alloc(&r, 64));
        }
    }
    asked = ts.last_get;                      /* chunk 3's request */
    ts.fail_after = 0;
    while (r.chain.cur->arena.cap - r.chain.cur->arena.top >= 64u) {
        assert_non_null(pv_region_alloc(&r, 64)); /* fill chunk 3 without the source */
    }
    assert_null(pv_region_alloc(&r, 64));     /* chunk 4 refused */
    assert_true(ts.last_get > asked);         /* it was asked with the grown size */
    asked = ts.last_get;
    ts.fail_after = -1;
    assert_non_null(pv_region_alloc(&r, 64)); /* the retry */
    assert_int_equal(ts.last_get, asked);
    assert_int_equal(stats().chunks, 4);
    close_region();
}

/* pv_region_realloc_aligned: a moved block keeps the alignment asked for
 * (pv_region_realloc's is aligned on PV_ALIGN only); in place only when the
 * block is the newest and already aligned so; a bad alignment is a counted
 * failure that leaves the block alone. */
static void region_realloc_aligned_keeps_alignment(void **state)
{
    char *p, *q, *b, *x;
    pv_stats a, c;
    (void)state;
    open_region();
    assert_null(pv_region_realloc_aligned(NULL, NULL, 0, 8, 64));
    p = pv_region_alloc_aligned(&r, 40, 64);
    assert_non_null(p);
    fill(p, 40, 0x5a);
    assert_non_null(pv_region_alloc(&r, 8));           /* p is no longer the newest */
    q = pv_region_realloc_aligned(&r, p, 40, 100, 64);  /* moves */
    assert_non_null(q);
    assert_ptr_not_equal(q, p);
    assert_true(is_aligned(q, 64));
    assert_true(holds(q, 40, 0x5a));
    fill(q, 100, 0x5b);
    assert_ptr_equal(pv_region_realloc_aligned(&r, q, 100, 200, 64), q); /* newest, aligned: in place */
    assert_int_equal(stats().in_use, (size_t)(q + rnd(200) - (char *)r.chain.cur->arena.base));
    /* The newest block, not aligned on 128: moves although it would fit. */
    b = pv_region_alloc(&r, 16);
    while (is_aligned(b, 128)) {
        b = pv_region_alloc(&r, 16);
    }
    fill(b, 16, 0x5c);
    x = pv_region_realloc_aligned(&r, b, 16, 24, 128);
    assert_non_null(x);
    assert_ptr_not_equal(x, b);
    assert_true(is_aligned(x, 128));
    assert_true(holds(x, 16, 0x5c));
    /* p NULL: an aligned allocation. */
    x = pv_region_realloc_aligned(&r, NULL, 0, 50, 256);
    assert_non_null(x);
    assert_true(is_aligned(x, 256));
    /* Into a large block: aligned too, bytes kept. */
    fill(x, 50, 0x5d);
    b = pv_region_realloc_aligned(&r, x, 50, LARGE + 1u, 4096);
    assert_non_null(b);
    assert_true(is_aligned(b, 4096));
    assert_true(holds(b, 50, 0x5d));
    /* Bad alignments and sizes: NULL, counted, the block untouched. */
    a = stats();
    assert_null(pv_region_realloc_aligned(&r, q, 200, 300, 3));
    assert_null(pv_region_realloc_aligned(&r, q, 200, 300, 0));
    assert_null(pv_region_realloc_aligned(&r, q, 200, 300, (size_t)PV_ALIGN_MAX * 2u));
    assert_null(pv_region_realloc_aligned(&r, q, 200, 0, 64));
    assert_null(pv_region_realloc_aligned(&r, NULL, 0, 50, 96));
    c = stats();
    assert_stats_same_but_failures(a, c);
    assert_int_equal(c.failures, a.failures + 5u);
    assert_true(holds(q, 100, 0x5b));
    close_region();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(region_init_rejects_null_and_defaults_to_malloc),
        cmocka_unit_test(region_null_handle),
        cmocka_unit_test(region_size_zero_fails_and_changes_nothing),
        cmocka_unit_test(region_huge_sizes_do_not_wrap),
        cmocka_unit_test(region_bad_alignment),
        cmocka_unit_test(region_aligned_alloc_every_power),
        cmocka_unit_test(region_blocks_disjoint_across_chunks),
        cmocka_unit_test(region_free_most_recent_only),
        cmocka_unit_test(region_large_blocks_own_chunks),
        cmocka_unit_test(region_realloc_null_zero_huge),
        cmocka_unit_test(region_realloc_in_place_exactly_when_documented),
        cmocka_unit_test(region_realloc_across_large_threshold_moves),
        cmocka_unit_test(region_realloc_failure_keeps_block),
        cmocka_unit_test(region_realloc_large_growth_frees_old_chunk),
        cmocka_unit_test(region_source_failure_changes_nothing),
        cmocka_unit_test(region_reset_reuses_chunks),
        cmocka_unit_test(region_destroy_returns_everything),
        cmocka_unit_test(region_stats_agree),
        cmocka_unit_test(region_chunks_grow_geometrically),
        cmocka_unit_test(region_over_static_source),
        cmocka_unit_test(region_realloc_aligned_keeps_alignment),
        cmocka_unit_test(region_peak_counts_large_blocks_at_free),
        cmocka_unit_test(region_failed_get_keeps_growth),
    };
    return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}
