/*
 * Internal: the chunk chain shared by region and stack (see pv_chain.h).
 *
 * Proof (Frama-C WP, spec/pv_chain.acsl): the ghost loops marked "frame" are
 * the induction that carries the list predicates (pv_nth, pv_sizes) across
 * the writes before them; ghost code generates no code.
 */
#include "pv_chain.h"
#include "pv_debug.h"

#if PV_HARDENED
#include "pv_mem.h" /* pv__fill: the poison fill of released blocks */
#endif

void pv__chain_init(pv_chain *ch, const pv_source *src, size_t min_size, size_t max_size)
{
    pv_arena empty = PV_ARENA_EMPTY;
    ch->head.arena = empty;
    ch->head.next = NULL;
    ch->head.size = 0u;
    ch->head.before = 0u;
    ch->cur = &ch->head;
    ch->last = &ch->head;
    ch->src = *src;
    ch->next_size = min_size;
    ch->min_size = min_size;
    ch->max_size = max_size;
    ch->peak = 0u;
    ch->reserved = 0u;
    ch->chunks = 0u;
    ch->gets = 0u;
    ch->puts = 0u;
    ch->failures = 0u;
}

/* TRUSTED (proofs/TRUSTED.md): pv__chunk_get and pv__chunk_put are not
 * proved; their contracts (pv_chain.h) are assumed. Frama-C does not see
 * their bodies. */
