/* Shared test helpers: cmocka, and a backing source that counts its calls,
 * checks that every chunk comes back, and can be told to fail. */
#ifndef PV_TEST_H
#define PV_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "provalloc.h"

typedef struct test_source {
    pv_source src;
    size_t gets, puts;       /* successful gets, puts */
    size_t outstanding;      /* bytes handed out and not given back */
    long fail_after;         /* gets that succeed before every get fails; -1: never */
} test_source;

static void *test_get(void *ctx, size_t size)
{
    test_source *t = (test_source *)ctx;
    void *p;
    if (t->fail_after == 0) {
        return NULL;
    }
    if (t->fail_after > 0) {
        t->fail_after--;
    }
    p = malloc(size);
    if (p != NULL) {
        t->gets++;
        t->outstanding += size;
    }
    return p;
}

static void test_put(void *ctx, void *p, size_t size)
{
    test_source *t = (test_source *)ctx;
    assert_non_null(p);
    assert_true(t->outstanding >= size);
    t->outstanding -= size;
    t->puts++;
    free(p);
}

static inline void test_source_init(test_source *t)
{
    memset(t, 0, sizeof *t);
    t->src.get = test_get;
    t->src.put = test_put;
    t->src.ctx = t;
    t->fail_after = -1;
}

/* Fill and check a block with a one-byte tag. */
static inline void fill(void *p, size_t n, unsigned char tag)
{
    memset(p, tag, n);
}

static inline int holds(const void *p, size_t n, unsigned char tag)
{
    const unsigned char *c = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        if (c[i] != tag) {
            return 0;
        }
    }
    return 1;
}

static inline int is_aligned(const void *p, size_t al)
{
    return ((uintptr_t)p % al) == 0;
}

#endif
