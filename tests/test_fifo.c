/* SPDX-License-Identifier: MIT */
/* Unit tests of the FIFO allocator (pv_fifo.h). */
#include "pv_test.h"

static test_source ts;
static pv_fifo f;

/* Geometry, from the documentation: an 8-byte header before each block, a
 * page header under 64 bytes. */
#define BHDR rnd(8u)
#define PAGE_HDR rnd(sizeof(pv_fifo_page))
#define STD_DATA ((size_t)PV_FIFO_PAGE_SIZE - PAGE_HDR)
#define PAGE_TOTAL ((size_t)PV_FIFO_PAGE_SIZE + PV__SOURCE_SLACK) /* what a page costs the source */
#define PER_PAGE(n) (STD_DATA / (BHDR + rnd(n)))

static void open_fifo(void)
{
    test_source_init(&ts);
    assert_true(pv_fifo_init(&f, &ts.src));
    memset(&misuse_log, 0, sizeof misuse_log);
}

static void close_fifo(void)
{
    pv_stats st;
    pv_fifo_destroy(&f);
    pv_fifo_stats(&f, &st);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(ts.gets, ts.puts);
}

static pv_stats stats(void)
{
    pv_stats st;
    pv_fifo_stats(&f, &st);
    return st;
}

static void fifo_init_rejects_null_and_defaults_to_malloc(void **state)
{
    pv_fifo m;
    pv_stats st;
    char *p;
    (void)state;
    assert_false(pv_fifo_init(NULL, NULL));
    assert_true(pv_fifo_init(&m, NULL));
    p = pv_fifo_alloc(&m, 100);
    assert_non_null(p);
    assert_true(holds(p, 100, 0));
    pv_fifo_stats(&m, &st);
    assert_int_equal(st.source_gets, 1);
    pv_fifo_free(&m, p);
    pv_fifo_destroy(&m);
    pv_fifo_stats(&m, &st);
    assert_int_equal(st.source_puts, 1);
    assert_int_equal(st.reserved, 0);
}

static void fifo_null_handle_and_null_pointer(void **state)
{
    pv_stats st, a;
    char *p;
    (void)state;
    memset(&st, 0xff, sizeof st);
    pv_fifo_stats(NULL, &st);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.peak_in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_gets, 0);
    assert_int_equal(st.source_puts, 0);
    assert_int_equal(st.failures, 0);
    assert_null(pv_fifo_alloc(NULL, 8));
    assert_null(pv_fifo_alloc(NULL, 0));
    assert_null(pv_fifo_realloc(NULL, NULL, 8));
    open_fifo();
    p = pv_fifo_alloc(&f, 8);
    pv_fifo_free(NULL, p);
    assert_null(pv_fifo_realloc(NULL, p, 16));
    assert_int_equal(pv_fifo_block_size(NULL, p), 0);
    a = stats();
    pv_fifo_free(&f, NULL); /* no-op */
    assert_int_equal(pv_fifo_block_size(&f, NULL), 0);
    assert_stats_equal(a, stats());
    assert_int_equal(pv_fifo_block_size(&f, p), 8); /* p untouched by the NULL calls */
    assert_int_equal(misuse_log.count, 0);
    pv_fifo_destroy(NULL);
    pv_fifo_stats(&f, NULL);
    close_fifo();
}

static void fifo_size_zero_and_huge(void **state)
{
    static const size_t sizes[] = { 0u, PV_FIFO_MAX_BLOCK + 1u, SIZE_MAX, SIZE_MAX - 7u,
                                    SIZE_MAX / 2u + 1u, (size_t)UINT32_MAX + 1u };
    pv_stats a, b;
    size_t i, calls;
    char *p;
    (void)state;
    open_fifo();
    p = pv_fifo_alloc(&f, 8);
    a = stats();
    calls = ts.calls;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(pv_fifo_alloc(&f, sizes[i]));
    }
    assert_int_equal(ts.calls, calls);
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.source_gets, a.source_gets);
    assert_int_equal(b.failures, a.failures + sizeof sizes / sizeof sizes[0]);
    /* the largest block reaches the source with a page size that did not wrap */
    assert_null(pv_fifo_alloc(&f, PV_FIFO_MAX_BLOCK));
    assert_int_equal(ts.calls, calls + 1);
    assert_true(ts.last_get > PV_FIFO_MAX_BLOCK);
    assert_ptr_equal(pv_fifo_alloc(&f, 8), p + BHDR + rnd(8)); /* nothing consumed */
    close_fifo();
}

static void fifo_memory_zeroed(void **state)
{
    char *p[10], *q;
    size_t i;
    (void)state;
    open_fifo();
    for (i = 0; i < 10; i++) {
        p[i] = pv_fifo_alloc(&f, 100 + i);
        assert_non_null(p[i]);
        assert_true(is_aligned(p[i], PV_ALIGN));
        assert_true(holds(p[i], 100 + i, 0));
        fill(p[i], 100 + i, 0xff);
    }
    for (i = 0; i < 10; i++) {
        pv_fifo_free(&f, p[i]);
    }
    /* the page was rewound: the same memory comes back, zeroed */
    for (i = 0; i < 10; i++) {
        q = pv_fifo_alloc(&f, 100 + i);
        assert_ptr_equal(q, p[i]);
        assert_true(holds(q, 100 + i, 0));
    }
    /* growth in place zeroes the new bytes */
    q = pv_fifo_alloc(&f, 64);
    fill(q, 64, 0xee);
    assert_ptr_equal(pv_fifo_realloc(&f, q, 8), q);
    assert_ptr_equal(pv_fifo_realloc(&f, q, 200), q);
    assert_true(holds(q, 8, 0xee));
    assert_true(holds(q + 8, 192, 0));
    close_fifo();
}

