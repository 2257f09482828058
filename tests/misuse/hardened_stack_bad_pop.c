/* SPDX-License-Identifier: MIT */
/* Hardened build (the check exists in every build): a pop whose cookie is
 * not the innermost open frame of the stack is reported as
 * PV_MISUSE_BAD_COOKIE and refused, changing nothing: out of order, twice,
 * another stack's cookie, a cookie from before a reset. */
#include "hardened.h"

int main(void)
{
    pv_stack s, t;
    pv_stack_frame f1, f2, ft, stale;
    char *a, *b;
    int n;
    (void)pv_set_misuse_handler(record);
    CHECK(pv_stack_init(&s, NULL) && pv_stack_init(&t, NULL));
    stale = pv_stack_push(&s);
    pv_stack_reset(&s);
    f1 = pv_stack_push(&s);
    a = pv_stack_alloc(&s, 32);
    f2 = pv_stack_push(&s);
    b = pv_stack_alloc(&s, 32);
    ft = pv_stack_push(&t);
    CHECK(a != NULL && b != NULL);
    memset(a, 1, 32);
    memset(b, 2, 32);

    n = reports.count;
    CHECK(!pv_stack_pop(&s, f1));                 /* BUG: out of order */
    CHECK_REPORTED(n, PV_MISUSE_BAD_COOKIE, NULL);
    CHECK(reports.allocator == &s);
    n = reports.count;
    CHECK(!pv_stack_pop(&s, ft));                 /* BUG: t's cookie */
    CHECK_REPORTED(n, PV_MISUSE_BAD_COOKIE, NULL);
    n = reports.count;
    CHECK(!pv_stack_pop(&s, stale));              /* BUG: pushed before reset */
    CHECK_REPORTED(n, PV_MISUSE_BAD_COOKIE, NULL);
    CHECK(pv_stack_depth(&s) == 2);
    CHECK(a[0] == 1 && b[31] == 2);               /* nothing was released */

    n = reports.count;
    CHECK(pv_stack_pop(&s, f2));
    CHECK(reports.count == n);
    CHECK(!pv_stack_pop(&s, f2));                 /* BUG: popped twice */
    CHECK_REPORTED(n, PV_MISUSE_BAD_COOKIE, NULL);
    n = reports.count;
    CHECK(pv_stack_pop(&s, f1) && pv_stack_pop(&t, ft));
    CHECK(reports.count == n);
    pv_stack_destroy(&s);
    pv_stack_destroy(&t);
    (void)pv_set_misuse_handler(NULL);
    return finish("hardened_stack_bad_pop");
}