#ifndef __FRAMAC__
/* The single place where source memory becomes a typed chunk header. */
pv_chunk *pv__chunk_get(pv_chain *ch, size_t data) /*@ ghost (size_t n) */
{
    size_t total = PV__CHUNK_HDR + PV__SOURCE_SLACK + data;
    void *mem;
    pv_chunk *c;
    ch->gets = pv__inc(ch->gets);
    mem = ch->src.get(ch->src.ctx, total);
    if (mem == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    c = (pv_chunk *)mem;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    if (!pv_arena_init(&c->arena, (char *)mem + PV__CHUNK_HDR, data + PV__SOURCE_SLACK)) {
        ch->puts = pv__inc(ch->puts);
        ch->src.put(ch->src.ctx, mem, total);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    c->next = NULL;
    c->size = total;
    c->before = 0u;
    ch->reserved += total;
    ch->chunks++;
    PV_DBG_POOL_CREATE(&c->arena);
    PV_DBG_NOACCESS(c->arena.base, c->arena.cap);
    return c;
}

void pv__chunk_put(pv_chain *ch, pv_chunk *c)
{
    size_t total = c->size;
    ch->reserved -= total;
    ch->chunks--;
    ch->puts = pv__inc(ch->puts);
    PV_DBG_POOL_DESTROY(&c->arena);             /* with any block still in it */
    PV_DBG_RETURN(c->arena.base, c->arena.cap); /* the source may reuse it */
    ch->src.put(ch->src.ctx, c, total);
}
#endif /* !__FRAMAC__ */

/* Lemmas (ghost functions, proved; they generate no code). */
/* The bytes obtained for nodes 1 .. i grow with i (the induction on i is
 * the ghost loop). */
/*@ ghost
  /@ assigns \nothing;
     ensures mono: \forall integer i, j; 0 <= i <= j <= n ==> pv_sizes(h, i) <= pv_sizes(h, j); @/
  void pv__lemma_mono(pv_chunk *h, size_t n)
  {
      size_t g;
      /@ loop invariant range: 0 <= g <= n;
         loop invariant mono: \forall integer i, j; 0 <= i <= j <= g ==> pv_sizes(h, i) <= pv_sizes(h, j);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step: pv_sizes(h, g + 1) == pv_sizes(h, g) + pv_nth(h, g + 1)->size; @/
          /@ assert grows: pv_sizes(h, g) <= pv_sizes(h, g + 1); @/
      }
  }
*/
/* In a sound chain the bytes in use are at most the bytes reserved. */
/*@ ghost
  /@ requires pv_chain_ok(ch, ci, n);
     assigns \nothing;
     ensures pv_in_use(ch) <= pv_sizes(&ch->head, ci) <= ch->reserved; @/
  void pv__lemma_in_use(pv_chain *ch, size_t ci, size_t n)
  {
      pv__lemma_mono(&ch->head, n);
      if (ci == 0u) {
          /@ assert ch->cur == &ch->head; @/
      } else {
          /@ assert pv_sizes(&ch->head, ci) == pv_sizes(&ch->head, ci - 1) + pv_nth(&ch->head, ci)->size; @/
          /@ assert pv_sizes(&ch->head, ci) <= pv_sizes(&ch->head, n); @/
      }
  }
*/
/* The padding from offset 0 of an arena with bias b: below al, and 0 when al
 * is at most PV_ALIGN (case split over the accepted alignments). */
/*@ ghost
  /@ requires b < PV_ALIGN_MAX && b % PV_ALIGN == 0 && pv_align_ok(al);
     assigns \nothing;
     ensures bound: (b + al - 1) / al * al - b < al;
     ensures small: al <= PV_ALIGN ==> (b + al - 1) / al * al - b == 0; @/
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

/* The frame of a write to fields of *ch only (failures, gets, puts,
 * reserved, chunks, next_size) or of one node's top/before/next, spelled out
 * field by field for every node: the asserts below carry it, then the ghost
 * loop "frame" carries pv_nth and pv_sizes by induction. */

/* An allocation fits in an empty chunk whose capacity covers the rounded
 * size plus, for an alignment above PV_ALIGN, the alignment. */
/*@ ghost
  /@ requires valid: \valid_read(c);
     requires arena: c->arena.bias < PV_ALIGN_MAX && c->arena.bias % PV_ALIGN == 0;
     requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
     requires cap: c->arena.cap >= pv_round(size) + (align > PV_ALIGN ? align : 0);
     assigns \nothing;
     ensures fits: size <= c->arena.cap && pv_pad0(&c->arena, align) + pv_round(size) <= c->arena.cap; @/
  void pv__lemma_fits(pv_chunk *c, size_t size, size_t align)
  {
      pv__lemma_pad(c->arena.bias, align);
  }
*/

/* pv__chunk_get with the frame of the list spelled out field by field (a
 * small context: the frame hypothesis of the callee's set comprehension is
 * used here once instead of in every goal of pv__chain_alloc_slow). */
/*@ requires valid: \valid(ch);
    requires data: data <= PV__CHUNK_DATA_MAX;
    requires list: \forall integer k; 1 <= k <= n ==> \separated(ch, pv_nth(&ch->head, k));
    assigns ch->gets, ch->puts, ch->reserved, ch->chunks,
            { *q | pv_chunk *q; pv_free_place(ch, q, n) && pv_beside(ch, q) };
    ensures gets: ch->gets == pv_inc(\old(ch->gets));
    ensures fail: \result == \null ==>
              ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks) &&
              (ch->puts == \old(ch->puts) || ch->puts == pv_inc(\old(ch->puts)));
    ensures place: \result != \null ==> pv_free_place{Pre}(ch, \result, n);
    ensures chunk: \result != \null ==> pv_new_chunk(ch, \result, n);
    ensures beside: \result != \null ==>
              pv_beside(ch, \result) && pv_beside_data(ch, \result->arena.base, \result->arena.cap);
    ensures fields: \result != \null ==>
              \result->next == \null && \result->before == 0 && \result->arena.top == 0 &&
              \result->size == PV__CHUNK_HDR + PV__SOURCE_SLACK + data &&
              \result->arena.cap >= data - data % PV_ALIGN;
    ensures stats: \result != \null ==>
              ch->reserved == \old(ch->reserved) + \result->size &&
              ch->chunks == \old(ch->chunks) + 1 && ch->puts == \old(ch->puts);
    ensures f_next: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_size: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_base: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_cap: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_bias: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->arena.bias == pv_bias{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_before: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->before == pv_before{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_top: \forall integer i; 0 <= i <= n ==>
              pv_nth{Pre}(&ch->head, i)->arena.top == pv_top{Pre}(pv_nth{Pre}(&ch->head, i));
    ensures f_ch: ch->cur == \old(ch->cur) && ch->last == \old(ch->last) &&
              ch->min_size == \old(ch->min_size) && ch->max_size == \old(ch->max_size) &&
              ch->next_size == \old(ch->next_size) && ch->failures == \old(ch->failures) &&
              ch->peak == \old(ch->peak);
    ensures f_head: ch->head.arena.base == \old(ch->head.arena.base) &&
              ch->head.arena.cap == \old(ch->head.arena.cap) && ch->head.arena.top == \old(ch->head.arena.top) &&
              ch->head.arena.bias == \old(ch->head.arena.bias) && ch->head.before == \old(ch->head.before) &&
              ch->head.size == \old(ch->head.size);
    ensures f_chunks: \forall integer i; 1 <= i <= n ==>
              pv_chunk_ok{Pre}(pv_nth{Pre}(&ch->head, i)) ==> pv_chunk_ok(pv_nth{Pre}(&ch->head, i));
*/
static pv_chunk *pv__chunk_get_framed(pv_chain *ch, size_t data) /*@ ghost (size_t n) */
{
    pv_chunk *c;
    /*@ assert w_sep: \forall integer i; 1 <= i <= n ==> !pv_free_place(ch, pv_nth(&ch->head, i), n); */
    /*@ assert w_head: !pv_free_place(ch, &ch->head, n); */
/*@ ghost Call: ; */
    c = pv__chunk_get(ch, data) /*@ ghost (n) */;
    /*@ assert w_ch1: ch->cur == \at(ch->cur, Call) && ch->last == \at(ch->last, Call); */
    /*@ assert w_ch2: ch->min_size == \at(ch->min_size, Call) && ch->max_size == \at(ch->max_size, Call); */
    /*@ assert w_ch3: ch->next_size == \at(ch->next_size, Call) && ch->failures == \at(ch->failures, Call); */
    /*@ assert w_ch4: ch->peak == \at(ch->peak, Call); */
    /*@ assert w_before: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->before == pv_before{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_next: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->next == pv_next{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_size: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->size == pv_size{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_base: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->arena.base == pv_base{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_cap: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->arena.cap == pv_cap{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_bias: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->arena.bias == pv_bias{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_top: \forall integer i; 0 <= i <= n ==>
          pv_nth{Call}(&ch->head, i)->arena.top == pv_top{Call}(pv_nth{Call}(&ch->head, i)); */
    /*@ assert w_ch: ch->cur == \at(ch->cur, Call) && ch->last == \at(ch->last, Call) &&
          ch->min_size == \at(ch->min_size, Call) && ch->max_size == \at(ch->max_size, Call) &&
          ch->next_size == \at(ch->next_size, Call) && ch->failures == \at(ch->failures, Call) &&
          ch->peak == \at(ch->peak, Call); */
    /*@ assert w_head: ch->head.arena.base == \at(ch->head.arena.base, Call) &&
          ch->head.arena.cap == \at(ch->head.arena.cap, Call) && ch->head.arena.top == \at(ch->head.arena.top, Call) &&
          ch->head.arena.bias == \at(ch->head.arena.bias, Call) && ch->head.before == \at(ch->head.before, Call) &&
          ch->head.size == \at(ch->head.size, Call); */
    /*@ assert w_chunks: \forall integer i; 1 <= i <= n ==>
          pv_chunk_ok{Call}(pv_nth{Call}(&ch->head, i)) ==> pv_chunk_ok(pv_nth{Call}(&ch->head, i)); */
    return c;
}

/* pv__chunk_get, with the chain invariant carried across the call (the
 * frame of the callee's set comprehension is used here once instead of in
 * every goal of pv__chain_alloc_slow). */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    requires data: data <= PV__CHUNK_DATA_MAX;
    assigns ch->gets, ch->puts, ch->reserved, ch->chunks,
            { *q | pv_chunk *q; pv_free_place(ch, q, n) && pv_beside(ch, q) };
    ensures chain: pv_chain_ok(ch, ci, n);
    ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
    ensures tops: \forall integer j; 0 <= j <= n ==>
              pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top);
    ensures gets: ch->gets == pv_inc(\old(ch->gets));
    ensures fail: \result == \null ==>
              ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks) &&
              (ch->puts == \old(ch->puts) || ch->puts == pv_inc(\old(ch->puts)));
    ensures place: \result != \null ==> pv_free_place{Pre}(ch, \result, n);
    ensures chunk: \result != \null ==> pv_new_chunk(ch, \result, n);
    ensures beside: \result != \null ==>
              pv_beside(ch, \result) && pv_beside_data(ch, \result->arena.base, \result->arena.cap);
    ensures fields: \result != \null ==>
              \result->next == \null && \result->before == 0 && \result->arena.top == 0 &&
              \result->size == PV__CHUNK_HDR + PV__SOURCE_SLACK + data &&
              \result->arena.cap >= data - data % PV_ALIGN;
    ensures room: \result != \null ==>
              n < ch->chunks && pv_sizes(&ch->head, n) + \result->size <= ch->reserved;
    ensures stats: \result != \null ==> ch->puts == \old(ch->puts);
    ensures kept: ch->failures == \old(ch->failures) && ch->peak == \old(ch->peak) &&
              ch->cur == \old(ch->cur) && ch->last == \old(ch->last);
    ensures sizes: \forall integer j; 0 <= j <= n ==> pv_sizes(&ch->head, j) == \old(pv_sizes(&ch->head, j));
