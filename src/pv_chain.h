/* SPDX-License-Identifier: MIT */
/*
 * Internal: the chunks of the region and the stack allocators, obtained from
 * a backing source. Not part of the public API (names pv__*), but its types
 * are visible so the allocators' fast paths can be inline.
 *
 * Shape. A table of chunk descriptors inside the allocator object, in the
 * order the chunks were obtained:
 *
 *     tab[0] tab[1] ... tab[ci] ... tab[n-1]      (n chunks held)
 *                       ^cur
 *
 * Allocation bumps in tab[ci] (`cur` points at it, for the inline fast
 * paths). The chunks after ci are spares: logically empty, reused in order
 * when cur fills up, so a program in a steady state makes no source calls.
 * Rewinding (stack pop, region reset) is `ci = saved index; top = saved
 * top`. Every chunk records in `before` the bytes in use in the chunks before
 * it when it became current, so the bytes in use are cur->before +
 * cur->arena.top, in O(1). With no chunk (n == 0), tab[0] is an empty
 * placeholder (capacity 0) and is current; the first chunk obtained fills it.
 * The source hands out data bytes only: a descriptor is never written into
 * source memory.
 *
 * Capacity. A new chunk asks the source for max(next_size, what the request
 * needs) bytes; next_size starts at min_size and doubles with every chunk
 * obtained, up to PV__CHAIN_REQ_MAX (no smaller cap), so k chunks hold at
 * least min_size * (2^k - 1) bytes. With PV_CHAIN_SLOTS = 40 and a first chunk
 * of 8 KiB, the first 28 entries already cover 2^40 bytes and the table
 * never fills before the address space does. A full table is a documented
 * failure (NULL, counted), as is a request that would take the bytes in use
 * past PV_ARENA_CAP_MAX.
 *
 * The owning allocator's own fields (the stack's frames) are members of the
 * chain object too, so that the chain's contracts frame them: a chunk's data
 * is separated from the whole object.
 *
 * A chain must not be copied or moved after init (cur points into it).
 */
#ifndef PV_CHAIN_H
#define PV_CHAIN_H

#include "pv_source.h"

/* Entries of the chunk table (see Capacity above). */
#ifndef PV_CHAIN_SLOTS
#define PV_CHAIN_SLOTS 40u
#endif

/* One chunk held from the source. */
typedef struct pv_chunk {
    pv_arena arena;   /* the chunk's data: blocks are bumped here */
    size_t before;    /* bytes in use in the chunks before it when it became current */
    void *mem;        /* what the source returned (given back by put) */
    size_t size;      /* bytes asked of the source for it */
} pv_chunk;

/* Frames a stack holds open at once (pv_stack.h): a push beyond them is
 * refused. Each takes 3 words of every chain object (region's too). */
#ifndef PV_STACK_FRAMES
#define PV_STACK_FRAMES 64u
#endif

/* Where an open frame of a stack starts. The stack's fields have a signed
 * type that no field of the chain has (int64_t; the chain's are
 * size_t and pointers): under WP's typed memory model each integer type is
 * a memory of its own, so no write of the chain can touch a frame, and no
 * write of a frame the chain (proofs/README.md "The stack"). The values
 * are never negative. */
typedef struct pv_frame {
    int64_t gen; /* its generation: the cookie's, never 0 */
    int64_t ci;  /* the current chunk at its push ... */
    int64_t top; /* ... and that chunk's top (at most PV_ARENA_CAP_MAX) */
} pv_frame;

