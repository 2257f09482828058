/* SPDX-License-Identifier: MIT */
/*
 * Internal: the chunk table shared by region and stack (see pv_chain.h).
 *
 * Proof (Frama-C WP, spec/pv_chain.acsl): each function writes one group of
 * fields, so its frame is what WP derives from its assigns clause; the
 * contracts are quantifiers over table indices, with no induction anywhere.
 */
/* This unit proves the bodies of pv_chain.h's inline fast paths (the
 * others see their contracts only). */
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 tested with defined() only */
#define PV__CHAIN_UNIT 1
#include "pv_chain.h"
#include "pv_debug.h"
#if PV_HARDENED
#include "pv_mem.h" /* pv__fill: the poison fill of released blocks */
#endif

bool pv__chain_fits_aligned(const pv_chain *ch, size_t size, size_t align)
{
    /*@ ghost pv__lemma_cur((pv_chain *)ch); */
    size_t top = ch->cur->arena.top;
    size_t bias = ch->cur->arena.bias;
    size_t avail = ch->cur->arena.cap - top;
    size_t pad;
    /*@ assert cur: top == ch->tab[ch->ci].arena.top && bias == ch->tab[ch->ci].arena.bias &&
                    avail == pv_avail(&ch->tab[ch->ci].arena); */
    if ((size == 0u) || !pv__align_ok(align) || (size > avail)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    pad = pv__pad(top, bias, align);
    /*@ assert pad: pad == pv_pad(&ch->tab[ch->ci].arena, align); */
    return pad <= (avail - pv__round(size));
}

void *pv__chain_bump_aligned(pv_chain *ch, size_t size, size_t align)
{
    /*@ ghost pv__lemma_cur(ch); */
    size_t top = ch->cur->arena.top;
    size_t bias = ch->cur->arena.bias;
    size_t pad;
    /*@ assert cur: top == ch->tab[ch->ci].arena.top && bias == ch->tab[ch->ci].arena.bias; */
    pad = pv__pad(top, bias, align);
    /*@ assert pad: pad == pv_pad(&ch->tab[ch->ci].arena, align); */
    /*@ assert aligned: pv_aligned_off(&ch->tab[ch->ci].arena, top + pad, align); */
    return pv__chain_bump_at(ch, top + pad, size);
}

void pv__chain_init(pv_chain *ch, const pv_source *src, size_t min_size)
{
    pv_arena empty = PV_ARENA_EMPTY;
    ch->tab[0].arena = empty;
    ch->tab[0].before = 0u;
    ch->tab[0].mem = NULL;
    ch->tab[0].size = 0u;
    ch->cur = &ch->tab[0];
    ch->ci = 0u;
    ch->n = 0u;
    ch->src = *src;
    ch->next_size = min_size;
    ch->min_size = min_size;
    ch->peak = 0u;
    ch->reserved = 0u;
    ch->chunks = 0u;
    ch->gets = 0u;
    ch->puts = 0u;
    ch->failures = 0u;
    ch->life = 0u;
    ch->gen_next = 0u;
    ch->depth = 0u;
    ch->large = NULL;
    ch->large_in_use = 0u;
    ch->region_peak = 0u;
    /*@ assert c_cur: ch->cur == &ch->tab[ch->ci] && ch->n == 0 && ch->ci == 0; */
    /*@ assert c_arena: pv_arena_ok(&ch->tab[0].arena) && ch->tab[0].arena.cap == 0 &&
          ch->tab[0].arena.top == 0 && ch->tab[0].before == 0; */
    /*@ assert c_src: ch->src.ctx == src->ctx && pv_src_apart(ch, ch->src.ctx); */
}

/* TRUSTED (proofs/TRUSTED.md T13, T14): the calls through the source's
 * function pointers. Frama-C does not see these bodies; their contracts
 * (pv_chain.h) are assumed. */
#ifndef __FRAMAC__
/* cppcheck-suppress misra-c2012-8.7 ; PV-D7 declared with its trusted contract in pv_chain.h */
void *pv__src_get(pv_chain *ch, size_t size)
{
    return ch->src.get(ch->src.ctx, size);
}

/* cppcheck-suppress misra-c2012-8.7 ; PV-D7 declared with its trusted contract in pv_chain.h */
void pv__src_put(pv_chain *ch, void *mem, size_t size)
{
    ch->src.put(ch->src.ctx, mem, size);
}
#endif /* !__FRAMAC__ */

/* A counter plus j, saturating at SIZE_MAX. */
/*@ assigns \nothing;
    ensures sum: \result == pv_add_sat(x, j);
*/
static size_t pv__add_sat(size_t x, size_t j)
{
    size_t r = SIZE_MAX;
    if (x <= (SIZE_MAX - j)) {
        r = x + j;
    }
    return r;
}

/* A counter minus j, stopping at 0. */
/*@ assigns \nothing;
    ensures diff: \result == pv_sub_floor(x, j);
*/
static size_t pv__sub_floor(size_t x, size_t j)
{
    size_t r = 0u;
    if (x >= j) {
        r = x - j;
    }
    return r;
}

/* The padding from offset 0 of an arena with bias b: below al, and 0 when al
 * is at most PV_ALIGN (case split over the accepted alignments; a lemma as a
 * ghost function: proved, generates no code). */
/*@ ghost
  /@ requires b < PV_ALIGN_MAX && b % PV_ALIGN == 0 && pv_align_ok(al);
     assigns \nothing;
     ensures small: (b + al - 1) / al * al - b < (al > PV_ALIGN ? al : 1);
  @/
  void pv__lemma_pad(size_t b, size_t al)
  {
      if (al == 1u) { /@ assert (b + 1 - 1) / 1 * 1 - b == 0; @/ }
      else if (al == 2u) { /@ assert (b + 2 - 1) / 2 * 2 - b == 0; @/ }
      else if (al == 4u) { /@ assert (b + 4 - 1) / 4 * 4 - b == 0; @/ }
      else if (al == 8u) { /@ assert (b + 8 - 1) / 8 * 8 - b == 0 || PV_ALIGN < 8; @/ }
      else if (al == 16u) { /@ assert (b + 16 - 1) / 16 * 16 - b < 16; @/ }
      else if (al == 32u) { /@ assert (b + 32 - 1) / 32 * 32 - b < 32; @/ }
      else if (al == 64u) { /@ assert (b + 64 - 1) / 64 * 64 - b < 64; @/ }
      else if (al == 128u) { /@ assert (b + 128 - 1) / 128 * 128 - b < 128; @/ }
      else if (al == 256u) { /@ assert (b + 256 - 1) / 256 * 256 - b < 256; @/ }
      else if (al == 512u) { /@ assert (b + 512 - 1) / 512 * 512 - b < 512; @/ }
      else if (al == 1024u) { /@ assert (b + 1024 - 1) / 1024 * 1024 - b < 1024; @/ }
      else if (al == 2048u) { /@ assert (b + 2048 - 1) / 2048 * 2048 - b < 2048; @/ }
      else { /@ assert (b + 4096 - 1) / 4096 * 4096 - b < 4096; @/ }
  }
*/

/* Would an allocation of size bytes aligned on align fit in arena a once it
 * is emptied? */
/*@ requires valid: pv_arena_ok(a);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    assigns \nothing;
    ensures fits: \result == \true <==>
              (size <= a->cap && pv_pad0(a->bias, align) + pv_round(size) <= a->cap);
*/
static bool pv__fits_empty(const pv_arena *a, size_t size, size_t align)
{
    size_t pad = ((a->bias + align - 1u) / align * align) - a->bias;
    return (size <= a->cap) && ((pad + ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)) <= a->cap);
}