*/
static pv_chunk *pv__chain_get(pv_chain *ch, size_t data) /*@ ghost (size_t ci, size_t n) */
{
    pv_chunk *c;
    /*@ ghost size_t g; */
    /*@ assert w_list: \forall integer i; 1 <= i <= n ==> \separated(ch, pv_nth(&ch->head, i)); */
    c = pv__chunk_get_framed(ch, data) /*@ ghost (n) */;
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant frame: pv_frame{Pre, Here}(ch, g);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step_next: pv_nth{Pre}(&ch->head, g)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, g)); @/
          /@ assert step_size: pv_nth{Pre}(&ch->head, g + 1)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, g + 1)); @/
      }
    */
    /*@ assert c_tail: pv_nth(&ch->head, n + 1) == \null; */
    /*@ assert c_nonnull: \forall integer k; 1 <= k <= n ==> pv_nth(&ch->head, k) != \null; */
    /*@ assert c_chunks: \forall integer k; 1 <= k <= n ==> pv_chunk_ok(pv_nth(&ch->head, k)); */
    /*@ assert c_out: \forall integer k; 1 <= k <= n ==> pv_out(ch, pv_nth(&ch->head, k)); */
    /*@ assert c_disj0: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth{Pre}(&ch->head, i), pv_nth{Pre}(&ch->head, j)); */
    /*@ assert c_disj: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth(&ch->head, i), pv_nth(&ch->head, j)); */
    /*@ assert c_sizes: \forall integer i; 0 <= i <= n ==> pv_sizes(&ch->head, i) == pv_sizes{Pre}(&ch->head, i); */
    /*@ assert c_before: \forall integer k; 1 <= k <= n ==>
          pv_nth(&ch->head, k)->before <= pv_sizes(&ch->head, k - 1); */
    /*@ assert h_fields: ch->head.arena.base == \at(ch->head.arena.base, Pre) &&
          ch->head.arena.cap == \at(ch->head.arena.cap, Pre) && ch->head.arena.top == \at(ch->head.arena.top, Pre) &&
          ch->head.arena.bias == \at(ch->head.arena.bias, Pre) && ch->head.before == \at(ch->head.before, Pre) &&
          ch->head.size == \at(ch->head.size, Pre); */
    /*@ assert c_head: pv_arena_ok(&ch->head.arena) && ch->head.arena.cap == 0 && ch->head.before == 0 && ch->head.size == 0; */
    /*@ assert c_ptrs: ch->cur == pv_nth(&ch->head, ci) && ch->last == pv_nth(&ch->head, n); */
    /*@ assert c_limits: PV__CHUNK_HDR <= ch->min_size <= PV__CHAIN_REQ_MAX && ch->max_size <= PV__CHAIN_REQ_MAX &&
          PV__CHUNK_HDR <= ch->next_size <= PV__CHAIN_REQ_MAX && n <= ch->chunks; */
    /*@ assert c_reserved: pv_sizes(&ch->head, n) <= ch->reserved; */
    return c;
}

/* A failed request: count it. The chain is unchanged. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    assigns ch->failures;
    ensures null: \result == \null;
    ensures chain: pv_chain_ok(ch, ci, n);
    ensures failures: ch->failures == pv_inc(\old(ch->failures));
*/
static void *pv__chain_fail(pv_chain *ch) /*@ ghost (size_t ci, size_t n) */
{
    /*@ ghost size_t g; */
    /*@ assert b_sep: \forall integer i; 1 <= i <= n ==> \separated(ch, pv_nth(&ch->head, i)); */
    ch->failures = pv__inc(ch->failures);
    /*@ assert f_size: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_base: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_cap: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_bias: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.bias == pv_bias{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_before: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->before == pv_before{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_top: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.top == pv_top{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant frame: pv_frame{Pre, Here}(ch, g);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step_next: pv_nth{Pre}(&ch->head, g)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, g)); @/
          /@ assert step_size: pv_nth{Pre}(&ch->head, g + 1)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, g + 1)); @/
      }
    */
    /*@ assert c_tail: pv_nth(&ch->head, n + 1) == \null; */
    /*@ assert c_nonnull: \forall integer k; 1 <= k <= n ==> pv_nth(&ch->head, k) != \null; */
    /*@ assert c_chunks: \forall integer k; 1 <= k <= n ==> pv_chunk_ok(pv_nth(&ch->head, k)); */
    /*@ assert c_out: \forall integer k; 1 <= k <= n ==> pv_out(ch, pv_nth(&ch->head, k)); */
    /*@ assert c_disj0: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth{Pre}(&ch->head, i), pv_nth{Pre}(&ch->head, j)); */
    /*@ assert c_disj: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth(&ch->head, i), pv_nth(&ch->head, j)); */
    /*@ assert c_before: \forall integer k; 1 <= k <= n ==>
          pv_nth(&ch->head, k)->before <= pv_sizes(&ch->head, k - 1); */
    return NULL;
}

/* The size of the next chunk: geometric growth up to max_size. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    assigns ch->next_size;
    ensures chain: pv_chain_ok(ch, ci, n);
    ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
    ensures kept: \forall integer j; 0 <= j <= n ==>
              pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top) &&
              pv_nth(&ch->head, j)->arena.cap == \old(pv_nth(&ch->head, j)->arena.cap) &&
              pv_nth(&ch->head, j)->arena.bias == \old(pv_nth(&ch->head, j)->arena.bias);
    ensures sizes: \forall integer j; 0 <= j <= n ==> pv_sizes(&ch->head, j) == \old(pv_sizes(&ch->head, j));
    ensures grown: ch->next_size == (\old(ch->next_size) < ch->max_size ?
              (\old(ch->next_size) > ch->max_size / 2 ? ch->max_size : 2 * \old(ch->next_size)) :
              \old(ch->next_size));
*/
static void pv__chain_grow(pv_chain *ch) /*@ ghost (size_t ci, size_t n) */
{
    /*@ ghost size_t g; */
    /*@ assert b_sep: \forall integer i; 1 <= i <= n ==> \separated(ch, pv_nth(&ch->head, i)); */
    if (ch->next_size < ch->max_size) {
        ch->next_size = (ch->next_size > (ch->max_size / 2u)) ? ch->max_size : (ch->next_size * 2u);
    }
    /*@ assert f_size: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_base: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_cap: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_bias: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.bias == pv_bias{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_before: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->before == pv_before{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_top: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.top == pv_top{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant frame: pv_frame{Pre, Here}(ch, g);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step_next: pv_nth{Pre}(&ch->head, g)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, g)); @/
          /@ assert step_size: pv_nth{Pre}(&ch->head, g + 1)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, g + 1)); @/
      }
    */
    /*@ assert c_tail: pv_nth(&ch->head, n + 1) == \null; */
    /*@ assert c_nonnull: \forall integer k; 1 <= k <= n ==> pv_nth(&ch->head, k) != \null; */
    /*@ assert c_chunks: \forall integer k; 1 <= k <= n ==> pv_chunk_ok(pv_nth(&ch->head, k)); */
    /*@ assert c_out: \forall integer k; 1 <= k <= n ==> pv_out(ch, pv_nth(&ch->head, k)); */
    /*@ assert c_disj0: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth{Pre}(&ch->head, i), pv_nth{Pre}(&ch->head, j)); */
    /*@ assert c_disj: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth(&ch->head, i), pv_nth(&ch->head, j)); */
    /*@ assert c_before: \forall integer k; 1 <= k <= n ==>
          pv_nth(&ch->head, k)->before <= pv_sizes(&ch->head, k - 1); */
}

