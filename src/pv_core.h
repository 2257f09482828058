/* SPDX-License-Identifier: MIT */
/*
 * provalloc verified core: a bump arena over a caller-supplied buffer.
 *
 * Freestanding: needs only <stddef.h>, <stdint.h>, <stdbool.h>; no malloc,
 * no I/O, no global state. Every function below is proved with Frama-C WP
 * against the contract written above it (make prove); what the proof assumes
 * is listed in proofs/TRUSTED.md.
 *
 * Capacity arithmetic. An arena over a buffer of `len` bytes skips at most
 * PV_ALIGN-1 leading bytes to align its base on PV_ALIGN and drops the tail
 * that does not fill a whole granule, so
 *     capacity = floor((len - skip) / PV_ALIGN) * PV_ALIGN >= len - 2*(PV_ALIGN-1).
 * A plain allocation of n >= 1 bytes consumes round(n) = ceil(n / PV_ALIGN) *
 * PV_ALIGN bytes, so k allocations of n bytes always fit when
 * k * round(n) <= capacity. An aligned allocation consumes in addition at most
 * align - PV_ALIGN bytes of padding. No arithmetic in this file can wrap:
 * capacity <= PV_ARENA_CAP_MAX < SIZE_MAX / 2 and every size is compared with
 * the free space before it is rounded.
 *
 * Every operation is O(1); none loops.
 *
 * Blocks are freed in LIFO order by size (as with free_sized): the core keeps
 * no per-block header, so the caller passes the size it asked for. A block is
 * "the most recent" when it ends at the current top; freeing or resizing any
 * other block is a defined no-op that returns false.
 *
 * Thread model: an arena is used by one thread at a time; distinct arenas are
 * independent.
 */
#ifndef PV_CORE_H
#define PV_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "pv_config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PV_VERSION_MAJOR 0
#define PV_VERSION_MINOR 1
#define PV_VERSION_PATCH 0
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 public macro for users */
#define PV_VERSION_STRING "0.1.0"

/* Largest capacity of one arena: keeps every sum below SIZE_MAX/2 and every
 * offset representable as ptrdiff_t. A multiple of PV_ALIGN_MAX. */
#define PV_ARENA_CAP_MAX ((size_t)PTRDIFF_MAX - (size_t)PV_ALIGN_MAX + 1u)

/* The arena. Fields are public so the hosted allocators can inline their
 * fast paths; only the functions below change them. */
typedef struct pv_arena {
    char  *base; /* first usable byte, aligned on PV_ALIGN */
    size_t cap;  /* usable bytes [base, base + cap), a multiple of PV_ALIGN */
    size_t top;  /* bytes handed out [base, base + top), a multiple of PV_ALIGN */
    size_t bias; /* address of base modulo PV_ALIGN_MAX */
} pv_arena;

/* A position to rewind to: the top at the time of pv_arena_mark_get. */
typedef struct pv_arena_mark {
    size_t top;
} pv_arena_mark;

/* An arena that holds nothing; every allocation from it fails. */
#define PV_ARENA_EMPTY { NULL, 0u, 0u, 0u }

#ifdef __FRAMAC__
/* cppcheck-suppress misra-c2012-20.1 ; PV-D10 ACSL logic for Frama-C only, after the type it uses */
#include "pv_arena.acsl"
#endif

/* The hot functions are defined at the end of this header, static inline, so
 * that the allocators' fast paths compile to a few instructions. */
#define PV_CORE_API static inline

/* Version of the library (the numbers above, as one integer
 * MAJOR*10000 + MINOR*100 + PATCH). Never fails. */
/*@ assigns \nothing;
    ensures version: \result == PV_VERSION_MAJOR * 10000 + PV_VERSION_MINOR * 100 + PV_VERSION_PATCH;
*/
uint32_t pv_version(void);