/* The first spare after cur where the request fits once emptied, with room
 * for `in` bytes in use before it; ch->n if there is none. Writes nothing. */
/*@ requires chain: pv_chain_ok(ch);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    assigns \nothing;
    ensures none: \result == ch->n ||
              (ch->ci < \result < ch->n &&
               pv_pad0(ch->tab[\result].arena.bias, align) + pv_round(size) <= ch->tab[\result].arena.cap &&
               in <= PV_ARENA_CAP_MAX - ch->tab[\result].arena.cap);
*/
static size_t pv__chain_spare(const pv_chain *ch, size_t size, size_t align, size_t in)
{
    size_t k = ch->ci + 1u;
    /*@ loop invariant range: ch->ci + 1 <= k && (k <= ch->n || ch->n == 0);
        loop assigns k;
        loop variant ch->n - k;
    */
    while (k < ch->n) {
        if (pv__fits_empty(&ch->tab[k].arena, size, align) &&
            (in <= (PV_ARENA_CAP_MAX - ch->tab[k].arena.cap))) {
            break;
        }
        k++;
    }
    if (k > ch->n) {
        k = ch->n; /* n == 0: no spare */
    }
    return k;
}

/* A failed request: count it. */
/*@ requires chain: pv_chain_ok(ch);
    assigns ch->failures;
    ensures chain: pv_chain_ok(ch);
    ensures failures: ch->failures == pv_inc(\old(ch->failures));
    ensures null: \result == \null;
*/
static void *pv__chain_fail(pv_chain *ch)
{
    ch->failures = pv__inc(ch->failures);
    /*@ assert same: pv_chain_same{Pre, Here}(ch); */
    return NULL;
}