/* Link a new chunk c at the tail: it becomes node n + 1. Writes no integer. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    requires new: pv_new_chunk(ch, c, n) && c->next == \null && c->before == 0;
    requires room: n < ch->chunks && pv_sizes(&ch->head, n) + c->size <= ch->reserved;
    assigns ch->last, pv_nth(&ch->head, n)->next;
    ensures chain: pv_chain_ok(ch, ci, n + 1);
    ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
    ensures tail: pv_nth(&ch->head, n + 1) == c;
    ensures tops: \forall integer j; 0 <= j <= n ==>
              pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top);
    ensures new_kept: c->arena.top == \old(c->arena.top) && c->arena.cap == \old(c->arena.cap) &&
              c->arena.bias == \old(c->arena.bias) && c->arena.base == \old(c->arena.base);
    ensures sizes: \forall integer j; 0 <= j <= n ==> pv_sizes(&ch->head, j) == \old(pv_sizes(&ch->head, j));
*/
static void pv__chain_append(pv_chain *ch, pv_chunk *c) /*@ ghost (size_t ci, size_t n) */
{
    /*@ ghost size_t g; */
    /*@ assert a_sep: \forall integer i; 0 <= i <= n ==> \separated(c, pv_nth(&ch->head, i)); */
    /*@ assert a_last: ch->last == pv_nth(&ch->head, n) && \separated(ch->last, c); */
    /*@ assert a_dist: \forall integer i; 0 <= i < n ==> pv_nth(&ch->head, i) != pv_nth(&ch->head, n); */
    ch->last->next = c;
    ch->last = c;
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant same: \forall integer i; 0 <= i <= g ==> pv_nth(&ch->head, i) == pv_nth{Pre}(&ch->head, i);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step: pv_nth{Pre}(&ch->head, g)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, g)); @/
      }
    */
    /*@ assert n_1: pv_nth(&ch->head, n + 1) == c; */
    /*@ assert n_2: pv_nth(&ch->head, n + 2) == \null; */
    /*@ assert f_size: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_base: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_cap: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_bias: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.bias == pv_bias{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_before: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->before == pv_before{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_top: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.top == pv_top{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_now: \forall integer i; 0 <= i <= n ==> pv_nth(&ch->head, i)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_new: c->size == \at(c->size, Pre) && c->arena.base == \at(c->arena.base, Pre) &&
          c->arena.cap == \at(c->arena.cap, Pre) && c->arena.bias == \at(c->arena.bias, Pre) &&
          c->arena.top == \at(c->arena.top, Pre) && c->before == \at(c->before, Pre); */
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant sizes: \forall integer i; 0 <= i <= g ==>
                              pv_sizes(&ch->head, i) == pv_sizes{Pre}(&ch->head, i);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step_size: pv_nth(&ch->head, g + 1)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, g + 1)); @/
      }
    */
    /*@ assert n_sizes: pv_sizes(&ch->head, n + 1) == pv_sizes(&ch->head, n) + c->size; */
    /*@ assert c_nonnull: \forall integer k; 1 <= k <= n + 1 ==> pv_nth(&ch->head, k) != \null; */
    /*@ assert c_chunks: \forall integer k; 1 <= k <= n + 1 ==> pv_chunk_ok(pv_nth(&ch->head, k)); */
    /*@ assert c_out: \forall integer k; 1 <= k <= n + 1 ==> pv_out(ch, pv_nth(&ch->head, k)); */
    /*@ assert c_disj: \forall integer i, j; 1 <= i <= n + 1 && 1 <= j <= n + 1 && i != j ==>
          pv_disj(pv_nth(&ch->head, i), pv_nth(&ch->head, j)); */
    /*@ assert c_before: \forall integer k; 1 <= k <= n + 1 ==>
          pv_nth(&ch->head, k)->before <= pv_sizes(&ch->head, k - 1); */
}

/* Would an allocation of size bytes aligned on align fit in arena a once it
 * is emptied? Writes nothing. */
/*@ requires arena: pv_arena_ok(a);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    assigns \nothing;
    ensures fits: \result == \true <==> (size <= a->cap && pv_pad0(a, align) + pv_round(size) <= a->cap);
*/
static bool pv__fits_empty(const pv_arena *a, size_t size, size_t align)
{
    size_t pad = ((a->bias + align - 1u) / align * align) - a->bias;
    return (size <= a->cap) && ((pad + ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)) <= a->cap);
}

/* Empty chunk c, allocate the request in it, record the bytes in use
 * before it. */
/*@ requires chunk: pv_chunk_ok(c);
    requires out: pv_out(ch, c);
    requires others: \forall integer j; 1 <= j <= n && j != k ==> pv_disj(c, pv_nth(&ch->head, j));
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    requires fits: size <= c->arena.cap && pv_pad0(&c->arena, align) + pv_round(size) <= c->arena.cap;
    assigns c->arena.top, c->before;
    ensures sep_c: \separated((char *)\result + (0 .. size - 1), c);
    ensures sep_ch: \separated((char *)\result + (0 .. size - 1), ch);
    ensures sep_nodes: \forall integer j; 1 <= j <= n && j != k ==>
              pv_block_sep((char *)\result, size, pv_nth(&ch->head, j));
    ensures chunk: pv_chunk_ok(c);
    ensures kept: c->arena.base == \old(c->arena.base) && c->arena.cap == \old(c->arena.cap) &&
              c->arena.bias == \old(c->arena.bias) && c->size == \old(c->size);
    ensures before: c->before == before;
    ensures fresh: (char *)\result == c->arena.base + pv_pad0(&c->arena, align);
    ensures consumed: c->arena.top == pv_pad0(&c->arena, align) + pv_round(size);
    ensures valid: \valid((char *)\result + (0 .. size - 1));
    ensures aligned: pv_aligned_off(&c->arena, pv_pad0(&c->arena, align), align);
*/
static void *pv__chunk_take(pv_chunk *c, size_t size, size_t align, size_t before)
    /*@ ghost (pv_chain *ch, size_t n, size_t k) */
{
    void *p;
    c->before = before;
    c->arena.top = 0u;
    /*@ assert t_fits: pv_fits_aligned(&c->arena, size, align) && pv_pad(&c->arena, align) == pv_pad0(&c->arena, align); */
/*@ ghost Take: ; */
    p = pv_arena_alloc_aligned(&c->arena, size, align);
    /*@ assert t_al0: pv_aligned_off(&c->arena, \at(pv_pad0(&c->arena, align), Take), align); */
    /*@ assert t_pad: pv_pad0(&c->arena, align) == \at(pv_pad0(&c->arena, align), Take); */
    /*@ assert t_al: pv_aligned_off(&c->arena, pv_pad0(&c->arena, align), align); */
    /*@ assert t_in: c->arena.base <= (char *)p && (char *)p + size <= c->arena.base + c->arena.cap; */
    return p;
}