static void fifo_free_any_order_recycles_at_zero(void **state)
{
    char *a, *b, *c, *d;
    pv_stats st;
    (void)state;
    open_fifo();
    a = pv_fifo_alloc(&f, 40);
    b = pv_fifo_alloc(&f, 40);
    c = pv_fifo_alloc(&f, 40);
    fill(c, 40, 0xcc);
    pv_fifo_free(&f, b);
    pv_fifo_free(&f, a);
    /* one live block: nothing recycled, c intact, new blocks go above c */
    d = pv_fifo_alloc(&f, 40);
    assert_ptr_equal(d, c + BHDR + rnd(40));
    assert_true(holds(c, 40, 0xcc));
    pv_fifo_free(&f, d);
    assert_int_equal(stats().in_use, BHDR + rnd(40));
    pv_fifo_free(&f, c); /* live count reaches zero: page rewound */
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_puts, 0);
    assert_ptr_equal(pv_fifo_alloc(&f, 40), a);
    assert_int_equal(misuse_log.count, 0);
    close_fifo();
}

static void fifo_page_capacity(void **state)
{
    size_t n = 0;
    char *p, *first;
    (void)state;
    open_fifo();
    first = pv_fifo_alloc(&f, 100);
    n = 1;
    for (;;) {
        p = pv_fifo_alloc(&f, 100);
        assert_non_null(p);
        if (stats().chunks != 1) {
            break;
        }
        n++;
    }
    assert_int_equal(n, PER_PAGE(100));
    assert_int_equal(stats().reserved, 2u * PAGE_TOTAL);
    assert_int_equal(ts.last_get, PAGE_TOTAL);
    (void)first;
    close_fifo();
}

/* Allocate blocks of n bytes until a new page is started; return how many
 * went into the page that was current at the call. */
static size_t fill_page(char **out, size_t max, size_t n, char **next)
{
    size_t k = 0;
    char *cur = NULL;
    for (;;) {
        char *p = pv_fifo_alloc(&f, n);
        assert_non_null(p);
        if (k > 0 && p != cur + BHDR + rnd(n)) {
            *next = p;
            return k;
        }
        assert_true(k < max);
        out[k++] = p;
        cur = p;
    }
}

static char *blocks[2][PV_FIFO_PAGE_SIZE / 64];

static void fifo_one_spare_page_no_churn(void **state)
{
    const size_t n = 1000;
    size_t k1, k2, i, round, calls;
    char *next, *next2;
    pv_stats a, b;
    (void)state;
    open_fifo();
    k1 = fill_page(blocks[0], PV_FIFO_PAGE_SIZE / 64, n, &next);
    assert_int_equal(k1, PER_PAGE(n));
    assert_int_equal(stats().chunks, 2);
    /* the old page empties while it is not current: kept as the spare */
    for (i = 0; i < k1; i++) {
        pv_fifo_free(&f, blocks[0][i]);
    }
    a = stats();
    assert_int_equal(a.chunks, 2);
    assert_int_equal(a.source_puts, 0);
    assert_int_equal(a.reserved, 2u * PAGE_TOTAL);
    /* the next page boundary takes the spare: no source call */
    calls = ts.calls;
    blocks[1][0] = next;
    k2 = 1 + fill_page(blocks[1] + 1, PV_FIFO_PAGE_SIZE / 64 - 1, n, &next2);
    assert_int_equal(ts.calls, calls);
    assert_true(next2 == blocks[0][0]); /* the spare, rewound */
    /* steady state: a queue crossing many page boundaries */
    for (i = 0; i < k2; i++) {
        pv_fifo_free(&f, blocks[1][i]);
    }
    blocks[0][0] = next2;
    k1 = 1;
    for (round = 0; round < 10 * PER_PAGE(n); round++) {
        char *p = pv_fifo_alloc(&f, n);
        assert_non_null(p);
        fill(p, n, (unsigned char)round);
        pv_fifo_free(&f, blocks[0][0]);
        blocks[0][0] = p;
    }
    b = stats();
    assert_int_equal(ts.calls, calls);
    assert_int_equal(b.source_puts, 0);
    assert_int_equal(b.chunks, 2);
    assert_true(holds(blocks[0][0], n, (unsigned char)(round - 1u)));
    pv_fifo_free(&f, blocks[0][0]);
    assert_int_equal(stats().in_use, 0);
    (void)k1;
    close_fifo();
}

static void fifo_only_one_spare(void **state)
{
    const size_t n = 2000;
    size_t k1, k2, i;
    char *next, *next2;
    pv_stats a;
    (void)state;
    open_fifo();
    k1 = fill_page(blocks[0], PV_FIFO_PAGE_SIZE / 64, n, &next);
    blocks[1][0] = next;
    k2 = 1 + fill_page(blocks[1] + 1, PV_FIFO_PAGE_SIZE / 64 - 1, n, &next2);
    assert_int_equal(stats().chunks, 3);
    for (i = 0; i < k1; i++) {
        pv_fifo_free(&f, blocks[0][i]); /* becomes the spare */
    }
    a = stats();
    assert_int_equal(a.chunks, 3);
    assert_int_equal(a.source_puts, 0);
    for (i = 0; i < k2; i++) {
        pv_fifo_free(&f, blocks[1][i]); /* a second empty page: back to the source */
    }
    a = stats();
    assert_int_equal(a.chunks, 2);
    assert_int_equal(a.source_puts, 1);
    assert_int_equal(a.reserved, 2u * PAGE_TOTAL);
    assert_int_equal(a.in_use, BHDR + rnd(n));
    pv_fifo_free(&f, next2);
    close_fifo();
}