/* The size after x of geometric growth: doubled, up to PV__CHAIN_REQ_MAX. */
/*@ requires x <= PV__CHAIN_REQ_MAX;
    assigns \nothing;
    ensures grows: x <= \result <= PV__CHAIN_REQ_MAX;
    ensures def: \result == (x <= PV__CHAIN_REQ_MAX / 2 ? 2 * x : PV__CHAIN_REQ_MAX);
*/
static size_t pv__double(size_t x)
{
    size_t r = PV__CHAIN_REQ_MAX;
    if (x <= (PV__CHAIN_REQ_MAX / 2u)) {
        r = x * 2u;
    }
    return r;
}

/* Ask the source for want bytes, and count the call. Nothing the chain
 * holds changes. */
/*@ requires chain: pv_chain_ok(ch);
    requires size: 1 <= want <= PV_ARENA_CAP_MAX;
    assigns ch->gets, PV_SRC_STATE(ch->src.ctx);
    ensures chain: pv_chain_ok(ch);
    ensures same: pv_chain_same{Pre, Post}(ch);
    ensures data: pv_data_kept{Pre, Post}(ch, ch->n);
    ensures stats: ch->gets == pv_inc(\old(ch->gets)) && ch->failures == \old(ch->failures) &&
              ch->puts == \old(ch->puts) && ch->reserved == \old(ch->reserved) &&
              ch->chunks == \old(ch->chunks);
    ensures fresh: \result != \null ==>
              \valid((char *)\result + (0 .. want - 1)) && pv_fresh_mem(ch, (char *)\result, want);
*/
static void *pv__chain_obtain(pv_chain *ch, size_t want)
{
    void *mem = pv__src_get(ch, want);
    /*@ assert g_same: pv_chain_same{Pre, Here}(ch); */
    /*@ assert g_stats: ch->gets == \at(ch->gets, Pre) && ch->failures == \at(ch->failures, Pre) &&
          ch->puts == \at(ch->puts, Pre) && ch->reserved == \at(ch->reserved, Pre) &&
          ch->chunks == \at(ch->chunks, Pre); */
    ch->gets = pv__inc(ch->gets);
    return mem;
}

/* Record the chunk of arena ch->fresh over mem (want bytes from the
 * source) as chunk n (the placeholder tab[0] when n is 0): it becomes held. */
