/*
 * Internal: a chain of chunks from a backing source, shared by the region
 * and the stack allocators. Not part of the public API (names pv__*), but
 * its types are visible so the allocators' fast paths can be inline.
 *
 * Shape. One singly linked chain in the order the chunks were obtained,
 * headed by a zero-capacity sentinel embedded in the chain itself:
 *
 *     head(sentinel) -> c1 -> c2 -> ... -> last
 *                             ^cur
 *
 * Allocation bumps in `cur`. The chunks after `cur` are spares: logically
 * empty, reused in order when `cur` fills up, so a program in a steady state
 * makes no backing-source calls. Rewinding (stack pop, region reset) is just
 * `cur = saved chunk; cur->arena.top = saved top`: no `next` field is ever
 * rewritten except to append at the tail. Every chunk records in `before`
 * the bytes in use in the chunks before it when it became current, so the
 * bytes in use are `cur->before + cur->arena.top`, in O(1).
 *
 * A chain must not be copied or moved after init (cur may point at head).
 */
#ifndef PV_CHAIN_H
#define PV_CHAIN_H

#include "pv_source.h"

typedef struct pv_chunk {
    pv_arena arena;        /* the chunk's data, after this header */
    struct pv_chunk *next; /* next chunk in the chain, NULL at the tail */
    size_t size;           /* bytes obtained from the source (0 for head) */
    size_t before;         /* bytes in use in earlier chunks when this became cur */
} pv_chunk;

typedef struct pv_chain {
    pv_chunk head;         /* sentinel: capacity 0; head.next is the first chunk */
    pv_chunk *cur;         /* where allocation happens */
    pv_chunk *last;        /* tail of the chain (&head when empty) */
    pv_source src;
    size_t next_size;      /* size of the next chunk to obtain */
    size_t min_size;
    size_t max_size;
    size_t peak;           /* largest in-use seen at a point where it fell */
    size_t reserved;
    size_t chunks;
    size_t gets;
    size_t puts;
    size_t failures;
} pv_chain;

/* Header bytes before a chunk's data (a multiple of PV_ALIGN). */
#define PV__CHUNK_HDR ((sizeof(pv_chunk) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)

/* Largest request a chain accepts: leaves room for header, alignment slack
 * and rounding without wrap-around anywhere. */
#define PV__CHAIN_REQ_MAX (PV_ARENA_CAP_MAX / 2u)

#ifdef __FRAMAC__
/* cppcheck-suppress misra-c2012-20.1 ; PV-D10 ACSL logic for Frama-C only, after the types it uses */
#include "pv_chain.acsl"
#endif

/*@ requires valid: \valid(ch) && \valid_read(src) && \separated(ch, src);
    requires sizes: PV__CHUNK_HDR <= min_size <= PV__CHAIN_REQ_MAX && max_size <= PV__CHAIN_REQ_MAX;
    assigns *ch;
    ensures chain: pv_chain_ok(ch, 0, 0);
    ensures empty: ch->cur == &ch->head && ch->last == &ch->head && ch->head.next == \null &&
                   ch->head.arena.top == 0;
    ensures source: ch->src.get == src->get && ch->src.put == src->put && ch->src.ctx == src->ctx;
    ensures sizes: ch->next_size == min_size && ch->min_size == min_size && ch->max_size == max_size;
    ensures stats: ch->peak == 0 && ch->reserved == 0 && ch->chunks == 0 && ch->gets == 0 &&
                   ch->puts == 0 && ch->failures == 0;
*/
void pv__chain_init(pv_chain *ch, const pv_source *src, size_t min_size, size_t max_size);

