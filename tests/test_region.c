/* SPDX-License-Identifier: MIT */
/* Unit tests of the region allocator (pv_region.h). */
#include "pv_test.h"

static test_source ts;
static pv_region r;

/* Capacity of the first chunk (its data area). */
#define FIRST_CAP ((size_t)PV_REGION_CHUNK_MIN) /* the first chunk, from a source aligned on PV_ALIGN */
/* A request bigger than the first two chunks' sizes (8 and 16 KiB with the
 * defaults) and smaller than the third's: after one chunk, it needs a chunk
 * of its own size. */
#define BIG (3u * (size_t)PV_REGION_CHUNK_MIN)

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

/* Where p lies in the current chunk, and the chunk's capacity. */
static size_t offset_in_cur(const void *p)
{
    return (size_t)((const char *)p - r.chain.cur->arena.base);
}

static size_t cur_cap(void)
{
    return r.chain.cur->arena.cap;
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
    assert_null(pv_region_alloc(NULL, BIG));
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
    static const size_t sizes[] = { 8u, 1000u, FIRST_CAP + 1u, BIG };
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
    char *small[13], *big[13];
    size_t al, k = 0, i;
    (void)state;
    open_region();
    for (al = 1; al <= PV_ALIGN_MAX; al *= 2u, k++) {
        small[k] = pv_region_alloc_aligned(&r, 24, al);
        assert_non_null(small[k]);
        assert_true(is_aligned(small[k], al > PV_ALIGN ? al : PV_ALIGN));
        fill(small[k], 24, (unsigned char)(k + 1u));
        big[k] = pv_region_alloc_aligned(&r, FIRST_CAP + 1u, al); /* more than a first chunk */
        assert_non_null(big[k]);
        assert_true(is_aligned(big[k], al > PV_ALIGN ? al : PV_ALIGN));
        fill(big[k], FIRST_CAP + 1u, (unsigned char)(k + 101u));
    }
    assert_int_equal(k, 13);
    for (i = 0; i < k; i++) {
        assert_true(holds(small[i], 24, (unsigned char)(i + 1u)));
        assert_true(holds(big[i], FIRST_CAP + 1u, (unsigned char)(i + 101u)));
    }
    /* the newest aligned block frees (its padding stays used), and the same
     * request then takes the same place, without a new chunk */
    {
        pv_stats a, b;
        char *p = pv_region_alloc_aligned(&r, 3000, PV_ALIGN_MAX);
        assert_non_null(p);
        a = stats();
        assert_true(pv_region_free(&r, p, 3000));
        assert_int_equal(stats().in_use, a.in_use - rnd(3000));
        assert_ptr_equal(pv_region_alloc_aligned(&r, 3000, PV_ALIGN_MAX), p);
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

/* A request that does not fit in the current chunk's room takes a new chunk
 * of max(next size, what it needs) (pv_chain.h): the source is asked for
 * exactly that, the next size doubles either way, and the alignment's
 * padding is part of the need. */
static void region_request_past_the_room_takes_a_chunk_of_its_need(void **state)
{
    pv_stats a, b;
    char *s, *p, *q, *x;
    (void)state;
    open_region();
    s = pv_region_alloc(&r, 16);
    assert_non_null(s);
    fill(s, 16, 0x70);
    assert_int_equal(ts.last_get, PV_REGION_CHUNK_MIN); /* the first chunk: the next size */
    a = stats();
    p = pv_region_alloc(&r, BIG); /* next size 2 * MIN < what BIG needs */
    assert_non_null(p);
    assert_int_equal(ts.gets, 2);
    assert_int_equal(ts.last_get, chunk_need(BIG, PV_ALIGN));
    b = stats();
    assert_int_equal(b.chunks, a.chunks + 1);
    assert_int_equal(b.reserved, a.reserved + chunk_need(BIG, PV_ALIGN));
    assert_int_equal(b.reserved, ts.outstanding);
    assert_int_equal(b.in_use, a.in_use + rnd(BIG));
    assert_true(r.chain.ci == 1u);
    fill(p, BIG, 0x71);
    /* the next chunk is of the next size, doubled past the big one: 4 * MIN */
    q = pv_region_alloc(&r, FIRST_CAP);
    assert_non_null(q);
    assert_int_equal(ts.gets, 3);
    assert_int_equal(ts.last_get, 4u * (size_t)PV_REGION_CHUNK_MIN);
    fill(q, FIRST_CAP, 0x72);
    /* an aligned request needs room for its padding too: 16 * MIN aligned
     * on PV_ALIGN_MAX is more than the next size (8 * MIN) */
    x = pv_region_alloc_aligned(&r, 16u * (size_t)PV_REGION_CHUNK_MIN, PV_ALIGN_MAX);
    assert_non_null(x);
    assert_true(is_aligned(x, PV_ALIGN_MAX));
    assert_int_equal(ts.gets, 4);
    assert_int_equal(ts.last_get, chunk_need(16u * (size_t)PV_REGION_CHUNK_MIN, PV_ALIGN_MAX));
    fill(x, 16u * (size_t)PV_REGION_CHUNK_MIN, 0x73);
    assert_int_equal(stats().in_use, b.in_use + rnd(FIRST_CAP) + (size_t)(x - r.chain.cur->arena.base) +
                                         16u * (size_t)PV_REGION_CHUNK_MIN);
    assert_true(holds(s, 16, 0x70));
    assert_true(holds(p, BIG, 0x71));
    assert_true(holds(q, FIRST_CAP, 0x72));
    assert_int_equal(ts.puts, 0);
    close_region();
}

/* A block in a chunk of its own is like any other: the most recent one
 * frees and resizes in place (up to its chunk's end exactly), with no
 * source call either way; one byte more moves it, and then it stays. */
static void region_big_block_frees_and_resizes_in_place_when_most_recent(void **state)
{
    pv_stats a, b;
    char *s, *p, *x;
    size_t end;
    (void)state;
    open_region();
    s = pv_region_alloc(&r, 16);
    p = pv_region_alloc(&r, BIG);
    assert_non_null(s);
    assert_non_null(p);
    assert_true(r.chain.ci == 1u);
    fill(p, BIG, 0x81);
    a = stats();
    /* shrink and grow in place */
    assert_ptr_equal(pv_region_realloc(&r, p, BIG, 100), p);
    assert_int_equal(stats().in_use, a.in_use - rnd(BIG) + rnd(100));
    assert_ptr_equal(pv_region_realloc(&r, p, 100, BIG), p);
    assert_true(holds(p, 100, 0x81));
    end = cur_cap() - offset_in_cur(p); /* the chunk from p on */
    assert_ptr_equal(pv_region_realloc(&r, p, BIG, end), p);
    assert_int_equal(stats().in_use, a.in_use - rnd(BIG) + end);
    /* free: reclaimed, the chunk kept (no source put) */
    assert_true(pv_region_free(&r, p, end));
    b = stats();
    assert_int_equal(b.in_use, rnd(16));
    assert_int_equal(b.chunks, a.chunks);
    assert_int_equal(b.reserved, a.reserved);
    assert_int_equal(b.source_puts, 0);
    assert_int_equal(ts.puts, 0);
    assert_int_equal(b.peak_in_use, a.in_use - rnd(BIG) + end);
    /* the same request again: the same place, no source call */
    assert_ptr_equal(pv_region_alloc(&r, BIG), p);
    assert_int_equal(ts.calls, 2);
    fill(p, BIG, 0x82);
    /* one byte past the chunk's end: moves to a new chunk, p stays */
    a = stats();
    x = pv_region_realloc(&r, p, BIG, end + 1u);
    assert_non_null(x);
    assert_ptr_not_equal(x, p);
    assert_int_equal(ts.calls, 3);
    assert_true(holds(x, BIG, 0x82));
    assert_true(holds(p, BIG, 0x82));
    b = stats();
    assert_int_equal(b.chunks, a.chunks + 1);
    assert_int_equal(b.in_use, a.in_use + rnd(end + 1u));
    /* p is no longer the most recent block: its free is a no-op */
    assert_false(pv_region_free(&r, p, BIG));
    assert_stats_equal(b, stats());
    assert_true(holds(p, BIG, 0x82));
    assert_int_equal(ts.puts, 0);
    close_region();
}

/* The most recent block of a chunk that is no longer current is not the
 * most recent block: its free is a no-op, and its realloc moves although
 * its chunk has room after it. */
static void region_most_recent_of_an_older_chunk_stays(void **state)
{
    pv_stats a, b;
    char *p, *q, *x;
    (void)state;
    open_region();
    assert_non_null(pv_region_alloc(&r, 16));
    p = pv_region_alloc(&r, 100); /* the most recent of chunk 0 ... */
    assert_non_null(p);
    fill(p, 100, 0x91);
    q = pv_region_alloc(&r, FIRST_CAP); /* ... which has no room for this: chunk 1 */
    assert_non_null(q);
    assert_true(r.chain.ci == 1u);
    assert_true(r.chain.tab[0].arena.cap - r.chain.tab[0].arena.top >= 200u);
    a = stats();
    assert_false(pv_region_free(&r, p, 100));
    assert_stats_equal(a, stats());
    x = pv_region_realloc(&r, p, 100, 200);
    assert_non_null(x);
    assert_ptr_equal(x, q + rnd(FIRST_CAP)); /* a new block in chunk 1 */
    assert_true(holds(x, 100, 0x91));
    assert_true(holds(p, 100, 0x91));
    b = stats();
    assert_int_equal(b.in_use, a.in_use + rnd(200));
    assert_int_equal(b.chunks, a.chunks);
    assert_false(pv_region_free(&r, p, 100));
    assert_true(pv_region_free(&r, x, 200)); /* the most recent */
    assert_int_equal(stats().in_use, a.in_use);
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
    size_t i, end;
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
    /* most recent: in place up to the chunk's end exactly; one byte more
     * moves it to a new chunk, and it stays (counted in use) */
    q = pv_region_alloc(&r, 64);
    fill(q, 64, 0x33);
    a = stats();
    end = cur_cap() - offset_in_cur(q);
    assert_ptr_equal(pv_region_realloc(&r, q, 64, end), q);
    assert_int_equal(stats().in_use, a.in_use - rnd(64) + end);
    s = pv_region_realloc(&r, q, end, end + 1u);
    assert_non_null(s);
    assert_true(s != q);
    assert_int_equal(stats().chunks, a.chunks + 1);
    assert_int_equal(stats().in_use, a.in_use - rnd(64) + end + rnd(end + 1u));
    assert_true(holds(s, 64, 0x33));
    assert_true(holds(q, 64, 0x33));
    close_region();
}

/* A realloc that moves makes a new block and copies the bytes; p is not
 * freed (it stays until reset), whether it was the most recent block (no
 * room left after it) or not. */
static void region_realloc_move_keeps_the_old_block(void **state)
{
    pv_stats a;
    char *p, *q, *x, *y;
    (void)state;
    open_region();
    p = pv_region_alloc(&r, 100);
    q = pv_region_alloc(&r, 24);
    assert_non_null(p);
    assert_non_null(q);
    fill(p, 100, 0xa1);
    fill(q, 24, 0xa2);
    a = stats();
    x = pv_region_realloc(&r, p, 100, 300); /* not the most recent */
    assert_ptr_equal(x, q + rnd(24));
    assert_true(holds(x, 100, 0xa1));
    assert_true(holds(p, 100, 0xa1));
    assert_true(holds(q, 24, 0xa2));
    assert_int_equal(stats().in_use, a.in_use + rnd(300));
    assert_false(pv_region_free(&r, p, 100));
    assert_int_equal(stats().in_use, a.in_use + rnd(300));
    /* the most recent, too big for the rest of its chunk: moves, and its
     * bytes stay counted */
    fill(x, 300, 0xa3);
    a = stats();
    y = pv_region_realloc(&r, x, 300, FIRST_CAP);
    assert_non_null(y);
    assert_ptr_not_equal(y, x);
    assert_int_equal(stats().chunks, a.chunks + 1);
    assert_int_equal(stats().in_use, a.in_use + rnd(FIRST_CAP));
    assert_true(holds(y, 300, 0xa3));
    assert_true(holds(x, 300, 0xa3));
    assert_true(holds(p, 100, 0xa1));
    assert_false(pv_region_free(&r, x, 300)); /* no longer the most recent */
    assert_int_equal(ts.puts, 0);
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
    assert_null(pv_region_realloc(&r, p, 1000, BIG));          /* needs a chunk of its own size */
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
    assert_null(pv_region_alloc(&r, BIG));
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

/* Reset keeps every chunk, the big one included: no source put; the same
 * demand again takes the same places, from the first chunk on, and makes
 * no source call; destroy gives every chunk back. */
static void region_reset_keeps_every_chunk(void **state)
{
    char *first, *big, *p;
    size_t i, calls;
    pv_stats a, b;
    (void)state;
    open_region();
    first = pv_region_alloc(&r, 100);
    for (i = 0; i < 200; i++) {
        assert_non_null(pv_region_alloc(&r, 100 + i));
    }
    big = pv_region_alloc(&r, 16u * (size_t)PV_REGION_CHUNK_MIN); /* more than the next size */
    assert_non_null(big);
    assert_int_equal(ts.last_get, chunk_need(16u * (size_t)PV_REGION_CHUNK_MIN, PV_ALIGN));
    a = stats();
    assert_true(a.chunks >= 4);
    pv_region_reset(&r);
    b = stats();
    assert_int_equal(b.in_use, 0);
    assert_int_equal(b.chunks, a.chunks);
    assert_int_equal(b.reserved, a.reserved);
    assert_int_equal(b.source_puts, 0);
    assert_int_equal(ts.puts, 0);
    assert_int_equal(b.peak_in_use, a.in_use);
    calls = ts.calls;
    /* the same demand again, twice: the same memory, from the first chunk
     * on (the big block in its chunk, a spare again), and no source call */
    for (i = 0; i < 2; i++) {
        size_t k;
        assert_ptr_equal(pv_region_alloc(&r, 100), first);
        for (k = 0; k < 200; k++) {
            p = pv_region_alloc(&r, 100 + k);
            assert_non_null(p);
            fill(p, 100 + k, (unsigned char)k);
        }
        assert_ptr_equal(pv_region_alloc(&r, 16u * (size_t)PV_REGION_CHUNK_MIN), big);
        assert_int_equal(ts.calls, calls);
        assert_int_equal(stats().in_use, a.in_use);
        assert_int_equal(stats().chunks, a.chunks);
        pv_region_reset(&r);
    }
    assert_int_equal(ts.puts, 0);
    /* reset twice in a row, and reset of an empty region, are fine */
    pv_region_reset(&r);
    assert_int_equal(stats().in_use, 0);
    assert_ptr_equal(pv_region_alloc(&r, 8), first);
    close_region(); /* every chunk back */
    assert_int_equal(ts.puts, a.chunks);
    pv_region_reset(&r); /* after destroy: empty */
    assert_int_equal(stats().in_use, 0);
}

/* After a reset, a request that does not fit in the current chunk enters
 * the first spare after it that fits, skipping a smaller one, without the
 * source; the chain never goes back to a skipped spare before the next
 * reset (a request that fits no spare after the current one takes a new
 * chunk, although the skipped one would hold it). */
static void region_reset_spare_too_small_is_skipped(void **state)
{
    char *s, *f, *big, *p;
    size_t calls;
    (void)state;
    open_region();
    s = pv_region_alloc(&r, 100);                    /* chunk 0 */
    f = pv_region_alloc(&r, FIRST_CAP);              /* chunk 1, 2 * MIN */
    big = pv_region_alloc(&r, BIG);                  /* chunk 2: no room left in chunk 1 */
    assert_non_null(s);
    assert_non_null(f);
    assert_non_null(big);
    assert_true(r.chain.ci == 2u && r.chain.n == 3u);
    assert_true(r.chain.tab[1].arena.cap < rnd(BIG));
    pv_region_reset(&r);
    calls = ts.calls;
    assert_ptr_equal(pv_region_alloc(&r, 100), s);
    assert_ptr_equal(pv_region_alloc(&r, BIG), big); /* chunk 1 skipped: too small */
    assert_true(r.chain.ci == 2u);
    assert_int_equal(ts.calls, calls);
    fill(big, BIG, 0xb1);
    /* no room left in chunk 2 for this, chunk 1 would hold it: a new chunk */
    assert_true(r.chain.cur->arena.cap - r.chain.cur->arena.top < FIRST_CAP + 2048u);
    p = pv_region_alloc(&r, FIRST_CAP + 2048u);
    assert_non_null(p);
    assert_int_equal(ts.calls, calls + 1);
    assert_true(r.chain.ci == 3u);
    assert_true(holds(big, BIG, 0xb1));
    close_region();
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
    q = pv_region_alloc(&r, 3000); /* fits in the first chunk */
    st = stats();
    assert_int_equal(st.in_use, rnd(100) + rnd(3000));
    assert_int_equal(st.reserved, PV_REGION_CHUNK_MIN);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_gets, 1);
    assert_true(pv_region_free(&r, q, 3000));
    assert_true(pv_region_free(&r, p, 100));
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, rnd(100) + rnd(3000));
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_puts, 0);
    assert_int_equal(st.failures, 0);
    p = pv_region_alloc(&r, 200);
    assert_ptr_equal(pv_region_realloc(&r, p, 200, 1000), p);
    q = pv_region_alloc(&r, BIG); /* a chunk of its need */
    assert_non_null(q);
    st = stats();
    assert_int_equal(st.in_use, rnd(1000) + rnd(BIG));
    assert_int_equal(st.peak_in_use, st.in_use);
    assert_int_equal(st.reserved, PV_REGION_CHUNK_MIN + chunk_need(BIG, PV_ALIGN));
    assert_int_equal(st.reserved, ts.outstanding);
    assert_int_equal(st.chunks, 2);
    assert_int_equal(st.source_gets, 2);
    pv_region_reset(&r);
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, rnd(1000) + rnd(BIG));
    assert_int_equal(st.reserved, PV_REGION_CHUNK_MIN + chunk_need(BIG, PV_ALIGN));
    assert_int_equal(st.chunks, 2);
    assert_int_equal(st.source_puts, 0);
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
        assert_non_null(pv_region_alloc(&r, FIRST_CAP / 4u));
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
    assert_null(pv_region_alloc(&sr, sizeof buf)); /* more than the buffer */
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