/*@ requires chain: pv_chain_ok(ch) && ch->n < PV_CHAIN_SLOTS;
    requires arena: pv_arena_ok(&ch->fresh) && ch->fresh.top == 0 &&
              0 < ch->fresh.cap <= PV_ARENA_CAP_MAX;
    requires mem: 0 < want && \separated(ch, (char *)mem + (0 .. want - 1)) && \valid((char *)mem + (0 .. want - 1)) &&
              \separated(ch, ch->fresh.base + (0 .. ch->fresh.cap - 1)) &&
              (\forall integer j; 0 <= j < ch->n ==>
                 \separated(ch->fresh.base + (0 .. ch->fresh.cap - 1),
                             ch->tab[j].arena.base + (0 .. ch->tab[j].arena.cap - 1)));
    assigns ch->n, ch->tab[ch->n], ch->reserved, ch->chunks, ch->next_size;
    ensures chain: pv_chain_ok(ch);
    ensures n: ch->n == \old(ch->n) + 1;
    ensures held: pv_kept{Pre, Post}(ch, \old(ch->n));
    ensures new: ch->tab[\old(ch->n)].arena.base == \old(ch->fresh.base) &&
              ch->tab[\old(ch->n)].arena.cap == \old(ch->fresh.cap) &&
              ch->tab[\old(ch->n)].arena.bias == \old(ch->fresh.bias) &&
              ch->tab[\old(ch->n)].arena.top == 0;
    ensures others: pv_tops_kept{Pre, Post}(ch, \old(ch->n));
    ensures counters: ch->reserved == pv_add_sat(\old(ch->reserved), want) &&
              ch->chunks == pv_inc(\old(ch->chunks));
    ensures kept: ch->failures == \old(ch->failures) && ch->puts == \old(ch->puts) &&
              ch->ci == \old(ch->ci) && ch->gets == \old(ch->gets);
*/
static void pv__chain_append(pv_chain *ch, void *mem, size_t want)
{
    size_t k = ch->n;
    ch->tab[k].arena = ch->fresh;
    ch->tab[k].before = 0u;
    ch->tab[k].mem = mem;
    ch->tab[k].size = want;
    ch->n = k + 1u;
    ch->reserved = pv__add_sat(ch->reserved, want);
    ch->chunks = pv__inc(ch->chunks);
    ch->next_size = pv__double(ch->next_size);
    /*@ assert f_kept: pv_kept{Pre, Here}(ch, k); */
    /*@ assert f_tops: pv_tops_kept{Pre, Here}(ch, k); */
    /*@ assert f_held: \forall integer j; 0 <= j < k ==> pv_held{Pre}(ch, j) ==> pv_held(ch, j); */
    /*@ assert f_k: pv_held(ch, k); */
    /*@ assert c_held: \forall integer j; 0 <= j < ch->n ==> pv_held(ch, j); */
    /*@ assert f_old0: \forall integer i, j; 0 <= i < k && 0 <= j < k && i != j ==> pv_apart{Pre}(ch, i, j); */
    /*@ assert f_old: \forall integer i, j; 0 <= i < k && 0 <= j < k && i != j ==> pv_apart(ch, i, j); */
    /*@ assert f_new: \forall integer j; 0 <= j < k ==> pv_apart(ch, j, k) && pv_apart(ch, k, j); */
    /*@ assert c_apart: \forall integer i, j; 0 <= i < ch->n && 0 <= j < ch->n && i != j ==> pv_apart(ch, i, j); */
    /*@ assert c_scalars: ch->n <= PV_CHAIN_SLOTS && ch->ci < ch->n && ch->cur == &ch->tab[ch->ci] &&
          256 <= ch->min_size <= ch->next_size <= PV__CHAIN_REQ_MAX && pv_src_apart(ch, ch->src.ctx); */
}

