/*
 * provalloc stack allocator (see pv_stack.h for the guarantees).
 */
#include "pv_mem.h"

#include "pv_stack.h"

/* A new life number, process-wide. A size_t atomic is lock-free on every
 * target built by make cross (x86-64, x86, Cortex-M4): no libatomic. */
static size_t new_life(void)
{
    /* The last life number handed out, for every stack of the process. */
    static size_t pv__stack_lives;
#if defined(__GNUC__) || defined(__clang__)
    return __atomic_add_fetch(&pv__stack_lives, (size_t)1u, __ATOMIC_RELAXED);
#else
    pv__stack_lives++;
    return pv__stack_lives;
#endif
}

bool pv_stack_init(pv_stack *s, const pv_source *src)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    pv__chain_init(&s->chain, (src != NULL) ? src : pv_source_malloc(), PV_STACK_CHUNK_MIN);
    s->chain.life = new_life();
    return true;
}

void pv__stack_pop_to(pv_stack *s, const pv_stack_frame *f)
{
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 two pointers into the chunk table: the frame's chunk index */
    ptrdiff_t k = f->chunk - s->chain.tab;
#if PV_HARDENED || PV_DBG_ON
    /* Every block above the frame's start: the tail of the frame's chunk and
     * every chunk the frame went on to (O(1) in a normal build). */
    pv__chain_released(&s->chain, (size_t)k, f->top);
#endif
    s->chain.gen_top = f->prev;
    s->chain.frame_chunk = f->prev_chunk;
    s->chain.frame_top = f->prev_top;
    s->chain.depth--;
    pv__chain_rewind(&s->chain, (size_t)k, f->top);
}

/* Forget every frame. */
static void forget_frames(pv_stack *s)
{
    s->chain.gen_top = 0u;
    s->chain.depth = 0u;
    s->chain.frame_chunk = NULL;
    s->chain.frame_top = 0u;
#if PV_HARDENED || PV_DBG_ON
    pv__chain_released(&s->chain, 0u, 0u);
#endif
}

void pv_stack_reset(pv_stack *s)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    forget_frames(s);
    pv__chain_rewind(&s->chain, 0u, 0u);
}

void pv_stack_destroy(pv_stack *s)
{
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    forget_frames(s);
    pv__chain_release(&s->chain);
}

void *pv__stack_alloc_slow(pv_stack *s, size_t size, size_t align)
{
    void *p;
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    p = pv__chain_alloc_slow(&s->chain, size, align);
    if (p != NULL) {
        PV_DBG_ALLOC(&s->chain.cur->arena, p, size);
    }
    return p;
}

void *pv_stack_alloc_aligned(pv_stack *s, size_t size, size_t align)
{
    void *p;
    if (s == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    p = pv_arena_alloc_aligned(&s->chain.cur->arena, size, align);
    if (p == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv__stack_alloc_slow(s, size, align); /* also rejects a bad align */
    }
    PV_DBG_ALLOC(&s->chain.cur->arena, p, size);
    return p;
}

/* Is p the most recent block (old_size bytes), and does it start below the
 * innermost frame's start? Such a block was allocated before that push. It
 * grows only by moving: grown in place, it would lose bytes to the pop of
 * that frame, or of an enclosing one that starts in between. It is not
 * freed, and shrinks without moving the top: either would lower the top
 * below the frame's start, and blocks allocated next in the frame would then
 * outlive its pop. */
static bool before_frame(const pv_stack *s, const void *p, size_t old_size)
{
    const pv_arena *a = &s->chain.cur->arena;
    size_t start;
    if ((s->chain.depth == 0u) || (s->chain.frame_chunk != s->chain.cur) || (old_size == 0u) ||
        (old_size > a->top)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* no frame, or every block of this chunk is in the frame */
    }
    start = a->top - pv__round(old_size);
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    return (start < s->chain.frame_top) && ((const char *)p == (a->base + start));
}

bool pv_stack_free(pv_stack *s, void *p, size_t size)
{
    if ((s == NULL) || (p == NULL)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    if (before_frame(s, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false; /* from before the innermost push: it goes with its own frame */
    }
    pv__chain_note_peak(&s->chain);
    if (!pv_arena_free(&s->chain.cur->arena, p, size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
#if PV_HARDENED
    pv__fill(p, PV_FREE_FILL, size);
#endif
    PV_DBG_FREE(&s->chain.cur->arena, p, size);
    return true;
}

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
        s->chain.failures = pv__inc(s->chain.failures);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (new_size < old_size) {
        pv__chain_note_peak(&s->chain);
    }
    if (before_frame(s, p, old_size)) {
        if (new_size <= old_size) {
            /* In place without moving the top: the cut bytes stay with the
             * block until its own frame is popped. */
            PV_DBG_RESIZE(&s->chain.cur->arena, p, old_size, new_size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    } else {
        if (pv_arena_resize(&s->chain.cur->arena, p, old_size, new_size)) {
#if PV_HARDENED
            if (new_size < old_size) {
                /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
                /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
                pv__fill((char *)p + new_size, PV_FREE_FILL, old_size - new_size);
            }
#endif
            PV_DBG_RESIZE(&s->chain.cur->arena, p, old_size, new_size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }
    q = pv_stack_alloc(s, new_size);
    if (q == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    pv__copy(q, p, (old_size < new_size) ? old_size : new_size);
    return q;
}

size_t pv_stack_depth(const pv_stack *s)
{
    return (s == NULL) ? 0u : s->chain.depth;
}

void pv_stack_stats(const pv_stack *s, pv_stats *out)
{
    if (out == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    if (s == NULL) {
        pv__fill(out, 0u, sizeof *out);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    pv__chain_stats(&s->chain, out);
}
