/* SPDX-License-Identifier: MIT */
/*
 * provalloc stack allocator: frames of allocations released together.
 *
 * pv_stack_push opens a frame and returns a cookie; pv_stack_pop takes the
 * cookie, checks that it is the innermost open frame of this stack, and
 * releases everything allocated since that push. Chunks are kept and reused
 * across frames in order, so a program in a steady state makes no
 * backing-source calls. PV_STACK_SCOPE(s) pops at the end of the enclosing
 * block (GCC and Clang).
 *
 * Frames. The stack keeps its open frames in a table of PV_STACK_FRAMES
 * entries (pv_chain.h, default 64): for each, where it starts (chunk index,
 * top) and its generation. A cookie is two numbers, the frame's generation
 * and the stack's life, never a pointer: each push draws the stack's next
 * generation (2^63 - 1 of them per life), and each init starts a new life, numbered
 * process-wide. Pop accepts a cookie iff its life is the stack's and its
 * generation the innermost open frame's: a stale, forged or out-of-order
 * cookie, one from another stack or from before a reset, destroy or init
 * is refused and changes nothing. Everything pop restores comes from the
 * table, never from the cookie.
 *
 * Sizes: blocks are aligned on PV_ALIGN and consume their size rounded up to
 * PV_ALIGN. Allocations made outside any frame are released by reset.
 *
 * Costs: push, pop, alloc, free, realloc in place O(1) (a new chunk at most
 * once per chunk; a pop that unwinds k chunks is still O(1)); destroy
 * O(chunks).
 *
 * Thread model: one stack per thread. A pv_stack must not be copied or moved
 * after init.
 *
 * Proof shape (Frama-C WP, proofs/README.md "The stack"). The stack is its
 * chain (pv_chain.h) plus its frame table: pv_stack_ok is pv_chain_ok and
 * pv_frames_ok (every open frame starts at a position the chain may rewind
 * to, at or before the current chunk, in order, with a non-zero
 * generation). The frame fields are members of the chain object, of
 * an integer type no chain field has (int64_t): in WP's typed memory
 * model they are a memory of their own, so a write of the chain leaves them
 * unchanged and a write of a frame leaves the chain unchanged, with nothing
 * to prove. The writes within the current chunk are the chain's proved
 * helpers (pv__chain_bump, pv__chain_bump_aligned, pv__chain_set_top).
 */
#ifndef PV_STACK_H
#define PV_STACK_H

#include "pv_chain.h"
#include "pv_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The stack's own fields (life, generations, depth, the frame table) are
 * members of the chain object (pv_chain.h), so the chain's contracts cover
 * them. */
typedef struct pv_stack {
    pv_chain chain;
} pv_stack;

/* A frame cookie: treat as opaque, pass back to pv_stack_pop unchanged. */
typedef struct pv_stack_frame {
    uint64_t gen; /* the frame's generation; 0: a push that was refused */
    size_t life;  /* the life of the stack it was pushed on */
} pv_stack_frame;

#ifdef __FRAMAC__
/* cppcheck-suppress misra-c2012-20.1 ; PV-D10 ACSL logic for Frama-C only, after the types it uses */
#include "pv_stack.acsl"
#endif

/* Make s an empty stack over a backing source (NULL: malloc). Obtains no
 * memory yet. Returns false, and leaves *s untouched, iff s is NULL.
 * Starts a new life of s: its number is drawn from a process-wide counter
 * (atomic with GCC and Clang; without them, initialise stacks from one
 * thread at a time), so every cookie pushed before this init is refused by
 * pop. Lives are size_t, never 0: they repeat only after SIZE_MAX - 1
 * inits. Destroy alone keeps the stack usable (same life) and every older
 * cookie refused. */