static void fifo_big_block_own_page(void **state)
{
    char *small, *big, *after;
    pv_stats a, b;
    size_t size = STD_DATA; /* with its header, too big for a page */
    (void)state;
    open_fifo();
    small = pv_fifo_alloc(&f, 16);
    a = stats();
    big = pv_fifo_alloc(&f, size);
    assert_non_null(big);
    assert_true(holds(big, size, 0));
    fill(big, size, 0xb1);
    b = stats();
    assert_int_equal(b.chunks, a.chunks + 1);
    assert_int_equal(ts.last_get, PAGE_HDR + PV__SOURCE_SLACK + BHDR + rnd(size));
    assert_int_equal(b.in_use, a.in_use + BHDR + rnd(size));
    assert_int_equal(pv_fifo_block_size(&f, big), size);
    /* the next small block starts a standard page */
    after = pv_fifo_alloc(&f, 16);
    assert_non_null(after);
    assert_int_equal(ts.last_get, PAGE_TOTAL);
    /* the big page empties while not current: not a standard page, so it
     * is not the spare, it goes back */
    pv_fifo_free(&f, big);
    b = stats();
    assert_int_equal(b.source_puts, a.source_puts + 1);
    assert_int_equal(b.chunks, a.chunks + 1);
    assert_int_equal(b.reserved, 2u * PAGE_TOTAL);
    pv_fifo_free(&f, small);
    pv_fifo_free(&f, after);
    close_fifo();
}

static void fifo_double_free_detected(void **state)
{
    char *p, *q, *r;
    pv_stats a;
    size_t k, i;
    char *next;
    (void)state;
    open_fifo();
    p = pv_fifo_alloc(&f, 32);
    q = pv_fifo_alloc(&f, 32);
    r = pv_fifo_alloc(&f, 32);
    fill(q, 32, 0x51);
    pv_fifo_free(&f, p);
    a = stats();
    pv_fifo_free(&f, p);
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
    assert_ptr_equal(misuse_log.allocator, &f);
    assert_ptr_equal(misuse_log.ptr, p);
    assert_stats_equal(a, stats());
    assert_true(holds(q, 32, 0x51));
    assert_int_equal(pv_fifo_block_size(&f, p), 0);
    assert_int_equal(misuse_log.count, 2);
    assert_null(pv_fifo_realloc(&f, p, 64));
    assert_int_equal(misuse_log.count, 3);
    assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
    assert_int_equal(stats().failures, a.failures + 1);
    /* the live count was not decremented twice: freeing q leaves r live */
    pv_fifo_free(&f, q);
    assert_int_equal(stats().in_use, BHDR + rnd(32));
    assert_ptr_equal(pv_fifo_alloc(&f, 32), r + BHDR + rnd(32));
    /* a double free in the spare page (still held) is detected too */
    k = fill_page(blocks[0], PV_FIFO_PAGE_SIZE / 64, 1000, &next);
    pv_fifo_free(&f, r);
    pv_fifo_free(&f, r + BHDR + rnd(32));
    for (i = 0; i < k; i++) {
        pv_fifo_free(&f, blocks[0][i]);
    }
    assert_int_equal(misuse_log.count, 3);
    a = stats();
    assert_int_equal(a.chunks, 2);
    pv_fifo_free(&f, blocks[0][k - 1]);
    assert_int_equal(misuse_log.count, 4);
#if PV_HARDENED
    /* hardened: the spare page is rewound, so the pointer lies above its top:
     * rejected as in no handed-out part of a page, before anything is read */
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
#else
    assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
#endif
    assert_stats_equal(a, stats());
    pv_fifo_free(&f, next);
    close_fifo();
}

static void fifo_foreign_pointer_detected(void **state)
{
    pv_fifo g;
    char *p, *mine;
    pv_stats a, ga;
    (void)state;
    open_fifo();
    assert_true(pv_fifo_init(&g, &ts.src));
    mine = pv_fifo_alloc(&f, 24);
    p = pv_fifo_alloc(&g, 24);
    fill(p, 24, 0x6b);
    a = stats();
    pv_fifo_stats(&g, &ga);
    pv_fifo_free(&f, p);
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.allocator, &f);
    assert_ptr_equal(misuse_log.ptr, p);
    assert_int_equal(pv_fifo_block_size(&f, p), 0);
    assert_int_equal(misuse_log.count, 2);
    assert_null(pv_fifo_realloc(&f, p, 48));
    assert_int_equal(misuse_log.count, 3);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    {
        pv_stats b, gb;
        b = stats();
        pv_fifo_stats(&g, &gb);
        assert_stats_same_but_failures(a, b);
        assert_int_equal(b.failures, a.failures + 1);
        assert_stats_equal(ga, gb);
    }
    assert_true(holds(p, 24, 0x6b));
    assert_int_equal(pv_fifo_block_size(&g, p), 24);
    assert_int_equal(pv_fifo_block_size(&f, mine), 24);
    pv_fifo_free(&g, p);
    pv_fifo_destroy(&g);
    assert_int_equal(misuse_log.count, 3);
    close_fifo();
}

