/* SPDX-License-Identifier: MIT */
/* Hardened build: a FIFO block freed twice is reported as
 * PV_MISUSE_DOUBLE_FREE to the installed handler and otherwise ignored (the
 * statistics and the other blocks do not change); the same through realloc
 * and block_size. */
#include "hardened.h"

int main(void)
{
    pv_fifo f;
    pv_stats a, b;
    char *p, *q;
    int n;
    CHECK(pv_set_misuse_handler(record) == NULL);
    CHECK(pv_fifo_init(&f, NULL));
    p = pv_fifo_alloc(&f, 40);
    q = pv_fifo_alloc(&f, 40);
    CHECK(p != NULL && q != NULL);
    memset(q, 0x5A, 40);
    pv_fifo_free(&f, p);
    CHECK(reports.count == 0);
    pv_fifo_stats(&f, &a);
    n = reports.count;
    pv_fifo_free(&f, p);                          /* BUG: second free */
    CHECK_REPORTED(n, PV_MISUSE_DOUBLE_FREE, p);
    CHECK(reports.allocator == &f);
    n = reports.count;
    CHECK(pv_fifo_realloc(&f, p, 80) == NULL);    /* BUG: realloc of a freed block */
    CHECK_REPORTED(n, PV_MISUSE_DOUBLE_FREE, p);
    n = reports.count;
    CHECK(pv_fifo_block_size(&f, p) == 0);
    CHECK_REPORTED(n, PV_MISUSE_DOUBLE_FREE, p);
    pv_fifo_stats(&f, &b);
    CHECK(a.in_use == b.in_use && a.chunks == b.chunks && a.reserved == b.reserved);
    CHECK(q[0] == 0x5A && q[39] == 0x5A);
    n = reports.count;
    pv_fifo_free(&f, q);
    CHECK(reports.count == n);
    pv_fifo_destroy(&f);
    (void)pv_set_misuse_handler(NULL);
    return finish("hardened_fifo_double_free");
}