typedef struct pv_chain {
    pv_chunk *cur;     /* &tab[ci]: where allocation happens */
    size_t ci;         /* index of the current chunk */
    size_t n;          /* chunks held: tab[0 .. n-1] */
    pv_source src;
    size_t next_size;  /* bytes to ask for the next chunk */
    size_t min_size;
    size_t peak;       /* largest in-use seen at a point where it fell */
    size_t reserved;   /* bytes held from the source */
    size_t chunks;     /* chunks held */
    size_t gets;
    size_t puts;
    size_t failures;
    pv_arena fresh;    /* a new chunk's arena, before it enters the table */
    /* The stack's own fields (pv_stack.h). */
    size_t life;       /* this life's number (process-wide, from init; never 0) */
    int64_t gen_next;  /* last generation handed out */
    int64_t depth;     /* open frames: frames[0 .. depth-1], the innermost last */
    pv_frame frames[PV_STACK_FRAMES];
    /* Unused since the region's blocks all live in the chain (pv_region.h).
     * Removing a field changes every goal of the proved units that reads
     * this struct (a proof from scratch, about 50 min): they go with the
     * next change to the struct. Init sets them to zero. */
    struct pv__large *large;
    size_t large_in_use;
    size_t region_peak;
    pv_chunk tab[PV_CHAIN_SLOTS];
} pv_chain;

/* Largest request a chain accepts: leaves room for alignment slack and
 * rounding without wrap-around anywhere. */
#define PV__CHAIN_REQ_MAX (PV_ARENA_CAP_MAX / 4u)

/* Bytes a new chunk needs besides the request: any misalignment of what the
 * source returns (the arena skips at most PV_ALIGN - 1 bytes at the start
 * and drops at most PV_ALIGN - 1 at the end). */
#define PV__CHUNK_SLACK (2u * (size_t)PV_ALIGN)

/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_chain_slots[(PV_CHAIN_SLOTS >= 2u) ? 1 : -1];
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_stack_frames[((PV_STACK_FRAMES >= 1u) && (PV_STACK_FRAMES <= 65535u)) ? 1 : -1];

/* PV_STACK_FRAMES as the type of a stack's depth. */
#define PV__FRAMES ((int64_t)PV_STACK_FRAMES)

#ifdef __FRAMAC__
/* cppcheck-suppress misra-c2012-20.1 ; PV-D10 ACSL logic for Frama-C only, after the types it uses */
#include "pv_chain.acsl"

/* The C library's malloc and free as a source (pv_source.c), for the
 * allocators' init: a static object whose ctx is NULL and has no state the
 * source writes (TRUSTED.md T17: pv_source.c is in no proved unit). */
/*@ assigns \nothing;
    ensures valid: \valid_read(\result);
    ensures no_state: pv_src_obj_len(\result->ctx) <= 0 && pv_src_buf_len(\result->ctx) <= 0;
*/
const pv_source *pv_source_malloc(void);
#endif

/* Make ch an empty chain over src (copied), first chunk of min_size bytes.
 * The allocator's own fields are zero. */
/*@ requires valid: \valid(ch) && \valid_read(src) && \separated(ch, src);
    requires sizes: 256 <= min_size <= PV__CHAIN_REQ_MAX;
    requires source: pv_src_apart(ch, src->ctx);
    assigns *ch;
    ensures chain: pv_chain_ok(ch);
    ensures empty: ch->n == 0 && ch->ci == 0 && ch->cur->arena.top == 0;
    ensures source: ch->src.get == src->get && ch->src.put == src->put && ch->src.ctx == src->ctx;
    ensures sizes: ch->next_size == min_size && ch->min_size == min_size;
    ensures stats: ch->peak == 0 && ch->reserved == 0 && ch->chunks == 0 && ch->gets == 0 &&
                   ch->puts == 0 && ch->failures == 0;
    ensures owner: ch->life == 0 && ch->gen_next == 0 && ch->depth == 0 && ch->large == \null &&
                   ch->large_in_use == 0 && ch->region_peak == 0;
*/
void pv__chain_init(pv_chain *ch, const pv_source *src, size_t min_size);

/* An allocation that did not fit in cur: move to the first spare after cur
 * that fits (emptied first: spares are logically empty), or obtain a new
 * chunk. Returns NULL iff
 *   - size is 0 or above PV__CHAIN_REQ_MAX, or align is not accepted, or
 *   - no spare fits and: the table is full, or the source returns NULL, or
 *     the bytes in use plus the new chunk's would pass PV_ARENA_CAP_MAX;
 * then it changes nothing but the counters failures and gets (the chunks,
 * their tops, the current chunk and the next chunk's size are as before). */
