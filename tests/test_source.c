/* SPDX-License-Identifier: MIT */
/* Unit tests of the backing sources and the misuse handler (pv_source.h). */
#include "pv_test.h"

static char buf[8192] __attribute__((aligned(64)));

static void source_malloc_is_one_working_source(void **state)
{
    const pv_source *m = pv_source_malloc();
    char *p;
    (void)state;
    assert_non_null(m);
    assert_ptr_equal(pv_source_malloc(), m);
    assert_non_null(m->get);
    assert_non_null(m->put);
    p = (char *)m->get(m->ctx, 1000);
    assert_non_null(p);
    assert_true(is_aligned(p, PV_SOURCE_ALIGN));
    fill(p, 1000, 0x21);
    assert_true(holds(p, 1000, 0x21));
    m->put(m->ctx, p, 1000); /* ASan's leak check sees it come back */
}

static void static_init_rejects_bad_args(void **state)
{
    pv_static_source s, before;
    (void)state;
    memset(&s, 0xa5, sizeof s);
    before = s;
    assert_false(pv_static_source_init(NULL, buf, sizeof buf));
    assert_false(pv_static_source_init(&s, NULL, sizeof buf));
    assert_false(pv_static_source_init(&s, buf, 0));
    assert_false(pv_static_source_init(&s, buf + 1, PV_ALIGN - 1u)); /* no whole granule */
    assert_false(pv_static_source_init(&s, buf + 1, PV_ALIGN));      /* still none once aligned */
    assert_memory_equal(&s, &before, sizeof s);                        /* untouched */
    assert_true(pv_static_source_init(&s, buf + 1, 2u * PV_ALIGN));
    assert_ptr_equal(s.source.ctx, &s);
    assert_non_null(s.source.get);
    assert_non_null(s.source.put);
}

static void static_get_cuts_chunks_in_order(void **state)
{
    pv_static_source s;
    char *a, *b, *c;
    (void)state;
    assert_true(pv_static_source_init(&s, buf, sizeof buf));
    a = (char *)s.source.get(s.source.ctx, 100);
    b = (char *)s.source.get(s.source.ctx, 1000);
    c = (char *)s.source.get(s.source.ctx, 24);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(is_aligned(a, PV_SOURCE_ALIGN));
    assert_true(is_aligned(b, PV_SOURCE_ALIGN));
    assert_true(is_aligned(c, PV_SOURCE_ALIGN));
    assert_true(a >= buf && b >= a + 100 && c >= b + 1000 && c + 24 <= buf + sizeof buf);
    fill(a, 100, 1);
    fill(b, 1000, 2);
    fill(c, 24, 3);
    assert_true(holds(a, 100, 1));
    assert_true(holds(b, 1000, 2));
    /* more than is left: NULL, and nothing consumed */
    assert_null(s.source.get(s.source.ctx, sizeof buf));
    assert_null(s.source.get(s.source.ctx, SIZE_MAX));
    assert_ptr_equal(s.source.get(s.source.ctx, 8), c + rnd(24));
}

static void static_put_most_recent_returns_to_buffer(void **state)
{
    pv_static_source s;
    char *a, *b, *c;
    (void)state;
    assert_true(pv_static_source_init(&s, buf, sizeof buf));
    a = (char *)s.source.get(s.source.ctx, 256);
    b = (char *)s.source.get(s.source.ctx, 512);
    s.source.put(s.source.ctx, b, 512);
    assert_int_equal(s.nfreed, 0u);
    c = (char *)s.source.get(s.source.ctx, 1024); /* any size: the buffer top went back */
    assert_ptr_equal(c, b);
    s.source.put(s.source.ctx, c, 1024);
    s.source.put(s.source.ctx, a, 256);
    /* all of the buffer is free again */
    a = (char *)s.source.get(s.source.ctx, sizeof buf);
    assert_ptr_equal(a, buf);
}

static void static_put_older_reused_by_same_size(void **state)
{
    pv_static_source s;
    char *a, *b, *c, *d;
    (void)state;
    if (PV_STATIC_FREE_SLOTS < 3u) {
        skip(); /* needs three entries */
    }
    assert_true(pv_static_source_init(&s, buf, sizeof buf));
    a = (char *)s.source.get(s.source.ctx, 200);
    b = (char *)s.source.get(s.source.ctx, 300);
    fill(b, 300, 0x0b);
    s.source.put(s.source.ctx, a, 200); /* not the most recent: kept for reuse */
    assert_int_equal(s.nfreed, 1u);
    c = (char *)s.source.get(s.source.ctx, 208); /* another size: fresh memory */
    assert_true(c != a);
    assert_true(c >= b + 300);
    d = (char *)s.source.get(s.source.ctx, 200); /* the same size: a again */
    assert_ptr_equal(d, a);
    assert_int_equal(s.nfreed, 0u);
    assert_true(holds(b, 300, 0x0b));
    /* two chunks given back: each reused once by its own size */
    s.source.put(s.source.ctx, a, 200);
    s.source.put(s.source.ctx, b, 300);
    assert_ptr_equal(s.source.get(s.source.ctx, 300), b);
    assert_ptr_equal(s.source.get(s.source.ctx, 200), a);
    assert_int_equal(s.nfreed, 0u);
}