/*@ requires valid: s == \null || \valid(s);
    requires source: s != \null && src != \null ==>
               \valid_read(src) && \separated(&s->chain, src) && pv_src_apart(&s->chain, src->ctx);
    assigns *s;
    behavior null:
      assumes s == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior made:
      assumes s != \null;
      ensures \result == \true;
      ensures stack: pv_stack_ok(s);
      ensures empty: s->chain.n == 0 && s->chain.ci == 0 && s->chain.tab[0].arena.top == 0;
      ensures frames: s->chain.gen_next == 0 && s->chain.depth == 0;
      ensures source: src != \null ==> s->chain.src.get == \old(src->get) &&
                        s->chain.src.put == \old(src->put) && s->chain.src.ctx == \old(src->ctx);
      ensures stats: s->chain.peak == 0 && s->chain.reserved == 0 && s->chain.chunks == 0 &&
                     s->chain.gets == 0 && s->chain.puts == 0 && s->chain.failures == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pv_stack_init(pv_stack *s, const pv_source *src);

/* Give every chunk back to the source and forget every frame (their cookies
 * become stale). The stack is then empty and usable again. No-op for NULL. */
/*@ requires handle: pv_stack_handle(s);
    assigns s->chain.peak, s->chain.reserved, s->chain.chunks, s->chain.puts, s->chain.cur, s->chain.ci,
            s->chain.n, s->chain.next_size, s->chain.tab[0 .. PV_CHAIN_SLOTS - 1],
            PV_SRC_STATE(s->chain.src.ctx), { *p | char *p; pv_in_given(&s->chain, p) },
            s->chain.depth;
    behavior null:
      assumes s == \null;
      assigns \nothing;
    behavior destroyed:
      assumes s != \null;
      ensures stack: pv_stack_ok(s);
      ensures empty: s->chain.n == 0 && s->chain.ci == 0 && s->chain.tab[0].arena.top == 0;
      ensures frames: s->chain.depth == 0;
      ensures counters: s->chain.chunks == pv_sub_floor(\old(s->chain.chunks), \old(s->chain.n)) &&
                        s->chain.puts == pv_add_sat(\old(s->chain.puts), \old(s->chain.n));
    complete behaviors;
    disjoint behaviors;
*/
void pv_stack_destroy(pv_stack *s);

/* Release every block and forget every frame; keep the chunks. No-op for NULL. */
/*@ requires handle: pv_stack_handle(s);
    assigns s->chain.peak, s->chain.cur, s->chain.ci, s->chain.tab[0].arena.top, s->chain.depth;
    behavior null:
      assumes s == \null;
      assigns \nothing;
    behavior reset:
      assumes s != \null;
      ensures stack: pv_stack_ok(s);
      ensures empty: s->chain.ci == 0 && s->chain.tab[0].arena.top == 0;
      ensures frames: s->chain.depth == 0;
      ensures peak: s->chain.peak == pv_max(\old(pv_in_use(&s->chain)), \old(s->chain.peak));
    complete behaviors;
    disjoint behaviors;
*/
void pv_stack_reset(pv_stack *s);

/* A push refused by a full table, or after 2^63 - 1 pushes in one life:
 * count it. (Out of line: the inline push stays small.) */
/*@ requires stack: pv_stack_ok(s);
    assigns s->chain.failures;
    ensures stack: pv_stack_ok(s);
    ensures failures: s->chain.failures == pv_inc(\old(s->chain.failures));
    ensures refused: \result.gen == 0 && \result.life == 0;
*/
pv_stack_frame pv__stack_push_refused(pv_stack *s);

/* Open frame `depth` at the current position with the next generation: the
 * one write of the frame table a push makes. The chain is not written (the
 * frames are a memory of their own: pv_chain.h), and the open frames are
 * kept. */
/*@ requires chain: pv_chain_ok(ch) && pv_frames_ok(ch);
    requires room: ch->depth < PV_STACK_FRAMES && ch->gen_next < INT64_MAX;
    assigns ch->gen_next, ch->frames[ch->depth], ch->depth;
    ensures same: pv_chain_same{Pre, Post}(ch);
    ensures pushed: pv_frames_pushed{Pre, Post}(ch);
    ensures opened: ch->gen_next == \old(ch->gen_next) + 1 && ch->depth == \old(ch->depth) + 1 &&
                    ch->frames[\old(ch->depth)].gen == ch->gen_next &&
                    ch->frames[\old(ch->depth)].ci == ch->ci &&
                    ch->frames[\old(ch->depth)].top == ch->tab[ch->ci].arena.top;
*/
static inline void pv__stack_open(pv_chain *ch)
{
    int64_t d = ch->depth;
    size_t top = ch->cur->arena.top;
    /*@ assert top: top == ch->tab[ch->ci].arena.top && top <= ch->tab[ch->ci].arena.cap && top % PV_ALIGN == 0; */
    ch->gen_next++;
    ch->frames[d].gen = ch->gen_next;
    ch->frames[d].ci = (int64_t)ch->ci;
    ch->frames[d].top = (int64_t)top;
    ch->depth = d + 1;
}

