/* SPDX-License-Identifier: MIT */
/* example: stack — scratch memory released when the scope ends */
#include <stdio.h>
#include "pv_stack.h"

static pv_stack scratch;

static size_t count_words(const char *text)
{
    PV_STACK_SCOPE(&scratch);                 /* popped on every return path */
    size_t n = 0;
    char *copy = pv_stack_alloc(&scratch, 256);
    if (copy == NULL) {
        return 0;
    }
    for (const char *p = text; *p != '\0'; p++) {
        n += (*p == ' ');
    }
    return n + 1;
}

int main(void)
{
    pv_stack_init(&scratch, NULL);
    pv_stack_frame f = pv_stack_push(&scratch);
    double *v = pv_stack_alloc(&scratch, 16 * sizeof *v);
    if (v == NULL) {
        return 1;
    }
    printf("stack: %zu words\n", count_words("one two three"));
    if (!pv_stack_pop(&scratch, f)) {         /* checks the cookie */
        return 1;
    }
    if (pv_stack_pop(&scratch, f)) {          /* stale cookie: refused */
        return 1;
    }
    pv_stack_destroy(&scratch);
    return 0;
}
