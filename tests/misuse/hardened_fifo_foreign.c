/* SPDX-License-Identifier: MIT */
/* Hardened build: pointers the FIFO did not hand out are reported as
 * PV_MISUSE_FOREIGN_PTR and ignored, without reading them: a pointer in no
 * page (a static buffer), a block of another FIFO, a misaligned pointer and
 * an interior pointer into a live block (granule aligned: what precedes it
 * is user data, not a block header), and a pointer past the page's top. */
#include "hardened.h"

static char elsewhere[64];

int main(void)
{
    pv_fifo f, g;
    pv_stats a, b;
    char *p, *q, *other;
    int n;
    (void)pv_set_misuse_handler(record);
    CHECK(pv_fifo_init(&f, NULL) && pv_fifo_init(&g, NULL));
    p = pv_fifo_alloc(&f, 64);
    q = pv_fifo_alloc(&f, 64);
    other = pv_fifo_alloc(&g, 64);
    CHECK(p != NULL && q != NULL && other != NULL);
    memset(p, 0x41, 64);                          /* looks like a header: 0x41414141 */
    memset(elsewhere, 0x42, sizeof elsewhere);
    pv_fifo_stats(&f, &a);

    n = reports.count;
    pv_fifo_free(&f, elsewhere + 16);             /* BUG: in no page of f */
    CHECK_REPORTED(n, PV_MISUSE_FOREIGN_PTR, elsewhere + 16);
    n = reports.count;
    pv_fifo_free(&f, other);                      /* BUG: a block of g */
    CHECK_REPORTED(n, PV_MISUSE_FOREIGN_PTR, other);
    n = reports.count;
    pv_fifo_free(&f, p + 3);                      /* BUG: misaligned */
    CHECK_REPORTED(n, PV_MISUSE_FOREIGN_PTR, p + 3);
    n = reports.count;
    pv_fifo_free(&f, p + 16);                     /* BUG: inside a block */
    CHECK_REPORTED(n, PV_MISUSE_FOREIGN_PTR, p + 16);
    n = reports.count;
    pv_fifo_free(&f, q + 256);                    /* BUG: above the page's top */
    CHECK_REPORTED(n, PV_MISUSE_FOREIGN_PTR, q + 256);
    n = reports.count;
    CHECK(pv_fifo_realloc(&f, p + 16, 8) == NULL);
    CHECK_REPORTED(n, PV_MISUSE_FOREIGN_PTR, p + 16);

    pv_fifo_stats(&f, &b);
    CHECK(a.in_use == b.in_use && a.chunks == b.chunks && a.reserved == b.reserved);
    CHECK(b.failures == a.failures + 1);          /* the refused realloc */
    CHECK(elsewhere[0] == 0x42 && p[8] == 0x41 && p[20] == 0x41 && other[0] == 0);
    n = reports.count;
    pv_fifo_free(&f, p);
    pv_fifo_free(&f, q);
    pv_fifo_free(&g, other);
    CHECK(reports.count == n);                    /* genuine frees: no report */
    pv_fifo_destroy(&f);
    pv_fifo_destroy(&g);
    (void)pv_set_misuse_handler(NULL);
    return finish("hardened_fifo_foreign");
}
