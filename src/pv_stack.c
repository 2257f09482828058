/* SPDX-License-Identifier: MIT */
/*
 * provalloc stack allocator (see pv_stack.h for the guarantees).
 */
#include "pv_stack.h"
#if PV_HARDENED || !defined(__FRAMAC__)
/* pv__copy (realloc's move, outside the proof) and pv__fill (the hardened
 * build's poison fill): not in the proved configuration (TRUSTED.md N1). */
#include "pv_mem.h"
#endif

/* A new life number, process-wide, never 0. A size_t atomic is lock-free on
 * every target built by make cross (x86-64, x86, Cortex-M4): no libatomic.
 * TRUSTED (proofs/TRUSTED.md T18): the body is hidden from Frama-C (the
 * __atomic builtin); its counter is a static object no other function
 * reads, so the contract leaves it out. */
/*@ assigns \nothing;
    ensures life: \result != 0;
*/
static size_t new_life(void);

#ifndef __FRAMAC__
static size_t new_life(void)
{
    /* The last life number handed out, for every stack of the process. */
    static size_t pv__stack_lives;
    size_t life;
    do {
#if defined(__GNUC__) || defined(__clang__)
        life = __atomic_add_fetch(&pv__stack_lives, (size_t)1u, __ATOMIC_RELAXED);
#else
        pv__stack_lives++;
        life = pv__stack_lives;
#endif
    } while (life == 0u); /* 0 after SIZE_MAX inits: skipped */
    return life;
}
#endif

/* Record the stack's life: nothing the chain's invariant reads changes. */
/*@ requires chain: pv_chain_ok(ch);
    assigns ch->life;
    ensures chain: pv_chain_ok(ch);
    ensures life: ch->life == life;
*/
static void set_life(pv_chain *ch, size_t life)
{
    ch->life = life;
    /*@ assert same: pv_chain_same{Pre, Here}(ch); */
}

/* Make the chain of s, then start a new life (src: a copy, so that it is
 * apart from the object whatever the caller passed). */
/*@ requires valid: \valid(s) && \valid_read(src);
    requires source: pv_src_apart(&s->chain, src->ctx);
    assigns *s;
    ensures stack: pv_stack_ok(s);
    ensures empty: s->chain.n == 0 && s->chain.ci == 0 && s->chain.tab[0].arena.top == 0;
    ensures frames: s->chain.gen_next == 0 && s->chain.depth == 0;
    ensures source: s->chain.src.get == \old(src->get) && s->chain.src.put == \old(src->put) &&
                    s->chain.src.ctx == \old(src->ctx);
    ensures stats: s->chain.peak == 0 && s->chain.reserved == 0 && s->chain.chunks == 0 &&
                   s->chain.gets == 0 && s->chain.puts == 0 && s->chain.failures == 0;
    ensures made: \result == \true;
*/
static bool make(pv_stack *s, const pv_source *src)
{
    pv_source use = *src;
    pv__chain_init(&s->chain, &use, PV_STACK_CHUNK_MIN);
    set_life(&s->chain, new_life());
    return true;
}

bool pv_stack_init(pv_stack *s, const pv_source *src)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    if (src == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return make(s, pv_source_malloc());
    }
    return make(s, src);
}

pv_stack_frame pv__stack_push_refused(pv_stack *s)
{
    pv_stack_frame f;
    s->chain.failures = pv__inc(s->chain.failures);
    /*@ assert same: pv_chain_same{Pre, Here}(&s->chain); */
    f.gen = 0u;
    f.life = 0u;
    return f;
}

bool pv__stack_pop_to(pv_stack *s)
{
    const pv_frame *fr = &s->chain.frames[s->chain.depth - 1];
#if PV_HARDENED || PV_DBG_ON
    /* Every block above the frame's start: the tail of the frame's chunk and
     * every chunk the frame went on to (O(1) in a normal build). */
    pv__chain_released(&s->chain, (size_t)fr->ci, (size_t)fr->top);
#endif
    pv__chain_rewind(&s->chain, (size_t)fr->ci, (size_t)fr->top);
    /*@ assert order: \forall integer k; 0 <= k < s->chain.depth ==> s->chain.frames[k].ci <= s->chain.ci; */
    /*@ assert kept: pv_frames_kept{Pre, Here}(&s->chain); */
    pv__stack_close(&s->chain);
    return true;
}