static void fifo_realloc(void **state)
{
    char *p, *q, *t;
    size_t i;
    pv_stats a, b;
    (void)state;
    open_fifo();
    p = pv_fifo_realloc(&f, NULL, 100); /* same as alloc */
    assert_non_null(p);
    assert_int_equal(pv_fifo_block_size(&f, p), 100);
    for (i = 0; i < 100; i++) {
        p[i] = (char)(i + 1u);
    }
    assert_null(pv_fifo_realloc(&f, NULL, 0));
    /* last block of the current page: in place, both ways */
    assert_ptr_equal(pv_fifo_realloc(&f, p, 300), p);
    assert_int_equal(pv_fifo_block_size(&f, p), 300);
    assert_int_equal(stats().in_use, BHDR + rnd(300));
    assert_ptr_equal(pv_fifo_realloc(&f, p, 50), p);
    assert_int_equal(stats().in_use, BHDR + rnd(50));
    for (i = 0; i < 50; i++) {
        assert_int_equal(p[i], (char)(i + 1u));
    }
    /* not the last: moves, keeps min(old, new), zeroes the rest, frees p */
    q = pv_fifo_alloc(&f, 16);
    t = pv_fifo_realloc(&f, p, 80);
    assert_non_null(t);
    assert_true(t != p);
    for (i = 0; i < 50; i++) {
        assert_int_equal(t[i], (char)(i + 1u));
    }
    assert_true(holds(t + 50, 30, 0));
    assert_int_equal(stats().in_use, 2u * BHDR + rnd(16) + rnd(80));
    assert_int_equal(pv_fifo_block_size(&f, p), 0); /* p was freed */
    assert_int_equal(misuse_log.count, 1);
    /* a shrink of a block that is not the last moves too */
    p = pv_fifo_realloc(&f, q, 8);
    assert_non_null(p);
    assert_true(p != q);
    /* the last block, too big for the rest of the page: moves to a new page */
    a = stats();
    q = pv_fifo_realloc(&f, p, STD_DATA - 2u * BHDR);
    assert_non_null(q);
    assert_true(q != p);
    assert_int_equal(stats().chunks, a.chunks + 1);
    assert_true(holds(q, STD_DATA - 2u * BHDR, 0));
    /* bad sizes and source failure: NULL, block intact */
    fill(t, 80, 0x17);
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_fifo_realloc(&f, t, 0));
    assert_null(pv_fifo_realloc(&f, t, SIZE_MAX));
    assert_null(pv_fifo_realloc(&f, t, PV_FIFO_MAX_BLOCK + 1u));
    assert_null(pv_fifo_realloc(&f, t, 2u * STD_DATA)); /* needs a page */
    assert_null(pv_fifo_realloc(&f, q, 2u * STD_DATA)); /* the last block, too */
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 5);
    assert_true(holds(t, 80, 0x17));
    assert_int_equal(pv_fifo_block_size(&f, t), 80);
    assert_int_equal(pv_fifo_block_size(&f, q), STD_DATA - 2u * BHDR);
    ts.fail_after = -1;
    pv_fifo_free(&f, t);
    pv_fifo_free(&f, q);
    assert_int_equal(stats().in_use, 0);
    close_fifo();
}

static void fifo_source_failure_changes_nothing(void **state)
{
    pv_stats a, b;
    size_t k, i;
    char *next;
    (void)state;
    open_fifo();
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_fifo_alloc(&f, 8));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, 1);
    assert_int_equal(b.source_gets, 1);
    ts.fail_after = 1;
    /* fill the first page; fill_page's last allocation needs a page: undo it */
    ts.fail_after = 2;
    k = fill_page(blocks[0], PV_FIFO_PAGE_SIZE / 64, 500, &next);
    pv_fifo_free(&f, next); /* the second page is now current and empty */
    for (i = 0; i < k; i++) {
        fill(blocks[0][i], 500, (unsigned char)i);
    }
    /* fill the second page up, then every further page request fails */
    for (k = 0; k < PER_PAGE(500); k++) {
        blocks[1][k] = pv_fifo_alloc(&f, 500);
        assert_non_null(blocks[1][k]);
    }
    a = stats();
    assert_null(pv_fifo_alloc(&f, 500));
    assert_null(pv_fifo_alloc(&f, 2u * STD_DATA));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 2);
    for (i = 0; i < PER_PAGE(500); i++) {
        assert_true(holds(blocks[0][i], 500, (unsigned char)i));
    }
    /* the FIFO still works: a freed page becomes usable without the source */
    for (i = 0; i < PER_PAGE(500); i++) {
        pv_fifo_free(&f, blocks[0][i]);
    }
    assert_non_null(pv_fifo_alloc(&f, 500));
    ts.fail_after = -1;
    close_fifo();
}

static void fifo_destroy_returns_everything(void **state)
{
    size_t i;
    pv_stats st;
    char *p[300];
    (void)state;
    open_fifo();
    for (i = 0; i < 300; i++) {
        p[i] = pv_fifo_alloc(&f, 1 + 500 * (i % 7));
        assert_non_null(p[i]);
    }
    for (i = 0; i < 300; i += 2) {
        pv_fifo_free(&f, p[i]);
    }
    assert_non_null(pv_fifo_alloc(&f, 3u * PV_FIFO_PAGE_SIZE));
    pv_fifo_destroy(&f);
    st = stats();
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.reserved, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.source_puts, st.source_gets);
    assert_non_null(pv_fifo_alloc(&f, 10)); /* usable again */
    assert_int_equal(stats().chunks, 1);
    close_fifo();
}

