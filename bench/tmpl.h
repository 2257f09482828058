/* SPDX-License-Identifier: MIT */
/*
 * provalloc benchmarks: the workloads, written once and instantiated for
 * every allocator (C and C++), so that each allocator's fast path is inlined
 * into the same loop. See bench/README.md for what each workload is.
 *
 * An allocator P provides, as static inline functions or macros:
 *   P_t                      its state (a pool, or nothing for malloc-likes)
 *   P_init(P_t *), P_fini(P_t *)        create / destroy
 *   P_alloc(P_t *, size_t) -> void *
 *   P_free(P_t *, void *, size_t)       (when P_CAN_FREE)
 *   P_reset(P_t *)           release every block, keep the memory (warm passes)
 *   P_reserved(P_t *) -> size_t         bytes held from below (0: unknown)
 *   P_LIST                   1 when blocks must be freed one by one: the loop
 *                            links live blocks through their second word
 * and, for the stack scenario, P_f, P_push, P_salloc, P_pop.
 */
#ifndef BENCH_TMPL_H
#define BENCH_TMPL_H

#include <stddef.h>
#include <stdint.h>

#define SMALL_SZ 24u
#define BIG_SZ 240u
#define HUGE_SZ 8305u
#define FIFO_K 1024u       /* slots of the FIFO scenario */
#define TAB_MASK 65535u    /* size / index tables are 65536 entries */
#define STACK_DEPTH 64

#define NOINLINE __attribute__((noinline))
#define ALWAYS static inline __attribute__((always_inline))
#define MAYBE_UNUSED __attribute__((unused))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* The object is touched as in the seed; the asm makes the store observable
 * (no dead-store elimination) without clobbering anything else. */
#define TOUCH(o)                                                                                  \
    do {                                                                                          \
        *(long *)(o) = 1;                                                                         \
        __asm__ volatile("" : : "m"(*(long *)(o)));                                               \
    } while (0)

#define LINK(P, o, head)                                                                          \
    do {                                                                                          \
        if (P##_LIST) {                                                                           \
            ((void **)(o))[1] = (head);                                                           \
            (head) = (o);                                                                         \
        }                                                                                         \
    } while (0)

#ifdef __cplusplus
extern "C" {
#endif
void bench_die(const char *what);
extern uint16_t bench_sizes[TAB_MASK + 1]; /* 16 .. 264 */
extern uint16_t bench_slots[TAB_MASK + 1]; /* 0 .. FIFO_K-1 */
#ifdef __cplusplus
}
#endif

/* Stack scenario sizes: 16 .. 256 by depth. */
#define STACK_SZ(d) ((size_t)(16u + 16u * ((unsigned)(d) & 15u)))