/* Open a frame and return its cookie. Returns a cookie that every pop
 * refuses (generation 0), changing nothing but the failure count, iff
 *   - s is NULL (nothing counted), or
 *   - PV_STACK_FRAMES frames are open, or
 *   - 2^63 - 1 frames were already pushed in this life.
 * Allocations go on into the enclosing frame then, and are released with
 * it. */
/*@ requires handle: pv_stack_handle(s);
    assigns s->chain.gen_next, s->chain.depth, s->chain.frames[s->chain.depth], s->chain.failures;
    behavior null:
      assumes s == \null;
      assigns \nothing;
      ensures refused: \result.gen == 0 && \result.life == 0;
    behavior full:
      assumes s != \null && (s->chain.depth == PV_STACK_FRAMES || s->chain.gen_next == INT64_MAX);
      assigns s->chain.failures;
      ensures stack: pv_stack_ok(s);
      ensures failures: s->chain.failures == pv_inc(\old(s->chain.failures));
      ensures refused: \result.gen == 0 && \result.life == 0;
    behavior pushed:
      assumes s != \null && s->chain.depth < PV_STACK_FRAMES && s->chain.gen_next < INT64_MAX;
      assigns s->chain.gen_next, s->chain.depth, s->chain.frames[s->chain.depth];
      ensures stack: pv_stack_ok(s);
      ensures opened: s->chain.gen_next == \old(s->chain.gen_next) + 1 &&
                      s->chain.depth == \old(s->chain.depth) + 1 &&
                      s->chain.frames[\old(s->chain.depth)].gen == s->chain.gen_next &&
                      s->chain.frames[\old(s->chain.depth)].ci == s->chain.ci &&
                      s->chain.frames[\old(s->chain.depth)].top == s->chain.tab[s->chain.ci].arena.top;
      ensures cookie: \result.gen == s->chain.gen_next && \result.life == s->chain.life;
      ensures accepted: pv_cookie_ok(s, \result);
    complete behaviors;
    disjoint behaviors;
*/
static inline pv_stack_frame pv_stack_push(pv_stack *s)
{
    pv_stack_frame f;
    if (s == NULL) {
        f.gen = 0u;
        f.life = 0u;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return f;
    }
    if ((s->chain.depth == PV__FRAMES) || (s->chain.gen_next == INT64_MAX)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__stack_push_refused(s);
    }
    pv__stack_open(&s->chain);
    f.gen = (uint64_t)s->chain.gen_next;
    f.life = s->chain.life;
    return f;
}

/* Close the innermost frame: the enclosing one becomes the innermost. */
/*@ requires chain: pv_chain_ok(ch) && pv_frames_ok(ch);
    requires open: ch->depth != 0;
    assigns ch->depth;
    ensures chain: pv_chain_ok(ch) && pv_frames_ok(ch);
    ensures closed: ch->depth == \old(ch->depth) - 1;
*/
static inline void pv__stack_close(pv_chain *ch)
{
    ch->depth--;
}

/* A refused pop: report it, change nothing. */
/*@ assigns \nothing;
    ensures refused: \result == \false;
*/
static inline bool pv__stack_refuse(const pv_stack *s)
{
    pv__misuse(PV_MISUSE_BAD_COOKIE, s, NULL);
    return false;
}

/* An accepted pop whose frame starts before the current chunk, or any
 * accepted pop in a build that fills or annotates released memory:
 * rewind to the innermost frame's start and close it. */