/* Make ch->fresh an arena over the want bytes at mem. */
/*@ requires chain: pv_chain_ok(ch);
    requires mem: 2 * PV_ALIGN <= want <= PV_ARENA_CAP_MAX && \valid((char *)mem + (0 .. want - 1)) &&
              pv_fresh_mem(ch, (char *)mem, want);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align) &&
              want >= pv_round(size) + (align > PV_ALIGN ? align : 0) + PV__CHUNK_SLACK;
    assigns ch->fresh;
    ensures chain: pv_chain_ok(ch);
    ensures same: pv_chain_same{Pre, Post}(ch);
    ensures fits: pv_pad0(ch->fresh.bias, align) + pv_round(size) <= ch->fresh.cap;
    ensures kept: ch->failures == \old(ch->failures) && ch->puts == \old(ch->puts) &&
              ch->gets == \old(ch->gets) && ch->reserved == \old(ch->reserved) &&
              ch->chunks == \old(ch->chunks);
    ensures arena: pv_arena_ok(&ch->fresh) && ch->fresh.top == 0 && 0 < ch->fresh.cap <= want &&
              ch->fresh.cap + 2 * (PV_ALIGN - 1) >= want;
    ensures inside: \separated(ch, ch->fresh.base + (0 .. ch->fresh.cap - 1)) &&
              (\forall integer j; 0 <= j < ch->n ==>
                 \separated(ch->fresh.base + (0 .. ch->fresh.cap - 1),
                             ch->tab[j].arena.base + (0 .. ch->tab[j].arena.cap - 1)));
*/
static void pv__chain_prepare(pv_chain *ch, void *mem, size_t want) /*@ ghost (size_t size, size_t align) */
{
    (void)pv_arena_init(&ch->fresh, mem, want); /* succeeds: want >= 2 * PV_ALIGN */
    /*@ ghost pv__lemma_pad(ch->fresh.bias, align); */
    /*@ assert same: pv_chain_same{Pre, Here}(ch); */
}

/* The bytes to ask of the source for a new chunk: the next size, or what
 * the request needs if that is more. */
/*@ requires chain: pv_chain_ok(ch);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    assigns \nothing;
    ensures want: \result == pv_max(ch->next_size,
                                     pv_round(size) + (align > PV_ALIGN ? align : 0) + PV__CHUNK_SLACK);
    ensures bounds: 2 * PV_ALIGN <= \result <= PV__CHAIN_REQ_MAX + PV_ALIGN + PV_ALIGN_MAX + PV__CHUNK_SLACK;
*/
static size_t pv__chain_want(const pv_chain *ch, size_t size, size_t align)
{
    size_t data = ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN) + ((align > PV_ALIGN) ? align : 0u);
    size_t want = data + PV__CHUNK_SLACK;
    if (want < ch->next_size) {
        want = ch->next_size;
    }
    return want;
}

/* Obtain a new chunk for the request and append it as chunk n (which is the
 * placeholder tab[0] when n is 0). Returns its index, or PV_CHAIN_SLOTS if
 * the table is full, the bytes in use `in` plus the chunk's size would pass
 * PV_ARENA_CAP_MAX (both checked before the source is asked), or the source
 * fails. */
/*@ requires chain: pv_chain_ok(ch) && ch->n < PV_CHAIN_SLOTS;
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    requires in_use: in == pv_in_use(ch);
    assigns ch->n, ch->tab[ch->n], ch->fresh, ch->gets, ch->reserved, ch->chunks,
            ch->next_size, PV_SRC_STATE(ch->src.ctx);
    ensures chain: pv_chain_ok(ch);
    ensures held: pv_kept{Pre, Post}(ch, \old(ch->n));
    ensures data: pv_data_kept{Pre, Post}(ch, \old(ch->n));
    ensures others: pv_tops_kept{Pre, Post}(ch, \old(ch->n));
    ensures fail: \result == PV_CHAIN_SLOTS ==> pv_chain_same{Pre, Post}(ch) &&
              ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks);
    ensures kept: ch->failures == \old(ch->failures) && ch->puts == \old(ch->puts) &&
              ch->ci == \old(ch->ci);
    ensures ok: \result != PV_CHAIN_SLOTS ==>
              \result == \old(ch->n) && ch->n == \old(ch->n) + 1 &&
              ch->tab[\result].arena.top == 0 &&
              pv_pad0(ch->tab[\result].arena.bias, align) + pv_round(size) <= ch->tab[\result].arena.cap &&
              in <= PV_ARENA_CAP_MAX - ch->tab[\result].arena.cap;
*/
static size_t pv__chain_new(pv_chain *ch, size_t size, size_t align, size_t in)
{
    size_t k = ch->n;
    size_t want = pv__chain_want(ch, size, align);
    void *mem;

    if (in > (PV_ARENA_CAP_MAX - want)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return PV_CHAIN_SLOTS;
    }
    mem = pv__chain_obtain(ch, want);
    if (mem == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return PV_CHAIN_SLOTS;
    }
    pv__chain_prepare(ch, mem, want) /*@ ghost (size, align) */;
    pv__chain_append(ch, mem, want);
    /*@ assert a_kept: pv_kept{Pre, Here}(ch, k) && pv_tops_kept{Pre, Here}(ch, k) && pv_data_kept{Pre, Here}(ch, k); */
    PV_DBG_POOL_CREATE(&ch->tab[k].arena);
    PV_DBG_NOACCESS(ch->tab[k].arena.base, ch->tab[k].arena.cap);
    return k;
}