/* Make `a` an empty arena over buf[0 .. len-1].
 * Returns false, and leaves *a untouched, iff
 *   - a or buf is NULL, or
 *   - len > PV_ARENA_CAP_MAX, or
 *   - len < 2 * PV_ALIGN - 1: too short to hold one aligned granule
 *     wherever it starts (a shorter buffer is refused even where its
 *     address would leave one: the result never depends on the address).
 * Otherwise it succeeds, and the arena's capacity is given by the arithmetic
 * in the file header.
 * The caller promises that buf[0 .. len-1] is memory it owns, that does not
 * overlap *a, and that it stays valid for as long as the arena is used. */
/*@ requires buf_valid: len > 0 ==> \valid((char *)buf + (0 .. len - 1));
    requires handle_valid: a == \null || \valid(a);
    requires separated: \separated(a, (char *)buf + (0 .. len - 1));
    assigns *a;
    behavior null_arg:
      assumes a == \null || buf == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior too_large:
      assumes a != \null && buf != \null && len > PV_ARENA_CAP_MAX;
      assigns \nothing;
      ensures \result == \false;
    behavior too_small:
      assumes a != \null && buf != \null && len <= PV_ARENA_CAP_MAX && len < 2 * PV_ALIGN - 1;
      assigns \nothing;
      ensures \result == \false;
    behavior ok:
      assumes a != \null && buf != \null && 2 * PV_ALIGN - 1 <= len <= PV_ARENA_CAP_MAX;
      ensures result: \result == \true;
      ensures invariant: pv_arena_ok(a) && a->top == 0 && a->cap > 0;
      ensures inside: \exists integer skip; 0 <= skip < PV_ALIGN && a->base == (char *)buf + skip &&
                 skip + a->cap <= len;
      ensures capacity: a->cap + 2 * (PV_ALIGN - 1) >= len;
    complete behaviors;
    disjoint behaviors;
*/
bool pv_arena_init(pv_arena *a, void *buf, size_t len);

/* Allocate `size` bytes aligned on PV_ALIGN, just above every block still live.
 * Returns NULL, and changes nothing, iff
 *   - a is NULL, or
 *   - size is 0, or
 *   - size > pv_arena_available(a).
 * Otherwise returns a block [p, p + size) inside the arena, at the old top
 * (so disjoint from every live block), and the top moves up by round(size). */
/*@ requires handle: pv_arena_handle(a);
    assigns a->top;
    behavior null_handle:
      assumes a == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior zero_size:
      assumes a != \null && size == 0;
      assigns \nothing;
      ensures \result == \null;
      ensures unchanged: a->top == \old(a->top);
    behavior no_room:
      assumes a != \null && size != 0 && size > pv_avail(a);
      assigns \nothing;
      ensures \result == \null;
      ensures unchanged: a->top == \old(a->top);
    behavior ok:
      assumes a != \null && size != 0 && size <= pv_avail(a);
      assigns a->top;
      ensures invariant: pv_arena_ok(a);
      ensures fresh: (char *)\result == a->base + \old(a->top);
      ensures consumed: a->top == \old(a->top) + pv_round(size);
      ensures valid: \valid((char *)\result + (0 .. size - 1));
      ensures disjoint: \separated((char *)\result + (0 .. size - 1), a);
      ensures aligned: pv_aligned_off(a, \old(a->top), PV_ALIGN);
    complete behaviors;
    disjoint behaviors;
*/
PV_CORE_API void *pv_arena_alloc(pv_arena *a, size_t size);

/* Allocate `size` bytes whose address is a multiple of `align`, just above
 * every block still live. Padding skipped to align the block stays consumed
 * until a rewind or reset.
 * Returns NULL, and changes nothing, iff
 *   - a is NULL, or
 *   - align is not a power of two, or is above PV_ALIGN_MAX (0 included), or
 *   - size is 0, or
 *   - the padding plus round(size) exceeds pv_arena_available(a). */