/*@ requires chain: pv_chain_ok(ch);
    assigns ch->failures, ch->cur, ch->ci, ch->n, ch->next_size, ch->fresh,
            ch->gets, ch->puts, ch->reserved, ch->chunks,
            ch->tab[0 .. PV_CHAIN_SLOTS - 1], PV_SRC_STATE(ch->src.ctx);
    behavior bad_request:
      assumes size == 0 || size > PV__CHAIN_REQ_MAX || !pv_align_ok(align);
      assigns ch->failures;
      ensures null: \result == \null;
      ensures failures: ch->failures == pv_inc(\old(ch->failures));
    behavior request:
      assumes 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
      ensures chain: pv_chain_ok(ch);
      ensures held: pv_kept{Pre, Post}(ch, \old(ch->n));
      ensures data: pv_data_kept{Pre, Post}(ch, \old(ch->n));
      ensures fail: \result == \null ==> pv_chain_same{Pre, Post}(ch) &&
                ch->failures == pv_inc(\old(ch->failures)) && ch->puts == \old(ch->puts) &&
                ch->reserved == \old(ch->reserved) && ch->chunks == \old(ch->chunks);
      ensures ok_where: \result != \null ==>
                ch->ci < ch->n && (\old(ch->n) == 0 || \old(ch->ci) < ch->ci) &&
                (ch->n == \old(ch->n) || (ch->n == \old(ch->n) + 1 && ch->ci == \old(ch->n)));
      ensures ok_stats: \result != \null ==> ch->failures == \old(ch->failures);
      ensures ok_before: \result != \null ==> ch->tab[ch->ci].before == \old(pv_in_use(ch));
      ensures ok_tops: \result != \null ==> \forall integer j; 0 <= j < \old(ch->n) && j != ch->ci ==>
                ch->tab[j].arena.top == \old(ch->tab[j].arena.top) &&
                ch->tab[j].before == \old(ch->tab[j].before);
      ensures ok_last: \result != \null ==> pv_is_last(&ch->tab[ch->ci].arena, (char *)\result, size);
      ensures ok_aligned: \result != \null ==>
                (ch->tab[ch->ci].arena.bias + (ch->tab[ch->ci].arena.top - pv_round(size))) % align == 0;
      ensures ok_fresh: \result != \null ==> pv_fresh(ch, (char *)\result, size);
    complete behaviors;
    disjoint behaviors;
*/
void *pv__chain_alloc_slow(pv_chain *ch, size_t size, size_t align);

/* The block pv__chain_alloc_slow returns is aligned as PV_CHAIN_BLOCK says:
 * its ok_aligned clause spelled with pv_aligned_off, for the allocators'
 * contracts. A lemma function (as pv__lemma_cur below): its contract is
 * proved on the empty body in each unit that includes this header, and is a
 * hypothesis only where it is called. */
/*@ ghost
  /@ requires aligned: (a->bias + (a->top - pv_round(size))) % al == 0;
     assigns \nothing;
     ensures aligned: pv_aligned_off(a, a->top - pv_round(size), al);
  @/
  static void pv__lemma_aligned_off(pv_arena *a, size_t size, size_t al) { }
*/

/* Bytes in use now. */
/*@ requires valid: pv_chain_ok(ch);
    assigns \nothing;
    ensures in_use: \result == pv_in_use(ch);
*/
static inline size_t pv__chain_in_use(const pv_chain *ch);

/* Record the current in-use in the peak (call before anything that lowers it). */
/*@ requires valid: pv_chain_ok(ch);
    assigns ch->peak;
    ensures peak: ch->peak == pv_max(\old(pv_in_use(ch)), \old(ch->peak));
    ensures same: pv_chain_same{Pre, Post}(ch);
*/
static inline void pv__chain_note_peak(pv_chain *ch);

/* The allocators' fast paths in the current chunk, and the two above. Their
 * bodies are proved once, in the chain's unit (PV__CHAIN_UNIT, as
 * pv_core.h's); every other unit sees the contracts. */

/* The current chunk's top becomes `top`, within its capacity and on the
 * granule: the one write of a top that the helpers below make. */