/* Empty arena a and allocate the request in it. */
/*@ requires arena: pv_arena_ok(a);
    requires fits: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align) &&
              pv_pad0(a->bias, align) + pv_round(size) <= a->cap;
    assigns a->top;
    ensures arena: pv_arena_ok(a);
    ensures last: pv_is_last(a, (char *)\result, size);
    ensures aligned: (a->bias + (a->top - pv_round(size))) % align == 0;
    ensures inside: (char *)\result == a->base + pv_pad0(a->bias, align) &&
              a->top == pv_pad0(a->bias, align) + pv_round(size);
    ensures valid: \valid((char *)\result + (0 .. size - 1));
*/
static void *pv__arena_enter(pv_arena *a, size_t size, size_t align)
{
    a->top = pv__pad(0u, a->bias, align);
    return pv__arena_bump(a, size);
}

/* Make chunk k current, emptied, with `before` bytes in use before it, and
 * allocate the request in it. */
/*@ requires chain: pv_chain_ok(ch);
    requires index: ch->ci <= k < ch->n;
    requires fits: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align) &&
              pv_pad0(ch->tab[k].arena.bias, align) + pv_round(size) <= ch->tab[k].arena.cap;
    requires before: before <= PV_ARENA_CAP_MAX - ch->tab[k].arena.cap;
    assigns ch->ci, ch->cur, ch->tab[k].before, ch->tab[k].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures cur: ch->ci == k && ch->tab[k].before == before;
    ensures held: pv_kept{Pre, Post}(ch, ch->n);
    ensures tops: \forall integer j; 0 <= j < ch->n && j != k ==>
              ch->tab[j].arena.top == \old(ch->tab[j].arena.top) && ch->tab[j].before == \old(ch->tab[j].before);
    ensures last: pv_is_last(&ch->tab[k].arena, (char *)\result, size);
    ensures aligned: (ch->tab[k].arena.bias + (ch->tab[k].arena.top - pv_round(size))) % align == 0;
    ensures fresh: pv_fresh(ch, (char *)\result, size);
*/
static void *pv__chain_enter(pv_chain *ch, size_t k, size_t size, size_t align, size_t before)
{
    pv_chunk *c = &ch->tab[k];
    void *p;
    c->before = before;
    ch->ci = k;
    ch->cur = c;
    p = pv__arena_enter(&c->arena, size, align);
    /*@ assert f_kept: pv_kept{Pre, Here}(ch, ch->n); */
    /*@ assert f_held: \forall integer j; 0 <= j < ch->n && j != k ==> pv_held{Pre}(ch, j) ==> pv_held(ch, j); */
    /*@ assert c_held: \forall integer j; 0 <= j < ch->n ==> pv_held(ch, j); */
    /*@ assert c_apart: \forall integer i, j; 0 <= i < ch->n && 0 <= j < ch->n && i != j ==> pv_apart(ch, i, j); */
    /*@ ghost pv__lemma_fresh_at(ch, c->arena.top - ((size + (PV_ALIGN - 1u)) / PV_ALIGN * PV_ALIGN), size); */
    return p;
}