/* Allocation that did not fit in cur: move to the first spare after cur
 * that fits (emptied first: spares are logically empty), or append a new
 * chunk. Returns NULL iff size is 0 or too large, align is invalid, or the
 * source fails; then it changes nothing but the statistics (failures, and
 * source_gets/source_puts for the source call). */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    assigns ch->failures, ch->cur, ch->last, ch->next_size,
            ch->gets, ch->puts, ch->reserved, ch->chunks,
            pv_nth(&ch->head, n)->next,
            { pv_nth(&ch->head, j)->arena.top | integer j; ci < j <= n },
            { pv_nth(&ch->head, j)->before | integer j; ci < j <= n },
            { *q | pv_chunk *q; pv_free_place(ch, q, n) && pv_beside(ch, q) };
    behavior bad_request:
      assumes size == 0 || size > PV__CHAIN_REQ_MAX || !pv_align_ok(align);
      assigns ch->failures;
      ensures null: \result == \null;
      ensures chain: pv_chain_ok(ch, ci, n);
      ensures failures: ch->failures == pv_inc(\old(ch->failures));
    behavior request:
      assumes 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
      ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
      ensures tops: \forall integer j; 0 <= j <= n && pv_nth(&ch->head, j) != ch->cur ==>
                pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top);
      ensures fail_chain: \result == \null ==> pv_chain_ok(ch, ci, n) && ch->cur == \old(ch->cur) &&
                ch->last == \old(ch->last);
      ensures fail_stats: \result == \null ==>
                ch->failures == pv_inc(\old(ch->failures)) && ch->gets == pv_inc(\old(ch->gets)) &&
                (ch->puts == \old(ch->puts) || ch->puts == pv_inc(\old(ch->puts))) &&
                ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks);
      ensures ok_chain: \result != \null ==>
                \exists integer k, m; ci < k <= m && (m == n || (m == n + 1 && k == m)) &&
                  pv_chain_ok(ch, k, m);
      ensures ok_stats: \result != \null ==> ch->failures == \old(ch->failures);
      ensures ok_before: \result != \null ==> ch->cur->before == \old(pv_in_use(ch));
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
      ensures ok_beside: \result != \null && pv_nth(&ch->head, n + 1) != \null ==>
                pv_beside(ch, pv_nth(&ch->head, n + 1)) &&
                pv_beside_data(ch, pv_nth(&ch->head, n + 1)->arena.base, pv_nth(&ch->head, n + 1)->arena.cap);
    complete behaviors;
    disjoint behaviors;
*/
void *pv__chain_alloc_slow(pv_chain *ch, size_t size, size_t align) /*@ ghost (size_t ci, size_t n) */;

/* Bytes in use now. */
/*@ requires valid: \valid_read(ch) && \valid_read(ch->cur);
    requires bound: pv_in_use(ch) <= SIZE_MAX;
    assigns \nothing;
    ensures in_use: \result == pv_in_use(ch);
*/
static inline size_t pv__chain_in_use(const pv_chain *ch)
{
    return ch->cur->before + ch->cur->arena.top;
}

/* Record the current in-use in the peak (call before anything that lowers it). */
/*@ requires valid: \valid(ch) && \valid_read(ch->cur);
    requires bound: pv_in_use(ch) <= SIZE_MAX;
    assigns ch->peak;
    ensures peak: ch->peak == (\old(pv_in_use(ch)) > \old(ch->peak) ? \old(pv_in_use(ch)) : \old(ch->peak));
*/
static inline void pv__chain_note_peak(pv_chain *ch)
{
    size_t u = pv__chain_in_use(ch);
    if (u > ch->peak) {
        ch->peak = u;
    }
}

/* Rewind to (chunk, top): the chunk must be cur or before it in the chain. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    requires frame: fi <= ci && c == pv_nth(&ch->head, fi);
    requires position: top <= c->arena.cap && top % PV_ALIGN == 0;
    assigns ch->peak, ch->cur, c->arena.top;
    ensures chain: pv_chain_ok(ch, fi, n);
    ensures restored: ch->cur == c && c->arena.top == top;
    ensures nodes: \forall integer j; 0 <= j <= n ==> pv_nth(&ch->head, j) == \old(pv_nth(&ch->head, j));
    ensures tops: \forall integer j; 0 <= j <= n && j != fi ==>
              pv_nth(&ch->head, j)->arena.top == \old(pv_nth(&ch->head, j)->arena.top);
    ensures peak: ch->peak == (\old(pv_in_use(ch)) > \old(ch->peak) ? \old(pv_in_use(ch)) : \old(ch->peak));
*/
void pv__chain_rewind(pv_chain *ch, pv_chunk *c, size_t top) /*@ ghost (size_t ci, size_t n, size_t fi) */;