/*@ requires handle: pv_arena_handle(a);
    assigns a->top;
    behavior null_handle:
      assumes a == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior bad_align:
      assumes a != \null && !pv_align_ok(align);
      assigns \nothing;
      ensures \result == \null;
      ensures unchanged: a->top == \old(a->top);
    behavior zero_size:
      assumes a != \null && pv_align_ok(align) && size == 0;
      assigns \nothing;
      ensures \result == \null;
      ensures unchanged: a->top == \old(a->top);
    behavior no_room:
      assumes a != \null && pv_align_ok(align) && size != 0 && !pv_fits_aligned(a, size, align);
      assigns \nothing;
      ensures \result == \null;
      ensures unchanged: a->top == \old(a->top);
    behavior ok:
      assumes a != \null && pv_align_ok(align) && size != 0 && pv_fits_aligned(a, size, align);
      assigns a->top;
      ensures invariant: pv_arena_ok(a);
      ensures fresh: (char *)\result == a->base + (\old(a->top) + \old(pv_pad(a, align)));
      ensures consumed: a->top == \old(a->top) + \old(pv_pad(a, align)) + pv_round(size);
      ensures valid: \valid((char *)\result + (0 .. size - 1));
      ensures disjoint: \separated((char *)\result + (0 .. size - 1), a);
      ensures aligned: pv_aligned_off(a, \old(a->top) + \old(pv_pad(a, align)), align);
    complete behaviors;
    disjoint behaviors;
*/
PV_CORE_API void *pv_arena_alloc_aligned(pv_arena *a, size_t size, size_t align);

/* Free the most recent block p of `size` bytes (the size it was allocated or
 * last resized with): the top moves back to p.
 * Returns true iff the block was reclaimed, that is iff a is non-NULL,
 * 1 <= size <= pv_arena_used(a) and p + round(size) is the current top.
 * Returns false, and changes nothing, otherwise: a NULL a or p, size 0, or a
 * block that is not the most recent (which stays allocated until a rewind or
 * reset). Padding below an aligned block is not reclaimed. */
/*@ requires handle: pv_arena_handle(a);
    assigns a->top;
    behavior null_handle:
      assumes a == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior last:
      assumes a != \null && pv_is_last(a, (char *)p, size);
      assigns a->top;
      ensures invariant: pv_arena_ok(a);
      ensures reclaimed: a->top == \old(a->top) - pv_round(size);
      ensures at_block: (char *)p == a->base + a->top;
      ensures \result == \true;
    behavior not_last:
      assumes a != \null && !pv_is_last(a, (char *)p, size);
      assigns \nothing;
      ensures \result == \false;
      ensures unchanged: a->top == \old(a->top);
    complete behaviors;
    disjoint behaviors;
*/
PV_CORE_API bool pv_arena_free(pv_arena *a, const void *p, size_t size);

/* Grow or shrink the most recent block p from old_size to new_size bytes in
 * place; its first min(old_size, new_size) bytes are kept (nothing is
 * written to the buffer).
 * Returns true iff a is non-NULL, p is the most recent block of old_size
 * bytes, new_size >= 1 and round(new_size) fits between p and the end of the
 * arena. Returns false, and changes nothing, otherwise. */
/*@ requires handle: pv_arena_handle(a);
    assigns a->top;
    behavior null_handle:
      assumes a == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior resized:
      assumes a != \null && pv_is_last(a, (char *)p, old_size) && new_size >= 1 &&
              new_size <= a->cap - (a->top - pv_round(old_size));
      assigns a->top;
      ensures invariant: pv_arena_ok(a);
      ensures moved_top: a->top == \old(a->top) - pv_round(old_size) + pv_round(new_size);
      ensures valid: \valid((char *)p + (0 .. new_size - 1));
      ensures \result == \true;
    behavior refused:
      assumes a != \null && !(pv_is_last(a, (char *)p, old_size) && new_size >= 1 &&
              new_size <= a->cap - (a->top - pv_round(old_size)));
      assigns \nothing;
      ensures \result == \false;
      ensures unchanged: a->top == \old(a->top);
    complete behaviors;
    disjoint behaviors;
*/
PV_CORE_API bool pv_arena_resize(pv_arena *a, void *p, size_t old_size, size_t new_size);

