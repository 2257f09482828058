/* SPDX-License-Identifier: MIT */
/*
 * The static-buffer backing source (pv_source.h, pv_static.h): chunks cut
 * from the caller's buffer by the verified core's arena, chunks given back
 * kept in a table in the object.
 *
 * Proof (Frama-C WP, spec/pv_static.acsl): every function below against its
 * contract, with -wp-rte. The table holds pointers compared only for
 * equality (inside pv_arena_free), never ordered or subtracted: a chunk given
 * back that is not from this source is no undefined behaviour here (it breaks
 * the precondition of put, and is then handed out again by a get of its size).
 */
#include "pv_static.h"

bool pv__static_init(pv_static_source *s, void *buf, size_t len)
{
    pv_arena a;
    if ((s == NULL) || !pv_arena_init(&a, buf, len)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    s->arena = a;
    s->nfreed = 0u;
    s->lost_chunks = 0u;
    s->lost_bytes = 0u;
    return true;
}

/* The index of the first entry of the table of exactly `size` bytes, or
 * s->nfreed if there is none. */
/*@ requires ok: pv_static_ok(s);
    assigns \nothing;
    ensures range: 0 <= \result <= s->nfreed;
    ensures found: \result < s->nfreed ==> s->freed[\result].size == size;
    ensures first: \forall integer j; 0 <= j < \result ==> s->freed[j].size != size;
*/
static size_t pv__static_find(const pv_static_source *s, size_t size)
{
    size_t i = 0u;
    /*@ loop invariant bound: 0 <= i <= s->nfreed;
        loop invariant other: \forall integer j; 0 <= j < i ==> s->freed[j].size != size;
        loop assigns i;
        loop variant s->nfreed - i;
    */
    while ((i < s->nfreed) && (s->freed[i].size != size)) {
        i++;
    }
    return i;
}

/* Remove entry i from the table: the last entry takes its place. The chunk
 * it recorded is then held (handed out), apart from every chunk held before. */
/*@ requires ok: pv_static_ok(s);
    requires index: i < s->nfreed;
    assigns s->freed[i], s->nfreed;
    ensures ok: pv_static_ok(s);
    ensures count: s->nfreed == \old(s->nfreed) - 1;
    ensures top: s->arena.top == \old(s->arena.top);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==> pv_static_held(s, q, n);
    ensures given: pv_static_held(s, \old(s->freed[i].mem), \old(s->freed[i].size));
    ensures apart: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==>
              \separated(q + (0 .. pv_round(n) - 1),
                         \old(s->freed[i].mem) + (0 .. pv_round(\old(s->freed[i].size)) - 1));
*/
static void pv__static_drop(pv_static_source *s, size_t i)
{
    size_t last = s->nfreed - 1u;
    s->freed[i].mem = s->freed[last].mem;
    s->freed[i].size = s->freed[last].size;
    s->nfreed = last;
    /*@ assert arena: pv_arena_ok(&s->arena) && \separated(s, s->arena.base + (0 .. s->arena.cap - 1)); */
    /*@ assert from: \forall integer j; 0 <= j < last ==>
          s->freed[j].mem == \at(s->freed[j == i ? s->nfreed - 1 : j].mem, Pre) &&
          s->freed[j].size == \at(s->freed[j == i ? s->nfreed - 1 : j].size, Pre); */
    /*@ assert chunks: \forall integer j; 0 <= j < last ==>
          pv_st_chunk(s->arena.base, s->arena.top, s->arena.bias, s->freed[j].mem, s->freed[j].size); */
    /*@ assert kept_pairs: \forall integer j, k; 0 <= j < last && 0 <= k < last && j != k && j != i && k != i ==>
          \separated(s->freed[j].mem + (0 .. pv_round(s->freed[j].size) - 1),
                     s->freed[k].mem + (0 .. pv_round(s->freed[k].size) - 1)); */
    /*@ assert moved_pairs: \forall integer k; i < last && 0 <= k < last && k != i ==>
          \separated(s->freed[i].mem + (0 .. pv_round(s->freed[i].size) - 1),
                     s->freed[k].mem + (0 .. pv_round(s->freed[k].size) - 1)) &&
          \separated(s->freed[k].mem + (0 .. pv_round(s->freed[k].size) - 1),
                     s->freed[i].mem + (0 .. pv_round(s->freed[i].size) - 1)); */
    /*@ assert pairwise: \forall integer j, k; 0 <= j < last && 0 <= k < last && j != k ==>
          \separated(s->freed[j].mem + (0 .. pv_round(s->freed[j].size) - 1),
                     s->freed[k].mem + (0 .. pv_round(s->freed[k].size) - 1)); */
}

/* Whether chunk p of `size` bytes ends at the arena's top. */
/*@ requires ok: pv_static_ok(s);
    assigns \nothing;
    ensures result: \result == \true <==> pv_is_last(&s->arena, p, size);
*/
static bool pv__static_is_last(const pv_static_source *s, const char *p, size_t size)
{
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the top first */
    return (size != 0u) && (size <= s->arena.top) && (p == (s->arena.base + (s->arena.top - pv__round(size))));
}

/* Give back to the buffer a held chunk that ends at the top. */
/*@ requires ok: pv_static_ok(s);
    requires held: pv_static_held(s, p, size);
    requires last: pv_is_last(&s->arena, p, size);
    assigns s->arena.top;
    ensures ok: pv_static_ok(s);
    ensures lowered: s->arena.top == \old(s->arena.top) - pv_round(size);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) &&
              \separated(q + (0 .. pv_round(n) - 1), p + (0 .. pv_round(size) - 1)) ==>
              pv_static_held(s, q, n);
*/
static void pv__static_lower(pv_static_source *s, char *p, size_t size)
{
    (void)pv_arena_free(&s->arena, p, size);
    /*@ assert at_p: p == s->arena.base + (\at(s->arena.top, Pre) - pv_round(size)) &&
          s->arena.top == \at(s->arena.top, Pre) - pv_round(size); */
    /*@ assert chunks: \forall integer j; 0 <= j < s->nfreed ==>
          pv_st_chunk(s->arena.base, s->arena.top, s->arena.bias, s->freed[j].mem, s->freed[j].size); */
}

/* The index of the first entry of the table that ends at the top, or
 * s->nfreed if there is none. */
/*@ requires ok: pv_static_ok(s);
    assigns \nothing;
    ensures range: 0 <= \result <= s->nfreed;
    ensures found: \result < s->nfreed ==> pv_is_last(&s->arena, s->freed[\result].mem, s->freed[\result].size);
*/
static size_t pv__static_find_last(const pv_static_source *s)
{
    size_t i = 0u;
    /*@ loop invariant bound: 0 <= i <= s->nfreed;
        loop assigns i;
        loop variant s->nfreed - i;
    */
    while ((i < s->nfreed) && !pv__static_is_last(s, s->freed[i].mem, s->freed[i].size)) {
        i++;
    }
    return i;
}

/* A new chunk cut at the arena's top. */
/*@ requires ok: pv_static_ok(s);
    assigns s->arena.top;
    ensures ok: pv_static_ok(s);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==> pv_static_held(s, q, n);
    ensures given: \result != \null ==>
              \valid((char *)\result + (0 .. size - 1)) && pv_static_held(s, (char *)\result, size);
    ensures fresh: \result != \null ==>
              \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==>
                \separated(q + (0 .. pv_round(n) - 1), (char *)\result + (0 .. pv_round(size) - 1));
    behavior cut:
      assumes size != 0 && pv_fits_aligned(&s->arena, size, PV_SOURCE_ALIGN);
      ensures at_top: (char *)\result == s->arena.base + (\old(s->arena.top) + \old(pv_pad(&s->arena, PV_SOURCE_ALIGN)));
      ensures consumed: s->arena.top == \old(s->arena.top) + \old(pv_pad(&s->arena, PV_SOURCE_ALIGN)) + pv_round(size);
    behavior none:
      assumes !(size != 0 && pv_fits_aligned(&s->arena, size, PV_SOURCE_ALIGN));
      ensures result: \result == \null;
      ensures unchanged: s->arena.top == \old(s->arena.top);
    complete behaviors;
    disjoint behaviors;
*/
static char *pv__static_cut(pv_static_source *s, size_t size)
{
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 the arena's bytes */
    char *p = (char *)pv_arena_alloc_aligned(&s->arena, size, PV_SOURCE_ALIGN);
    /*@ assert granule: p != \null ==> pv_round(size) % PV_ALIGN == 0 &&
          (\at(s->arena.top, Pre) + \at(pv_pad(&s->arena, PV_SOURCE_ALIGN), Pre)) % PV_ALIGN == 0; */
    /*@ assert chunks: \forall integer j; 0 <= j < s->nfreed ==>
          pv_st_chunk(s->arena.base, s->arena.top, s->arena.bias, s->freed[j].mem, s->freed[j].size); */
    /*@ assert at: p != \null ==>
          pv_st_at(s->arena.base, s->arena.top, s->arena.bias, p,
                   \at(s->arena.top, Pre) + \at(pv_pad(&s->arena, PV_SOURCE_ALIGN), Pre), size); */
    return p;
}

void *pv__static_get(pv_static_source *s, size_t size)
{
    size_t i = pv__static_find(s, size);
    char *p;
    if (i < s->nfreed) {
        p = s->freed[i].mem;
        pv__static_drop(s, i);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    return pv__static_cut(s, size);
}

/* After the top went down: every entry that ends at the top is removed and
 * the top goes down to its start, until none ends there. */
/*@ requires ok: pv_static_ok(s);
    assigns s->arena.top, s->freed[0 .. PV_STATIC_FREE_SLOTS - 1], s->nfreed;
    ensures ok: pv_static_ok(s);
    ensures lowered: s->arena.top <= \old(s->arena.top) && s->nfreed <= \old(s->nfreed);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==> pv_static_held(s, q, n);
*/
static void pv__static_settle(pv_static_source *s)
{
    size_t i = pv__static_find_last(s);
    char *p;
    size_t n;
    /*@ loop invariant ok: pv_static_ok(s);
        loop invariant index: 0 <= i <= s->nfreed;
        loop invariant found: i < s->nfreed ==> pv_is_last(&s->arena, s->freed[i].mem, s->freed[i].size);
        loop invariant lowered: s->arena.top <= \at(s->arena.top, Pre) && s->nfreed <= \at(s->nfreed, Pre);
        loop invariant kept: \forall char *q, integer k; pv_static_held{Pre}(s, q, k) ==> pv_static_held(s, q, k);
        loop assigns i, p, n, s->arena.top, s->freed[0 .. PV_STATIC_FREE_SLOTS - 1], s->nfreed;
        loop variant s->nfreed;
    */
    while (i < s->nfreed) {
        p = s->freed[i].mem;
        n = s->freed[i].size;
        pv__static_drop(s, i);
        pv__static_lower(s, p, n);
        i = pv__static_find_last(s);
    }
}

/* Record a chunk given back that is not at the top, or count it lost. */
/*@ requires ok: pv_static_ok(s);
    requires held: pv_static_held(s, p, size);
    assigns s->freed[0 .. PV_STATIC_FREE_SLOTS - 1], s->nfreed, s->lost_chunks, s->lost_bytes;
    ensures ok: pv_static_ok(s);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) &&
              \separated(q + (0 .. pv_round(n) - 1), p + (0 .. pv_round(size) - 1)) ==>
              pv_static_held(s, q, n);
    behavior recorded:
      assumes s->nfreed < PV_STATIC_FREE_SLOTS;
      assigns s->freed[\old(s->nfreed)], s->nfreed;
      ensures entry: s->nfreed == \old(s->nfreed) + 1 &&
                     s->freed[\old(s->nfreed)].mem == p && s->freed[\old(s->nfreed)].size == size;
      ensures counters: s->lost_chunks == \old(s->lost_chunks) && s->lost_bytes == \old(s->lost_bytes);
    behavior full:
      assumes s->nfreed == PV_STATIC_FREE_SLOTS;
      assigns s->lost_chunks, s->lost_bytes;
      ensures unchanged: s->nfreed == \old(s->nfreed) &&
                (\forall integer j; 0 <= j < PV_STATIC_FREE_SLOTS ==>
                   s->freed[j].mem == \old(s->freed[j].mem) && s->freed[j].size == \old(s->freed[j].size));
      ensures lost: s->lost_chunks == pv_st_add_sat(\old(s->lost_chunks), 1) &&
                    s->lost_bytes == pv_st_add_sat(\old(s->lost_bytes), pv_round(size));
    complete behaviors;
    disjoint behaviors;
*/
static void pv__static_record(pv_static_source *s, char *p, size_t size)
{
    size_t n;
    if (s->nfreed < PV_STATIC_FREE_SLOTS) {
        s->freed[s->nfreed].mem = p;
        s->freed[s->nfreed].size = size;
        s->nfreed++;
    } else {
        n = pv__round(size);
        s->lost_chunks = pv__inc(s->lost_chunks);
        s->lost_bytes = (n <= (SIZE_MAX - s->lost_bytes)) ? (s->lost_bytes + n) : SIZE_MAX;
    }
}

void pv__static_put(pv_static_source *s, void *p, size_t size)
{
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 the chunk, as bytes */
    char *c = (char *)p;
    if (pv__static_is_last(s, c, size)) {
        pv__static_lower(s, c, size);
        pv__static_settle(s);
    } else {
        pv__static_record(s, c, size);
    }
}
