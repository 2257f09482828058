/* SPDX-License-Identifier: MIT */
/*
 * provalloc region (arena) allocator: many allocations, one release.
 *
 * Blocks are bumped from chunks taken from a backing source. Chunks grow
 * geometrically from PV_REGION_CHUNK_MIN bytes, doubling with each chunk
 * (see pv_chain.h for the capacity this gives); a request above
 * PV_REGION_LARGE bytes gets a chunk of its own. Freeing the
 * most recent block(s) reclaims them (stack-like); freeing any other block is
 * accepted and does nothing until pv_region_reset. Reset keeps every chunk
 * for reuse, in order, so a reused region is as fast as a new one and makes
 * no source calls while its demand does not grow.
 *
 * Sizes: every block is aligned on PV_ALIGN and consumes its size rounded up
 * to PV_ALIGN. As with APR pools or free_sized, the caller passes a block's
 * size to free and realloc (the region keeps no per-block header).
 *
 * Costs: alloc is O(1) (a bump; a new chunk at most once per chunk); free,
 * realloc in place, stats O(1); reset O(large blocks); destroy O(chunks).
 *
 * Thread model: one region per thread (no locking). A pv_region must not be
 * copied or moved after init.
 */
#ifndef PV_REGION_H
#define PV_REGION_H

#include "pv_chain.h"
#include "pv_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Internal: a block above PV_REGION_LARGE lives in a chunk of its own, in
 * source memory that starts with this header (the chain's table holds the
 * small blocks' chunks), newest first. */
typedef struct pv__large {
    pv_arena arena;         /* the block's data, after the header */
    struct pv__large *next; /* the next older large block */
    size_t size;            /* bytes obtained from the source */
} pv__large;

/* Header bytes before a large block's data (a multiple of PV_ALIGN). */
#define PV__LARGE_HDR ((sizeof(pv__large) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)

/* The region's own fields (its large blocks, its peak) are members of the
 * chain object (pv_chain.h), so the chain's contracts cover them. */
typedef struct pv_region {
    pv_chain chain;
} pv_region;

/* Make r an empty region over a backing source (NULL: malloc). Obtains no
 * memory yet. Returns false, and leaves *r untouched, iff r is NULL. */
bool pv_region_init(pv_region *r, const pv_source *src);

/* Give every chunk back to the source. The region is then empty and may be
 * used again (as after init). No-op for NULL. */
void pv_region_destroy(pv_region *r);

/* Release every block; keep the chunks for reuse (large blocks' own chunks
 * go back to the source). No-op for NULL. */
void pv_region_reset(pv_region *r);

/* Everything the inline fast path does not handle (NULL r included). */
void *pv__region_alloc_slow(pv_region *r, size_t size, size_t align);

/* Allocate `size` bytes aligned on PV_ALIGN.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - r is NULL (nothing counted), or
 *   - size is 0, or size > PV__CHAIN_REQ_MAX (about SIZE_MAX/8), or
 *   - a new chunk was needed and: the source returned NULL, or the chunk
 *     table is full (PV_CHAIN_SLOTS chunks, pv_chain.h: past the address
 *     space with the default), or the bytes in use would pass
 *     PV_ARENA_CAP_MAX (PTRDIFF_MAX). */
static inline void *pv_region_alloc(pv_region *r, size_t size)
{
    if ((r != NULL) && (size != 0u) && (size <= PV_REGION_LARGE)) {
        pv_arena *a = &r->chain.cur->arena;
        /* No wrap: top <= cap <= PV_ARENA_CAP_MAX and the rounded size is at
         * most PV_REGION_LARGE; cap and top are multiples of PV_ALIGN, so
         * this is size <= cap - top, pv__arena_bump's precondition. */
        if ((a->top + pv__round(size)) <= a->cap) {
            void *p = pv__arena_bump(a, size);
            PV_DBG_ALLOC(a, p, size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }
    return pv__region_alloc_slow(r, size, PV_ALIGN);
}

/* Allocate `size` bytes aligned on `align`.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - r is NULL (nothing counted), or
 *   - align is not a power of two or is above PV_ALIGN_MAX, or
 *   - size is 0 or size > PV__CHAIN_REQ_MAX, or
 *   - a new chunk was needed and the source returned NULL. */
void *pv_region_alloc_aligned(pv_region *r, size_t size, size_t align);

/* Free block p of `size` bytes (the size it was allocated or last
 * reallocated with). Returns true iff its memory was reclaimed now: p is the
 * most recent block of the current chunk, or the most recent large block
 * (whose chunk goes back to the source). Returns false, and changes
 * nothing, for NULL r or p, size 0, or any other block, which stays
 * allocated until reset (a defined no-op, not an error). */
bool pv__region_free_slow(pv_region *r, void *p, size_t size);
static inline bool pv_region_free(pv_region *r, void *p, size_t size)
{
#if !PV_HARDENED && !PV_DBG_ON
    /* The usual case inline: a small block, in a build that neither fills
     * freed memory nor tells Valgrind/ASan (pv__region_free_slow does). A
     * free that reclaims notes the peak with the in-use from before it. */
    if ((r != NULL) && (p != NULL) && (size != 0u) && (size <= PV_REGION_LARGE)) {
        pv_chunk *c = r->chain.cur;
        size_t top = c->arena.top; /* the in-use before the free, for the peak */
        if (pv_arena_free(&c->arena, p, size)) {
            size_t u = c->before + top + r->chain.large_in_use;
            if (u > r->chain.region_peak) {
                r->chain.region_peak = u;
            }
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return true;
        }
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* not the most recent block: nothing to do, in-use unchanged */
    }
#endif
    return pv__region_free_slow(r, p, size);
}

/* Resize block p from old_size to new_size bytes, keeping its first
 * min(old_size, new_size) bytes.
 * Precondition: p is NULL or a live block of r, and old_size is the size it
 * was allocated or last reallocated with. The region keeps no per-block
 * header, so it cannot tell a wrong old_size in a normal build: a move would
 * copy old_size bytes from p, past the block. The hardened build
 * (PV_HARDENED) checks that p lies in one of r's chunks (or large blocks)
 * and that old_size bytes from p stay below that chunk's top; if not, it
 * reports PV_MISUSE_BAD_SIZE (with p) to the misuse handler and returns
 * NULL, changing nothing (not counted as a failure).
 *   - p NULL: same as pv_region_alloc(r, new_size).
 *   - In place (returns p) iff p is the most recent block of the current
 *     chunk (or the most recent large block), old_size and new_size are on
 *     the same side of PV_REGION_LARGE, and new_size fits in that chunk.
 *   - Otherwise moves it: a new block, the bytes copied, p freed as by
 *     pv_region_free (judged before the new block is made: a p that was the
 *     newest large block gives its chunk back).
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

/* Statistics (all zero for NULL r). */
void pv_region_stats(const pv_region *r, pv_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* PV_REGION_H */