static void fifo_stats_agree(void **state)
{
    pv_stats st;
    char *p, *q;
    (void)state;
    open_fifo();
    st = stats();
    assert_int_equal(st.in_use + st.peak_in_use + st.reserved + st.chunks + st.source_gets, 0);
    p = pv_fifo_alloc(&f, 100);
    q = pv_fifo_alloc(&f, 1);
    st = stats();
    assert_int_equal(st.in_use, 2u * BHDR + rnd(100) + rnd(1));
    assert_int_equal(st.peak_in_use, st.in_use);
    assert_int_equal(st.reserved, PAGE_TOTAL);
    assert_int_equal(st.reserved, ts.outstanding);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_gets, 1);
    pv_fifo_free(&f, p);
    st = stats();
    assert_int_equal(st.in_use, BHDR + rnd(1));
    assert_int_equal(st.peak_in_use, 2u * BHDR + rnd(100) + rnd(1));
    q = pv_fifo_realloc(&f, q, 500);
    assert_int_equal(stats().in_use, BHDR + rnd(500));
    assert_int_equal(stats().peak_in_use, BHDR + rnd(500));
    pv_fifo_free(&f, q);
    st = stats();
    assert_int_equal(st.in_use, 0);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.source_puts, 0);
    assert_int_equal(st.failures, 0);
    assert_null(pv_fifo_alloc(&f, 0));
    assert_int_equal(stats().failures, 1);
    close_fifo();
}

static void fifo_over_static_source(void **state)
{
    static char buf[4 * PV_FIFO_PAGE_SIZE] __attribute__((aligned(64)));
    pv_static_source ss;
    pv_fifo sf;
    pv_stats a, b;
    char *p[200];
    size_t i, round;
    (void)state;
    assert_true(pv_static_source_init(&ss, buf, sizeof buf));
    assert_true(pv_fifo_init(&sf, &ss.source));
    for (round = 0; round < 4; round++) {
        for (i = 0; i < 200; i++) {
            p[i] = pv_fifo_alloc(&sf, 700);
            assert_non_null(p[i]);
            assert_true(p[i] >= buf && p[i] + 700 <= buf + sizeof buf);
            assert_true(holds(p[i], 700, 0));
            fill(p[i], 700, (unsigned char)i);
        }
        for (i = 0; i < 200; i++) {
            assert_true(holds(p[i], 700, (unsigned char)i));
            pv_fifo_free(&sf, p[i]);
        }
    }
    pv_fifo_stats(&sf, &a);
    assert_int_equal(a.in_use, 0);
    assert_int_equal(a.failures, 0);
    assert_true(a.chunks <= 3); /* 3 pages hold 200 blocks; at most one spare more */
    assert_int_equal(a.reserved, a.chunks * PAGE_TOTAL);
    assert_null(pv_fifo_alloc(&sf, sizeof buf)); /* more than the buffer */
    pv_fifo_stats(&sf, &b);
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, 1);
    pv_fifo_destroy(&sf);
    pv_fifo_stats(&sf, &a);
    assert_int_equal(a.reserved, 0);
    assert_int_equal(a.source_puts, a.source_gets - 1u);
}

/* A pointer whose would-be header, forged inside a live block, names a page
 * of f that holds no live block (the spare): refused as foreign, nothing
 * changed, the spare still the spare. Default build: the named page's live
 * count is 0; hardened: the header names another page than the one the
 * pointer lies in. Over a static source, so the spare lies below the block
 * (a page offset is counted downwards). */
static void fifo_forged_header_naming_the_spare_refused(void **state)
{
    static char buf[3 * PV_FIFO_PAGE_SIZE] __attribute__((aligned(64)));
    pv_static_source ss;
    pv_stats a, b;
    char *u, *hp, *fp, *spare;
    uint32_t hdr[2];
    size_t k, i;
    (void)state;
    memset(&misuse_log, 0, sizeof misuse_log);
    assert_true(pv_static_source_init(&ss, buf, sizeof buf));
    assert_true(pv_fifo_init(&f, &ss.source));
    k = fill_page(blocks[0], PV_FIFO_PAGE_SIZE / 64, 1000, &u); /* u: first block of page 2 */
    spare = blocks[0][0] - BHDR - PAGE_HDR;                      /* page 1 */
    for (i = 0; i < k; i++) {
        pv_fifo_free(&f, blocks[0][i]);
    }
    assert_ptr_equal(f.spare, spare);
    assert_int_equal(f.spare->live, 0);
    assert_true(u > spare);
    hp = u + 64;
    hdr[0] = (uint32_t)(hp - spare); /* page offset: the spare */
    hdr[1] = 16u;                    /* size */
    memcpy(hp, hdr, sizeof hdr);
    fp = hp + BHDR;
    a = stats();
    pv_fifo_free(&f, fp);
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.allocator, &f);
    assert_ptr_equal(misuse_log.ptr, fp);
    assert_int_equal(pv_fifo_block_size(&f, fp), 0);
    assert_int_equal(misuse_log.count, 2);
    assert_null(pv_fifo_realloc(&f, fp, 8));
    assert_int_equal(misuse_log.count, 3);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 1);
    assert_ptr_equal(f.spare, spare);
    assert_int_equal(f.spare->live, 0);
    assert_int_equal(pv_fifo_block_size(&f, u), 1000);
    pv_fifo_free(&f, u);
    assert_int_equal(misuse_log.count, 3);
    assert_int_equal(stats().in_use, 0);
    pv_fifo_destroy(&f);
    assert_int_equal(stats().reserved, 0);
}

/* ---- Aligned allocation (pv_fifo_alloc_aligned, pv_fifo_realloc_aligned) ---- */

/* The lowest address >= a aligned on al. */
static uintptr_t up(uintptr_t a, size_t al)
{
    return (a + (al - 1u)) / al * al;
}

/* Every power of two up to PV_ALIGN_MAX, in one page of a source that gives
 * memory aligned on PV_SOURCE_ALIGN only: each block lands exactly at the
 * lowest address aligned on align above the previous block and a header,
 * zeroed, with its size; in_use grows by 8 + round(size) (no padding);
 * freeing them (double frees detected) rewinds the page, padding included. */
