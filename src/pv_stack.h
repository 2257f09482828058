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
 * Cookies are values, not pointers into the stack: each push draws a fresh
 * 64-bit generation number, and the stack remembers only the innermost one
 * (the cookie carries its predecessor). Each init starts a new life of the
 * stack, numbered process-wide, and a cookie carries its life too, so a
 * cookie from before a destroy and a new init of the same object never
 * matches. A pop whose cookie is not the innermost open frame of this very
 * life of this very stack (stale, already popped, forged, from another
 * stack or an earlier life, or out of order) is refused and changes
 * nothing.
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
 */
#ifndef PV_STACK_H
#define PV_STACK_H

#include "pv_chain.h"
#include "pv_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The stack's own fields (life, generations, depth, the innermost frame)
 * are members of the chain object (pv_chain.h), so the chain's contracts
 * cover them. */
typedef struct pv_stack {
    pv_chain chain;
} pv_stack;

/* A frame cookie: treat as opaque, pass back to pv_stack_pop unchanged. */
typedef struct pv_stack_frame {
    pv_stack *owner;
    size_t life;
    pv_chunk *chunk; /* where the frame starts: chunk (in the table) ... */
    size_t top;      /* ... and top */
    uint64_t gen;
    uint64_t prev;
    pv_chunk *prev_chunk; /* where the enclosing frame starts */
    size_t prev_top;
} pv_stack_frame;

/* Make s an empty stack over a backing source (NULL: malloc). Obtains no
 * memory yet. Returns false, and leaves *s untouched, iff s is NULL.
 * Starts a new life of s: its number is drawn from a process-wide counter
 * (atomic with GCC and Clang; without them, initialise stacks from one
 * thread at a time), so every cookie pushed before this init is refused by
 * pop. Lives are size_t: they repeat only after SIZE_MAX inits. Destroy
 * alone keeps the stack usable (same life) and every older cookie refused. */
bool pv_stack_init(pv_stack *s, const pv_source *src);

/* Give every chunk back to the source and forget every frame (their cookies
 * become stale). The stack is then empty and usable again. No-op for NULL. */
void pv_stack_destroy(pv_stack *s);

/* Release every block and forget every frame; keep the chunks. No-op for NULL. */
void pv_stack_reset(pv_stack *s);

/* Open a frame. Never fails for a non-NULL s. For NULL s, returns a cookie
 * that every pop refuses. */
static inline pv_stack_frame pv_stack_push(pv_stack *s)
{
    pv_stack_frame f;
    f.owner = s;
    if (s == NULL) {
        f.life = 0u;
        f.chunk = NULL;
        f.top = 0u;
        f.gen = 0u;
        f.prev = 0u;
        f.prev_chunk = NULL;
        f.prev_top = 0u;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return f;
    }
    f.life = s->chain.life;
    f.chunk = s->chain.cur;
    f.top = s->chain.cur->arena.top;
    f.prev = s->chain.gen_top;
    f.prev_chunk = s->chain.frame_chunk;
    f.prev_top = s->chain.frame_top;
    s->chain.gen_next++;
    f.gen = s->chain.gen_next;
    s->chain.gen_top = f.gen;
    s->chain.frame_chunk = f.chunk;
    s->chain.frame_top = f.top;
    s->chain.depth++;
    return f;
}

void pv__stack_pop_to(pv_stack *s, const pv_stack_frame *f);

/* Close the innermost frame: release every block allocated since its push.
 * Returns false, and changes nothing, iff s is NULL or f is not the
 * innermost open frame of s (wrong owner, already popped, pushed before a
 * reset, a destroy or the last init, out of order, never pushed): its owner,
 * life, generation, chunk and position must all be the innermost frame's,
 * so a refused cookie is never followed into memory. Misuse is also reported to
 * the misuse handler as PV_MISUSE_BAD_COOKIE when s is non-NULL. */
static inline bool pv_stack_pop(pv_stack *s, pv_stack_frame f)
{
    if ((s == NULL) || (f.owner != s) || (f.life != s->chain.life) || (f.gen == 0u) ||
        (f.gen != s->chain.gen_top) || (f.chunk != s->chain.frame_chunk) || (f.top != s->chain.frame_top)) {
        if (s != NULL) {
            pv__misuse(PV_MISUSE_BAD_COOKIE, s, f.chunk);
        }
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
#if !PV_HARDENED && !PV_DBG_ON
    /* The usual case inline: the frame began in the current chunk, in a build
     * that neither fills released memory nor tells Valgrind/ASan. */
    if (f.chunk == s->chain.cur) {
        pv__chain_note_peak(&s->chain);
        s->chain.gen_top = f.prev;
        s->chain.frame_chunk = f.prev_chunk;
        s->chain.frame_top = f.prev_top;
        s->chain.depth--;
        f.chunk->arena.top = f.top;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return true;
    }
#endif
    pv__stack_pop_to(s, &f);
    return true;
}

/* Everything the inline fast path does not handle (NULL s included). */
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
static inline void *pv_stack_alloc(pv_stack *s, size_t size)
{
    if (s != NULL) {
        pv_arena *a = &s->chain.cur->arena;
        if ((size != 0u) && (size <= (a->cap - a->top))) {
            void *p = pv__arena_bump(a, size);
            PV_DBG_ALLOC(a, p, size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }
    return pv__stack_alloc_slow(s, size, PV_ALIGN);
}

/* Allocate `size` bytes aligned on `align`. Returns NULL, and changes nothing
 * but the failure count, iff s is NULL (not counted), align is not a power
 * of two or is above PV_ALIGN_MAX, size is 0, size does not fit in the
 * current chunk and is above PV__CHAIN_REQ_MAX, or the source failed. */
void *pv_stack_alloc_aligned(pv_stack *s, size_t size, size_t align);

/* Free the most recent block p of `size` bytes. Returns true iff it was
 * reclaimed: it ends at the top of the current chunk and was allocated since
 * the innermost push (or no frame is open). Returns false, changing nothing,
 * for NULL s or p, size 0, a block allocated before the innermost push, or
 * any other block (a defined no-op: the block goes with its frame). */
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
size_t pv_stack_depth(const pv_stack *s);

/* Statistics (all zero for NULL s). */
void pv_stack_stats(const pv_stack *s, pv_stats *out);

#if defined(__GNUC__) || defined(__clang__)
/* Pop at scope exit. */
static inline void pv__stack_scope_end(pv_stack_frame *f)
{
    (void)pv_stack_pop(f->owner, *f);
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
    pv_stack_frame PV__CAT(pv__scope_, __LINE__) __attribute__((cleanup(pv__stack_scope_end),      \
                                                                unused)) = pv_stack_push(s)
#endif

#ifdef __cplusplus
}
#endif

#endif /* PV_STACK_H */
