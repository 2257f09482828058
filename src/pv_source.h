/* SPDX-License-Identifier: MIT */
/*
 * provalloc hosted layer: backing sources, statistics, misuse reports.
 *
 * A backing source hands the allocators big chunks (region, stack) or pages
 * (FIFO) and takes them back. Two come with the library:
 *   - pv_source_malloc(): the C library's malloc/free (the default; with
 *     PV_NO_MALLOC=1, a source that always fails);
 *   - pv_static_source: a caller's static buffer, for programs with no heap.
 * Any other is a pv_source with two functions of your own.
 */
#ifndef PV_SOURCE_H
#define PV_SOURCE_H

#include "pv_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Alignment of every chunk a source returns (a source must honour it). */
#define PV_SOURCE_ALIGN 8u

/* Internal: bytes the allocators add to each request so that a chunk aligned
 * only on PV_SOURCE_ALIGN still holds its data aligned on PV_ALIGN (0 unless
 * PV_ALIGN > PV_SOURCE_ALIGN). */
#define PV__SOURCE_SLACK                                                                          \
    ((PV_ALIGN > PV_SOURCE_ALIGN) ? (size_t)PV_ALIGN - (size_t)PV_SOURCE_ALIGN : (size_t)0)

/* A backing source.
 * get(ctx, size): `size` bytes aligned on PV_SOURCE_ALIGN, or NULL.
 * put(ctx, p, size): give back a block from get, with the size asked for.
 * The allocators never call put with NULL. */
typedef struct pv_source {
    void *(*get)(void *ctx, size_t size);
    void (*put)(void *ctx, void *p, size_t size);
    void *ctx;
} pv_source;

/* The C library's malloc and free. With PV_NO_MALLOC=1 (pv_config.h) a
 * source whose get always returns NULL instead, as there is no heap. Never
 * fails (returns a static object). */
const pv_source *pv_source_malloc(void);

/* A caller's buffer as a backing source: chunks are cut from the buffer in
 * order; a chunk given back is reused by a later request of exactly the same
 * size (the allocators ask for a few fixed sizes), and one that ends at the
 * top of what has been cut goes straight back to the buffer, followed by
 * every chunk given back earlier that then ends there. Nothing else is ever
 * freed: size the buffer for the peak.
 * The chunks given back are recorded in a table in the object, never in the
 * buffer (the source writes nothing into the buffer). When the table is full
 * (PV_STATIC_FREE_SLOTS entries, pv_config.h), a chunk given back that is
 * not at the top cannot be recorded: it is never reused, and is counted in
 * lost_chunks and lost_bytes (its bytes rounded up to PV_ALIGN; both
 * saturate at SIZE_MAX). Proved: src/pv_static.c, proofs/TRUSTED.md T13. */
typedef struct pv_static_slot {
    char  *mem;  /* a chunk given back */
    size_t size; /* the size it was asked with */
} pv_static_slot;

typedef struct pv_static_source {
    pv_source source; /* pass &s->source to the allocators */
    pv_arena arena;   /* the buffer; chunks are cut at its top */
    pv_static_slot freed[PV_STATIC_FREE_SLOTS]; /* chunks given back, [0, nfreed) */
    size_t nfreed;
    size_t lost_chunks; /* chunks given back with the table full: never reused */
    size_t lost_bytes;  /* their bytes (each rounded up to PV_ALIGN) */
} pv_static_source;

/* Make s a source over buf[0 .. len-1].
 * Returns false, and leaves *s untouched, iff s or buf is NULL or the buffer
 * is too small for one aligned granule or too large (see pv_arena_init).
 * The caller keeps *s outside buf (proofs/TRUSTED.md T3). */
bool pv_static_source_init(pv_static_source *s, void *buf, size_t len);

/* Statistics, the same for every allocator. All counts since init. */
typedef struct pv_stats {
    size_t in_use;        /* bytes consumed by blocks now (rounded, with padding) */
    size_t peak_in_use;   /* largest in_use ever seen */
    size_t reserved;      /* bytes held from the backing source now */
    size_t chunks;        /* chunks or pages held now */
    size_t source_gets;   /* calls to source->get (failed ones included) */
    size_t source_puts;   /* calls to source->put */
    size_t failures;      /* requests that returned NULL or false for lack of
                             memory or bad arguments (not NULL handles) */
} pv_stats;

/* Misuse reports (double free, foreign pointer, mismatched pop, a region
 * realloc's wrong old size). Freeing a
 * region or stack block that is not the most recent is not misuse: it is a
 * documented no-op. The library
 * never prints: it calls the handler, then returns the documented failure
 * result. The default handler does nothing. Set one handler for the whole
 * program before any allocator is used (the only global of the hosted
 * layer; the verified core has none). */
typedef enum pv_misuse {
    PV_MISUSE_DOUBLE_FREE = 1,  /* FIFO: a block freed twice */
    PV_MISUSE_FOREIGN_PTR = 2,  /* FIFO: a pointer it did not hand out */
    PV_MISUSE_BAD_COOKIE = 3,   /* stack: pop with a wrong, stale or foreign cookie */
    PV_MISUSE_BAD_SIZE = 4      /* region (hardened): realloc of a pointer in no chunk, or
                                   with an old size past the top of its chunk */
} pv_misuse;

typedef void (*pv_misuse_fn)(pv_misuse kind, const void *allocator, const void *ptr);

/* Install a handler (NULL restores the default, which ignores reports) and
 * return the previous one. */
pv_misuse_fn pv_set_misuse_handler(pv_misuse_fn fn);

/* For the allocators: a statistics counter plus one. Counters saturate at
 * SIZE_MAX instead of wrapping (2^32 events on a 32-bit target). */
/*@ assigns \nothing;
    ensures inc: \result == (x < SIZE_MAX ? x + 1 : x);
*/
static inline size_t pv__inc(size_t x)
{
    size_t r = x;
    if (x < SIZE_MAX) {
        r = x + 1u;
    }
    return r;
}

/* For the allocators: report a misuse to the installed handler.
 * TRUSTED (proofs/TRUSTED.md T17): the handler writes nothing an
 * allocator owns; pv_source.c is not part of the proved units. */
/*@ assigns \nothing; */
void pv__misuse(pv_misuse kind, const void *allocator, const void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* PV_SOURCE_H */