/* Make node k (a spare, or the chunk just appended) the current chunk:
 * empty it, allocate the request in it, record the bytes in use before it. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    requires node: ci < k <= n && c == pv_nth(&ch->head, k);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    requires fits: size <= c->arena.cap && pv_pad0(&c->arena, align) + pv_round(size) <= c->arena.cap;
    requires before: before <= pv_sizes(&ch->head, k - 1);
    assigns ch->cur, c->arena.top, c->before;
    ensures chain: pv_chain_ok(ch, k, n);
    ensures entered: ch->cur == c && c->before == before;
    ensures kept: c->arena.base == \old(c->arena.base) && c->arena.cap == \old(c->arena.cap) &&
              c->arena.bias == \old(c->arena.bias);
    ensures fresh: (char *)\result == c->arena.base + pv_pad0(&c->arena, align);
    ensures consumed: c->arena.top == pv_pad0(&c->arena, align) + pv_round(size);
    ensures valid: \valid((char *)\result + (0 .. size - 1));
    ensures aligned: pv_aligned_off(&c->arena, pv_pad0(&c->arena, align), align);
    ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
    ensures tops: \forall integer j; 0 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
              pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top);
    ensures ok_last: pv_is_last(&ch->cur->arena, (char *)\result, size);
    ensures ok_inside: ch->cur->arena.base <= (char *)\result &&
              (char *)\result + size <= ch->cur->arena.base + ch->cur->arena.top;
    ensures ok_aligned: pv_aligned_off(&ch->cur->arena, ch->cur->arena.top - pv_round(size), align);
    ensures ok_disjoint: \separated((char *)\result + (0 .. size - 1), ch) &&
              \separated((char *)\result + (0 .. size - 1), ch->cur) &&
              (\forall integer j; 1 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
                 pv_block_sep((char *)\result, size, pv_nth(&ch->head, j)));
*/
static void *pv__chain_enter(pv_chain *ch, pv_chunk *c, size_t size, size_t align, size_t before)
    /*@ ghost (size_t ci, size_t n, size_t k) */
{
    void *p;
    /*@ ghost size_t g; */
    /*@ assert e_sep: \forall integer i; 1 <= i <= n && i != k ==> \separated(c, pv_nth(&ch->head, i)); */
    /*@ assert e_out: \separated(c, ch); */
    /*@ assert e_others: pv_chunk_ok(c) && pv_out(ch, c) &&
          (\forall integer j; 1 <= j <= n && j != k ==> pv_disj(c, pv_nth(&ch->head, j))); */
    p = pv__chunk_take(c, size, align, before) /*@ ghost (ch, n, k) */;
    /*@ assert e_last0: pv_is_last(&c->arena, (char *)p, size); */
    ch->cur = c;
    /*@ assert e_took: c->arena.base == \at(c->arena.base, Pre) && c->arena.cap == \at(c->arena.cap, Pre) &&
          c->arena.bias == \at(c->arena.bias, Pre) && c->size == \at(c->size, Pre); */
    /*@ assert f_size: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_base: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_cap: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_bias: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->arena.bias == pv_bias{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_before: \forall integer i; 0 <= i <= n && i != k ==>
          pv_nth{Pre}(&ch->head, i)->before == pv_before{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_top: \forall integer i; 0 <= i <= n && i != k ==>
          pv_nth{Pre}(&ch->head, i)->arena.top == pv_top{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ assert f_next: \forall integer i; 0 <= i <= n ==>
          pv_nth{Pre}(&ch->head, i)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, i)); */
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant frame: pv_frame{Pre, Here}(ch, g);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step_next: pv_nth{Pre}(&ch->head, g)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, g)); @/
          /@ assert step_size: pv_nth{Pre}(&ch->head, g + 1)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, g + 1)); @/
      }
    */
    /*@ assert c_tail: pv_nth(&ch->head, n + 1) == \null; */
    /*@ assert c_nonnull: \forall integer i; 1 <= i <= n ==> pv_nth(&ch->head, i) != \null; */
    /*@ assert c_chunks_o: \forall integer i; 1 <= i <= n && i != k ==> pv_chunk_ok(pv_nth(&ch->head, i)); */
    /*@ assert c_chunks: \forall integer i; 1 <= i <= n ==> pv_chunk_ok(pv_nth(&ch->head, i)); */
    /*@ assert c_out: \forall integer i; 1 <= i <= n ==> pv_out(ch, pv_nth(&ch->head, i)); */
    /*@ assert c_disj0: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth{Pre}(&ch->head, i), pv_nth{Pre}(&ch->head, j)); */
    /*@ assert c_disj: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth(&ch->head, i), pv_nth(&ch->head, j)); */
    /*@ assert c_before: \forall integer i; 1 <= i <= n ==>
          pv_nth(&ch->head, i)->before <= pv_sizes(&ch->head, i - 1); */
    /*@ assert c_head: pv_arena_ok(&ch->head.arena) && ch->head.arena.cap == 0 && ch->head.before == 0 && ch->head.size == 0; */
    /*@ assert c_ptrs: ch->cur == pv_nth(&ch->head, k) && ch->last == pv_nth(&ch->head, n); */
    /*@ assert c_limits: PV__CHUNK_HDR <= ch->min_size <= PV__CHAIN_REQ_MAX && ch->max_size <= PV__CHAIN_REQ_MAX &&
          PV__CHUNK_HDR <= ch->next_size <= PV__CHAIN_REQ_MAX && n <= ch->chunks; */
    /*@ assert c_reserved: pv_sizes(&ch->head, n) <= ch->reserved; */
    /*@ assert e_in: c->arena.base <= (char *)p && (char *)p + size <= c->arena.base + c->arena.top; */
    /*@ assert e_last: pv_is_last(&c->arena, (char *)p, size); */
    /*@ assert e_chunk: pv_chunk_ok(c) && pv_out(ch, c); */
    /*@ assert e_sub1: \separated((char *)p + (0 .. size - 1), c); */
    /*@ assert e_sub2: \separated((char *)p + (0 .. size - 1), ch); */
    /*@ assert e_disj: \forall integer j; 1 <= j <= n && j != k ==> pv_disj(c, pv_nth(&ch->head, j)); */
    /*@ assert e_sep_hdr: \forall integer j; 1 <= j <= n && j != k ==>
          \separated((char *)p + (0 .. size - 1), pv_nth(&ch->head, j)); */
    /*@ assert e_sep_data: \forall integer j; 1 <= j <= n && j != k ==>
          \separated((char *)p + (0 .. size - 1),
                      pv_nth(&ch->head, j)->arena.base + (0 .. pv_nth(&ch->head, j)->arena.cap - 1)); */
    /*@ assert e_sep_nodes: \forall integer j; 1 <= j <= n && j != k ==>
          pv_block_sep((char *)p, size, pv_nth(&ch->head, j)); */
    return p;
}

