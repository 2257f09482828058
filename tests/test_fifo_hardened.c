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

/* Pointers inside a live block, at a granule boundary (so in a handed-out
 * part of a page of f), whose would-be header is the block's own data: one
 * whose page offset names no page of f (the data is 0x31 bytes), one whose
 * header names the right page but a size past the page's top. Both are
 * refused before the block is touched; the block is still a block. */
static void hardened_rejects_interior_pointers(void **state)
{
    char *p, *ip;
    pv__fifo_hdr h;
    pv_stats a, b;
    (void)state;
    test_source_init(&ts);
    memset(&misuse_log, 0, sizeof misuse_log);
    assert_true(pv_fifo_init(&f, &ts.src));
    p = pv_fifo_alloc(&f, 256);
    fill(p, 256, 0x31);
    ip = p + 64;
    pv_fifo_stats(&f, &a);
    pv_fifo_free(&f, ip);                       /* header names no page */
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.ptr, ip);
    /* the header names p's page, with a size past the top: the page's top is
     * p + 256, so 192 bytes are left from ip */
    h.page_off = (uint32_t)((ip - HDR) - (char *)f.cur);
    h.size = 193u;
    memcpy(ip - HDR, &h, sizeof h);
    assert_int_equal(pv_fifo_block_size(&f, ip), 0);
    assert_int_equal(misuse_log.count, 2);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.ptr, ip);
    pv_fifo_free(&f, ip);
    assert_int_equal(misuse_log.count, 3);
    pv_fifo_stats(&f, &b);
    assert_stats_equal(a, b);
    assert_int_equal(pv_fifo_block_size(&f, p), 256);
    pv_fifo_free(&f, p);
    assert_int_equal(misuse_log.count, 3);
    pv_fifo_destroy(&f);
    assert_int_equal(ts.outstanding, 0);
}

/* A pointer inside a live block of page 2 whose forged header names page 1,
 * which holds a live block too, with a size that fits: refused, since the
 * header names another page than the one the pointer lies in (a plain
 * build would take it for a block of page 1). Over a static source, so
 * page 1 lies below page 2. */
static void hardened_rejects_header_naming_another_page(void **state)
{
    static char buf[3 * PV_FIFO_PAGE_SIZE] __attribute__((aligned(64)));
    pv_static_source ss;
    char *x, *u, *hp, *fp;
    pv_fifo_page *page1;
    size_t n;
    pv__fifo_hdr h;
    pv_stats a, b;
    (void)state;
    memset(&misuse_log, 0, sizeof misuse_log);
    assert_true(pv_static_source_init(&ss, buf, sizeof buf));
    assert_true(pv_fifo_init(&f, &ss.source));
    x = pv_fifo_alloc(&f, 1000);
    page1 = f.cur;
    n = 1;
    for (;;) {
        u = pv_fifo_alloc(&f, 1000);
        assert_non_null(u);
        if (f.cur != page1) {
            break;
        }
        n++;
    }
    assert_true((char *)f.cur > (char *)page1);
    assert_int_equal(page1->live, n);
    hp = u + 64;
    h.page_off = (uint32_t)(hp - (char *)page1);
    h.size = 16u;
    memcpy(hp, &h, sizeof h);
    fp = hp + HDR;
    pv_fifo_stats(&f, &a);
    assert_int_equal(pv_fifo_block_size(&f, fp), 0);
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.ptr, fp);
    pv_fifo_free(&f, fp);
    assert_int_equal(misuse_log.count, 2);
    pv_fifo_stats(&f, &b);
    assert_stats_equal(a, b);
    assert_int_equal(pv_fifo_block_size(&f, x), 1000);
    assert_int_equal(pv_fifo_block_size(&f, u), 1000);
    assert_int_equal(page1->live, n);
    pv_fifo_destroy(&f);
}

/* The padding below an aligned block is filled with PV_FREE_FILL: a pointer
 * into it whose would-be header lies in the padding reads the fill, which
 * names no page, not a stale header. Here the padding covers the tombstoned
 * headers of blocks freed before the page was rewound (read as they are, one
 * would be reported as a double free). Aligned blocks are otherwise accepted,
 * freed and filled as any block. */
static void hardened_pointer_into_padding_refused(void **state)
{
    static char *old[400];
    char *b, *c, *x, *base;
    size_t i, pad;
    pv_stats a, st;
    (void)state;
    test_source_init(&ts);
    ts.misalign = 1;
    memset(&misuse_log, 0, sizeof misuse_log);
    assert_true(pv_fifo_init(&f, &ts.src));
    for (i = 0; i < 400; i++) { /* 16 bytes each: 6400 bytes of headers and data */
        old[i] = pv_fifo_alloc(&f, 8);
        assert_non_null(old[i]);
    }
    for (i = 0; i < 400; i++) {
        pv_fifo_free(&f, old[i]);
    }
    pv_fifo_stats(&f, &st);
    assert_int_equal(st.in_use, 0); /* the page was rewound, its tombstones left */
    b = pv_fifo_alloc(&f, 8);
    assert_ptr_equal(b, old[0]);
    base = b - HDR;
    c = pv_fifo_alloc_aligned(&f, 8, PV_ALIGN_MAX);
    assert_non_null(c);
    assert_true(is_aligned(c, PV_ALIGN_MAX));
    pad = (size_t)((c - HDR) - (b + 8));
    x = c - HDR - 16; /* in the padding, and so is its would-be header */
    assert_true(pad >= 24u);
    assert_true(((size_t)((x - HDR) - base) % 16u) == 0u); /* an old header's place */
    assert_true((size_t)((x - HDR) - base) < 400u * 16u);
    pv_fifo_stats(&f, &a);
    pv_fifo_free(&f, x);
    assert_int_equal(misuse_log.count, 1);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    assert_ptr_equal(misuse_log.ptr, x);
    assert_int_equal(pv_fifo_block_size(&f, x), 0);
    assert_null(pv_fifo_realloc_aligned(&f, x, 16, 16));
    assert_int_equal(misuse_log.count, 3);
    assert_int_equal(misuse_log.kind, PV_MISUSE_FOREIGN_PTR);
    pv_fifo_stats(&f, &st);
    assert_stats_same_but_failures(a, st);
    assert_int_equal(st.failures, a.failures + 1u);
    assert_int_equal(pv_fifo_block_size(&f, c), 8);
    fill(c, 8, 0x5a);
    pv_fifo_free(&f, c);
    assert_int_equal(misuse_log.count, 3);
#if !PV_DBG_ON
    assert_true(holds(c, 8, (unsigned char)PV_FREE_FILL));
#endif
    pv_fifo_free(&f, c); /* double free of an aligned block: detected */
    assert_int_equal(misuse_log.count, 4);
    assert_int_equal(misuse_log.kind, PV_MISUSE_DOUBLE_FREE);
    pv_fifo_free(&f, b);
    pv_fifo_stats(&f, &st);
    assert_int_equal(st.in_use, 0);
    pv_fifo_destroy(&f);
    assert_int_equal(ts.outstanding, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hardened_rejects_pointers_in_no_page),
        cmocka_unit_test(hardened_rejects_interior_pointers),
        cmocka_unit_test(hardened_rejects_header_naming_another_page),
        cmocka_unit_test(hardened_pointer_into_padding_refused),
    };
    return cmocka_run_group_tests_name("fifo_hardened", tests, misuse_setup, misuse_teardown);
}
