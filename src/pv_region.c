/* SPDX-License-Identifier: MIT */
/*
 * provalloc region allocator (see pv_region.h for the guarantees).
 */
#include "pv_mem.h"

#include "pv_region.h"
#include "pv_debug.h"

bool pv_region_init(pv_region *r, const pv_source *src)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    pv__chain_init(&r->chain, (src != NULL) ? src : pv_source_malloc(), PV_REGION_CHUNK_MIN);
    return true;
}

static size_t region_in_use(const pv_region *r)
{
    return pv__chain_in_use(&r->chain) + r->chain.large_in_use;
}

/* Record the in-use before it falls. */
static void region_note_peak(pv_region *r)
{
    size_t u = region_in_use(r);
    if (u > r->chain.region_peak) {
        r->chain.region_peak = u;
    }
}

/* Give the large block's chunk c back to the source. */
static void large_put(pv_region *r, pv__large *c)
{
    size_t total = c->size;
    r->chain.reserved -= total;
    r->chain.chunks--;
    r->chain.puts = pv__inc(r->chain.puts);
    PV_DBG_POOL_DESTROY(&c->arena);             /* with any block still in it */
    PV_DBG_RETURN(c->arena.base, c->arena.cap); /* the source may reuse it */
    pv__src_put(&r->chain, c, total);
}

static void release_large(pv_region *r)
{
    while (r->chain.large != NULL) {
        pv__large *c = r->chain.large;
        r->chain.large = c->next;
#if PV_HARDENED
        if (c->arena.top > 0u) {
            PV_DBG_OPEN(c->arena.base, c->arena.top);
            pv__fill(c->arena.base, PV_FREE_FILL, c->arena.top);
        }
#endif
        large_put(r, c);
    }
    r->chain.large_in_use = 0u;
}

void pv_region_destroy(pv_region *r)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    region_note_peak(r);
    release_large(r);
#if PV_HARDENED || PV_DBG_ON
    pv__chain_released(&r->chain, 0u, 0u);
#endif
    pv__chain_release(&r->chain);
}

void pv_region_reset(pv_region *r)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    region_note_peak(r);
    release_large(r);
#if PV_HARDENED || PV_DBG_ON
    pv__chain_released(&r->chain, 0u, 0u); /* every chunk used */
#endif
    pv__chain_rewind(&r->chain, 0u, 0u);
}

/* A block above PV_REGION_LARGE: a chunk of its own, newest first. */
static void *alloc_large(pv_region *r, size_t size, size_t align)
{
    size_t data = ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN) + ((align > PV_ALIGN) ? align : 0u);
    size_t total = PV__LARGE_HDR + PV__CHUNK_SLACK + data;
    void *mem;
    pv__large *c;
    void *p;
    r->chain.gets = pv__inc(r->chain.gets);
    mem = pv__src_get(&r->chain, total);
    if (mem == NULL) {
        r->chain.failures = pv__inc(r->chain.failures);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 the large list's own header, in source memory */
    c = (pv__large *)mem;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    (void)pv_arena_init(&c->arena, (char *)mem + PV__LARGE_HDR, data + PV__CHUNK_SLACK);
    c->size = total;
    r->chain.reserved += total;
    r->chain.chunks = pv__inc(r->chain.chunks);
    PV_DBG_POOL_CREATE(&c->arena);
    PV_DBG_NOACCESS(c->arena.base, c->arena.cap);
    p = pv_arena_alloc_aligned(&c->arena, size, align); /* fits: cap >= data */
    c->next = r->chain.large;
    r->chain.large = c;
    r->chain.large_in_use += c->arena.top;
    PV_DBG_ALLOC(&c->arena, p, size);
    return p;
}

void *pv__region_alloc_slow(pv_region *r, size_t size, size_t align)
{
    void *p;
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if ((size == 0u) || (size > PV__CHAIN_REQ_MAX) || (align == 0u) || (align > PV_ALIGN_MAX) ||
        ((align & (align - 1u)) != 0u)) {
        r->chain.failures = pv__inc(r->chain.failures);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (size > PV_REGION_LARGE) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return alloc_large(r, size, align);
    }
    p = pv__chain_alloc_slow(&r->chain, size, align);
    if (p != NULL) {
        PV_DBG_ALLOC(&r->chain.cur->arena, p, size);
    }
    return p;
}