/* A chunk given back is reused by a request of exactly its size only, once. */
static void static_reuse_exact_size_only(void **state)
{
    pv_static_source s;
    char *a, *b, *c;
    (void)state;
    assert_true(pv_static_source_init(&s, buf, sizeof buf));
    a = (char *)s.source.get(s.source.ctx, 200);
    b = (char *)s.source.get(s.source.ctx, 64); /* keeps a from being the most recent */
    fill(b, 64, 0x0c);
    s.source.put(s.source.ctx, a, 200);
    assert_int_equal(s.nfreed, 1u);
    c = (char *)s.source.get(s.source.ctx, 192); /* smaller: fresh memory */
    assert_true(c >= b + 64);
    fill(c, 192, 0x0d);
    c = (char *)s.source.get(s.source.ctx, 201); /* larger: fresh memory */
    assert_true(c >= b + 64);
    fill(c, 201, 0x0e);
    assert_int_equal(s.nfreed, 1u);
    assert_ptr_equal(s.source.get(s.source.ctx, 200), a); /* exactly: a, removed */
    assert_int_equal(s.nfreed, 0u);
    c = (char *)s.source.get(s.source.ctx, 200); /* a is handed out: not again */
    assert_true(c != a && c >= b + 64);
    fill(a, 200, 0x0a);
    fill(c, 200, 0x0f);
    assert_true(holds(a, 200, 0x0a));
    assert_true(holds(b, 64, 0x0c));
    assert_int_equal(s.lost_chunks, 0u);
}

/* Giving back the most recent chunk lowers the top past it and past every
 * chunk given back earlier that then ends at the top, and stops at the first
 * chunk still held. */
static void static_top_lowering_cascade(void **state)
{
    pv_static_source s;
    char *c[6];
    size_t k;
    (void)state;
    if (PV_STATIC_FREE_SLOTS < 3u) {
        skip(); /* needs three entries */
    }
    assert_true(pv_static_source_init(&s, buf, sizeof buf));
    for (k = 0; k < 6; k++) {
        c[k] = (char *)s.source.get(s.source.ctx, 100u + 8u * k);
        assert_non_null(c[k]);
        fill(c[k], 100u + 8u * k, (unsigned char)k);
    }
    /* give back 1, 3, 4 (recorded), then 5, the most recent: the top goes
     * down past 5, 4 and 3 and stops at 2, still held */
    s.source.put(s.source.ctx, c[1], 108);
    s.source.put(s.source.ctx, c[3], 124);
    s.source.put(s.source.ctx, c[4], 132);
    assert_int_equal(s.nfreed, 3u);
    s.source.put(s.source.ctx, c[5], 140);
    assert_int_equal(s.nfreed, 1u);
    assert_ptr_equal(s.arena.base + s.arena.top, c[3]);
    assert_true(holds(c[0], 100, 0));
    assert_true(holds(c[2], 116, 2));
    /* 2 given back: the top goes down past 2 and 1, stops at 0 */
    s.source.put(s.source.ctx, c[2], 116);
    assert_int_equal(s.nfreed, 0u);
    assert_ptr_equal(s.arena.base + s.arena.top, c[1]);
    assert_true(holds(c[0], 100, 0));
    s.source.put(s.source.ctx, c[0], 100);
    assert_int_equal(s.arena.top, 0u);
    /* the whole buffer again, in one chunk */
    assert_ptr_equal(s.source.get(s.source.ctx, s.arena.cap), s.arena.base);
}

/* With the table full, a chunk given back that is not the most recent is
 * counted in lost_chunks / lost_bytes and never reused; the lowering of the
 * top stops at it. */
