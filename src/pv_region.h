/* SPDX-License-Identifier: MIT */
/*
 * provalloc region (arena) allocator: many allocations, one release.
 *
 * Blocks are bumped from chunks taken from a backing source: the chunk
 * chain of pv_chain.h, alone. Chunks grow geometrically from
 * PV_REGION_CHUNK_MIN bytes, doubling with each chunk obtained, and a
 * request that fits in no chunk held gets a chunk of max(next size, what it
 * needs): k chunks hold at least PV_REGION_CHUNK_MIN * (2^k - 1) bytes, and
 * the chunk table (PV_CHAIN_SLOTS entries) fills only past the address
 * space. Freeing the most recent block(s) reclaims them (stack-like);
 * freeing any other block is accepted and does nothing until
 * pv_region_reset. Reset keeps every chunk for reuse, in order, so a reused
 * region is as fast as a new one and makes no source calls while its demand
 * does not grow: what it holds is at most what its peak needed. Destroy
 * gives every chunk back.
 *
 * Sizes: every block is aligned on PV_ALIGN (or on the alignment asked) and
 * consumes its size rounded up to PV_ALIGN. As with APR pools or
 * free_sized, the caller passes a block's size to free and realloc (the
 * region keeps no per-block header).
 *
 * Costs: alloc is O(1) (a bump; a new chunk at most once per chunk); free,
 * realloc in place, reset, stats O(1); destroy O(chunks).
 *
 * Thread model: one region per thread (no locking). A pv_region must not be
 * copied or moved after init.
 *
 * Proof shape (Frama-C WP, proofs/README.md "The region"): the region is
 * its chain; pv_region_ok is pv_chain_ok. Every write is one of the chain's
 * proved helpers (pv__chain_bump, pv__chain_bump_aligned,
 * pv__chain_set_top, pv__chain_alloc_slow, pv__chain_rewind,
 * pv__chain_release). Until 2026-12 a block above 2 KiB took a chunk of its
 * own, on a list in source memory; a list needs a recursive predicate,
 * whose every write costs the prover an induction (proofs/README.md), so
 * such blocks now live in the chain like the others.
 */
#ifndef PV_REGION_H
#define PV_REGION_H

#include "pv_chain.h"
#include "pv_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pv_region {
    pv_chain chain;
} pv_region;

/* Internal: the largest request whose fit pv_region_alloc tests as
 * top + round(size) <= cap, a sum that cannot wrap below any bound up to
 * PV__CHAIN_REQ_MAX (larger ones are tested as size <= cap - top). */
#define PV__REGION_FAST_MAX ((size_t)PV_REGION_CHUNK_MIN)

#ifdef __FRAMAC__
/* cppcheck-suppress misra-c2012-20.1 ; PV-D10 ACSL logic for Frama-C only, after the types it uses */
#include "pv_region.acsl"
#endif

/* Make r an empty region over a backing source (NULL: malloc). Obtains no
 * memory yet. Returns false, and leaves *r untouched, iff r is NULL. */
/*@ requires valid: r == \null || \valid(r);
    requires source: r != \null && src != \null ==>
               \valid_read(src) && \separated(&r->chain, src) && pv_src_apart(&r->chain, src->ctx);
    assigns *r;
    behavior null:
      assumes r == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior made:
      assumes r != \null;
      ensures \result == \true;
      ensures region: pv_region_ok(r);
      ensures empty: r->chain.n == 0 && r->chain.ci == 0 && r->chain.tab[0].arena.top == 0;
      ensures sizes: r->chain.min_size == PV_REGION_CHUNK_MIN && r->chain.next_size == PV_REGION_CHUNK_MIN;
      ensures source: src != \null ==> r->chain.src.get == \old(src->get) &&
                        r->chain.src.put == \old(src->put) && r->chain.src.ctx == \old(src->ctx);
      ensures stats: r->chain.peak == 0 && r->chain.reserved == 0 && r->chain.chunks == 0 &&
                     r->chain.gets == 0 && r->chain.puts == 0 && r->chain.failures == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pv_region_init(pv_region *r, const pv_source *src);

/* Give every chunk back to the source. The region is then empty and may be
 * used again (as after init). No-op for NULL. */