/* Hardened, Valgrind and ASan builds only (PV_HARDENED || PV_DBG_ON, see
 * pv_debug.h): the blocks above `top` in chunk c and every block of the
 * chunks after c up to `last` (c itself if c == last) are released: fill
 * them with PV_FREE_FILL (hardened) and tell the tools. Call it before the
 * chunks' tops are rewound. O(chunks walked), plus O(bytes) when hardened.
 * (Not in the proved configuration: see proofs/TRUSTED.md.) */
void pv__chain_released(pv_chunk *c, size_t top, const pv_chunk *last);

/* Give every chunk back to the source; the chain is empty but usable. */
/*@ requires chain: pv_chain_ok(ch, ci, n);
    assigns ch->peak, ch->reserved, ch->chunks, ch->puts, ch->head.next, ch->cur, ch->last,
            ch->next_size,
            { *q | pv_chunk *q; pv_listed(ch, q, n) },
            { *p | char *p; pv_in_data(ch, p, n) };
    ensures chain: pv_chain_ok(ch, 0, 0);
    ensures empty: ch->head.next == \null && ch->cur == &ch->head && ch->last == &ch->head;
    ensures next_size: ch->next_size == ch->min_size;
    ensures reserved: ch->reserved == \old(ch->reserved) - \old(pv_sizes(&ch->head, n));
    ensures chunks: ch->chunks == \old(ch->chunks) - n;
    ensures puts: ch->puts == pv_add_sat(\old(ch->puts), n);
    ensures peak: ch->peak == (\old(pv_in_use(ch)) > \old(ch->peak) ? \old(pv_in_use(ch)) : \old(ch->peak));
*/
void pv__chain_release(pv_chain *ch) /*@ ghost (size_t ci, size_t n) */;

/* Fill the chain's part of the statistics. */
/*@ requires valid: \valid_read(ch) && \valid_read(ch->cur) && \valid(out);
    requires sep: \separated(out, ch) && \separated(out, ch->cur);
    requires bound: pv_in_use(ch) <= SIZE_MAX;
    assigns out->in_use, out->peak_in_use, out->reserved, out->chunks, out->source_gets,
            out->source_puts, out->failures;
    ensures in_use: out->in_use == pv_in_use(ch);
    ensures peak: out->peak_in_use == (pv_in_use(ch) > ch->peak ? pv_in_use(ch) : ch->peak);
    ensures counts: out->reserved == ch->reserved && out->chunks == ch->chunks &&
                    out->source_gets == ch->gets && out->source_puts == ch->puts &&
                    out->failures == ch->failures;
*/
void pv__chain_stats(const pv_chain *ch, pv_stats *out);

/* Obtain / return one chunk able to hold `data` bytes (data area).
 * TRUSTED (proofs/TRUSTED.md): the only place where source memory becomes a
 * typed chunk header; the contracts below are assumed, not proved. */
/*@ requires valid: \valid(ch);
    requires data: data <= PV__CHUNK_DATA_MAX;
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
*/
pv_chunk *pv__chunk_get(pv_chain *ch, size_t data) /*@ ghost (size_t n) */;

/*@ requires valid: \valid(ch) && \valid(c) && \separated(ch, c);
    requires counters: c->size <= ch->reserved && 1 <= ch->chunks;
    assigns ch->reserved, ch->chunks, ch->puts, *c, c->arena.base[0 .. c->arena.cap - 1];
    ensures reserved: ch->reserved == \old(ch->reserved) - \old(c->size);
    ensures chunks: ch->chunks == \old(ch->chunks) - 1;
    ensures puts: ch->puts == pv_inc(\old(ch->puts));
*/
void pv__chunk_put(pv_chain *ch, pv_chunk *c);

#endif /* PV_CHAIN_H */