static void static_full_table_counts_lost_chunks(void **state)
{
    pv_static_source s;
    char *c[PV_STATIC_FREE_SLOTS + 2u];
    char *top;
    size_t k;
    (void)state;
    assert_true(sizeof buf >= (PV_STATIC_FREE_SLOTS + 2u) * 64u);
    assert_true(pv_static_source_init(&s, buf, sizeof buf));
    for (k = 0; k < PV_STATIC_FREE_SLOTS + 2u; k++) {
        c[k] = (char *)s.source.get(s.source.ctx, 60);
        assert_non_null(c[k]);
        fill(c[k], 60, (unsigned char)k);
    }
    for (k = 0; k < PV_STATIC_FREE_SLOTS; k++) {
        s.source.put(s.source.ctx, c[k], 60);
        assert_int_equal(s.nfreed, k + 1u);
    }
    assert_int_equal(s.lost_chunks, 0u);
    s.source.put(s.source.ctx, c[PV_STATIC_FREE_SLOTS], 60); /* table full: lost */
    assert_int_equal(s.nfreed, PV_STATIC_FREE_SLOTS);
    assert_int_equal(s.lost_chunks, 1u);
    assert_int_equal(s.lost_bytes, rnd(60));
    /* the most recent goes back to the buffer, and the top stops at the lost one */
    top = c[PV_STATIC_FREE_SLOTS + 1u];
    s.source.put(s.source.ctx, top, 60);
    assert_ptr_equal(s.arena.base + s.arena.top, top);
    assert_int_equal(s.nfreed, PV_STATIC_FREE_SLOTS);
    /* every recorded chunk is reused, the lost one never */
    for (k = 0; k < PV_STATIC_FREE_SLOTS; k++) {
        char *p = (char *)s.source.get(s.source.ctx, 60);
        assert_true(p != c[PV_STATIC_FREE_SLOTS]);
        assert_true(p < top);
    }
    assert_int_equal(s.nfreed, 0u);
    assert_ptr_equal(s.source.get(s.source.ctx, 60), top); /* fresh, at the top */
    assert_true(holds(c[PV_STATIC_FREE_SLOTS], 60, (unsigned char)PV_STATIC_FREE_SLOTS));
    /* the counters saturate */
    s.lost_chunks = SIZE_MAX;
    s.lost_bytes = SIZE_MAX - 1u;
    for (k = 0; k < PV_STATIC_FREE_SLOTS; k++) {
        s.source.put(s.source.ctx, c[k], 60);
    }
    s.source.put(s.source.ctx, c[PV_STATIC_FREE_SLOTS], 60);
    assert_int_equal(s.lost_chunks, SIZE_MAX);
    assert_int_equal(s.lost_bytes, SIZE_MAX);
}

/* Buffers of every small length, at every offset modulo PV_ALIGN, each the
 * exact size of its allocation (ASan sees a byte past its end): init succeeds
 * iff len >= 2 * PV_ALIGN - 1; every chunk lies inside the buffer, aligned,
 * and the chunks cut fill it without overlap; given back newest first, they
 * return it whole. */
static void static_tight_buffers(void **state)
{
    size_t len, off, k, n, used;
    (void)state;
    for (len = 0; len <= 40u * PV_ALIGN; len++) {
        for (off = 0; off < PV_ALIGN; off++) {
            pv_static_source s;
            /* exactly off + len bytes: a byte past the end is ASan's */
            char *m = (char *)malloc((off + len > 0u) ? off + len : 1u);
            char *b;
            char *got[64];
            size_t sz[64];
            assert_non_null(m);
            b = m + off;
            assert_int_equal(pv_static_source_init(&s, b, len), len >= 2u * PV_ALIGN - 1u);
            if (len < 2u * PV_ALIGN - 1u) {
                free(m);
                continue;
            }
            n = 0;
            used = 0;
            for (k = 1; n < 64u; k = k % 23u + 1u) {
                char *p = (char *)s.source.get(s.source.ctx, k);
                if (p == NULL) {
                    /* refused only when it does not fit */
                    assert_true(rnd(k) > s.arena.cap - s.arena.top || PV_ALIGN < PV_SOURCE_ALIGN);
                    break;
                }
                assert_true(is_aligned(p, PV_SOURCE_ALIGN));
                assert_true(p >= b && p + k <= b + len);
                fill(p, k, (unsigned char)n);
                got[n] = p;
                sz[n] = k;
                used += rnd(k);
                n++;
            }
            assert_true(used <= len);
            for (k = 0; k < n; k++) {
                assert_true(holds(got[k], sz[k], (unsigned char)k));
            }
            while (n > 0u) {
                n--;
                s.source.put(s.source.ctx, got[n], sz[n]);
            }
            assert_int_equal(s.arena.top, 0u);
            assert_int_equal(s.nfreed, 0u);
            free(m);
        }
    }
}

static int calls;
static pv_misuse last_kind;
static const void *last_alloc, *last_ptr;