/*@ requires handle: pv_region_handle(r);
    assigns r->chain.peak, r->chain.reserved, r->chain.chunks, r->chain.puts, r->chain.cur, r->chain.ci,
            r->chain.n, r->chain.next_size, r->chain.tab[0 .. PV_CHAIN_SLOTS - 1],
            PV_SRC_STATE(r->chain.src.ctx), { *p | char *p; pv_in_given(&r->chain, p) };
    behavior null:
      assumes r == \null;
      assigns \nothing;
    behavior destroyed:
      assumes r != \null;
      ensures region: pv_region_ok(r);
      ensures empty: r->chain.n == 0 && r->chain.ci == 0 && r->chain.tab[0].arena.top == 0;
      ensures counters: r->chain.chunks == pv_sub_floor(\old(r->chain.chunks), \old(r->chain.n)) &&
                        r->chain.puts == pv_add_sat(\old(r->chain.puts), \old(r->chain.n));
      ensures peak: r->chain.peak == pv_max(\old(pv_in_use(&r->chain)), \old(r->chain.peak));
    complete behaviors;
    disjoint behaviors;
*/
void pv_region_destroy(pv_region *r);

/* Release every block; keep the chunks for reuse (the first becomes
 * current, the others spares, emptied when they are reached). No-op for
 * NULL. */
/*@ requires handle: pv_region_handle(r);
    assigns r->chain.peak, r->chain.cur, r->chain.ci, r->chain.tab[0].arena.top;
    behavior null:
      assumes r == \null;
      assigns \nothing;
    behavior reset:
      assumes r != \null;
      ensures region: pv_region_ok(r);
      ensures empty: r->chain.ci == 0 && r->chain.tab[0].arena.top == 0;
      ensures peak: r->chain.peak == pv_max(\old(pv_in_use(&r->chain)), \old(r->chain.peak));
    complete behaviors;
    disjoint behaviors;
*/
void pv_region_reset(pv_region *r);

/* Allocate `size` bytes aligned on `align`.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - r is NULL (nothing counted), or
 *   - align is not a power of two or is above PV_ALIGN_MAX, or
 *   - size is 0, or
 *   - the block does not fit in the current chunk and size >
 *     PV__CHAIN_REQ_MAX, or
 *   - a new chunk was needed and could not be had (as pv_region_alloc). */
/*@ requires handle: pv_region_handle(r);
    assigns PV_CHAIN_ALLOC_WRITES(&r->chain);
    behavior null:
      assumes r == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior bad_request:
      assumes r != \null && (size == 0 || !pv_align_ok(align) ||
              (!pv_fits_aligned(&r->chain.tab[r->chain.ci].arena, size, align) && size > PV__CHAIN_REQ_MAX));
      ensures \result == \null;
      ensures refused: PV_CHAIN_REFUSED(&r->chain);
    behavior fits:
      assumes r != \null && size != 0 && pv_align_ok(align) &&
              pv_fits_aligned(&r->chain.tab[r->chain.ci].arena, size, align);
      assigns r->chain.tab[r->chain.ci].arena.top;
      ensures region: pv_region_ok(r);
      ensures top: r->chain.tab[r->chain.ci].arena.top ==
                   \old(r->chain.tab[r->chain.ci].arena.top) + \old(pv_pad(&r->chain.tab[r->chain.ci].arena, align)) +
                   pv_round(size);
      ensures block: \result != \null && PV_CHAIN_BLOCK(&r->chain, (char *)\result, size, align);
    behavior new_chunk:
      assumes r != \null && 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align) &&
              !pv_fits_aligned(&r->chain.tab[r->chain.ci].arena, size, align);
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
void *pv_region_alloc_aligned(pv_region *r, size_t size, size_t align);

#ifdef __FRAMAC__
/* On the granule, an arena needs no padding: an aligned request on PV_ALIGN
 * fits exactly when its size does (pv_region_alloc's out-of-line path is
 * pv_region_alloc_aligned on PV_ALIGN). A lemma function: proved on its
 * empty body, a hypothesis only where it is called. */
/*@ ghost
  /@ requires arena: pv_arena_ok(a);
     assigns \nothing;
     ensures pad: pv_pad(a, PV_ALIGN) == 0;
     ensures fits: pv_fits_aligned(a, size, PV_ALIGN) <==> size <= pv_avail(a);
  @/
  static void pv__region_lemma_granule(pv_arena *a, size_t size) { }
*/
#endif

/* Allocate `size` bytes aligned on PV_ALIGN.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - r is NULL (nothing counted), or
 *   - size is 0, or
 *   - size does not fit in the current chunk and size > PV__CHAIN_REQ_MAX
 *     (about SIZE_MAX/8), or
 *   - a new chunk was needed and: the source returned NULL, or the chunk
 *     table is full (PV_CHAIN_SLOTS chunks, pv_chain.h: past the address
 *     space with the default), or the bytes in use would pass
 *     PV_ARENA_CAP_MAX (PTRDIFF_MAX). */