/* Forget every frame. */
/*@ requires chain: pv_chain_ok(ch);
    requires gen: 0 <= ch->gen_next;
    assigns ch->depth;
    ensures chain: pv_chain_ok(ch) && pv_frames_ok(ch);
    ensures frames: ch->depth == 0;
*/
static void forget_frames(pv_chain *ch)
{
    ch->depth = 0;
}

void pv_stack_reset(pv_stack *s)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
#if PV_HARDENED || PV_DBG_ON
    pv__chain_released(&s->chain, 0u, 0u);
#endif
    pv__chain_rewind(&s->chain, 0u, 0u);
    forget_frames(&s->chain);
}

void pv_stack_destroy(pv_stack *s)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
#if PV_HARDENED || PV_DBG_ON
    pv__chain_released(&s->chain, 0u, 0u);
#endif
    pv__chain_release(&s->chain);
    forget_frames(&s->chain);
}

void *pv__stack_alloc_slow(pv_stack *s, size_t size, size_t align)
{
    void *p;
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if ((size == 0u) || (size > PV__CHAIN_REQ_MAX) || !pv__align_ok(align)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_refuse(&s->chain);
    }
    /*@ assert before: pv_frames_ok(&s->chain) && (s->chain.n != 0 ==> s->chain.ci < s->chain.n) &&
          (s->chain.n == 0 ==> s->chain.ci == 0 &&
             \forall integer k; 0 <= k < s->chain.depth ==> s->chain.frames[k].top == 0); */
    p = pv__chain_alloc_slow(&s->chain, size, align);
    /*@ assert forward: \at(s->chain.ci, Pre) <= s->chain.ci; */
    /*@ assert frames: pv_frames_ok(&s->chain); */
    /*@ ghost if (p != NULL) { pv__lemma_aligned_off(&s->chain.tab[s->chain.ci].arena, size, align); } */
#if PV_DBG_ON
    if (p != NULL) {
        PV_DBG_ALLOC(&s->chain.cur->arena, p, size);
    }
#endif
    return p;
}