static void fifo_aligned_every_power_of_two(void **state)
{
    char *first, *prev, *p[16];
    size_t size[16];
    size_t prev_size = 8u, al, k = 0, i, n;
    pv_stats a, b;
    (void)state;
    open_fifo();
    ts.misalign = 1;
    first = pv_fifo_alloc(&f, 8);
    assert_non_null(first);
    prev = first;
    for (al = 1u; al <= PV_ALIGN_MAX; al *= 2u) {
        n = 8u + 3u * k;
        a = stats();
        p[k] = pv_fifo_alloc_aligned(&f, n, al);
        assert_non_null(p[k]);
        assert_true(is_aligned(p[k], al));
        assert_int_equal((uintptr_t)p[k], up((uintptr_t)(prev + rnd(prev_size)) + BHDR, al));
        assert_true(holds(p[k], n, 0));
        assert_int_equal(pv_fifo_block_size(&f, p[k]), n);
        b = stats();
        assert_int_equal(b.in_use, a.in_use + BHDR + rnd(n));
        assert_int_equal(b.peak_in_use, b.in_use);
        assert_int_equal(b.chunks, 1);
        assert_int_equal(b.failures, 0);
        fill(p[k], n, (unsigned char)(k + 1u));
        size[k] = n;
        prev = p[k];
        prev_size = n;
        k++;
    }
    assert_int_equal(f.cur->live, k + 1u);
    /* free every other block, then the rest: exact in_use, others intact */
    for (i = 0; i < k; i += 2u) {
        a = stats();
        pv_fifo_free(&f, p[i]);
        assert_int_equal(stats().in_use, a.in_use - BHDR - rnd(size[i]));
        /* a double free of an aligned block: detected, nothing changes */
        a = stats();
        pv_fifo_free(&f, p[i]);
        assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
        assert_ptr_equal(misuse_log.ptr, p[i]);
        assert_stats_equal(a, stats());
        assert_int_equal(pv_fifo_block_size(&f, p[i]), 0);
    }
    assert_int_equal(misuse_log.count, 2u * ((k + 1u) / 2u));
    for (i = 1; i < k; i += 2u) {
        assert_true(holds(p[i], size[i], (unsigned char)(i + 1u)));
        pv_fifo_free(&f, p[i]);
    }
    assert_int_equal(f.cur->live, 1);
    assert_int_equal(stats().in_use, BHDR + rnd(8));
    pv_fifo_free(&f, first);
    /* the page's live count reached zero: rewound, padding and all */
    assert_int_equal(stats().in_use, 0);
    assert_ptr_equal(pv_fifo_alloc(&f, 8), first);
    assert_int_equal(stats().chunks, 1);
    assert_int_equal(stats().source_gets, 1);
    assert_int_equal(misuse_log.count, 2u * ((k + 1u) / 2u));
    pv_fifo_free(&f, first);
    close_fifo();
}

/* NULL f; align 0, not a power of two, above PV_ALIGN_MAX; size 0 or too
 * large: NULL, one failure each (none for NULL f), nothing else changes, a
 * block given to realloc_aligned is left intact and is not reported. */
static void fifo_aligned_bad_arguments(void **state)
{
    static const size_t bad_align[] = {0u, 3u, 6u, 12u, 24u, 48u, 96u, PV_ALIGN_MAX - 1u,
                                       PV_ALIGN_MAX + 1u, 2u * PV_ALIGN_MAX,
                                       3u * PV_ALIGN_MAX, SIZE_MAX / 2u + 1u, SIZE_MAX};
    static const size_t bad_size[] = {0u, PV_FIFO_MAX_BLOCK + 1u, SIZE_MAX - PV_ALIGN_MAX,
                                      SIZE_MAX};
    char *p;
    const size_t nb = sizeof bad_align / sizeof bad_align[0];
    const size_t ns = sizeof bad_size / sizeof bad_size[0];
    size_t i;
    pv_stats a, b;
    (void)state;
    assert_null(pv_fifo_alloc_aligned(NULL, 8, 16));
    assert_null(pv_fifo_alloc_aligned(NULL, 0, 3));
    assert_null(pv_fifo_realloc_aligned(NULL, NULL, 8, 16));
    open_fifo();
    p = pv_fifo_alloc_aligned(&f, 40, 32);
    assert_non_null(p);
    fill(p, 40, 0x3c);
    a = stats();
    for (i = 0; i < nb; i++) {
        assert_null(pv_fifo_alloc_aligned(&f, 8, bad_align[i]));
        assert_null(pv_fifo_realloc_aligned(&f, NULL, 8, bad_align[i]));
        assert_null(pv_fifo_realloc_aligned(&f, p, 8, bad_align[i]));
        assert_null(pv_fifo_realloc_aligned(&f, p, 80, bad_align[i]));
    }
    for (i = 0; i < ns; i++) {
        assert_null(pv_fifo_alloc_aligned(&f, bad_size[i], 16));
        assert_null(pv_fifo_realloc_aligned(&f, NULL, bad_size[i], 16));
        assert_null(pv_fifo_realloc_aligned(&f, p, bad_size[i], 16));
        assert_null(pv_fifo_alloc_aligned(&f, bad_size[i], PV_ALIGN_MAX));
    }
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.source_gets, a.source_gets);
    assert_int_equal(b.failures, a.failures + 4u * nb + 4u * ns);
    assert_true(holds(p, 40, 0x3c));
    assert_int_equal(pv_fifo_block_size(&f, p), 40);
    assert_int_equal(misuse_log.count, 0);
    /* the largest size is not refused as too large: the source is asked */
    assert_null(pv_fifo_alloc_aligned(&f, PV_FIFO_MAX_BLOCK, PV_ALIGN_MAX));
    assert_int_equal(stats().source_gets, a.source_gets + 1u);
    assert_int_equal(ts.last_get, PAGE_HDR + PV__SOURCE_SLACK + BHDR + rnd(PV_FIFO_MAX_BLOCK) +
                                      (PV_ALIGN_MAX - PV_ALIGN));
    pv_fifo_free(&f, p);
    close_fifo();
}