/* No spare fits: a new chunk at the tail, as large as the next size or as
 * the request needs if that is more; the request is allocated in it. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    requires request: 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
    requires before: before <= pv_sizes(&ch->head, n);
    assigns ch->failures, ch->cur, ch->last, ch->next_size,
            ch->gets, ch->puts, ch->reserved, ch->chunks,
            pv_nth(&ch->head, n)->next,
            { *q | pv_chunk *q; pv_free_place(ch, q, n) && pv_beside(ch, q) };
    ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
    ensures tops: \forall integer j; 0 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
              pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top);
    ensures fail_chain: \result == \null ==> pv_chain_ok(ch, ci, n) && ch->cur == \old(ch->cur) &&
              ch->last == \old(ch->last);
    ensures fail_stats: \result == \null ==>
              ch->failures == pv_inc(\old(ch->failures)) && ch->gets == pv_inc(\old(ch->gets)) &&
              (ch->puts == \old(ch->puts) || ch->puts == pv_inc(\old(ch->puts))) &&
              ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks);
    ensures ok_chain: \result != \null ==> pv_chain_ok(ch, n + 1, n + 1);
    ensures ok_stats: \result != \null ==> ch->failures == \old(ch->failures);
    ensures ok_before: \result != \null ==> ch->cur->before == before;
    ensures ok_last: \result != \null ==> pv_is_last(&ch->cur->arena, (char *)\result, size);
    ensures ok_inside: \result != \null ==>
              ch->cur->arena.base <= (char *)\result &&
              (char *)\result + size <= ch->cur->arena.base + ch->cur->arena.top;
    ensures ok_valid: \result != \null ==> \valid((char *)\result + (0 .. size - 1));
    ensures ok_aligned: \result != \null ==>
              pv_aligned_off(&ch->cur->arena, ch->cur->arena.top - pv_round(size), align);
    ensures ok_disjoint: \result != \null ==>
              \separated((char *)\result + (0 .. size - 1), ch) &&
              \separated((char *)\result + (0 .. size - 1), ch->cur) &&
              (\forall integer j; 1 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
                 pv_block_sep((char *)\result, size, pv_nth(&ch->head, j)));
    ensures ok_beside: \result != \null ==>
              pv_beside(ch, pv_nth(&ch->head, n + 1)) &&
              pv_beside_data(ch, pv_nth(&ch->head, n + 1)->arena.base, pv_nth(&ch->head, n + 1)->arena.cap);
*/
static void *pv__chain_alloc_new(pv_chain *ch, size_t size, size_t align, size_t before)
    /*@ ghost (size_t ci, size_t n) */
{
    pv_chunk *c;
    void *p;
    size_t data = ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN) + ((align > PV_ALIGN) ? align : 0u);
    if (data < (ch->next_size - PV__CHUNK_HDR)) {
        data = ch->next_size - PV__CHUNK_HDR;
    }
    /*@ assert a_data: data >= pv_round(size) + (align > PV_ALIGN ? align : 0) && data <= PV__CHUNK_DATA_MAX; */
    c = pv__chain_get(ch, data) /*@ ghost (ci, n) */;
    if (c == NULL) {
        p = pv__chain_fail(ch) /*@ ghost (ci, n) */;
        /*@ assert f_nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \at(pv_nth(&ch->head, j), Pre); */
        /*@ assert f_tops: \forall integer j; 0 <= j <= n ==>
              pv_nth(&ch->head, j)->arena.top == \at(pv_nth(&ch->head, j)->arena.top, Pre); */
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
/*@ ghost Got: ; */
    /*@ assert a_arena: pv_arena_ok(&c->arena) && c->arena.bias < PV_ALIGN_MAX && c->arena.bias % PV_ALIGN == 0; */
    /*@ assert a_mult: (pv_round(size) + (align > PV_ALIGN ? align : 0)) % PV_ALIGN == 0; */
    /*@ assert a_cap: c->arena.cap >= pv_round(size) + (align > PV_ALIGN ? align : 0); */
    /*@ ghost pv__lemma_fits(c, size, align); */
    pv__chain_append(ch, c) /*@ ghost (ci, n) */;
    pv__chain_grow(ch) /*@ ghost (ci, n + 1u) */;
    /*@ assert a_node: c == pv_nth(&ch->head, n + 1) && ci < n + 1; */
    /*@ assert a_cap2: c->arena.cap == \at(c->arena.cap, Got); */
    /*@ assert a_bias2: c->arena.bias == \at(c->arena.bias, Got); */
    /*@ assert a_cap3: c->arena.cap >= pv_round(size) + (align > PV_ALIGN ? align : 0) &&
          c->arena.bias < PV_ALIGN_MAX && c->arena.bias % PV_ALIGN == 0; */
    /*@ ghost pv__lemma_fits(c, size, align); */
    /*@ assert a_nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \at(pv_nth(&ch->head, j), Pre); */
    /*@ assert a_tops: \forall integer j; 0 <= j <= n ==>
          pv_nth(&ch->head, j)->arena.top == \at(pv_nth(&ch->head, j)->arena.top, Pre); */
    /*@ ghost pv__lemma_mono(&ch->head, n + 1u); */
    /*@ assert a_before: before <= pv_sizes(&ch->head, n); */
/*@ ghost Enter: ; */
    p = pv__chain_enter(ch, c, size, align, before) /*@ ghost (ci, n + 1u, n + 1u) */;
    /*@ assert r_nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \at(pv_nth(&ch->head, j), Enter); */
    /*@ assert r_tops: \forall integer j; 0 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
          pv_nth(&ch->head, j)->arena.top == \at(pv_nth(&ch->head, j)->arena.top, Enter); */
    /*@ assert r_tops2: \forall integer j; 0 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
          pv_nth(&ch->head, j)->arena.top == \at(pv_nth(&ch->head, j)->arena.top, Pre); */
    /*@ assert r_new: p != \null ==> pv_nth(&ch->head, n + 1) == c &&
          c->arena.base == \at(c->arena.base, Got) && c->arena.cap == \at(c->arena.cap, Got); */
    return p;
}

void *pv__chain_alloc_slow(pv_chain *ch, size_t size, size_t align) /*@ ghost (size_t ci, size_t n) */
{
    pv_chunk *c;
    size_t before;
    /*@ ghost size_t k; */

    if ((size == 0u) || (size > PV__CHAIN_REQ_MAX) || !pv__align_ok(align)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_fail(ch) /*@ ghost (ci, n) */;
    }
    /*@ ghost pv__lemma_in_use(ch, ci, n); */
    before = pv__chain_in_use(ch);

    /* The first spare after cur that fits once emptied (spares are
     * logically empty). Nothing is written until one fits. */
    /*@ assert s_first: ch->cur->next == pv_nth(&ch->head, ci + 1) &&
          (ch->cur->next == \null || \valid(ch->cur->next)); */
    /*@ ghost k = ci; */
    /*@ loop invariant range: ci <= k <= n;
        loop invariant node: c == pv_nth(&ch->head, k + 1);
        loop assigns c, k;
        loop variant n - k;
    */
    for (c = ch->cur->next; c != NULL; c = c->next) {
        /*@ assert s_in: k < n && pv_chunk_ok(c); */
        if (pv__fits_empty(&c->arena, size, align)) {
            break;
        }
        /*@ ghost k++; */
        /*@ assert s_next: c->next == pv_nth(&ch->head, k + 1) &&
              (c->next == \null || \valid(c->next)); */
    }
    if (c == NULL) {
        /*@ ghost pv__lemma_mono(&ch->head, n); */
        /*@ assert n_before: before <= pv_sizes(&ch->head, n); */
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_alloc_new(ch, size, align, before) /*@ ghost (ci, n) */;
    }
    /*@ ghost pv__lemma_mono(&ch->head, n); */
    /*@ assert s_before: before <= pv_sizes(&ch->head, k); */
    /*@ assert s_place: ci < k + 1 <= n && c == pv_nth(&ch->head, k + 1); */
    return pv__chain_enter(ch, c, size, align, before) /*@ ghost (ci, n, k + 1u) */;
}