/* The peak counts the bytes in use in the chunks before the current one
 * when a free lowers the in-use (the inline free records it; fails if it
 * counts only the current chunk's). */
static void region_peak_counts_earlier_chunks_at_free(void **state)
{
    char *big, *a;
    pv_stats st;
    size_t before;
    (void)state;
    open_region();
    assert_non_null(pv_region_alloc(&r, 100));
    big = pv_region_alloc(&r, BIG);           /* chunk 1 */
    a = pv_region_alloc(&r, FIRST_CAP);       /* chunk 2 */
    assert_non_null(big);
    assert_non_null(a);
    assert_true(r.chain.ci == 2u);
    before = stats().in_use;
    assert_int_equal(before, rnd(100) + rnd(BIG) + rnd(FIRST_CAP));
    assert_true(pv_region_free(&r, a, FIRST_CAP));
    st = stats();
    assert_int_equal(st.in_use, before - rnd(FIRST_CAP));
    assert_int_equal(st.peak_in_use, before);
    assert_false(pv_region_free(&r, big + 16, 100)); /* not a block: in-use unchanged */
    assert_int_equal(stats().in_use, before - rnd(FIRST_CAP));
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
 * block is the newest and already aligned so, otherwise it moves and the
 * old block stays; a bad alignment is a counted failure that leaves the
 * block alone. */
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
    /* The newest block, not aligned on 128: moves although it would fit,
     * and stays allocated. */
    b = pv_region_alloc(&r, 16);
    while (is_aligned(b, 128)) {
        b = pv_region_alloc(&r, 16);
    }
    fill(b, 16, 0x5c);
    a = stats();
    x = pv_region_realloc_aligned(&r, b, 16, 24, 128);
    assert_non_null(x);
    assert_ptr_not_equal(x, b);
    assert_true(is_aligned(x, 128));
    assert_true(holds(x, 16, 0x5c));
    assert_true(holds(b, 16, 0x5c));
    assert_true(x > b && (size_t)(x - b) < rnd(16) + 128u); /* just above b, in its chunk */
    assert_int_equal(stats().in_use, a.in_use + (size_t)(x - (b + rnd(16))) + rnd(24));
    assert_false(pv_region_free(&r, b, 16));
    /* p NULL: an aligned allocation. */
    x = pv_region_realloc_aligned(&r, NULL, 0, 50, 256);
    assert_non_null(x);
    assert_true(is_aligned(x, 256));
    /* Into a new chunk: aligned too, bytes kept; then that chunk's newest
     * block, aligned, grows in place to the chunk's end. */
    fill(x, 50, 0x5d);
    b = pv_region_realloc_aligned(&r, x, 50, FIRST_CAP, 4096);
    assert_non_null(b);
    assert_true(is_aligned(b, 4096));
    assert_true(holds(b, 50, 0x5d));
    assert_ptr_equal(pv_region_realloc_aligned(&r, b, FIRST_CAP, cur_cap() - offset_in_cur(b), 4096), b);
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
        cmocka_unit_test(region_request_past_the_room_takes_a_chunk_of_its_need),
        cmocka_unit_test(region_big_block_frees_and_resizes_in_place_when_most_recent),
        cmocka_unit_test(region_most_recent_of_an_older_chunk_stays),
        cmocka_unit_test(region_realloc_null_zero_huge),
        cmocka_unit_test(region_realloc_in_place_exactly_when_documented),
        cmocka_unit_test(region_realloc_move_keeps_the_old_block),
        cmocka_unit_test(region_realloc_failure_keeps_block),
        cmocka_unit_test(region_source_failure_changes_nothing),
        cmocka_unit_test(region_reset_keeps_every_chunk),
        cmocka_unit_test(region_reset_spare_too_small_is_skipped),
        cmocka_unit_test(region_destroy_returns_everything),
        cmocka_unit_test(region_stats_agree),
        cmocka_unit_test(region_chunks_grow_geometrically),
        cmocka_unit_test(region_over_static_source),
        cmocka_unit_test(region_realloc_aligned_keeps_alignment),
        cmocka_unit_test(region_peak_counts_earlier_chunks_at_free),
        cmocka_unit_test(region_failed_get_keeps_growth),
    };
    return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}