/*@ requires chain: pv_chain_ok(ch);
    requires top: top <= ch->tab[ch->ci].arena.cap && top % PV_ALIGN == 0;
    assigns ch->tab[ch->ci].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures top: ch->tab[ch->ci].arena.top == top;
*/
static inline void pv__chain_top_to(pv_chain *ch, size_t top);

/* A block of `size` bytes at offset `start` of the current chunk, where it
 * fits: the top moves to its end. */
/*@ requires chain: pv_chain_ok(ch);
    requires at: 1 <= size && start % PV_ALIGN == 0 && start + pv_round(size) <= ch->tab[ch->ci].arena.cap;
    assigns ch->tab[ch->ci].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures top: ch->tab[ch->ci].arena.top == start + pv_round(size);
    ensures at: \result == ch->tab[ch->ci].arena.base + start;
    ensures fresh: pv_fresh(ch, \result, size);
    ensures same: ch->ci == \old(ch->ci) && ch->tab[ch->ci].arena.bias == \old(ch->tab[ch->ci].arena.bias);
*/
static inline char *pv__chain_bump_at(pv_chain *ch, size_t start, size_t size);

/* Bump `size` bytes in the current chunk, which has room for them. */
/*@ requires chain: pv_chain_ok(ch);
    requires room: 1 <= size <= pv_avail(&ch->tab[ch->ci].arena);
    assigns ch->tab[ch->ci].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures top: ch->tab[ch->ci].arena.top == \old(ch->tab[ch->ci].arena.top) + pv_round(size);
    ensures block: PV_CHAIN_BLOCK(ch, (char *)\result, size, PV_ALIGN);
*/
static inline void *pv__chain_bump(pv_chain *ch, size_t size);

/* Does a request of `size` bytes aligned on `align` fit in the current
 * chunk (and is it one: size non-zero, align accepted)? */
/*@ requires chain: pv_chain_ok(ch);
    assigns \nothing;
    ensures fits: \result <==>
              (size != 0 && pv_align_ok(align) && pv_fits_aligned(&ch->tab[ch->ci].arena, size, align));
*/
bool pv__chain_fits_aligned(const pv_chain *ch, size_t size, size_t align);

/* Bump `size` bytes aligned on `align` in the current chunk, where they fit. */
/*@ requires chain: pv_chain_ok(ch);
    requires fits: size != 0 && pv_align_ok(align) && pv_fits_aligned(&ch->tab[ch->ci].arena, size, align);
    assigns ch->tab[ch->ci].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures top: ch->tab[ch->ci].arena.top ==
                 \old(ch->tab[ch->ci].arena.top) + \old(pv_pad(&ch->tab[ch->ci].arena, align)) + pv_round(size);
    ensures block: PV_CHAIN_BLOCK(ch, (char *)\result, size, align);
*/
void *pv__chain_bump_aligned(pv_chain *ch, size_t size, size_t align);

/* Move the current chunk's top to `top` (within its capacity, on the
 * granule), recording the peak first: a free, a resize, a pop within the
 * chunk. */
/*@ requires chain: pv_chain_ok(ch);
    requires top: top <= ch->tab[ch->ci].arena.cap && top % PV_ALIGN == 0;
    assigns ch->peak, ch->tab[ch->ci].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures top: ch->tab[ch->ci].arena.top == top;
    ensures peak: ch->peak == pv_max(\old(pv_in_use(ch)), \old(ch->peak));
*/
static inline void pv__chain_set_top(pv_chain *ch, size_t top);

/* Is p (size bytes) the most recent block of the current chunk: does it end
 * at the chunk's top? (p may be any pointer: compared, never read.) */
/*@ requires chain: pv_chain_ok(ch);
    assigns \nothing;
    ensures last: \result <==> pv_is_last(&ch->tab[ch->ci].arena, (char *)p, size);
*/
static inline bool pv__chain_is_last(const pv_chain *ch, const void *p, size_t size);

/* A request refused before the chain is asked (bad size or alignment):
 * count it; returns NULL. */