void pv__chain_rewind(pv_chain *ch, pv_chunk *c, size_t top) /*@ ghost (size_t ci, size_t n, size_t fi) */
{
    /*@ ghost size_t g; */
    /*@ ghost pv__lemma_in_use(ch, ci, n); */
    pv__chain_note_peak(ch);
    ch->cur = c;
    c->arena.top = top;
    /*@ assert top_sep: \forall integer k; 1 <= k <= n && k != fi ==> \separated(c, pv_nth{Pre}(&ch->head, k)); */
    /*@ assert f_size: \forall integer k; 1 <= k <= n ==>
          pv_nth{Pre}(&ch->head, k)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, k)); */
    /*@ assert f_base: \forall integer k; 1 <= k <= n ==>
          pv_nth{Pre}(&ch->head, k)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, k)); */
    /*@ assert f_cap: \forall integer k; 1 <= k <= n ==>
          pv_nth{Pre}(&ch->head, k)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, k)); */
    /*@ assert f_bias: \forall integer k; 1 <= k <= n ==>
          pv_nth{Pre}(&ch->head, k)->arena.bias == pv_bias{Pre}(pv_nth{Pre}(&ch->head, k)); */
    /*@ assert f_before: \forall integer k; 1 <= k <= n ==>
          pv_nth{Pre}(&ch->head, k)->before == pv_before{Pre}(pv_nth{Pre}(&ch->head, k)); */
    /*@ assert f_top: \forall integer k; 1 <= k <= n && k != fi ==>
          pv_nth{Pre}(&ch->head, k)->arena.top == pv_top{Pre}(pv_nth{Pre}(&ch->head, k)); */
    /*@ ghost
      /@ loop invariant range: 0 <= g <= n;
         loop invariant frame: pv_frame{Pre, Here}(ch, g);
         loop assigns g;
         loop variant n - g; @/
      for (g = 0u; g < n; g++) {
          /@ assert step_next: pv_nth{Pre}(&ch->head, g)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, g)); @/
          /@ assert step_size: pv_nth{Pre}(&ch->head, g + 1)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, g + 1)); @/
      }
    */
    /*@ assert c_tail: pv_nth(&ch->head, n + 1) == \null; */
    /*@ assert c_nonnull: \forall integer k; 1 <= k <= n ==> pv_nth(&ch->head, k) != \null; */
    /*@ assert c_chunks: \forall integer k; 1 <= k <= n ==> pv_chunk_ok(pv_nth(&ch->head, k)); */
    /*@ assert c_out: \forall integer k; 1 <= k <= n ==> pv_out(ch, pv_nth(&ch->head, k)); */
    /*@ assert c_disj0: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth{Pre}(&ch->head, i), pv_nth{Pre}(&ch->head, j)); */
    /*@ assert c_disj: \forall integer i, j; 1 <= i <= n && 1 <= j <= n && i != j ==>
          pv_disj(pv_nth(&ch->head, i), pv_nth(&ch->head, j)); */
    /*@ assert c_before: \forall integer k; 1 <= k <= n ==>
          pv_nth(&ch->head, k)->before <= pv_sizes(&ch->head, k - 1); */
    /*@ assert c_head: pv_arena_ok(&ch->head.arena) && ch->head.arena.cap == 0 && ch->head.before == 0 && ch->head.size == 0; */
    /*@ assert c_ptrs: ch->cur == pv_nth(&ch->head, fi) && ch->last == pv_nth(&ch->head, n); */
    /*@ assert c_limits: PV__CHUNK_HDR <= ch->min_size <= PV__CHAIN_REQ_MAX && ch->max_size <= PV__CHAIN_REQ_MAX &&
          PV__CHUNK_HDR <= ch->next_size <= PV__CHAIN_REQ_MAX && n <= ch->chunks; */
    /*@ assert c_reserved: pv_sizes(&ch->head, n) <= ch->reserved; */
}

#if PV_HARDENED || PV_DBG_ON
void pv__chain_released(pv_chunk *c, size_t top, const pv_chunk *last)
{
    pv_chunk *k = c; /* the chunk walked, and the offset released from in it */
    size_t t = top;
    for (;;) {
        if (k->size != 0u) { /* the sentinel head holds nothing */
#if PV_HARDENED
            if (k->arena.top > t) {
                PV_DBG_OPEN(k->arena.base + t, k->arena.top - t); /* padding too */
                /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside the chunk's arena */
                pv__fill(k->arena.base + t, PV_FREE_FILL, k->arena.top - t);
            }
#endif
            PV_DBG_KEEP(&k->arena, k->arena.base, t);
            PV_DBG_NOACCESS(k->arena.base + t, k->arena.cap - t);
        }
        if ((k == last) || (k->next == NULL)) {
            break;
        }
        k = k->next;
        t = 0u;
    }
}
#endif

/* Give back chunks 1 .. n of the list (the loop of pv__chain_release, with a
 * precondition that says only what the loop needs). */