/* The statistics counters saturate instead of wrapping (pv__inc). */
static void counter_increment_saturates(void **state)
{
    (void)state;
    assert_int_equal(pv__inc(0u), 1u);
    assert_int_equal(pv__inc(SIZE_MAX - 1u), SIZE_MAX);
    assert_int_equal(pv__inc(SIZE_MAX), SIZE_MAX);
}

static void handler(pv_misuse kind, const void *allocator, const void *ptr)
{
    calls++;
    last_kind = kind;
    last_alloc = allocator;
    last_ptr = ptr;
}

static void misuse_handler_set_and_called(void **state)
{
    int x, y;
    (void)state;
    calls = 0;
    assert_null(pv_set_misuse_handler(handler)); /* the default is NULL */
    pv__misuse(PV_MISUSE_FOREIGN_PTR, &x, &y);
    assert_int_equal(calls, 1);
    assert_int_equal(last_kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(last_alloc, &x);
    assert_ptr_equal(last_ptr, &y);
    assert_ptr_equal(pv_set_misuse_handler(NULL), handler);
    pv__misuse(PV_MISUSE_DOUBLE_FREE, &x, &y); /* default: ignored */
    assert_int_equal(calls, 1);
    assert_null(pv_set_misuse_handler(NULL));
}

/* Regression: with PV_ALIGN above PV_SOURCE_ALIGN (PV_ALIGN=16, say) and a
 * source that gives only the PV_SOURCE_ALIGN it promises, a chunk's data
 * lost up to PV_ALIGN - PV_SOURCE_ALIGN bytes to alignment, so a request
 * sized to fill a chunk "by construction" did not fit: the FIFO wrote
 * through NULL, the region and stack returned NULL. Build with
 * EXTRA_CFLAGS=-DPV_ALIGN=16u to exercise it; it holds in every build. */
static void allocators_over_least_aligned_source(void **state)
{
    test_source ts;
    pv_region r;
    pv_stack s;
    pv_fifo f;
    size_t page_data = PV_FIFO_PAGE_SIZE - rnd(sizeof(pv_fifo_page)) - rnd(8);
    char *p;
    (void)state;
    test_source_init(&ts);
    ts.misalign = 1;
    assert_true(pv_fifo_init(&f, &ts.src));
    p = pv_fifo_alloc(&f, page_data); /* exactly a standard page */
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN));
    fill(p, page_data, 0x11);
    pv_fifo_free(&f, p);
    p = pv_fifo_alloc(&f, 3u * page_data); /* a page of its own */
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN));
    fill(p, 3u * page_data, 0x12);
    pv_fifo_destroy(&f);
    assert_true(pv_region_init(&r, &ts.src));
    p = pv_region_alloc(&r, PV_REGION_CHUNK_MIN); /* more than a first chunk's size: exactly what it needs */
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN));
    fill(p, PV_REGION_CHUNK_MIN, 0x13);
    p = pv_region_alloc(&r, 3u * PV_REGION_CHUNK_MIN); /* more than the next size: exactly what it needs */
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN));
    fill(p, 3u * PV_REGION_CHUNK_MIN, 0x15);
    p = pv_region_alloc_aligned(&r, 5000, PV_ALIGN_MAX);
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN_MAX));
    pv_region_destroy(&r);
    assert_true(pv_stack_init(&s, &ts.src));
    p = pv_stack_alloc(&s, PV_STACK_CHUNK_MIN);
    assert_non_null(p);
    assert_true(is_aligned(p, PV_ALIGN));
    p = pv_stack_alloc(&s, 3u * ((size_t)1024u * 1024u)); /* exactly what it needs */
    assert_non_null(p);
    fill(p, 3u * ((size_t)1024u * 1024u), 0x14);
    pv_stack_destroy(&s);
    assert_int_equal(ts.outstanding, 0);
    assert_int_equal(ts.gets, ts.puts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(source_malloc_is_one_working_source),
        cmocka_unit_test(static_init_rejects_bad_args),
        cmocka_unit_test(static_get_cuts_chunks_in_order),
        cmocka_unit_test(static_put_most_recent_returns_to_buffer),
        cmocka_unit_test(static_put_older_reused_by_same_size),
        cmocka_unit_test(static_reuse_exact_size_only),
        cmocka_unit_test(static_top_lowering_cascade),
        cmocka_unit_test(static_full_table_counts_lost_chunks),
        cmocka_unit_test(static_tight_buffers),
        cmocka_unit_test(counter_increment_saturates),
        cmocka_unit_test(misuse_handler_set_and_called),
        cmocka_unit_test(allocators_over_least_aligned_source),
    };
    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
