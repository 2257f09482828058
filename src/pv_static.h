/* SPDX-License-Identifier: MIT */
/*
 * Internal: the static-buffer backing source's get and put, typed, with
 * their ACSL contracts (proved: src/pv_static.c, spec/pv_static.acsl).
 *
 * A header of its own, not pv_source.h: pv_source.h is part of every
 * allocator's unit, the chain's proof included, which has no use for these
 * contracts and their logic. Included by src/pv_static.c and src/pv_source.c
 * (pv_static_source_init, and the source's get and put, which take a
 * void *ctx and call these).
 */
#ifndef PV_STATIC_H
#define PV_STATIC_H

#include "pv_source.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __FRAMAC__
/* cppcheck-suppress misra-c2012-20.1 ; PV-D10 ACSL logic for Frama-C only, after the type it uses */
#include "pv_static.acsl"
#endif

/* pv_static_source_init (pv_source.h) but for s->source: pv_source.c's
 * pv_static_source_init calls this, then, on success, stores there its get
 * and put (which convert ctx, a void *, back to s, a step outside WP's Typed
 * model) and ctx = s. Same result, same cases. */
/*@ requires handle: s == \null || \valid(s);
    requires buf_valid: len > 0 ==> \valid((char *)buf + (0 .. len - 1));
    requires separated: \separated(s, (char *)buf + (0 .. len - 1));
    assigns s->arena, s->nfreed, s->lost_chunks, s->lost_bytes;
    behavior null_arg:
      assumes s == \null || buf == \null;
      assigns \nothing;
      ensures result: \result == \false;
    behavior too_large:
      assumes s != \null && buf != \null && len > PV_ARENA_CAP_MAX;
      assigns \nothing;
      ensures result: \result == \false;
    behavior too_small:
      assumes s != \null && buf != \null && len <= PV_ARENA_CAP_MAX && len < 2 * PV_ALIGN - 1;
      assigns \nothing;
      ensures result: \result == \false;
    behavior ok:
      assumes s != \null && buf != \null && 2 * PV_ALIGN - 1 <= len <= PV_ARENA_CAP_MAX;
      ensures result: \result == \true;
      ensures invariant: pv_static_ok(s);
      ensures empty: s->arena.top == 0 && s->arena.cap > 0 && s->nfreed == 0;
      ensures counters: s->lost_chunks == 0 && s->lost_bytes == 0;
      ensures inside: \exists integer skip; 0 <= skip < PV_ALIGN && s->arena.base == (char *)buf + skip &&
                 skip + s->arena.cap <= len;
      ensures capacity: s->arena.cap + 2 * (PV_ALIGN - 1) >= len;
    complete behaviors;
    disjoint behaviors;
*/
bool pv__static_init(pv_static_source *s, void *buf, size_t len);

/* get: a chunk of `size` bytes, aligned on PV_SOURCE_ALIGN: the first entry
 * of the table of exactly that size (removed from the table), else a new
 * chunk cut at the arena's top. NULL, and nothing changed, iff no entry has
 * that size and the arena cannot hold it (size 0 included).
 * The chunk is outside every chunk handed out and not given back
 * (pv_static_held), each of which stays so. */