void *pv_stack_alloc_aligned(pv_stack *s, size_t size, size_t align)
{
    void *p;
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (pv__chain_fits_aligned(&s->chain, size, align)) {
        p = pv__chain_bump_aligned(&s->chain, size, align);
        PV_DBG_ALLOC(&s->chain.cur->arena, p, size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    return pv__stack_alloc_slow(s, size, align); /* also rejects a bad align */
}

/* Is p (size bytes) the most recent block, allocated since the innermost
 * push (or with no frame open)? A block that starts below the innermost
 * frame's start was allocated before that push. It grows only by moving:
 * grown in place, it would lose bytes to the pop of that frame, or of an
 * enclosing one that starts in between. It is not freed, and shrinks
 * without moving the top: either would lower the top below the frame's
 * start, and blocks allocated next in the frame would then outlive its pop. */
/*@ requires stack: pv_stack_ok(s);
    assigns \nothing;
    ensures freeable: \result <==> pv_stack_freeable(s, (char *)p, size);
*/
static bool freeable(const pv_stack *s, const void *p, size_t size)
{
    const pv_frame *fr;
    if (!pv__chain_is_last(&s->chain, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    if (s->chain.depth == 0) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return true;
    }
    fr = &s->chain.frames[s->chain.depth - 1];
    return ((size_t)fr->ci != s->chain.ci) || ((s->chain.cur->arena.top - pv__round(size)) >= (size_t)fr->top);
}

bool pv_stack_free(pv_stack *s, void *p, size_t size)
{
    if ((s == NULL) || (p == NULL)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    if (!freeable(s, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* not the latest, or from before the innermost push: it goes with its frame */
    }
    pv__chain_set_top(&s->chain, s->chain.cur->arena.top - pv__round(size));
#if PV_HARDENED
    pv__fill(p, PV_FREE_FILL, size);
#endif
#if PV_DBG_ON
    PV_DBG_FREE(&s->chain.cur->arena, p, size);
#endif
    return true;
}

/* Can realloc keep p where it is? (pv_stack.h, pv_stack_realloc: the
 * rule.) The most recent block allocated since the innermost push is
 * resized when new_size fits in its chunk; the most recent block from before
 * that push only shrinks, without moving the top; every other case moves. */
/*@ requires stack: pv_stack_ok(s);
    requires size: 1 <= new_size <= PV__CHAIN_REQ_MAX;
    assigns s->chain.peak, s->chain.tab[s->chain.ci].arena.top;
    behavior resized:
      assumes pv_stack_freeable(s, (char *)p, old_size) &&
              new_size <= s->chain.tab[s->chain.ci].arena.cap -
                          (s->chain.tab[s->chain.ci].arena.top - pv_round(old_size));
      ensures in_place: \result == \true;
      ensures stack: pv_stack_ok(s);
      ensures top: s->chain.tab[s->chain.ci].arena.top ==
                   \old(s->chain.tab[s->chain.ci].arena.top) - pv_round(old_size) + pv_round(new_size);
      ensures at_block: (char *)p + pv_round(new_size) ==
                        s->chain.tab[s->chain.ci].arena.base + s->chain.tab[s->chain.ci].arena.top;
      ensures valid: \valid((char *)p + (0 .. new_size - 1));
      ensures peak: s->chain.peak == pv_max(\old(pv_in_use(&s->chain)), \old(s->chain.peak));
    behavior kept:
      assumes pv_is_last(&s->chain.tab[s->chain.ci].arena, (char *)p, old_size) &&
              !pv_stack_freeable(s, (char *)p, old_size) && new_size <= old_size;
      assigns \nothing;
      ensures in_place: \result == \true;
    behavior moves:
      assumes !(pv_stack_freeable(s, (char *)p, old_size) &&
                new_size <= s->chain.tab[s->chain.ci].arena.cap -
                            (s->chain.tab[s->chain.ci].arena.top - pv_round(old_size))) &&
              !(pv_is_last(&s->chain.tab[s->chain.ci].arena, (char *)p, old_size) &&
                !pv_stack_freeable(s, (char *)p, old_size) && new_size <= old_size);
      assigns \nothing;
      ensures \result == \false;
    complete behaviors;
    disjoint behaviors;
*/
static bool resize_in_place(pv_stack *s, void *p, size_t old_size, size_t new_size)
{
    const pv_arena *a = &s->chain.cur->arena;
    size_t start;
    if (freeable(s, p, old_size)) {
        start = a->top - pv__round(old_size);
        if (new_size > (a->cap - start)) {
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return false; /* no room: it moves */
        }
#if PV_HARDENED
        if (new_size < old_size) {
            /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
            /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
            pv__fill((char *)p + new_size, PV_FREE_FILL, old_size - new_size);
        }
#endif
        pv__chain_set_top(&s->chain, pv__end(start, new_size));
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return true;
    }
    /* From before the innermost push (see freeable): in place without
     * moving the top, the cut bytes stay with the block until its own frame
     * is popped. */
    return pv__chain_is_last(&s->chain, p, old_size) && (new_size <= old_size);
}

#ifndef __FRAMAC__
/* NOT PROVED (proofs/TRUSTED.md N1, proofs/README.md "The stack"): the move
 * (a new block, then the copy of the first min(old_size, new_size) bytes)
 * needs a contract saying that p is a live block of s, which is not
 * written yet. Everything it decides with is proved: resize_in_place (when
 * p stays), pv_stack_alloc (the new block, fresh), pv__chain_refuse. */
void *pv_stack_realloc(pv_stack *s, void *p, size_t old_size, size_t new_size)
{
    void *q;
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (p == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv_stack_alloc(s, new_size);
    }
    if ((new_size == 0u) || (new_size > PV__CHAIN_REQ_MAX)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__chain_refuse(&s->chain);
    }
    if (resize_in_place(s, p, old_size, new_size)) {
        PV_DBG_RESIZE(&s->chain.cur->arena, p, old_size, new_size);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    q = pv_stack_alloc(s, new_size);
    if (q == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    pv__copy(q, p, (old_size < new_size) ? old_size : new_size);
    return q;
}
#endif

size_t pv_stack_depth(const pv_stack *s)
{
    return (s == NULL) ? 0u : (size_t)s->chain.depth;
}

void pv_stack_stats(const pv_stack *s, pv_stats *out)
{
    if (out == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    if (s == NULL) {
        out->in_use = 0u;
        out->peak_in_use = 0u;
        out->reserved = 0u;
        out->chunks = 0u;
        out->source_gets = 0u;
        out->source_puts = 0u;
        out->failures = 0u;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    pv__chain_stats(&s->chain, out);
}