/* No spare fits: a new chunk, and the request in it. */
/*@ requires chain: pv_chain_ok(ch) && ch->n < PV_CHAIN_SLOTS;
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    requires in_use: in == pv_in_use(ch);
    assigns ch->failures, ch->cur, ch->ci, ch->n, ch->next_size, ch->fresh,
            ch->gets, ch->reserved, ch->chunks,
            ch->tab[0 .. PV_CHAIN_SLOTS - 1], PV_SRC_STATE(ch->src.ctx);
    ensures chain: pv_chain_ok(ch);
    ensures held: pv_kept{Pre, Post}(ch, \old(ch->n));
    ensures data: pv_data_kept{Pre, Post}(ch, \old(ch->n));
    ensures tops: \forall integer j; 0 <= j < \old(ch->n) ==>
              ch->tab[j].arena.top == \old(ch->tab[j].arena.top) &&
              ch->tab[j].before == \old(ch->tab[j].before);
    ensures fail: \result == \null ==> pv_chain_same{Pre, Post}(ch) &&
              ch->failures == pv_inc(\old(ch->failures)) &&
              ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks);
    ensures ok: \result != \null ==>
              ch->ci == \old(ch->n) && ch->n == \old(ch->n) + 1 &&
              ch->failures == \old(ch->failures) && ch->tab[ch->ci].before == in;
    ensures ok_last: \result != \null ==> pv_is_last(&ch->tab[ch->ci].arena, (char *)\result, size);
    ensures ok_aligned: \result != \null ==>
              (ch->tab[ch->ci].arena.bias + (ch->tab[ch->ci].arena.top - pv_round(size))) % align == 0;
    ensures ok_fresh: \result != \null ==> pv_fresh(ch, (char *)\result, size);
*/
static void *pv__chain_grow(pv_chain *ch, size_t size, size_t align, size_t in)
{
    size_t k = pv__chain_new(ch, size, align, in);
    if (k == PV_CHAIN_SLOTS) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_fail(ch);
    }
    return pv__chain_enter(ch, k, size, align, in);
}

void *pv__chain_alloc_slow(pv_chain *ch, size_t size, size_t align)
{
    size_t in;
    size_t k;

    if ((size == 0u) || (size > PV__CHAIN_REQ_MAX) || !pv__align_ok(align)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_fail(ch);
    }
    in = pv__chain_in_use(ch);
    k = pv__chain_spare(ch, size, align, in);
    if (k != ch->n) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_enter(ch, k, size, align, in);
    }
    if (ch->n == PV_CHAIN_SLOTS) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_fail(ch); /* a full table */
    }
    return pv__chain_grow(ch, size, align, in);
}

void pv__chain_rewind(pv_chain *ch, size_t k, size_t top)
{
    pv__chain_note_peak(ch);
    ch->ci = k;
    ch->cur = &ch->tab[k];
    ch->tab[k].arena.top = top;
    /*@ assert f_kept: pv_kept{Pre, Here}(ch, ch->n); */
    /*@ assert f_held: \forall integer j; 0 <= j < ch->n && j != k ==> pv_held{Pre}(ch, j) ==> pv_held(ch, j); */
    /*@ assert f_k: k < ch->n ==> pv_held(ch, k); */
    /*@ assert c_held: \forall integer j; 0 <= j < ch->n ==> pv_held(ch, j); */
    /*@ assert c_apart: \forall integer i, j; 0 <= i < ch->n && 0 <= j < ch->n && i != j ==> pv_apart(ch, i, j); */
}

#if PV_HARDENED || PV_DBG_ON
void pv__chain_released(pv_chain *ch, size_t k, size_t top)
{
    size_t j = k;
    size_t t = top;
    while ((j < ch->n) && (j <= ch->ci)) {
        pv_chunk *c = &ch->tab[j];
#if PV_HARDENED
        if (c->arena.top > t) {
            PV_DBG_OPEN(c->arena.base + t, c->arena.top - t); /* padding too */
            /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside the chunk's arena */
            pv__fill(c->arena.base + t, PV_FREE_FILL, c->arena.top - t);
        }
#endif
        PV_DBG_KEEP(&c->arena, c->arena.base, t);
        /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside the chunk's arena */
        PV_DBG_NOACCESS(c->arena.base + t, c->arena.cap - t);
        j++;
        t = 0u;
    }
}
#endif

