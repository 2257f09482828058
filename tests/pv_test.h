/* SPDX-License-Identifier: MIT */
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
    size_t calls;            /* every call to get, failed ones included */
    size_t outstanding;      /* bytes handed out and not given back */
    size_t last_get;         /* size of the last get request */
    size_t max_size;         /* gets above this many bytes fail (never reach malloc:
                                ASan aborts on absurd sizes) */
    long fail_after;         /* gets that succeed before every get fails; -1: never */
    int misalign;            /* hand out memory aligned on PV_SOURCE_ALIGN and on
                                nothing larger (the least a source must give) */
} test_source;

/* Memory at PV_SOURCE_ALIGN modulo 64 (64: the largest PV_ALIGN), with the
 * malloc'ed address stored just below it. */
#define MISALIGN_ROOM (64u + PV_SOURCE_ALIGN + sizeof(void *))

#define TEST_SOURCE_MAX ((size_t)1 << 26)

static inline void *test_get(void *ctx, size_t size)
{
    test_source *t = (test_source *)ctx;
    void *p;
    t->calls++;
    t->last_get = size;
    if (t->fail_after == 0 || size > t->max_size) {
        return NULL;
    }
    if (t->fail_after > 0) {
        t->fail_after--;
    }
    if (t->misalign) {
        char *q = (char *)malloc(size + MISALIGN_ROOM), *r;
        if (q == NULL) {
            return NULL;
        }
        r = q + sizeof(void *);
        r += (PV_SOURCE_ALIGN + 64u - (size_t)((uintptr_t)r % 64u)) % 64u;
        memcpy(r - sizeof(void *), &q, sizeof q);
        p = r;
        assert_int_equal((uintptr_t)p % 64u, PV_SOURCE_ALIGN);
    } else {
        p = malloc(size);
    }
    if (p != NULL) {
        assert_true(((uintptr_t)p % PV_SOURCE_ALIGN) == 0);
        t->gets++;
        t->outstanding += size;
    }
    return p;
}

static inline void test_put(void *ctx, void *p, size_t size)
{
    test_source *t = (test_source *)ctx;
    assert_non_null(p);
    assert_true(t->outstanding >= size);
    t->outstanding -= size;
    t->puts++;
    if (t->misalign) {
        memcpy(&p, (char *)p - sizeof(void *), sizeof p);
    }
    free(p);
}

static inline void test_source_init(test_source *t)
{
    memset(t, 0, sizeof *t);
    t->src.get = test_get;
    t->src.put = test_put;
    t->src.ctx = t;
    t->fail_after = -1;
    t->max_size = TEST_SOURCE_MAX;
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

/* Rounded size of a block (what in_use counts). */
static inline size_t rnd(size_t n)
{
    return (n + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN;
}

/* Bytes a region or stack asks of its source for a new chunk that a
 * request of `size` bytes aligned on `align` needs (pv_chain.h: the rounded
 * size, room for the alignment padding, PV__CHUNK_SLACK); the chunk asked
 * is the larger of this and the chain's next size. */
static inline size_t chunk_need(size_t size, size_t align)
{
    return rnd(size) + (align > PV_ALIGN ? align : 0u) + PV__CHUNK_SLACK;
}

/* Two statistics snapshots equal in every field but failures and
 * source_gets (a failed get is a call, counted by source_gets). */
#define assert_stats_same_but_failures(a, b)                                                      \
    do {                                                                                          \
        assert_int_equal((a).in_use, (b).in_use);                                                 \
        assert_int_equal((a).peak_in_use, (b).peak_in_use);                                       \
        assert_int_equal((a).reserved, (b).reserved);                                             \
        assert_int_equal((a).chunks, (b).chunks);                                                 \
        assert_int_equal((a).source_puts, (b).source_puts);                                       \
    } while (0)

#define assert_stats_equal(a, b)                                                                  \
    do {                                                                                          \
        assert_stats_same_but_failures(a, b);                                                     \
        assert_int_equal((a).source_gets, (b).source_gets);                                       \
        assert_int_equal((a).failures, (b).failures);                                             \
    } while (0)

/* Misuse reports, recorded. */
static struct misuse_log {
    int count;
    pv_misuse kind;
    const void *allocator;
    const void *ptr;
} misuse_log;

static inline void record_misuse(pv_misuse kind, const void *allocator, const void *ptr)
{
    misuse_log.count++;
    misuse_log.kind = kind;
    misuse_log.allocator = allocator;
    misuse_log.ptr = ptr;
}

/* cmocka setup/teardown: install the recorder, clear the log. */
static inline int misuse_setup(void **state)
{
    (void)state;
    memset(&misuse_log, 0, sizeof misuse_log);
    (void)pv_set_misuse_handler(record_misuse);
    return 0;
}

static inline int misuse_teardown(void **state)
{
    (void)state;
    (void)pv_set_misuse_handler(NULL);
    return 0;
}

#endif