/*@ requires stack: pv_stack_ok(s);
    requires open: s->chain.depth != 0;
    assigns s->chain.peak, s->chain.cur, s->chain.ci,
            s->chain.tab[s->chain.frames[s->chain.depth - 1].ci].arena.top, s->chain.depth;
    ensures stack: pv_stack_ok(s);
    ensures restored: s->chain.ci == \old(s->chain.frames[s->chain.depth - 1].ci) &&
                      s->chain.tab[s->chain.ci].arena.top == \old(s->chain.frames[s->chain.depth - 1].top);
    ensures closed: s->chain.depth == \old(s->chain.depth) - 1;
    ensures peak: s->chain.peak == pv_max(\old(pv_in_use(&s->chain)), \old(s->chain.peak));
    ensures popped: \result == \true;
*/
bool pv__stack_pop_to(pv_stack *s);

/* Close the innermost frame: release every block allocated since its push,
 * and make the enclosing frame the innermost. Returns false, and changes
 * nothing, iff s is NULL or f is not the innermost open frame of this life
 * of s (already popped, out of order, another stack's, pushed before a
 * reset, a destroy or the last init, refused at its push, forged); misuse
 * is also reported to the misuse handler as PV_MISUSE_BAD_COOKIE (with a
 * NULL pointer) when s is non-NULL. */
/*@ requires handle: pv_stack_handle(s);
    assigns s->chain.peak, s->chain.cur, s->chain.ci,
            s->chain.tab[s->chain.frames[s->chain.depth - 1].ci].arena.top, s->chain.depth;
    behavior null:
      assumes s == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior refused:
      assumes s != \null && !pv_cookie_ok(s, f);
      assigns \nothing;
      ensures \result == \false;
      ensures unchanged: PV_STACK_POP_NOTHING(&s->chain);
    behavior popped:
      assumes s != \null && pv_cookie_ok(s, f);
      ensures \result == \true;
      ensures stack: pv_stack_ok(s);
      ensures restored: s->chain.ci == \old(s->chain.frames[s->chain.depth - 1].ci) &&
                        s->chain.tab[s->chain.ci].arena.top == \old(s->chain.frames[s->chain.depth - 1].top);
      ensures closed: s->chain.depth == \old(s->chain.depth) - 1;
      ensures peak: s->chain.peak == pv_max(\old(pv_in_use(&s->chain)), \old(s->chain.peak));
    complete behaviors;
    disjoint behaviors;
*/
static inline bool pv_stack_pop(pv_stack *s, pv_stack_frame f)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    if ((s->chain.depth == 0) || (f.gen != (uint64_t)s->chain.frames[s->chain.depth - 1].gen) ||
        (f.life != s->chain.life)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__stack_refuse(s);
    }
#if !PV_HARDENED && !PV_DBG_ON
    /* The usual case inline: the frame began in the current chunk, in a build
     * that neither fills released memory nor tells Valgrind/ASan. */
    if ((size_t)s->chain.frames[s->chain.depth - 1].ci == s->chain.ci) {
        pv__chain_set_top(&s->chain, (size_t)s->chain.frames[s->chain.depth - 1].top);
        pv__stack_close(&s->chain);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return true;
    }
#endif
    return pv__stack_pop_to(s);
}

/* Everything the inline fast path does not handle (NULL s included): the
 * chain's slow path (a spare or a new chunk). */
/*@ requires handle: pv_stack_handle(s);
    assigns PV_CHAIN_ALLOC_WRITES(&s->chain);
    behavior null:
      assumes s == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior bad_request:
      assumes s != \null && (size == 0 || size > PV__CHAIN_REQ_MAX || !pv_align_ok(align));
      assigns s->chain.failures;
      ensures \result == \null;
      ensures refused: PV_CHAIN_REFUSED(&s->chain);
    behavior request:
      assumes s != \null && 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align);
      ensures stack: pv_stack_ok(s);
      ensures data: pv_kept{Pre, Post}(&s->chain, \old(s->chain.n)) &&
                    pv_data_kept{Pre, Post}(&s->chain, \old(s->chain.n));
      ensures fail: \result == \null ==> (PV_CHAIN_FAILED(&s->chain));
      ensures ok: \result != \null ==> PV_CHAIN_BLOCK(&s->chain, (char *)\result, size, align) &&
                  s->chain.failures == \old(s->chain.failures) &&
                  s->chain.tab[s->chain.ci].before == \old(pv_in_use(&s->chain)) &&
                  (\old(s->chain.n) == 0 || \old(s->chain.ci) < s->chain.ci);
    complete behaviors;
    disjoint behaviors;
*/
void *pv__stack_alloc_slow(pv_stack *s, size_t size, size_t align);