/* Give the last chunk of the table back to the source; it leaves the table. */
/*@ requires chain: \valid(ch) && 1 <= ch->n <= PV_CHAIN_SLOTS && pv_src_apart(ch, ch->src.ctx);
    requires given: 0 < ch->tab[ch->n - 1].size &&
              \separated(ch, (char *)ch->tab[ch->n - 1].mem + (0 .. ch->tab[ch->n - 1].size - 1)) &&
              \valid((char *)ch->tab[ch->n - 1].mem + (0 .. ch->tab[ch->n - 1].size - 1));
    assigns ch->n, ch->reserved, ch->chunks, ch->puts, PV_SRC_STATE(ch->src.ctx),
            *((char *)ch->tab[ch->n - 1].mem + (0 .. ch->tab[ch->n - 1].size - 1));
    ensures n: ch->n == \old(ch->n) - 1;
    ensures counters: ch->chunks == pv_sub_floor(\old(ch->chunks), 1) && ch->puts == pv_inc(\old(ch->puts));
*/
static void pv__chain_drop(pv_chain *ch)
{
    pv_chunk *c = &ch->tab[ch->n - 1u];
    ch->n--;
    ch->reserved = pv__sub_floor(ch->reserved, c->size);
    ch->chunks = pv__sub_floor(ch->chunks, 1u);
    ch->puts = pv__inc(ch->puts);
    PV_DBG_POOL_DESTROY(&c->arena);             /* with any block still in it */
    PV_DBG_RETURN(c->arena.base, c->arena.cap); /* the source may reuse it */
    pv__src_put(ch, c->mem, c->size);
}

void pv__chain_release(pv_chain *ch)
{
    pv__chain_note_peak(ch);
    /*@ loop invariant range: ch->n <= \at(ch->n, Pre);
        loop invariant table: \forall integer j; 0 <= j < PV_CHAIN_SLOTS ==>
          ch->tab[j].mem == \at(ch->tab[j].mem, Pre) && ch->tab[j].size == \at(ch->tab[j].size, Pre);
        loop invariant given: \forall integer j; 0 <= j < ch->n ==> 0 < ch->tab[j].size &&
          \separated(ch, (char *)ch->tab[j].mem + (0 .. ch->tab[j].size - 1)) &&
          \valid((char *)ch->tab[j].mem + (0 .. ch->tab[j].size - 1));
        loop invariant source: pv_src_apart(ch, ch->src.ctx) && ch->src.ctx == \at(ch->src.ctx, Pre);
        loop invariant chunks: ch->chunks == pv_sub_floor(\at(ch->chunks, Pre), \at(ch->n, Pre) - ch->n);
        loop invariant puts: ch->puts == pv_add_sat(\at(ch->puts, Pre), \at(ch->n, Pre) - ch->n);
        loop assigns ch->n, ch->reserved, ch->chunks, ch->puts, PV_SRC_STATE(ch->src.ctx),
                     { *p | char *p; pv_in_given{Pre}(ch, p) };
        loop variant ch->n;
    */
    while (ch->n > 0u) {
        pv__chain_drop(ch);
    }
    ch->tab[0].arena.base = NULL;
    ch->tab[0].arena.cap = 0u;
    ch->tab[0].arena.top = 0u;
    ch->tab[0].arena.bias = 0u;
    ch->tab[0].before = 0u;
    ch->ci = 0u;
    ch->cur = &ch->tab[0];
    ch->next_size = ch->min_size;
    /*@ assert c_empty: ch->n == 0 && ch->ci == 0 && ch->cur == &ch->tab[0] && ch->tab[0].arena.top == 0 &&
          ch->tab[0].arena.cap == 0 && ch->tab[0].before == 0 && pv_arena_ok(&ch->tab[0].arena); */
    /*@ assert c_sizes: 256 <= ch->min_size <= ch->next_size <= PV__CHAIN_REQ_MAX; */
    /*@ assert c_src: pv_src_apart(ch, ch->src.ctx); */
}

void pv__chain_stats(const pv_chain *ch, pv_stats *out)
{
    size_t u = pv__chain_in_use(ch);
    out->in_use = u;
    out->peak_in_use = (u > ch->peak) ? u : ch->peak;
    out->reserved = ch->reserved;
    out->chunks = ch->chunks;
    out->source_gets = ch->gets;
    out->source_puts = ch->puts;
    out->failures = ch->failures;
}