/*@ requires handle: pv_region_handle(r);
    assigns PV_CHAIN_ALLOC_WRITES(&r->chain);
    behavior null:
      assumes r == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior bad_request:
      assumes r != \null && (size == 0 ||
              (size > pv_avail(&r->chain.tab[r->chain.ci].arena) && size > PV__CHAIN_REQ_MAX));
      ensures \result == \null;
      ensures refused: PV_CHAIN_REFUSED(&r->chain);
    behavior fits:
      assumes r != \null && 1 <= size <= pv_avail(&r->chain.tab[r->chain.ci].arena);
      assigns r->chain.tab[r->chain.ci].arena.top;
      ensures region: pv_region_ok(r);
      ensures top: r->chain.tab[r->chain.ci].arena.top ==
                   \old(r->chain.tab[r->chain.ci].arena.top) + pv_round(size);
      ensures block: \result != \null && PV_CHAIN_BLOCK(&r->chain, (char *)\result, size, PV_ALIGN);
    behavior new_chunk:
      assumes r != \null && pv_avail(&r->chain.tab[r->chain.ci].arena) < size <= PV__CHAIN_REQ_MAX;
      ensures region: pv_region_ok(r);
      ensures data: pv_kept{Pre, Post}(&r->chain, \old(r->chain.n)) &&
                    pv_data_kept{Pre, Post}(&r->chain, \old(r->chain.n));
      ensures fail: \result == \null ==> (PV_CHAIN_FAILED(&r->chain));
      ensures ok: \result != \null ==> PV_CHAIN_BLOCK(&r->chain, (char *)\result, size, PV_ALIGN) &&
                  r->chain.failures == \old(r->chain.failures) &&
                  (\old(r->chain.n) == 0 || \old(r->chain.ci) < r->chain.ci);
    complete behaviors;
    disjoint behaviors;
*/
static inline void *pv_region_alloc(pv_region *r, size_t size)
{
    void *p;
    if (r == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    /* A request that fits in the current chunk: tested as top + round(size)
     * <= cap up to PV__REGION_FAST_MAX bytes (the sum cannot wrap; the
     * compiler shares it with the bump's new top), as size <= cap - top
     * above. */
    if ((size != 0u) && (size <= PV__REGION_FAST_MAX)) {
        if ((r->chain.cur->arena.top + pv__round(size)) <= r->chain.cur->arena.cap) {
            p = pv__chain_bump(&r->chain, size);
            PV_DBG_ALLOC(&r->chain.cur->arena, p, size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    } else if ((size != 0u) && (size <= (r->chain.cur->arena.cap - r->chain.cur->arena.top))) {
        p = pv__chain_bump(&r->chain, size);
        PV_DBG_ALLOC(&r->chain.cur->arena, p, size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    } else {
        /* does not fit, or size 0: out of line */
    }
    /*@ ghost pv__region_lemma_granule(&r->chain.cur->arena, size); */
    return pv_region_alloc_aligned(r, size, PV_ALIGN);
}

/* Free block p of `size` bytes (the size it was allocated or last
 * reallocated with). Returns true iff its memory was reclaimed: p is the
 * most recent block of the current chunk (it ends at the chunk's top).
 * Returns false, and changes nothing, for NULL r or p, size 0, or any other
 * block, which stays allocated until reset (a defined no-op, not an
 * error). */
/*@ requires handle: pv_region_handle(r);
    assigns r->chain.peak, r->chain.tab[r->chain.ci].arena.top;
    behavior null:
      assumes r == \null || p == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior freed:
      assumes r != \null && p != \null && pv_is_last(&r->chain.tab[r->chain.ci].arena, (char *)p, size);
      ensures \result == \true;
      ensures region: pv_region_ok(r);
      ensures top: r->chain.tab[r->chain.ci].arena.top == \old(r->chain.tab[r->chain.ci].arena.top) - pv_round(size);
      ensures at_block: (char *)p == r->chain.tab[r->chain.ci].arena.base + r->chain.tab[r->chain.ci].arena.top;
      ensures peak: r->chain.peak == pv_max(\old(pv_in_use(&r->chain)), \old(r->chain.peak));
    behavior kept:
      assumes r != \null && p != \null && !pv_is_last(&r->chain.tab[r->chain.ci].arena, (char *)p, size);
      assigns \nothing;
      ensures \result == \false;
    complete behaviors;
    disjoint behaviors;
*/
bool pv__region_free_slow(pv_region *r, void *p, size_t size);

/* Same contract as pv__region_free_slow, which it is in a build that fills
 * freed memory or tells Valgrind/ASan; inline otherwise. */
/*@ requires handle: pv_region_handle(r);
    assigns r->chain.peak, r->chain.tab[r->chain.ci].arena.top;
    behavior null:
      assumes r == \null || p == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior freed:
      assumes r != \null && p != \null && pv_is_last(&r->chain.tab[r->chain.ci].arena, (char *)p, size);
      ensures \result == \true;
      ensures region: pv_region_ok(r);
      ensures top: r->chain.tab[r->chain.ci].arena.top == \old(r->chain.tab[r->chain.ci].arena.top) - pv_round(size);
      ensures at_block: (char *)p == r->chain.tab[r->chain.ci].arena.base + r->chain.tab[r->chain.ci].arena.top;
      ensures peak: r->chain.peak == pv_max(\old(pv_in_use(&r->chain)), \old(r->chain.peak));
    behavior kept:
      assumes r != \null && p != \null && !pv_is_last(&r->chain.tab[r->chain.ci].arena, (char *)p, size);
      assigns \nothing;
      ensures \result == \false;
    complete behaviors;
    disjoint behaviors;
*/
static inline bool pv_region_free(pv_region *r, void *p, size_t size)
{
#if !PV_HARDENED && !PV_DBG_ON
    if ((r == NULL) || !pv__chain_is_last(&r->chain, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* not the most recent block (a NULL p is none): nothing to do */
    }
    pv__chain_set_top(&r->chain, r->chain.cur->arena.top - pv__round(size));
    return true;
#else
    return pv__region_free_slow(r, p, size);
#endif
}

/* Resize block p from old_size to new_size bytes, keeping its first
 * min(old_size, new_size) bytes.
 * Precondition: p is NULL or a live block of r, and old_size is the size it
 * was allocated or last reallocated with. The region keeps no per-block
 * header, so it cannot tell a wrong old_size in a normal build: a move would
 * copy old_size bytes from p, past the block. The hardened build
 * (PV_HARDENED) checks that p lies in one of r's chunks in use and that
 * old_size bytes from p stay below that chunk's top; if not, it reports
 * PV_MISUSE_BAD_SIZE (with p) to the misuse handler and returns NULL,
 * changing nothing (not counted as a failure).
 *   - p NULL: same as pv_region_alloc(r, new_size).
 *   - In place (returns p) iff p is the most recent block of the current
 *     chunk and new_size fits in that chunk from p on: the top moves to the
 *     block's new end.
 *   - Otherwise moves it: a new block as by pv_region_alloc, the bytes
 *     copied; p stays allocated until reset (it is not the most recent).
 * Returns NULL, and leaves p and its contents untouched, iff r is NULL,
 * new_size is 0 or too large, or a new block was needed and could not be
 * had. The moved block is aligned on PV_ALIGN only: to keep a larger
 * alignment, use pv_region_realloc_aligned. */
void *pv_region_realloc(pv_region *r, void *p, size_t old_size, size_t new_size);

/* pv_region_realloc for a block that must stay aligned on `align` (a power
 * of two, at most PV_ALIGN_MAX): the same, with two differences.
 *   - In place (returns p) iff pv_region_realloc would resize in place and
 *     p is aligned on align; otherwise the new block is allocated as by
 *     pv_region_alloc_aligned(r, new_size, align), so it is aligned on
 *     align (p NULL included).
 *   - Returns NULL, and leaves p and its contents untouched (counted as a
 *     failure), also iff align is not a power of two or is above
 *     PV_ALIGN_MAX; or, in the hardened build, reports a wrong old_size as
 *     pv_region_realloc does. */
void *pv_region_realloc_aligned(pv_region *r, void *p, size_t old_size, size_t new_size, size_t align);

/* Statistics (all zero for NULL r; nothing written for NULL out). */
/*@ requires handle: pv_region_handle(r);
    requires out: out == \null || (\valid(out) && (r == \null || \separated(out, &r->chain)));
    assigns *out;
    behavior no_out:
      assumes out == \null;
      assigns \nothing;
    behavior null:
      assumes out != \null && r == \null;
      ensures zero: out->in_use == 0 && out->peak_in_use == 0 && out->reserved == 0 && out->chunks == 0 &&
                    out->source_gets == 0 && out->source_puts == 0 && out->failures == 0;
    behavior live:
      assumes out != \null && r != \null;
      ensures in_use: out->in_use == pv_in_use(&r->chain);
      ensures peak: out->peak_in_use == pv_max(pv_in_use(&r->chain), r->chain.peak);
      ensures counts: out->reserved == r->chain.reserved && out->chunks == r->chain.chunks &&
                      out->source_gets == r->chain.gets && out->source_puts == r->chain.puts &&
                      out->failures == r->chain.failures;
    complete behaviors;
    disjoint behaviors;
*/
void pv_region_stats(const pv_region *r, pv_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* PV_REGION_H */
