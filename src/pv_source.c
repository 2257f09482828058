/* SPDX-License-Identifier: MIT */
/*
 * provalloc backing sources and the misuse handler (see pv_source.h).
 */
#include "pv_source.h"
#include "pv_static.h"

#if !PV_NO_MALLOC
#include <stdlib.h>
#endif

/* ---- malloc ---------------------------------------------------------- */

#if !PV_NO_MALLOC
static void *malloc_get(void *ctx, size_t size)
{
    (void)ctx;
    /* cppcheck-suppress misra-c2012-21.3 ; PV-D8 the default hosted backing source */
    return malloc(size);
}

static void malloc_put(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)size;
    /* cppcheck-suppress misra-c2012-21.3 ; PV-D8 the default hosted backing source */
    free(p);
}
#else
/* PV_NO_MALLOC: a source that always fails (and is never given a block). */
static void *malloc_get(void *ctx, size_t size)
{
    (void)ctx;
    (void)size;
    return NULL;
}

static void malloc_put(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)p;
    (void)size;
}
#endif

const pv_source *pv_source_malloc(void)
{
    static const pv_source pv__malloc_source = { malloc_get, malloc_put, NULL };
    return &pv__malloc_source;
}

/* ---- a caller's static buffer ------------------------------------------ */
/* The source itself is src/pv_static.c (proved); here are its get and put
 * as a pv_source holds them, and the stores of them and of ctx: the one step
 * WP cannot take, as ctx, a void *, is converted back to the
 * pv_static_source stored there (proofs/TRUSTED.md T13). */

static void *static_get(void *ctx, size_t size)
{
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source (pv_static_source_init) */
    return pv__static_get((pv_static_source *)ctx, size);
}

static void static_put(void *ctx, void *p, size_t size)
{
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source (pv_static_source_init) */
    pv__static_put((pv_static_source *)ctx, p, size);
}

bool pv_static_source_init(pv_static_source *s, void *buf, size_t len)
{
    if (!pv__static_init(s, buf, len)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    s->source.get = static_get;
    s->source.put = static_put;
    s->source.ctx = s;
    return true;
}

/* ---- misuse reports ---------------------------------------------------- */

static pv_misuse_fn pv__misuse_handler = NULL;

pv_misuse_fn pv_set_misuse_handler(pv_misuse_fn fn)
{
    pv_misuse_fn old = pv__misuse_handler;
    pv__misuse_handler = fn;
    return old;
}

void pv__misuse(pv_misuse kind, const void *allocator, const void *ptr)
{
    if (pv__misuse_handler != NULL) {
        pv__misuse_handler(kind, allocator, ptr);
    }
}