/* The current position, for pv_arena_rewind. A NULL a gives the mark 0.
 * Never fails. */
/*@ requires handle: pv_arena_handle(a);
    assigns \nothing;
    ensures null_handle: a == \null ==> \result.top == 0;
    ensures position: a != \null ==> \result.top == a->top;
*/
PV_CORE_API pv_arena_mark pv_arena_mark_get(const pv_arena *a);

/* Release every block allocated since mark m was taken: the top returns to m.
 * Returns false, and changes nothing, iff a is NULL, or m is above the current
 * top (the mark was already rewound past: stale), or m is not a position this
 * arena can have (not a multiple of PV_ALIGN: forged). */
/*@ requires handle: pv_arena_handle(a);
    assigns a->top;
    behavior null_handle:
      assumes a == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior rewound:
      assumes a != \null && m.top <= a->top && m.top % PV_ALIGN == 0;
      assigns a->top;
      ensures invariant: pv_arena_ok(a);
      ensures restored: a->top == m.top;
      ensures \result == \true;
    behavior stale:
      assumes a != \null && !(m.top <= a->top && m.top % PV_ALIGN == 0);
      assigns \nothing;
      ensures \result == \false;
      ensures unchanged: a->top == \old(a->top);
    complete behaviors;
    disjoint behaviors;
*/
PV_CORE_API bool pv_arena_rewind(pv_arena *a, pv_arena_mark m);

/* Release every block: the top returns to 0. No-op for a NULL a. */
/*@ requires handle: pv_arena_handle(a);
    assigns a->top;
    behavior null_handle:
      assumes a == \null;
      assigns \nothing;
    behavior reset:
      assumes a != \null;
      assigns a->top;
      ensures invariant: pv_arena_ok(a);
      ensures empty: a->top == 0;
    complete behaviors;
    disjoint behaviors;
*/
PV_CORE_API void pv_arena_reset(pv_arena *a);

/* Bytes consumed by live blocks and their padding (0 for a NULL a). */
/*@ requires handle: pv_arena_handle(a);
    assigns \nothing;
    ensures a == \null ==> \result == 0;
    ensures a != \null ==> \result == a->top;
*/
PV_CORE_API size_t pv_arena_used(const pv_arena *a);

/* Bytes still free (0 for a NULL a): a plain allocation of n bytes succeeds
 * iff 1 <= n <= pv_arena_available(a). */
/*@ requires handle: pv_arena_handle(a);
    assigns \nothing;
    ensures a == \null ==> \result == 0;
    ensures a != \null ==> \result == a->cap - a->top;
*/
PV_CORE_API size_t pv_arena_available(const pv_arena *a);

/* Usable bytes of the arena (0 for a NULL a). */
/*@ requires handle: pv_arena_handle(a);
    assigns \nothing;
    ensures a == \null ==> \result == 0;
    ensures a != \null ==> \result == a->cap;
*/
PV_CORE_API size_t pv_arena_capacity(const pv_arena *a);

/* ------------------------------------------------------------------------
 * Internal helpers of the inline functions (contracts; definitions below).
 * ------------------------------------------------------------------------ */

/* round(n) for n <= PV_ARENA_CAP_MAX: no wrap. */
/*@ requires n <= PV_ARENA_CAP_MAX;
    assigns \nothing;
    ensures \result == pv_round(n);
*/
static inline size_t pv__round(size_t n);

/*@ assigns \nothing;
    ensures \result == \true <==> pv_align_ok(al);
*/
static inline bool pv__align_ok(size_t al);

/* The offset just past a block of `size` bytes that starts at `start`. */
/*@ requires start % PV_ALIGN == 0 && start <= PV_ARENA_CAP_MAX && size <= PV_ARENA_CAP_MAX;
    assigns \nothing;
    ensures def: \result == start + pv_round(size);
    ensures granule: \result % PV_ALIGN == 0;
*/
static inline size_t pv__end(size_t start, size_t size);