/* Room for the padding: a block that fits a standard page only without its
 * padding gets a page of its own, sized for the padding and aligned too. */
static void fifo_aligned_big_block_own_page(void **state)
{
    const size_t extra = PV_ALIGN_MAX - PV_ALIGN;
    const size_t s = STD_DATA - BHDR - extra; /* fits a standard page with any padding */
    char *p, *q, *r;
    pv_stats a, b;
    (void)state;
    open_fifo();
    ts.misalign = 1;
    p = pv_fifo_alloc_aligned(&f, s, PV_ALIGN_MAX);
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN_MAX));
    assert_int_equal(ts.last_get, PAGE_TOTAL);
    assert_true(holds(p, s, 0));
    a = stats();
    q = pv_fifo_alloc_aligned(&f, s + 1u, PV_ALIGN_MAX);
    assert_non_null(q);
    assert_true(is_aligned(q, PV_ALIGN_MAX));
    assert_int_equal(ts.last_get, PAGE_HDR + PV__SOURCE_SLACK + BHDR + rnd(s + 1u) + extra);
    assert_true(holds(q, s + 1u, 0));
    b = stats();
    assert_int_equal(b.chunks, a.chunks + 1u);
    assert_int_equal(b.in_use, a.in_use + BHDR + rnd(s + 1u));
    assert_int_equal(pv_fifo_block_size(&f, q), s + 1u);
    /* a request far above a page */
    r = pv_fifo_alloc_aligned(&f, 3u * STD_DATA, 2048u <= PV_ALIGN_MAX ? 2048u : PV_ALIGN_MAX);
    assert_non_null(r);
    assert_true(is_aligned(r, 2048u <= PV_ALIGN_MAX ? 2048u : PV_ALIGN_MAX));
    assert_true(holds(r, 3u * STD_DATA, 0));
    pv_fifo_free(&f, q); /* its page is not current and not standard: back */
    assert_int_equal(stats().chunks, b.chunks);
    pv_fifo_free(&f, p);
    pv_fifo_free(&f, r);
    assert_int_equal(stats().in_use, 0);
    assert_int_equal(misuse_log.count, 0);
    close_fifo();
}

/* The source failing: NULL, nothing changes but the failure count and the
 * source call count, also when only the padding keeps the block out of the
 * current page. */
static void fifo_aligned_source_failure(void **state)
{
    char *p, *q;
    size_t room, al;
    uintptr_t x;
    pv_stats a, b;
    (void)state;
    open_fifo();
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_fifo_alloc_aligned(&f, 8, 64));
    assert_null(pv_fifo_realloc_aligned(&f, NULL, 8, 64));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, 2);
    assert_int_equal(b.source_gets, 2);
    /* one page, with room left for exactly one header and `room` bytes */
    ts.fail_after = 1;
    room = PV_ALIGN_MAX;
    p = pv_fifo_alloc(&f, STD_DATA - 2u * BHDR - room);
    assert_non_null(p);
    fill(p, STD_DATA - 2u * BHDR - room, 0x77);
    /* an alignment the would-be block does not have: padding is needed */
    x = (uintptr_t)(p + rnd(STD_DATA - 2u * BHDR - room)) + BHDR;
    al = (size_t)((x & (~x + 1u)) * 2u);
    a = stats();
    if (al <= PV_ALIGN_MAX) {
        assert_null(pv_fifo_alloc_aligned(&f, room, al));
    }
    assert_null(pv_fifo_alloc_aligned(&f, room + 1u, PV_ALIGN));
    assert_null(pv_fifo_alloc_aligned(&f, 3u * STD_DATA, 64));
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + (al <= PV_ALIGN_MAX ? 3u : 2u));
    assert_true(holds(p, STD_DATA - 2u * BHDR - room, 0x77));
    /* without padding it fits */
    q = pv_fifo_alloc_aligned(&f, room, PV_ALIGN);
    assert_ptr_equal(q, (char *)x);
    assert_int_equal(stats().chunks, 1);
    pv_fifo_free(&f, q);
    pv_fifo_free(&f, p);
    ts.fail_after = -1;
    close_fifo();
}

/* realloc_aligned: in place iff realloc would be and p is aligned on align;
 * otherwise moved to a block aligned on align, min(old, new) bytes kept, the
 * rest zeroed, p freed. */
