/* SPDX-License-Identifier: MIT */
/*
 * provalloc region allocator (see pv_region.h for the guarantees).
 */
#include "pv_region.h"
#if PV_HARDENED || !defined(__FRAMAC__)
/* pv__copy (realloc's move, outside the proof) and pv__fill (the hardened
 * build's poison fill): not in the proved configuration (TRUSTED.md N1). */
#include "pv_mem.h"
#endif

/* Make the chain of r (src: a copy, so that it is apart from the object
 * whatever the caller passed). */
/*@ requires valid: \valid(r) && \valid_read(src);
    requires source: pv_src_apart(&r->chain, src->ctx);
    assigns *r;
    ensures region: pv_region_ok(r);
    ensures empty: r->chain.n == 0 && r->chain.ci == 0 && r->chain.tab[0].arena.top == 0;
    ensures sizes: r->chain.min_size == PV_REGION_CHUNK_MIN && r->chain.next_size == PV_REGION_CHUNK_MIN;
    ensures source: r->chain.src.get == \old(src->get) && r->chain.src.put == \old(src->put) &&
                    r->chain.src.ctx == \old(src->ctx);
    ensures stats: r->chain.peak == 0 && r->chain.reserved == 0 && r->chain.chunks == 0 &&
                   r->chain.gets == 0 && r->chain.puts == 0 && r->chain.failures == 0;
    ensures made: \result == \true;
*/
static bool region_make(pv_region *r, const pv_source *src)
{
    pv_source use = *src;
    pv__chain_init(&r->chain, &use, PV_REGION_CHUNK_MIN);
    return true;
}

bool pv_region_init(pv_region *r, const pv_source *src)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    if (src == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return region_make(r, pv_source_malloc());
    }
    return region_make(r, src);
}

void pv_region_destroy(pv_region *r)
{
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
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
#if PV_HARDENED || PV_DBG_ON
    pv__chain_released(&r->chain, 0u, 0u); /* every chunk used */
#endif
    pv__chain_rewind(&r->chain, 0u, 0u);
}

/* An allocation that does not fit in the current chunk: the chain's slow
 * path (a spare or a new chunk), after the refusals. */
/*@ requires region: pv_region_ok(r);
    assigns PV_CHAIN_ALLOC_WRITES(&r->chain);
    behavior bad_request:
      assumes size == 0 || size > PV__CHAIN_REQ_MAX || !pv_align_ok(align);
      assigns r->chain.failures;
      ensures \result == \null;
      ensures refused: PV_CHAIN_REFUSED(&r->chain);
    behavior request:
      assumes 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
      ensures region: pv_region_ok(r);
      ensures data: pv_kept{Pre, Post}(&r->chain, \old(r->chain.n)) &&
                    pv_data_kept{Pre, Post}(&r->chain, \old(r->chain.n));
      ensures fail: \result == \null ==> (PV_CHAIN_FAILED(&r->chain));
      ensures ok: \result != \null ==> PV_CHAIN_BLOCK(&r->chain, (char *)\result, size, align) &&
                  r->chain.failures == \old(r->chain.failures) &&
                  (\old(r->chain.n) == 0 || \old(r->chain.ci) < r->chain.ci);
    complete behaviors;
    disjoint behaviors;
*/
static void *alloc_slow(pv_region *r, size_t size, size_t align)
{
    void *p;
    if ((size == 0u) || (size > PV__CHAIN_REQ_MAX) || !pv__align_ok(align)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_refuse(&r->chain);
    }
    p = pv__chain_alloc_slow(&r->chain, size, align);
    /*@ ghost if (p != NULL) { pv__lemma_aligned_off(&r->chain.tab[r->chain.ci].arena, size, align); } */
#if PV_DBG_ON
    if (p != NULL) {
        PV_DBG_ALLOC(&r->chain.cur->arena, p, size);
    }
#endif
    return p;
}