/* Padding that puts the offset top + pad on an address aligned on al. The
 * ghost code in its body is a case split over the accepted alignments: in each
 * branch al is a constant and the padding facts are linear arithmetic, which
 * the provers settle; together the branches prove the contract for every
 * accepted al. It generates no code. */
/*@ requires top <= PV_ARENA_CAP_MAX && top % PV_ALIGN == 0;
    requires bias < PV_ALIGN_MAX && bias % PV_ALIGN == 0;
    requires pv_align_ok(al);
    assigns \nothing;
    ensures def: \result == (bias + top + al - 1) / al * al - (bias + top);
    ensures aligned: (bias + top + \result) % al == 0;
    ensures granule: (top + \result) % PV_ALIGN == 0 && \result % PV_ALIGN == 0;
    ensures bound: \result < al;
*/
static inline size_t pv__pad(size_t top, size_t bias, size_t al);

/* The bump itself, for callers that have already checked the fit (the
 * allocators' inline fast paths): the precondition replaces the checks. */
/*@ requires handle: pv_arena_ok(a);
    requires fits: 1 <= size <= pv_avail(a);
    assigns a->top;
    ensures invariant: pv_arena_ok(a);
    ensures fresh: (char *)\result == a->base + \old(a->top);
    ensures consumed: a->top == \old(a->top) + pv_round(size);
    ensures valid: \valid((char *)\result + (0 .. size - 1));
    ensures disjoint: \separated((char *)\result + (0 .. size - 1), a);
    ensures aligned: pv_aligned_off(a, \old(a->top), PV_ALIGN);
*/
static inline void *pv__arena_bump(pv_arena *a, size_t size);

/* ------------------------------------------------------------------------
 * Implementation of the inline functions. Integer offsets only: no pointer
 * is ever converted to an integer or ordered against another, so the "is
 * this the most recent block" test is a pointer equality, defined for any
 * two pointers.
 *
 * Frama-C proves these bodies once, in the core's unit (pv_core.c defines
 * PV__CORE_UNIT); every other unit it proves sees only the contracts above,
 * as for any function defined elsewhere (proofs/README.md, "Units").
 * ------------------------------------------------------------------------ */
#if !defined(__FRAMAC__) || defined(PV__CORE_UNIT)

static inline size_t pv__round(size_t n)
{
    return (n + (PV_ALIGN - 1u)) / PV_ALIGN * PV_ALIGN;
}

static inline bool pv__align_ok(size_t al)
{
    return (al <= PV_ALIGN_MAX) &&
           ((al == 1u) || (al == 2u) || (al == 4u) || (al == 8u) || (al == 16u) || (al == 32u) ||
            (al == 64u) || (al == 128u) || (al == 256u) || (al == 512u) || (al == 1024u) ||
            (al == 2048u) || (al == 4096u));
}

static inline size_t pv__end(size_t start, size_t size)
{
    return start + pv__round(size);
}

static inline size_t pv__pad(size_t top, size_t bias, size_t al)
{
    size_t x = bias + top;
    size_t pad = ((x + (al - 1u)) / al * al) - x;
    /*@ ghost
      if (al == 1u) { /@ assert by_case: (bias + top + pad) % 1 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 1; @/ }
      else if (al == 2u) { /@ assert by_case: (bias + top + pad) % 2 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 2; @/ }
      else if (al == 4u) { /@ assert by_case: (bias + top + pad) % 4 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 4; @/ }
      else if (al == 8u) { /@ assert by_case: (bias + top + pad) % 8 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 8; @/ }
      else if (al == 16u) { /@ assert by_case: (bias + top + pad) % 16 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 16; @/ }
      else if (al == 32u) { /@ assert by_case: (bias + top + pad) % 32 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 32; @/ }
      else if (al == 64u) { /@ assert by_case: (bias + top + pad) % 64 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 64; @/ }
      else if (al == 128u) { /@ assert by_case: (bias + top + pad) % 128 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 128; @/ }
      else if (al == 256u) { /@ assert by_case: (bias + top + pad) % 256 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 256; @/ }
      else if (al == 512u) { /@ assert by_case: (bias + top + pad) % 512 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 512; @/ }
      else if (al == 1024u) { /@ assert by_case: (bias + top + pad) % 1024 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 1024; @/ }
      else if (al == 2048u) { /@ assert by_case: (bias + top + pad) % 2048 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 2048; @/ }
      else if (al == 4096u) { /@ assert by_case: (bias + top + pad) % 4096 == 0 && pad % PV_ALIGN == 0 && (top + pad) % PV_ALIGN == 0 && pad < 4096; @/ }
    */
    return pad;
}