/* ---- region workloads ---------------------------------------------------- */
#define DEFINE_REGION(P)                                                                          \
    ALWAYS void *P##_fill(P##_t *c, long n, size_t sz, int wfree)                                 \
    {                                                                                             \
        void *head = NULL;                                                                        \
        long i;                                                                                   \
        for (i = 0; i < n; i++) {                                                                 \
            void *o = P##_alloc(c, sz);                                                           \
            if (UNLIKELY(o == NULL))                                                              \
                bench_die(#P);                                                                    \
            TOUCH(o);                                                                             \
            if (wfree && UNLIKELY(!(i & 3))) {                                                    \
                P##_free(c, o, sz);                                                               \
            } else {                                                                              \
                LINK(P, o, head);                                                                 \
            }                                                                                     \
        }                                                                                         \
        return head;                                                                              \
    }                                                                                             \
    static NOINLINE void *P##_wl_small(void *c, long n) { return P##_fill((P##_t *)c, n, SMALL_SZ, 0); } \
    static NOINLINE void *P##_wl_big(void *c, long n) { return P##_fill((P##_t *)c, n * (long)SMALL_SZ / (long)BIG_SZ, BIG_SZ, 0); } \
    static NOINLINE void *P##_wl_smallf(void *c, long n)                                          \
    {                                                                                             \
        return P##_CAN_FREE ? P##_fill((P##_t *)c, n, SMALL_SZ, 1) : NULL;                                 \
    }                                                                                             \
    static NOINLINE void *P##_wl_bigf(void *c, long n)                                            \
    {                                                                                             \
        return P##_CAN_FREE ? P##_fill((P##_t *)c, n * (long)SMALL_SZ / (long)BIG_SZ, BIG_SZ, 1) : NULL;                                   \
    }                                                                                             \
    /* Mix: every iteration allocates; Big and Huge are freed at once when the                    \
     * allocator can free. */                                                                     \
    static NOINLINE void *P##_wl_mix(void *cv, long n)                                             \
    {                                                                                             \
        P##_t *c = (P##_t *)cv;                                                                   \
        void *head = NULL;                                                                        \
        long i;                                                                                   \
        for (i = 0; i < n; i++) {                                                                 \
            void *o;                                                                              \
            if (UNLIKELY(!(i & 3))) {                                                             \
                size_t sz = UNLIKELY(!(i & 0xfff)) ? HUGE_SZ : BIG_SZ;                            \
                o = P##_alloc(c, sz);                                                             \
                if (UNLIKELY(o == NULL))                                                          \
                    bench_die(#P);                                                                \
                TOUCH(o);                                                                         \
                if (P##_CAN_FREE) {                                                               \
                    P##_free(c, o, sz);                                                           \
                }                                                                                 \
            } else {                                                                              \
                o = P##_alloc(c, SMALL_SZ);                                                       \
                if (UNLIKELY(o == NULL))                                                          \
                    bench_die(#P);                                                                \
                TOUCH(o);                                                                         \
                LINK(P, o, head);                                                                 \
            }                                                                                     \
        }                                                                                         \
        return head;                                                                              \
    }                                                                                             \
    /* cr. & destr.: n/100 pools of 100 allocations (Big when !(j & 3)). */                       \
    static NOINLINE void *P##_wl_crd(void *unused, long n)                                        \
    {                                                                                             \
        long i;                                                                                   \
        (void)unused;                                                                             \
        for (i = 0; i < n / 100; i++) {                                                           \
            P##_t c;                                                                              \
            void *head = NULL;                                                                    \
            int j;                                                                                \
            P##_init(&c);                                                                         \
            for (j = 0; j < 100; j++) {                                                           \
                void *o;                                                                          \
                if (UNLIKELY(!(j & 3))) {                                                         \
                    o = P##_alloc(&c, BIG_SZ);                                                    \
                } else {                                                                          \
                    o = P##_alloc(&c, SMALL_SZ);                                                  \
                }                                                                                 \
                if (UNLIKELY(o == NULL))                                                          \
                    bench_die(#P);                                                                \
                TOUCH(o);                                                                         \
                LINK(P, o, head);                                                                 \
            }                                                                                     \
            if (P##_LIST) {                                                                       \
                P##_free_list(&c, head, 0);                                                       \
            }                                                                                     \
            P##_fini(&c);                                                                         \
        }                                                                                         \
        return NULL;                                                                              \
    }

/* Free a list of live blocks (sizes: Small unless noted by the caller). The
 * size is passed to sized-free APIs; every listed block of a list built by
 * the region loops has the size given here, except in cr. & destr. where
 * blocks alternate and size 0 means "look at the position". */
#define DEFINE_FREE_LIST(P)                                                                       \
    static void P##_free_list(P##_t *c, void *head, size_t sz)                                    \
    {                                                                                             \
        long k = 0;                                                                               \
        /* cr. & destr. lists are newest first: index j = 99 - k */                               \
        while (head != NULL) {                                                                    \
            void *next = ((void **)head)[1];                                                      \
            size_t s = sz != 0u ? sz : (!((99 - k) & 3) ? BIG_SZ : SMALL_SZ);                     \
            P##_free(c, head, s);                                                                 \
            head = next;                                                                          \
            k++;                                                                                  \
        }                                                                                         \
    }

/* ---- FIFO scenario ------------------------------------------------------- */
#define DEFINE_FIFO(P)                                                                            \
    static NOINLINE void *P##_wl_fifo1(void *cv, long n)                                           \
    {                                                                                             \
        P##_t *c = (P##_t *)cv;                                                                   \
        long i;                                                                                   \
        for (i = 0; i < n; i++) {                                                                 \
            size_t sz = bench_sizes[i & TAB_MASK];                                                \
            void *o = P##_alloc(c, sz);                                                           \
            if (UNLIKELY(o == NULL))                                                              \
                bench_die(#P);                                                                    \
            TOUCH(o);                                                                             \
            P##_free(c, o, sz);                                                                   \
        }                                                                                         \
        return NULL;                                                                              \
    }                                                                                             \
    ALWAYS void P##_ring(P##_t *c, long n, void **slot, uint16_t *ssz, int rnd)                   \
    {                                                                                             \
        long i;                                                                                   \
        for (i = 0; i < n; i++) {                                                                 \
            unsigned k = rnd ? bench_slots[i & TAB_MASK] : (unsigned)(i & (FIFO_K - 1u));         \
            size_t sz = bench_sizes[i & TAB_MASK];                                                \
            void *o;                                                                              \
            if (slot[k] != NULL) {                                                                \
                P##_free(c, slot[k], ssz[k]);                                                     \
            }                                                                                     \
            o = P##_alloc(c, sz);                                                                 \
            if (UNLIKELY(o == NULL))                                                              \
                bench_die(#P);                                                                    \
            TOUCH(o);                                                                             \
            slot[k] = o;                                                                          \
            ssz[k] = (uint16_t)sz;                                                                \
        }                                                                                         \
    }                                                                                             \
    static NOINLINE void P##_wl_fifo2(void *c, long n, void **slot, uint16_t *ssz)                 \
    {                                                                                             \
        P##_ring((P##_t *)c, n, slot, ssz, 0);                                                             \
    }                                                                                             \
    static NOINLINE void P##_wl_fifo3(void *c, long n, void **slot, uint16_t *ssz)                 \
    {                                                                                             \
        P##_ring((P##_t *)c, n, slot, ssz, 1);                                                             \
    }

/* ---- stack scenario ------------------------------------------------------ */
#define DEFINE_STACK(P)                                                                           \
    static NOINLINE void P##_rec(P##_t *c, int d)                                                 \
    {                                                                                             \
        P##_f f;                                                                                  \
        size_t s1 = STACK_SZ(d), s2 = STACK_SZ(d + 7);                                            \
        void *a;                                                                                  \
        void *b;                                                                                  \
        P##_push(c, &f);                                                                          \
        a = P##_salloc(c, &f, s1);                                                                \
        if (UNLIKELY(a == NULL))                                                                  \
            bench_die(#P);                                                                        \
        TOUCH(a);                                                                                 \
        if (d > 1) {                                                                              \
            P##_rec(c, d - 1);                                                                    \
        }                                                                                         \
        b = P##_salloc(c, &f, s2);                                                                \
        if (UNLIKELY(b == NULL))                                                                  \
            bench_die(#P);                                                                        \
        TOUCH(b);                                                                                 \
        P##_pop(c, &f, a, s1, b, s2);                                                             \
    }                                                                                             \
    static NOINLINE void *P##_wl_stack(void *c, long n)                                           \
    {                                                                                             \
        long r;                                                                                   \
        for (r = 0; r < n / (2 * STACK_DEPTH); r++) {                                             \
            P##_rec((P##_t *)c, STACK_DEPTH);                                                              \
        }                                                                                         \
        return NULL;                                                                              \
    }

#endif /* BENCH_TMPL_H */

/* ---- descriptors the harness drives ---------------------------------------- */
#ifndef BENCH_DESC_DONE
#define BENCH_DESC_DONE
#ifdef __cplusplus
extern "C" {
#endif
typedef void *(*wl_fn)(void *, long);
typedef void (*ring_fn)(void *, long, void **, uint16_t *);

/* State operations of one allocator for one scenario. */
typedef struct bench_ops {
    size_t size;
    void (*init)(void *);
    void (*fini)(void *);
    void (*reset)(void *);
    size_t (*reserved)(void *);
    void (*free_list)(void *, void *, size_t); /* NULL: nothing to free one by one */
    void (*free1)(void *, void *, size_t);
} bench_ops;

enum { CAP_REG = 1, CAP_FREE = 2, CAP_FIFO = 4, CAP_STACK = 8, CAP_FRAME = 16 };

typedef struct bench_peer {
    const char *name;
    unsigned caps;
    void (*setup)(void); /* once per process, before first use */
    void (*trim)(void);  /* hand cached memory back before the next peer */
    const bench_ops *reg, *fifo, *stack;
    wl_fn region[6];     /* small, smallf, big, bigf, mix, crd */
    size_t (*crd_reserved)(void);
    wl_fn fifo1;
    ring_fn fifo2, fifo3;
    wl_fn stack_wl;
    wl_fn frame_wl;      /* push + pop of an empty frame */
} bench_peer;
#ifdef __cplusplus
}
#endif
#endif

#define DEFINE_OPS(P, LISTFN)                                                                     \
    static void P##_o_init(void *c) { P##_init((P##_t *)c); }                                     \
    static void P##_o_fini(void *c) { P##_fini((P##_t *)c); }                                     \
    static void P##_o_reset(void *c) { P##_reset((P##_t *)c); }                                   \
    static size_t P##_o_reserved(void *c) { return P##_reserved((P##_t *)c); }                   \
    MAYBE_UNUSED static void P##_o_free_list(void *c, void *h, size_t sz) { P##_free_list((P##_t *)c, h, sz); } \
    static void P##_o_free1(void *c, void *p, size_t sz) { P##_free((P##_t *)c, p, sz); }         \
    static const bench_ops P##_ops = { sizeof(P##_t), P##_o_init, P##_o_fini, P##_o_reset,        \
                                       P##_o_reserved, LISTFN, P##_o_free1 };

/* Bytes reserved by one cr. & destr. pool after its 100 allocations. */
#define DEFINE_CRD_RESERVED(P)                                                                    \
    MAYBE_UNUSED static size_t P##_crd_reserved(void)                                                       \
    {                                                                                             \
        P##_t c;                                                                                  \
        int j;                                                                                    \
        size_t r;                                                                                 \
        void *head = NULL;                                                                        \
        P##_init(&c);                                                                             \
        for (j = 0; j < 100; j++) {                                                               \
            void *o = P##_alloc(&c, !(j & 3) ? BIG_SZ : SMALL_SZ);                                \
            TOUCH(o);                                                                             \
            LINK(P, o, head);                                                                     \
        }                                                                                         \
        r = P##_reserved(&c);                                                                     \
        if (P##_LIST) {                                                                           \
            P##_free_list(&c, head, 0);                                                           \
        }                                                                                         \
        P##_fini(&c);                                                                             \
        return r;                                                                                 \
    }

#define DEFINE_FRAME(P)                                                                           \
    static NOINLINE void *P##_wl_frame(void *cv, long n)                                          \
    {                                                                                             \
        P##_t *c = (P##_t *)cv;                                                                   \
        long i;                                                                                   \
        for (i = 0; i < n; i++) {                                                                 \
            P##_f f;                                                                              \
            P##_push(c, &f);                                                                      \
            __asm__ volatile("" : : "m"(f));                                                      \
            P##_pop(c, &f, NULL, 0, NULL, 0);                                                     \
        }                                                                                         \
        return NULL;                                                                              \
    }

/* Everything for a general allocator: region workloads, FIFO, stack. */
#define DEFINE_ALL(P)                                                                             \
    DEFINE_FREE_LIST(P)                                                                           \
    DEFINE_REGION(P)                                                                              \
    DEFINE_CRD_RESERVED(P)                                                                        \
    DEFINE_OPS(P, P##_LIST ? P##_o_free_list : NULL)
#define REGION_FNS(P)                                                                             \
    { P##_wl_small, P##_wl_smallf, P##_wl_big, P##_wl_bigf, P##_wl_mix, P##_wl_crd }