/*@ requires valid: \valid(ch);
    requires list: pv_nth(&ch->head, n + 1) == \null &&
                   (\forall integer k; 1 <= k <= n ==> pv_nth(&ch->head, k) != \null &&
                      \valid(pv_nth(&ch->head, k)) && \separated(ch, pv_nth(&ch->head, k)));
    requires sep: \forall integer i, k; 1 <= i < k <= n ==>
                   \separated(pv_nth(&ch->head, i), pv_nth(&ch->head, k));
    requires sizes: pv_sizes(&ch->head, n) <= ch->reserved &&
                   (\forall integer k; 0 <= k <= n ==> pv_sizes(&ch->head, k) <= pv_sizes(&ch->head, n));
    requires counters: n <= ch->chunks;
    assigns ch->reserved, ch->chunks, ch->puts,
            { *q | pv_chunk *q; pv_listed(ch, q, n) },
            { *p | char *p; pv_in_data(ch, p, n) };
    ensures reserved: ch->reserved == \old(ch->reserved) - \old(pv_sizes(&ch->head, n));
    ensures chunks: ch->chunks == \old(ch->chunks) - n;
    ensures puts: ch->puts == pv_add_sat(\old(ch->puts), n);
    ensures kept: ch->head.arena.base == \old(ch->head.arena.base) && ch->head.arena.cap == \old(ch->head.arena.cap) && ch->head.arena.top == \old(ch->head.arena.top) && ch->head.arena.bias == \old(ch->head.arena.bias) && ch->head.before == \old(ch->head.before) && ch->head.size == \old(ch->head.size) && ch->gets == \old(ch->gets) && ch->min_size == \old(ch->min_size) && ch->max_size == \old(ch->max_size) && ch->peak == \old(ch->peak);
*/
static void pv__chain_put_all(pv_chain *ch) /*@ ghost (size_t n) */
{
    pv_chunk *c;
    /*@ assert first: ch->head.next == pv_nth(&ch->head, 1) &&
          (n == 0 ==> ch->head.next == \null) && (n >= 1 ==> \valid(ch->head.next)); */
    c = ch->head.next;
    /*@ ghost size_t j = 0u; */
    /*@ loop invariant range: 0 <= j <= n;
        loop invariant node: c == pv_nth{Pre}(&ch->head, j + 1);
        loop invariant reserved: ch->reserved == \at(ch->reserved, Pre) - pv_sizes{Pre}(&ch->head, j);
        loop invariant chunks: ch->chunks == \at(ch->chunks, Pre) - j;
        loop invariant puts: ch->puts == pv_add_sat(\at(ch->puts, Pre), j);
        loop invariant rest_size: \forall integer k; j < k <= n ==>
                         pv_nth{Pre}(&ch->head, k)->size == pv_size{Pre}(pv_nth{Pre}(&ch->head, k));
        loop invariant rest_next: \forall integer k; j < k <= n ==>
                         pv_nth{Pre}(&ch->head, k)->next == pv_next{Pre}(pv_nth{Pre}(&ch->head, k));
        loop invariant rest_base: \forall integer k; j < k <= n ==>
                         pv_nth{Pre}(&ch->head, k)->arena.base == pv_base{Pre}(pv_nth{Pre}(&ch->head, k));
        loop invariant rest_cap: \forall integer k; j < k <= n ==>
                         pv_nth{Pre}(&ch->head, k)->arena.cap == pv_cap{Pre}(pv_nth{Pre}(&ch->head, k));
        loop invariant kept: ch->head.arena.base == \at(ch->head.arena.base, Pre) && ch->head.arena.cap == \at(ch->head.arena.cap, Pre) && ch->head.arena.top == \at(ch->head.arena.top, Pre) && ch->head.arena.bias == \at(ch->head.arena.bias, Pre) && ch->head.before == \at(ch->head.before, Pre) && ch->head.size == \at(ch->head.size, Pre) && ch->gets == \at(ch->gets, Pre) && ch->min_size == \at(ch->min_size, Pre) && ch->max_size == \at(ch->max_size, Pre) && ch->peak == \at(ch->peak, Pre);
        loop assigns c, j, ch->reserved, ch->chunks, ch->puts,
                     { *q | pv_chunk *q; pv_listed{Pre}(ch, q, n) },
                     { *p | char *p; pv_in_data{Pre}(ch, p, n) };
        loop variant n - j;
    */
    while (c != NULL) {
        pv_chunk *next;
        /*@ assert in_list: j < n; */
        /*@ assert c_sizes: pv_sizes{Pre}(&ch->head, j + 1) == pv_sizes{Pre}(&ch->head, j) + pv_size{Pre}(c) &&
              pv_sizes{Pre}(&ch->head, j + 1) <= pv_sizes{Pre}(&ch->head, n); */
        /*@ assert c_sep: \forall integer k; j + 1 < k <= n ==>
              \separated(c, pv_nth{Pre}(&ch->head, k)) && \separated(ch, pv_nth{Pre}(&ch->head, k)); */
        /*@ assert nx: pv_next{Pre}(c) == pv_nth{Pre}(&ch->head, j + 2) &&
              (pv_nth{Pre}(&ch->head, j + 2) == \null || \valid(pv_nth{Pre}(&ch->head, j + 2))); */
        /*@ assert c_in: c == pv_nth{Pre}(&ch->head, j + 1) && 1 <= j + 1 <= n &&
              c->arena.base == pv_base{Pre}(c) && c->arena.cap == pv_cap{Pre}(c); */
        /*@ assert c_listed: pv_listed{Pre}(ch, c, n); */
        /*@ assert c_data: \forall integer i; 0 <= i < c->arena.cap ==>
              pv_in_data{Pre}(ch, c->arena.base + i, n); */
        next = c->next;
    /*@ ghost Put: ; */
        pv__chunk_put(ch, c);
        /*@ assert put_kept_0: ch->head.arena.base == \at(ch->head.arena.base, Put); */
        /*@ assert put_kept_1: ch->head.arena.cap == \at(ch->head.arena.cap, Put); */
        /*@ assert put_kept_2: ch->head.arena.top == \at(ch->head.arena.top, Put); */
        /*@ assert put_kept_3: ch->head.arena.bias == \at(ch->head.arena.bias, Put); */
        /*@ assert put_kept_4: ch->head.before == \at(ch->head.before, Put); */
        /*@ assert put_kept_5: ch->head.size == \at(ch->head.size, Put); */
        /*@ assert put_kept_6: ch->gets == \at(ch->gets, Put); */
        /*@ assert put_kept_7: ch->min_size == \at(ch->min_size, Put); */
        /*@ assert put_kept_8: ch->max_size == \at(ch->max_size, Put); */
        /*@ assert put_kept_9: ch->peak == \at(ch->peak, Put); */
        /*@ assert put_size: \forall integer k; j + 1 < k <= n ==>
              pv_nth{Pre}(&ch->head, k)->size == pv_size{Put}(pv_nth{Pre}(&ch->head, k)); */
        /*@ assert put_next: \forall integer k; j + 1 < k <= n ==>
              pv_nth{Pre}(&ch->head, k)->next == pv_next{Put}(pv_nth{Pre}(&ch->head, k)); */
        /*@ assert put_base: \forall integer k; j + 1 < k <= n ==>
              pv_nth{Pre}(&ch->head, k)->arena.base == pv_base{Put}(pv_nth{Pre}(&ch->head, k)); */
        /*@ assert put_cap: \forall integer k; j + 1 < k <= n ==>
              pv_nth{Pre}(&ch->head, k)->arena.cap == pv_cap{Put}(pv_nth{Pre}(&ch->head, k)); */
        c = next;
        /*@ ghost j++; */
    }
}

void pv__chain_release(pv_chain *ch) /*@ ghost (size_t ci, size_t n) */
{
    size_t u;
    /*@ ghost pv__lemma_in_use(ch, ci, n); */
    u = pv__chain_in_use(ch);
    /*@ assert r_list: \forall integer k; 1 <= k <= n ==> \valid(pv_nth(&ch->head, k)) && \separated(ch, pv_nth(&ch->head, k)); */
    /*@ assert r_sep: \forall integer i, k; 1 <= i < k <= n ==>
          \separated(pv_nth(&ch->head, i), pv_nth(&ch->head, k)); */
    /*@ ghost pv__lemma_mono(&ch->head, n); */
    /*@ assert r_sizes: \forall integer k; 0 <= k <= n ==> pv_sizes(&ch->head, k) <= pv_sizes(&ch->head, n); */
    pv__chain_put_all(ch) /*@ ghost (n) */;
    if (u > ch->peak) { /* as pv__chain_note_peak, with the in-use taken before the chunks went back */
        ch->peak = u;
    }
    ch->head.next = NULL;
    ch->cur = &ch->head;
    ch->last = &ch->head;
    ch->next_size = ch->min_size;
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