static inline void *pv__arena_bump(pv_arena *a, size_t size)
{
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the capacity (proved) */
    char *p = a->base + a->top;
    a->top = pv__end(a->top, size);
    return p;
}

PV_CORE_API void *pv_arena_alloc(pv_arena *a, size_t size)
{
    if ((a == NULL) || (size == 0u) || (size > (a->cap - a->top))) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return NULL;
    }
    return pv__arena_bump(a, size);
}

PV_CORE_API void *pv_arena_alloc_aligned(pv_arena *a, size_t size, size_t align)
{
    size_t avail;
    size_t pad;
    size_t n;
    char *p;
    if ((a == NULL) || !pv__align_ok(align) || (size == 0u)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return NULL;
    }
    avail = a->cap - a->top;
    if (size > avail) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return NULL;
    }
    n = pv__round(size);
    pad = pv__pad(a->top, a->bias, align);
    if (pad > (avail - n)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return NULL;
    }
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the capacity (proved) */
    p = a->base + (a->top + pad);
    a->top = pv__end(a->top + pad, size);
    return p;
}

PV_CORE_API bool pv_arena_free(pv_arena *a, const void *p, size_t size)
{
    size_t n;
    if ((a == NULL) || (size == 0u) || (size > a->top)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return false;
    }
    n = pv__round(size);
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 the caller's buffer or block, as bytes */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the capacity (proved) */
    if ((const char *)p != (a->base + (a->top - n))) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return false;
    }
    a->top -= n;
    return true;
}

PV_CORE_API bool pv_arena_resize(pv_arena *a, void *p, size_t old_size, size_t new_size)
{
    size_t start;
    if ((a == NULL) || (old_size == 0u) || (old_size > a->top) || (new_size == 0u)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return false;
    }
    start = a->top - pv__round(old_size);
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 the caller's buffer or block, as bytes */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the capacity (proved) */
    if (((char *)p != (a->base + start)) || (new_size > (a->cap - start))) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return false;
    }
    a->top = pv__end(start, new_size);
    return true;
}

PV_CORE_API pv_arena_mark pv_arena_mark_get(const pv_arena *a)
{
    pv_arena_mark m;
    m.top = (a == NULL) ? 0u : a->top;
    return m;
}

PV_CORE_API bool pv_arena_rewind(pv_arena *a, pv_arena_mark m)
{
    if ((a == NULL) || (m.top > a->top) || ((m.top % PV_ALIGN) != 0u)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return false;
    }
    a->top = m.top;
    return true;
}

PV_CORE_API void pv_arena_reset(pv_arena *a)
{
    if (a != NULL) {
        a->top = 0u;
    }
}

PV_CORE_API size_t pv_arena_used(const pv_arena *a)
{
    return (a == NULL) ? 0u : a->top;
}

PV_CORE_API size_t pv_arena_available(const pv_arena *a)
{
    return (a == NULL) ? 0u : (a->cap - a->top);
}

PV_CORE_API size_t pv_arena_capacity(const pv_arena *a)
{
    return (a == NULL) ? 0u : a->cap;
}

#endif /* bodies */

#ifdef __cplusplus
}
#endif

#endif /* PV_CORE_H */