static void fifo_realloc_aligned(void **state)
{
    const size_t al2 = 2u * PV_ALIGN;
    const size_t us = ((BHDR / PV_ALIGN) % 2u == 1u) ? 2u * PV_ALIGN : PV_ALIGN;
    char *p, *q, *t, *u, *u0;
    size_t i;
    pv_stats a, b;
    (void)state;
    open_fifo();
    ts.misalign = 1;
    p = pv_fifo_realloc_aligned(&f, NULL, 100, 64); /* same as alloc_aligned */
    assert_non_null(p);
    assert_true(is_aligned(p, 64));
    assert_int_equal(pv_fifo_block_size(&f, p), 100);
    for (i = 0; i < 100; i++) {
        p[i] = (char)(i + 1u);
    }
    /* last block, aligned: in place, both ways */
    assert_ptr_equal(pv_fifo_realloc_aligned(&f, p, 300, 64), p);
    assert_int_equal(pv_fifo_block_size(&f, p), 300);
    assert_true(holds(p + 100, 200, 0));
    assert_int_equal(stats().in_use, BHDR + rnd(300));
    assert_ptr_equal(pv_fifo_realloc_aligned(&f, p, 50, 64), p);
    assert_int_equal(stats().in_use, BHDR + rnd(50));
    assert_ptr_equal(pv_fifo_realloc_aligned(&f, p, 60, 16), p); /* aligned on less too */
    assert_ptr_equal(pv_fifo_realloc(&f, p, 50), p);             /* plain realloc: same */
    for (i = 0; i < 50; i++) {
        assert_int_equal(p[i], (char)(i + 1u));
    }
    /* last block, not aligned on the alignment asked (2 * PV_ALIGN): moved.
     * Blocks of `us` bytes take an odd number of granules with their header,
     * so of two consecutive ones, one is not aligned on 2 * PV_ALIGN. */
    u0 = NULL;
    u = pv_fifo_alloc(&f, us);
    if (is_aligned(u, al2)) {
        u0 = u;
        u = pv_fifo_alloc(&f, us);
    }
    assert_false(is_aligned(u, al2));
    fill(u, us, 0x2e);
    a = stats();
    t = pv_fifo_realloc_aligned(&f, u, us, al2);
    assert_non_null(t);
    assert_true(t != u);
    assert_true(is_aligned(t, al2));
    assert_true(holds(t, us, 0x2e));
    assert_int_equal(pv_fifo_block_size(&f, u), 0); /* u was freed */
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(stats().in_use, a.in_use);
    assert_ptr_equal(pv_fifo_realloc_aligned(&f, t, us, al2), t); /* now in place */
    /* aligned, not the last block: moved, kept, zeroed beyond */
    a = stats();
    q = pv_fifo_realloc_aligned(&f, p, 200, 256);
    assert_non_null(q);
    assert_true(q != p);
    assert_true(is_aligned(q, 256));
    for (i = 0; i < 50; i++) {
        assert_int_equal(q[i], (char)(i + 1u));
    }
    assert_true(holds(q + 50, 150, 0));
    b = stats();
    assert_int_equal(b.in_use, a.in_use - rnd(50) + rnd(200));
    assert_int_equal(pv_fifo_block_size(&f, q), 200);
    /* a shrink that is not in place moves too, keeping new_size bytes */
    p = pv_fifo_realloc_aligned(&f, t, 4, 32);
    assert_non_null(p);
    assert_true(p != t);
    assert_true(is_aligned(p, 32));
    assert_true(holds(p, 4, 0x2e));
    /* the last block, too big for the rest of the page: a new page */
    a = stats();
    t = pv_fifo_realloc_aligned(&f, p, STD_DATA - 2u * BHDR - 512u, 512);
    assert_non_null(t);
    assert_true(is_aligned(t, 512));
    assert_int_equal(stats().chunks, a.chunks + 1u);
    assert_true(holds(t, 4, 0x2e));
    assert_true(holds(t + 4, STD_DATA - 2u * BHDR - 516u, 0));
    /* source failure and freed p: NULL, block intact */
    fill(q, 200, 0x19);
    ts.fail_after = 0;
    a = stats();
    assert_null(pv_fifo_realloc_aligned(&f, q, 2u * STD_DATA, 64));
    assert_null(pv_fifo_realloc_aligned(&f, t, STD_DATA, 16)); /* the last block, too */
    assert_null(pv_fifo_realloc_aligned(&f, p, 64, 64));       /* freed: reported */
    assert_int_equal(misuse_log.count, 2);
    assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
    b = stats();
    assert_stats_same_but_failures(a, b);
    assert_int_equal(b.failures, a.failures + 3u);
    assert_true(holds(q, 200, 0x19));
    assert_int_equal(pv_fifo_block_size(&f, q), 200);
    ts.fail_after = -1;
    pv_fifo_free(&f, q);
    pv_fifo_free(&f, t);
    pv_fifo_free(&f, u0);
    assert_int_equal(stats().in_use, 0);
    close_fifo();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fifo_init_rejects_null_and_defaults_to_malloc),
        cmocka_unit_test(fifo_null_handle_and_null_pointer),
        cmocka_unit_test(fifo_size_zero_and_huge),
        cmocka_unit_test(fifo_memory_zeroed),
        cmocka_unit_test(fifo_free_any_order_recycles_at_zero),
        cmocka_unit_test(fifo_page_capacity),
        cmocka_unit_test(fifo_one_spare_page_no_churn),
        cmocka_unit_test(fifo_only_one_spare),
        cmocka_unit_test(fifo_big_block_own_page),
        cmocka_unit_test(fifo_double_free_detected),
        cmocka_unit_test(fifo_foreign_pointer_detected),
        cmocka_unit_test(fifo_realloc),
        cmocka_unit_test(fifo_source_failure_changes_nothing),
        cmocka_unit_test(fifo_destroy_returns_everything),
        cmocka_unit_test(fifo_stats_agree),
        cmocka_unit_test(fifo_over_static_source),
        cmocka_unit_test(fifo_forged_header_naming_the_spare_refused),
        cmocka_unit_test(fifo_aligned_every_power_of_two),
        cmocka_unit_test(fifo_aligned_bad_arguments),
        cmocka_unit_test(fifo_aligned_big_block_own_page),
        cmocka_unit_test(fifo_aligned_source_failure),
        cmocka_unit_test(fifo_realloc_aligned),
    };
    return cmocka_run_group_tests_name("fifo", tests, misuse_setup, misuse_teardown);
}