/*@ requires chain: pv_chain_ok(ch);
    assigns ch->failures;
    ensures chain: pv_chain_ok(ch);
    ensures same: pv_chain_same{Pre, Post}(ch);
    ensures failures: ch->failures == pv_inc(\old(ch->failures));
    ensures null: \result == \null;
*/
static inline void *pv__chain_refuse(pv_chain *ch);

#if !defined(__FRAMAC__) || defined(PV__CHAIN_UNIT)
/* Two facts the helpers below need, as ghost functions (lemma functions:
 * each contract is proved once, on its empty body, and is a hypothesis only
 * where it is called; as ACSL lemmas they were hypotheses of every goal of
 * the unit, and made others time out: proofs/README.md). */
/*@ ghost
  /@ requires chain: pv_chain_ok(ch);
     assigns \nothing;
     ensures cur: pv_arena_ok(&ch->tab[ch->ci].arena) &&
                  ch->tab[ch->ci].before <= PV_ARENA_CAP_MAX - ch->tab[ch->ci].arena.cap;
  @/
  static void pv__lemma_cur(pv_chain *ch) { }

  /@ requires chain: pv_chain_ok(ch);
     requires at: ch->ci < ch->n && 1 <= size && start + size <= ch->tab[ch->ci].arena.cap;
     assigns \nothing;
     ensures fresh: pv_fresh(ch, ch->tab[ch->ci].arena.base + start, size);
  @/
  static void pv__lemma_fresh_at(pv_chain *ch, size_t start, size_t size) { }
*/

static inline size_t pv__chain_in_use(const pv_chain *ch)
{
    /*@ ghost pv__lemma_cur((pv_chain *)ch); */
    return ch->cur->before + ch->cur->arena.top;
}

static inline void pv__chain_note_peak(pv_chain *ch)
{
    size_t u = pv__chain_in_use(ch);
    if (u > ch->peak) {
        ch->peak = u;
    }
}

static inline void pv__chain_top_to(pv_chain *ch, size_t top)
{
    ch->cur->arena.top = top;
    /*@ assert f_kept: pv_kept{Pre, Here}(ch, ch->n); */
    /*@ assert f_held: \forall integer j; 0 <= j < ch->n && j != ch->ci ==> pv_held{Pre}(ch, j) ==> pv_held(ch, j); */
    /*@ assert f_k: ch->ci < ch->n ==> pv_held(ch, ch->ci); */
    /*@ assert c_held: \forall integer j; 0 <= j < ch->n ==> pv_held(ch, j); */
    /*@ assert c_apart: \forall integer i, j; 0 <= i < ch->n && 0 <= j < ch->n && i != j ==> pv_apart(ch, i, j); */
}

static inline char *pv__chain_bump_at(pv_chain *ch, size_t start, size_t size)
{
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the capacity (proved) */
    char *p = ch->cur->arena.base + start;
    /*@ assert live: ch->ci < ch->n && p == ch->tab[ch->ci].arena.base + start; */
    /*@ ghost pv__lemma_fresh_at(ch, start, size); */
    pv__chain_top_to(ch, pv__end(start, size));
    return p;
}

static inline void *pv__chain_bump(pv_chain *ch, size_t size)
{
    /*@ ghost pv__lemma_cur(ch); */
    return pv__chain_bump_at(ch, ch->cur->arena.top, size);
}

static inline void pv__chain_set_top(pv_chain *ch, size_t top)
{
    pv__chain_note_peak(ch);
    pv__chain_top_to(ch, top);
}

static inline bool pv__chain_is_last(const pv_chain *ch, const void *p, size_t size)
{
    const pv_arena *a = &ch->cur->arena;
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the top (proved) */
    return (size != 0u) && (size <= a->top) && (p == (const void *)(a->base + (a->top - pv__round(size))));
}

static inline void *pv__chain_refuse(pv_chain *ch)
{
    ch->failures = pv__inc(ch->failures);
    /*@ assert same: pv_chain_same{Pre, Here}(ch); */
    return NULL;
}
#endif

/* Rewind to (chunk k, top): k is cur or before it; the chunks after k become
 * spares. */