void *pv_region_alloc_aligned(pv_region *r, size_t size, size_t align)
{
    void *p;
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (size <= PV_REGION_LARGE) {
        p = pv_arena_alloc_aligned(&r->chain.cur->arena, size, align);
        if (p != NULL) {
            PV_DBG_ALLOC(&r->chain.cur->arena, p, size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }
    return pv__region_alloc_slow(r, size, align); /* also rejects a bad align */
}

/* Is p, of `size` bytes, the block of the newest large chunk? */
static bool is_newest_large(const pv_region *r, const void *p, size_t size)
{
    const pv__large *c = r->chain.large;
    return (size > PV_REGION_LARGE) && (c != NULL) && (size <= c->arena.top) &&
           /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
           ((const char *)p ==
               /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
               (c->arena.base + (c->arena.top - ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN))));
}

/* Give back the large chunk *link, whose block is p of `size` bytes. */
static void put_large(pv_region *r, pv__large **link, void *p, size_t size)
{
    pv__large *c = *link;
    (void)p; /* used by the debug annotations only */
    (void)size;
    region_note_peak(r);
    r->chain.large_in_use -= c->arena.top; /* all the chunk counted: pad + round(size) */
    *link = c->next;
#if PV_HARDENED
    pv__fill(p, PV_FREE_FILL, size);
#endif
    PV_DBG_FREE(&c->arena, p, size);
    large_put(r, c);
}

/* pv_region_free, all of it (the inline part handles the usual case). */
bool pv__region_free_slow(pv_region *r, void *p, size_t size)
{
    if ((r == NULL) || (p == NULL) || (size == 0u)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
#if PV_HARDENED || PV_DBG_ON
    /* Small blocks come here only in these builds (inline otherwise). */
    if (size <= PV_REGION_LARGE) {
        region_note_peak(r);
        if (!pv_arena_free(&r->chain.cur->arena, p, size)) {
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return false;
        }
#if PV_HARDENED
        pv__fill(p, PV_FREE_FILL, size);
#endif
        PV_DBG_FREE(&r->chain.cur->arena, p, size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return true;
    }
#endif
    /* A large block (is_newest_large is false for any other): only the
     * newest can go, and its chunk returns whole. */
    if (!is_newest_large(r, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    put_large(r, &r->chain.large, p, size);
    return true;
}

#if PV_HARDENED
/* Does the block p of old_size bytes lie below the top of one of r's chunks
 * (those in use: tab[0 .. ci]) or of its large blocks? Reads nothing but
 * r's own descriptors; compares addresses as integers, p may be foreign. */
static bool block_in_region(const pv_region *r, const void *p, size_t old_size)
{
    const pv__large *c;
    size_t k;
    /* cppcheck-suppress misra-c2012-11.6 ; PV-D4 hardened range test of a foreign pointer */
    uintptr_t a = (uintptr_t)p;
    for (k = 0u; k <= r->chain.ci; k++) {
        const pv_arena *ar = &r->chain.tab[k].arena;
        /* cppcheck-suppress misra-c2012-11.4 ; PV-D4 hardened range test of a foreign pointer */
        uintptr_t lo = (uintptr_t)ar->base;
        if ((ar->top != 0u) && (a >= lo) && (a < (lo + ar->top))) {
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return old_size <= ((lo + ar->top) - a);
        }
    }
    for (c = r->chain.large; c != NULL; c = c->next) {
        /* cppcheck-suppress misra-c2012-11.4 ; PV-D4 hardened range test of a foreign pointer */
        uintptr_t lo = (uintptr_t)c->arena.base;
        if ((c->arena.top != 0u) && (a >= lo) && (a < (lo + c->arena.top))) {
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return old_size <= ((lo + c->arena.top) - a);
        }
    }
    return false;
}
#endif

/* pv_region_realloc and pv_region_realloc_aligned: align is a valid
 * alignment here (PV_ALIGN for the first). */
static void *realloc_to(pv_region *r, void *p, size_t old_size, size_t new_size, size_t align)
{
    pv__large *old_large;
    void *q;
    if ((new_size == 0u) || (new_size > PV__CHAIN_REQ_MAX)) {
        r->chain.failures = pv__inc(r->chain.failures);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
#if PV_HARDENED
    if (!block_in_region(r, p, old_size)) {
        pv__misuse(PV_MISUSE_BAD_SIZE, r, p);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
#endif
    /* cppcheck-suppress misra-c2012-11.6 ; PV-D4 alignment test of the caller's block */
    if (((old_size > PV_REGION_LARGE) == (new_size > PV_REGION_LARGE)) && (((uintptr_t)p & (align - 1u)) == 0u)) {
        pv__large *lg = r->chain.large;
        pv_arena *a = (old_size > PV_REGION_LARGE) ? ((lg != NULL) ? &lg->arena : NULL)
                                                   : &r->chain.cur->arena;
        size_t before = pv_arena_used(a);
        if (new_size < old_size) {
            region_note_peak(r);
        }
        if (pv_arena_resize(a, p, old_size, new_size)) {
            if (old_size > PV_REGION_LARGE) {
                r->chain.large_in_use = r->chain.large_in_use - before + a->top;
            }
#if PV_HARDENED
            if (new_size < old_size) {
                /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
                /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
                pv__fill((char *)p + new_size, PV_FREE_FILL, old_size - new_size);
            }
#endif
            PV_DBG_RESIZE(a, p, old_size, new_size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }
    /* The newest large block stays freeable although q, if large, is newer. */
    old_large = is_newest_large(r, p, old_size) ? r->chain.large : NULL;
    q = (align == PV_ALIGN) ? pv_region_alloc(r, new_size) : pv_region_alloc_aligned(r, new_size, align);
    if (q == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    pv__copy(q, p, (old_size < new_size) ? old_size : new_size);
    if (old_large != NULL) {
        put_large(r, (r->chain.large == old_large) ? &r->chain.large : &r->chain.large->next, p, old_size);
    } else {
        (void)pv_region_free(r, p, old_size);
    }
    return q;
}

void *pv_region_realloc(pv_region *r, void *p, size_t old_size, size_t new_size)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (p == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv_region_alloc(r, new_size);
    }
    return realloc_to(r, p, old_size, new_size, PV_ALIGN);
}

void *pv_region_realloc_aligned(pv_region *r, void *p, size_t old_size, size_t new_size, size_t align)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if ((p == NULL) || (align == 0u) || (align > PV_ALIGN_MAX) || ((align & (align - 1u)) != 0u)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv_region_alloc_aligned(r, new_size, align); /* counts a bad align as a failure */
    }
    return realloc_to(r, p, old_size, new_size, align);
}

void pv_region_stats(const pv_region *r, pv_stats *out)
{
    size_t u;
    if (out == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    if (r == NULL) {
        pv__fill(out, 0u, sizeof *out);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    pv__chain_stats(&r->chain, out);
    u = region_in_use(r);
    out->in_use = u;
    out->peak_in_use = u;
    if (r->chain.region_peak > out->peak_in_use) {
        out->peak_in_use = r->chain.region_peak;
    }
}