/*@ requires ok: pv_static_ok(s);
    assigns s->arena.top, s->freed[0 .. PV_STATIC_FREE_SLOTS - 1], s->nfreed;
    ensures ok: pv_static_ok(s);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==> pv_static_held(s, q, n);
    ensures given: \result != \null ==>
              \valid((char *)\result + (0 .. size - 1)) && pv_static_held(s, (char *)\result, size);
    ensures fresh: \result != \null ==>
              \forall char *q, integer n; pv_static_held{Pre}(s, q, n) ==>
                \separated(q + (0 .. pv_round(n) - 1), (char *)\result + (0 .. pv_round(size) - 1));
    behavior reuse:
      assumes pv_static_has(s, size);
      ensures entry: \exists integer i; 0 <= i < \old(s->nfreed) && \old(s->freed[i].size) == size &&
                (char *)\result == \old(s->freed[i].mem);
      ensures removed: s->nfreed == \old(s->nfreed) - 1;
      ensures top: s->arena.top == \old(s->arena.top);
    behavior cut:
      assumes !pv_static_has(s, size) && size != 0 && pv_fits_aligned(&s->arena, size, PV_SOURCE_ALIGN);
      ensures at_top: (char *)\result == s->arena.base + (\old(s->arena.top) + \old(pv_pad(&s->arena, PV_SOURCE_ALIGN)));
      ensures consumed: s->arena.top == \old(s->arena.top) + \old(pv_pad(&s->arena, PV_SOURCE_ALIGN)) + pv_round(size);
      ensures table: s->nfreed == \old(s->nfreed);
    behavior none:
      assumes !pv_static_has(s, size) && !(size != 0 && pv_fits_aligned(&s->arena, size, PV_SOURCE_ALIGN));
      ensures result: \result == \null;
      ensures unchanged: s->arena.top == \old(s->arena.top) && s->nfreed == \old(s->nfreed) &&
                (\forall integer j; 0 <= j < PV_STATIC_FREE_SLOTS ==>
                   s->freed[j].mem == \old(s->freed[j].mem) && s->freed[j].size == \old(s->freed[j].size));
    complete behaviors;
    disjoint behaviors;
*/
void *pv__static_get(pv_static_source *s, size_t size);

/* put: give back a chunk p of `size` bytes that get returned and that was
 * not given back since. If it ends at the arena's top, the top goes down to
 * it, then on past every entry of the table that ends at the new top (each
 * removed): that memory is back in the buffer. Else it is recorded in the
 * table, or, the table being full, counted in lost_chunks and lost_bytes and
 * never reused. Writes the object only, never the buffer. */
/*@ requires ok: pv_static_ok(s);
    requires held: pv_static_held(s, (char *)p, size);
    assigns s->arena.top, s->freed[0 .. PV_STATIC_FREE_SLOTS - 1], s->nfreed,
            s->lost_chunks, s->lost_bytes;
    ensures ok: pv_static_ok(s);
    ensures kept: \forall char *q, integer n; pv_static_held{Pre}(s, q, n) &&
              \separated(q + (0 .. pv_round(n) - 1), (char *)p + (0 .. pv_round(size) - 1)) ==>
              pv_static_held(s, q, n);
    behavior last:
      assumes pv_is_last(&s->arena, (char *)p, size);
      ensures lowered: s->arena.top <= \old(s->arena.top) - pv_round(size);
      ensures table: s->nfreed <= \old(s->nfreed);
      ensures counters: s->lost_chunks == \old(s->lost_chunks) && s->lost_bytes == \old(s->lost_bytes);
    behavior recorded:
      assumes !pv_is_last(&s->arena, (char *)p, size) && s->nfreed < PV_STATIC_FREE_SLOTS;
      ensures entry: s->nfreed == \old(s->nfreed) + 1 &&
                     s->freed[\old(s->nfreed)].mem == (char *)p && s->freed[\old(s->nfreed)].size == size;
      ensures top: s->arena.top == \old(s->arena.top);
      ensures counters: s->lost_chunks == \old(s->lost_chunks) && s->lost_bytes == \old(s->lost_bytes);
    behavior full:
      assumes !pv_is_last(&s->arena, (char *)p, size) && s->nfreed == PV_STATIC_FREE_SLOTS;
      ensures unchanged: s->arena.top == \old(s->arena.top) && s->nfreed == \old(s->nfreed) &&
                (\forall integer j; 0 <= j < PV_STATIC_FREE_SLOTS ==>
                   s->freed[j].mem == \old(s->freed[j].mem) && s->freed[j].size == \old(s->freed[j].size));
      ensures lost: s->lost_chunks == pv_st_add_sat(\old(s->lost_chunks), 1) &&
                    s->lost_bytes == pv_st_add_sat(\old(s->lost_bytes), pv_round(size));
    complete behaviors;
    disjoint behaviors;
*/
void pv__static_put(pv_static_source *s, void *p, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* PV_STATIC_H */
