/*
 * provalloc backing sources and the misuse handler (see pv_source.h).
 */
#include "pv_source.h"

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

typedef struct pv__free_chunk {
    struct pv__free_chunk *next;
    size_t size;
} pv__free_chunk;

static void *static_get(void *ctx, size_t size)
{
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source, chunks aligned on PV_SOURCE_ALIGN */
    pv_static_source *s = (pv_static_source *)ctx;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source, chunks aligned on PV_SOURCE_ALIGN */
    pv__free_chunk **link = (pv__free_chunk **)&s->free_list;
    while (*link != NULL) {
        pv__free_chunk *c = *link;
        if (c->size == size) {
            *link = c->next;
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return c;
        }
        link = &c->next;
    }
    return pv_arena_alloc_aligned(&s->arena, size, PV_SOURCE_ALIGN);
}

static void static_put(void *ctx, void *p, size_t size)
{
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source, chunks aligned on PV_SOURCE_ALIGN */
    pv_static_source *s = (pv_static_source *)ctx;
    pv__free_chunk *c;
    if (pv_arena_free(&s->arena, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source, chunks aligned on PV_SOURCE_ALIGN */
    c = (pv__free_chunk *)p; /* chunks are far larger than a node */
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 ctx is the pv_static_source, chunks aligned on PV_SOURCE_ALIGN */
    c->next = (pv__free_chunk *)s->free_list;
    c->size = size;
    s->free_list = c;
}

bool pv_static_source_init(pv_static_source *s, void *buf, size_t len)
{
    pv_arena a;
    if ((s == NULL) || !pv_arena_init(&a, buf, len)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    s->arena = a;
    s->free_list = NULL;
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