/* Allocate `size` bytes aligned on PV_ALIGN in the innermost frame.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - s is NULL (nothing counted), or
 *   - size is 0, or
 *   - size does not fit in the current chunk and size > PV__CHAIN_REQ_MAX
 *     (about SIZE_MAX/8), or
 *   - a new chunk was needed and: the source returned NULL, or the chunk
 *     table is full (PV_CHAIN_SLOTS chunks, pv_chain.h: past the address
 *     space with the default), or the bytes in use would pass
 *     PV_ARENA_CAP_MAX (PTRDIFF_MAX). */
/*@ requires handle: pv_stack_handle(s);
    assigns PV_CHAIN_ALLOC_WRITES(&s->chain);
    behavior null:
      assumes s == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior bad_request:
      assumes s != \null && (size == 0 ||
              (size > pv_avail(&s->chain.tab[s->chain.ci].arena) && size > PV__CHAIN_REQ_MAX));
      ensures \result == \null;
      ensures refused: PV_CHAIN_REFUSED(&s->chain);
    behavior fits:
      assumes s != \null && 1 <= size <= pv_avail(&s->chain.tab[s->chain.ci].arena);
      assigns s->chain.tab[s->chain.ci].arena.top;
      ensures stack: pv_stack_ok(s);
      ensures top: s->chain.tab[s->chain.ci].arena.top ==
                   \old(s->chain.tab[s->chain.ci].arena.top) + pv_round(size);
      ensures block: \result != \null && PV_CHAIN_BLOCK(&s->chain, (char *)\result, size, PV_ALIGN);
    behavior new_chunk:
      assumes s != \null && pv_avail(&s->chain.tab[s->chain.ci].arena) < size <= PV__CHAIN_REQ_MAX;
      ensures stack: pv_stack_ok(s);
      ensures data: pv_kept{Pre, Post}(&s->chain, \old(s->chain.n)) &&
                    pv_data_kept{Pre, Post}(&s->chain, \old(s->chain.n));
      ensures fail: \result == \null ==> (PV_CHAIN_FAILED(&s->chain));
      ensures ok: \result != \null ==> PV_CHAIN_BLOCK(&s->chain, (char *)\result, size, PV_ALIGN) &&
                  s->chain.failures == \old(s->chain.failures) &&
                  (\old(s->chain.n) == 0 || \old(s->chain.ci) < s->chain.ci);
    complete behaviors;
    disjoint behaviors;
*/
static inline void *pv_stack_alloc(pv_stack *s, size_t size)
{
    void *p;
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if ((size != 0u) && (size <= (s->chain.cur->arena.cap - s->chain.cur->arena.top))) {
        p = pv__chain_bump(&s->chain, size);
        PV_DBG_ALLOC(&s->chain.cur->arena, p, size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    return pv__stack_alloc_slow(s, size, PV_ALIGN);
}

/* Allocate `size` bytes aligned on `align`. Returns NULL, and changes nothing
 * but the failure count, iff s is NULL (not counted), align is not a power
 * of two or is above PV_ALIGN_MAX, size is 0, size does not fit in the
 * current chunk and is above PV__CHAIN_REQ_MAX, or the source failed. */
/*@ requires handle: pv_stack_handle(s);
    assigns PV_CHAIN_ALLOC_WRITES(&s->chain);
    behavior null:
      assumes s == \null;
      assigns \nothing;
      ensures \result == \null;
    behavior bad_request:
      assumes s != \null && (size == 0 || !pv_align_ok(align) ||
              (!pv_fits_aligned(&s->chain.tab[s->chain.ci].arena, size, align) && size > PV__CHAIN_REQ_MAX));
      ensures \result == \null;
      ensures refused: PV_CHAIN_REFUSED(&s->chain);
    behavior fits:
      assumes s != \null && size != 0 && pv_align_ok(align) &&
              pv_fits_aligned(&s->chain.tab[s->chain.ci].arena, size, align);
      assigns s->chain.tab[s->chain.ci].arena.top;
      ensures stack: pv_stack_ok(s);
      ensures top: s->chain.tab[s->chain.ci].arena.top ==
                   \old(s->chain.tab[s->chain.ci].arena.top) + \old(pv_pad(&s->chain.tab[s->chain.ci].arena, align)) +
                   pv_round(size);
      ensures block: \result != \null && PV_CHAIN_BLOCK(&s->chain, (char *)\result, size, align);
    behavior new_chunk:
      assumes s != \null && 1 <= size <= PV__CHAIN_REQ_MAX && pv_align_ok(align) &&
              !pv_fits_aligned(&s->chain.tab[s->chain.ci].arena, size, align);
      ensures stack: pv_stack_ok(s);
      ensures data: pv_kept{Pre, Post}(&s->chain, \old(s->chain.n)) &&
                    pv_data_kept{Pre, Post}(&s->chain, \old(s->chain.n));
      ensures fail: \result == \null ==> (PV_CHAIN_FAILED(&s->chain));
      ensures ok: \result != \null ==> PV_CHAIN_BLOCK(&s->chain, (char *)\result, size, align) &&
                  s->chain.failures == \old(s->chain.failures) &&
                  (\old(s->chain.n) == 0 || \old(s->chain.ci) < s->chain.ci);
    complete behaviors;
    disjoint behaviors;
*/
void *pv_stack_alloc_aligned(pv_stack *s, size_t size, size_t align);

/* Free the most recent block p of `size` bytes. Returns true iff it was
 * reclaimed: it ends at the top of the current chunk and was allocated since
 * the innermost push (or no frame is open). Returns false, changing nothing,
 * for NULL s or p, size 0, a block allocated before the innermost push, or
 * any other block (a defined no-op: the block goes with its frame). */
/*@ requires handle: pv_stack_handle(s);
    assigns s->chain.peak, s->chain.tab[s->chain.ci].arena.top;
    behavior null:
      assumes s == \null || p == \null;
      assigns \nothing;
      ensures \result == \false;
    behavior freed:
      assumes s != \null && p != \null && pv_stack_freeable(s, (char *)p, size);
      ensures \result == \true;
      ensures stack: pv_stack_ok(s);
      ensures top: s->chain.tab[s->chain.ci].arena.top == \old(s->chain.tab[s->chain.ci].arena.top) - pv_round(size);
      ensures at_block: (char *)p == s->chain.tab[s->chain.ci].arena.base + s->chain.tab[s->chain.ci].arena.top;
      ensures peak: s->chain.peak == pv_max(\old(pv_in_use(&s->chain)), \old(s->chain.peak));
    behavior kept:
      assumes s != \null && p != \null && !pv_stack_freeable(s, (char *)p, size);
      assigns \nothing;
      ensures \result == \false;
    complete behaviors;
    disjoint behaviors;
*/
bool pv_stack_free(pv_stack *s, void *p, size_t size);

/* Resize block p from old_size to new_size bytes, keeping its first
 * min(old_size, new_size) bytes. In place (returns p) iff p is the most
 * recent block and either
 *   - it was allocated since the innermost push (or no frame is open) and
 *     new_size fits in its chunk: the top moves to its new end, or
 *   - it was allocated before the innermost push and new_size <= old_size:
 *     the top stays where it is (the cut bytes go with the block's own
 *     frame), since a top below the frame's start would let blocks of the
 *     frame outlive its pop.
 * Otherwise moves it within the innermost frame (the old block stays
 * allocated until its own frame is popped); so a block from before the push
 * grows only by moving (grown in place, it would lose bytes to the pop of
 * that frame, or of an enclosing one that starts in between). p NULL: same
 * as pv_stack_alloc(s, new_size). Otherwise returns NULL, leaving p intact,
 * iff s is NULL, new_size is 0 or above PV__CHAIN_REQ_MAX, or the source
 * failed. */
void *pv_stack_realloc(pv_stack *s, void *p, size_t old_size, size_t new_size);

/* Open frames (0 for NULL). */
/*@ requires handle: pv_stack_handle(s);
    assigns \nothing;
    behavior null:
      assumes s == \null;
      ensures \result == 0;
    behavior live:
      assumes s != \null;
      ensures \result == s->chain.depth;
    complete behaviors;
    disjoint behaviors;
*/
size_t pv_stack_depth(const pv_stack *s);

/* Statistics (all zero for NULL s; nothing written for NULL out). */
/*@ requires handle: pv_stack_handle(s);
    requires out: out == \null || (\valid(out) && (s == \null || \separated(out, &s->chain)));
    assigns *out;
    behavior no_out:
      assumes out == \null;
      assigns \nothing;
    behavior null:
      assumes out != \null && s == \null;
      ensures zero: out->in_use == 0 && out->peak_in_use == 0 && out->reserved == 0 && out->chunks == 0 &&
                    out->source_gets == 0 && out->source_puts == 0 && out->failures == 0;
    behavior live:
      assumes out != \null && s != \null;
      ensures in_use: out->in_use == pv_in_use(&s->chain);
      ensures peak: out->peak_in_use == pv_max(pv_in_use(&s->chain), s->chain.peak);
      ensures counts: out->reserved == s->chain.reserved && out->chunks == s->chain.chunks &&
                      out->source_gets == s->chain.gets && out->source_puts == s->chain.puts &&
                      out->failures == s->chain.failures;
    complete behaviors;
    disjoint behaviors;
*/
void pv_stack_stats(const pv_stack *s, pv_stats *out);

#if defined(__GNUC__) || defined(__clang__)
/* What PV_STACK_SCOPE keeps: the stack and the cookie of its push. */
typedef struct pv__stack_scope {
    pv_stack *s;
    pv_stack_frame f;
} pv__stack_scope;

/* Push on s, for PV_STACK_SCOPE. */
/*@ requires handle: pv_stack_handle(s);
    assigns s->chain.gen_next, s->chain.depth, s->chain.frames[s->chain.depth], s->chain.failures;
    ensures stack: s != \null ==> pv_stack_ok(s);
    ensures scope: \result.s == s;
    ensures pushed: s != \null && \old(s->chain.depth) < PV_STACK_FRAMES && \old(s->chain.gen_next) < INT64_MAX ==>
                    pv_cookie_ok(s, \result.f);
*/
static inline pv__stack_scope pv__stack_scope_begin(pv_stack *s)
{
    pv__stack_scope sc;
    sc.s = s;
    sc.f = pv_stack_push(s);
    return sc;
}

/* Pop at scope exit: pv_stack_pop(sc->s, sc->f). */
/*@ requires scope: \valid_read(sc);
    requires handle: pv_stack_handle(sc->s);
    requires apart: sc->s == \null || \separated(sc, sc->s);
    assigns sc->s->chain.peak, sc->s->chain.cur, sc->s->chain.ci,
            sc->s->chain.tab[sc->s->chain.frames[sc->s->chain.depth - 1].ci].arena.top, sc->s->chain.depth;
    behavior null:
      assumes sc->s == \null;
      assigns \nothing;
    behavior refused:
      assumes sc->s != \null && !pv_cookie_ok(sc->s, sc->f);
      ensures unchanged: PV_STACK_POP_NOTHING(&sc->s->chain);
    behavior popped:
      assumes sc->s != \null && pv_cookie_ok(sc->s, sc->f);
      ensures stack: pv_stack_ok(sc->s);
      ensures closed: sc->s->chain.depth == \old(sc->s->chain.depth) - 1;
    complete behaviors;
    disjoint behaviors;
*/
static inline void pv__stack_scope_end(const pv__stack_scope *sc)
{
    (void)pv_stack_pop(sc->s, sc->f);
}
/* cppcheck-suppress misra-c2012-20.10 ; PV-D9 unique name per line, GCC and Clang only */
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 helper of PV_STACK_SCOPE, a macro for users */
#define PV__CAT2(a, b) a##b
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 helper of PV_STACK_SCOPE, a macro for users */
#define PV__CAT(a, b) PV__CAT2(a, b)
/* Open a frame that is popped when the enclosing block is left, however it
 * is left (return, break, goto out of it). */
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 public macro for users */
#define PV_STACK_SCOPE(s)                                                                         \
    const pv__stack_scope PV__CAT(pv__scope_, __LINE__) __attribute__((cleanup(pv__stack_scope_end), \
                                                                       unused)) = pv__stack_scope_begin(s)
#endif

#ifdef __cplusplus
}
#endif

#endif /* PV_STACK_H */