/*@ requires chain: pv_chain_ok(ch);
    requires frame: k <= ch->ci && top <= ch->tab[k].arena.cap && top % PV_ALIGN == 0;
    assigns ch->peak, ch->cur, ch->ci, ch->tab[k].arena.top;
    ensures chain: pv_chain_ok(ch);
    ensures restored: ch->ci == k && ch->tab[k].arena.top == top;
    ensures peak: ch->peak == pv_max(\old(pv_in_use(ch)), \old(ch->peak));
    ensures caps: \forall integer j; 0 <= j < PV_CHAIN_SLOTS ==> ch->tab[j].arena.cap == \old(ch->tab[j].arena.cap);
*/
void pv__chain_rewind(pv_chain *ch, size_t k, size_t top);

/* Hardened, Valgrind and ASan builds only (PV_HARDENED || PV_DBG_ON, see
 * pv_debug.h): the blocks above `top` in chunk k and every block of the
 * chunks after k up to cur are released: fill them with PV_FREE_FILL
 * (hardened) and tell the tools. Call it before the tops are rewound.
 * O(chunks walked), plus O(bytes) when hardened. (Not in the proved
 * configuration: see proofs/TRUSTED.md.) */
void pv__chain_released(pv_chain *ch, size_t k, size_t top);

/* Give every chunk back to the source; the chain is empty but usable. */
/*@ requires chain: pv_chain_ok(ch);
    assigns ch->peak, ch->reserved, ch->chunks, ch->puts, ch->cur, ch->ci, ch->n, ch->next_size,
            ch->tab[0 .. PV_CHAIN_SLOTS - 1], PV_SRC_STATE(ch->src.ctx),
            { *p | char *p; pv_in_given(ch, p) };
    ensures chain: pv_chain_ok(ch);
    ensures empty: ch->n == 0 && ch->ci == 0 && ch->cur->arena.top == 0;
    ensures next_size: ch->next_size == ch->min_size;
    ensures counters: ch->chunks == pv_sub_floor(\old(ch->chunks), \old(ch->n)) &&
                      ch->puts == pv_add_sat(\old(ch->puts), \old(ch->n));
    ensures peak: ch->peak == pv_max(\old(pv_in_use(ch)), \old(ch->peak));
*/
void pv__chain_release(pv_chain *ch);

/* Fill the chain's part of the statistics. */
/*@ requires valid: pv_chain_ok(ch) && \valid(out) && \separated(out, ch);
    assigns *out;
    ensures in_use: out->in_use == \old(pv_in_use(ch));
    ensures peak: out->peak_in_use == pv_max(\old(pv_in_use(ch)), \old(ch->peak));
    ensures counts: out->reserved == \old(ch->reserved) && out->chunks == \old(ch->chunks) &&
                    out->source_gets == \old(ch->gets) && out->source_puts == \old(ch->puts) &&
                    out->failures == \old(ch->failures);
*/
void pv__chain_stats(const pv_chain *ch, pv_stats *out);

/* The backing source's get and put, called through its function pointers.
 * TRUSTED (proofs/TRUSTED.md T13, T14): the only functions of the chain
 * whose contracts are assumed; Frama-C does not see their bodies (two
 * lines each). They count nothing: the callers do. */
/*@ requires chain: pv_chain_ok(ch);
    requires size: 1 <= size <= PV_ARENA_CAP_MAX;
    assigns PV_SRC_STATE(ch->src.ctx);
    ensures data: pv_data_kept{Pre, Post}(ch, ch->n);
    ensures fresh: \result != \null ==>
              \valid((char *)\result + (0 .. size - 1)) && pv_fresh_mem(ch, (char *)\result, size);
*/
void *pv__src_get(pv_chain *ch, size_t size);

/*@ requires chain: \valid(ch) && pv_src_apart(ch, ch->src.ctx);
    requires given: \separated(ch, (char *)mem + (0 .. size - 1));
    assigns PV_SRC_STATE(ch->src.ctx), *((char *)mem + (0 .. size - 1));
    ensures data: pv_data_kept_apart{Pre, Post}(ch, ch->n, (char *)mem, size);
*/
void pv__src_put(pv_chain *ch, void *mem, size_t size);

#endif /* PV_CHAIN_H */