void *pv_region_alloc_aligned(pv_region *r, size_t size, size_t align)
{
    void *p;
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (pv__chain_fits_aligned(&r->chain, size, align)) {
        p = pv__chain_bump_aligned(&r->chain, size, align);
        PV_DBG_ALLOC(&r->chain.cur->arena, p, size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    return alloc_slow(r, size, align); /* also rejects a bad align */
}

/* pv_region_free, all of it (inline in the proved configuration). */
bool pv__region_free_slow(pv_region *r, void *p, size_t size)
{
    if ((r == NULL) || !pv__chain_is_last(&r->chain, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* not the most recent block (a NULL p is none): nothing to do */
    }
    pv__chain_set_top(&r->chain, r->chain.cur->arena.top - pv__round(size));
#if PV_HARDENED
    pv__fill(p, PV_FREE_FILL, size);
#endif
#if PV_DBG_ON
    PV_DBG_FREE(&r->chain.cur->arena, p, size);
#endif
    return true;
}

/* Can realloc keep p where it is? Iff it is the most recent block of the
 * current chunk, aligned on align, and new_size fits in the chunk from its
 * start: the top moves to the block's new end. */
/*@ requires region: pv_region_ok(r);
    requires size: 1 <= new_size <= PV__CHAIN_REQ_MAX;
    requires align: pv_align_ok(align);
    assigns r->chain.peak, r->chain.tab[r->chain.ci].arena.top;
    behavior resized:
      assumes pv_is_last(&r->chain.tab[r->chain.ci].arena, (char *)p, old_size) &&
              pv_aligned_off(&r->chain.tab[r->chain.ci].arena,
                             r->chain.tab[r->chain.ci].arena.top - pv_round(old_size), align) &&
              new_size <= r->chain.tab[r->chain.ci].arena.cap -
                          (r->chain.tab[r->chain.ci].arena.top - pv_round(old_size));
      ensures in_place: \result == \true;
      ensures region: pv_region_ok(r);
      ensures top: r->chain.tab[r->chain.ci].arena.top ==
                   \old(r->chain.tab[r->chain.ci].arena.top) - pv_round(old_size) + pv_round(new_size);
      ensures at_block: (char *)p + pv_round(new_size) ==
                        r->chain.tab[r->chain.ci].arena.base + r->chain.tab[r->chain.ci].arena.top;
      ensures valid: \valid((char *)p + (0 .. new_size - 1));
      ensures peak: r->chain.peak == pv_max(\old(pv_in_use(&r->chain)), \old(r->chain.peak));
    behavior moves:
      assumes !(pv_is_last(&r->chain.tab[r->chain.ci].arena, (char *)p, old_size) &&
                pv_aligned_off(&r->chain.tab[r->chain.ci].arena,
                               r->chain.tab[r->chain.ci].arena.top - pv_round(old_size), align) &&
                new_size <= r->chain.tab[r->chain.ci].arena.cap -
                            (r->chain.tab[r->chain.ci].arena.top - pv_round(old_size)));
      assigns \nothing;
      ensures \result == \false;
    complete behaviors;
    disjoint behaviors;
*/
static bool region_resize(pv_region *r, void *p, size_t old_size, size_t new_size, size_t align)
{
    /* the current chunk through the table: through cur, the provers do not
     * see the fields the contract names (proofs/README.md, "The stack") */
    const pv_arena *a = &r->chain.tab[r->chain.ci].arena;
    size_t start;
    if (!pv__chain_is_last(&r->chain, p, old_size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    start = a->top - pv__round(old_size);
    if ((new_size > (a->cap - start)) || (((a->bias + start) % align) != 0u)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* no room, or not aligned as asked: it moves */
    }
#if PV_HARDENED
    if (new_size < old_size) {
        /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
        /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
        pv__fill((char *)p + new_size, PV_FREE_FILL, old_size - new_size);
    }
#endif
    pv__chain_set_top(&r->chain, pv__end(start, new_size));
    return true;
}

#ifndef __FRAMAC__
#if PV_HARDENED
/* Does the block p of old_size bytes lie below the top of one of r's chunks
 * in use (tab[0 .. ci])? Reads nothing but r's own descriptors; compares
 * addresses as integers, p may be foreign. */
static bool block_in_region(const pv_region *r, const void *p, size_t old_size)
{
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
    return false;
}
#endif

/* NOT PROVED (proofs/TRUSTED.md N1, proofs/README.md "The region"): the
 * move (a new block, then the copy of the first min(old_size, new_size)
 * bytes) needs a contract saying that p is a live block of r, which is not
 * written yet. Everything it decides with is proved: resize_in_place (when
 * p stays), pv_region_alloc and pv_region_alloc_aligned (the new block,
 * fresh), pv__chain_refuse. align is a valid alignment here (PV_ALIGN for
 * pv_region_realloc). */
static void *realloc_to(pv_region *r, void *p, size_t old_size, size_t new_size, size_t align)
{
    void *q;
    if ((new_size == 0u) || (new_size > PV__CHAIN_REQ_MAX)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_refuse(&r->chain);
    }
#if PV_HARDENED
    if (!block_in_region(r, p, old_size)) {
        pv__misuse(PV_MISUSE_BAD_SIZE, r, p);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
#endif
    if (region_resize(r, p, old_size, new_size, align)) {
        PV_DBG_RESIZE(&r->chain.cur->arena, p, old_size, new_size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    q = (align == PV_ALIGN) ? pv_region_alloc(r, new_size) : pv_region_alloc_aligned(r, new_size, align);
    if (q == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    pv__copy(q, p, (old_size < new_size) ? old_size : new_size);
    return q; /* p is not the most recent block now: it stays until reset */
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
    if ((p == NULL) || !pv__align_ok(align)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv_region_alloc_aligned(r, new_size, align); /* counts a bad align as a failure */
    }
    return realloc_to(r, p, old_size, new_size, align);
}
#endif

void pv_region_stats(const pv_region *r, pv_stats *out)
{
    if (out == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    if (r == NULL) {
        out->in_use = 0u;
        out->peak_in_use = 0u;
        out->reserved = 0u;
        out->chunks = 0u;
        out->source_gets = 0u;
        out->source_puts = 0u;
        out->failures = 0u;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    pv__chain_stats(&r->chain, out);
}
