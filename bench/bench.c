/* SPDX-License-Identifier: MIT */
/*
 * provalloc benchmarks: every workload for provalloc and every peer, in one
 * process (warm) or one fresh process per run (cold). See bench/README.md.
 *
 *   bench list                          workload/peer pairs, one a line
 *   bench run W P N PASSES MODE         one pair; MODE cold | warm | cg
 *   bench all N PASSES [PEER...]        every pair warm, in this process
 *   bench cycles                        prints nothing; for `perf stat` use
 *
 * Output: one line per run,
 *   R workload peer mode n ops med_ns min_ns max_ns reserved requested maxrss_kb
 * with times in ns per operation.
 *
 * jemalloc, tcmalloc and mimalloc each export malloc/free: linked normally,
 * the first of them would replace malloc for the whole process (glibc,
 * APR, talloc, GLib, boost and provalloc's malloc source included). So they
 * are reached only through their own entry points: tcmalloc and mimalloc are
 * dlopen'ed RTLD_LOCAL (their malloc never enters the global scope), and
 * jemalloc, whose initial-exec TLS cannot be dlopen'ed, is linked from its
 * static archive with its malloc family made local symbols (mk/bench.mk).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <malloc.h>
#include <obstack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <alloca.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <glib.h>
#include <talloc.h>
#include <valgrind/callgrind.h>

#include "provalloc.h"
#include "tmpl.h"

uint16_t bench_sizes[TAB_MASK + 1];
uint16_t bench_slots[TAB_MASK + 1];

void bench_die(const char *what)
{
    fprintf(stderr, "bench: allocation failed in %s\n", what);
    exit(2);
}

static void *need_sym(void *h, const char *lib, const char *name)
{
    void *f = h != NULL ? dlsym(h, name) : NULL;
    if (f == NULL) {
        fprintf(stderr, "bench: %s: %s missing (%s)\n", lib, name, dlerror());
        exit(3);
    }
    return f;
}

static void *need_lib(const char *lib)
{
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "bench: cannot load %s: %s\n", lib, dlerror());
        exit(3);
    }
    return h;
}

/* =========================================================================
 * ideal: a bump pointer with no checks over one buffer (mmap'ed per process,
 * faulted in by the first pass), the physical reference.
 * ========================================================================= */
static char *ideal_buf;
static size_t ideal_len;
typedef struct { char *p; } ideal_t;
typedef struct { char *mark; } ideal_f;
#define ideal_LIST 0
#define ideal_CAN_FREE 1
static void ideal_need(size_t len)
{
    if (ideal_buf != NULL && ideal_len >= len) {
        return;
    }
    if (ideal_buf != NULL) {
        munmap(ideal_buf, ideal_len);
    }
    ideal_len = len;
    ideal_buf = (char *)mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ideal_buf == MAP_FAILED) {
        bench_die("ideal mmap");
    }
}
ALWAYS void ideal_init(ideal_t *c) { c->p = ideal_buf; }
ALWAYS void ideal_fini(ideal_t *c) { (void)c; }
ALWAYS void ideal_reset(ideal_t *c) { c->p = ideal_buf; }
ALWAYS size_t ideal_reserved(ideal_t *c) { return (size_t)(c->p - ideal_buf); }
ALWAYS void *ideal_alloc(ideal_t *c, size_t n)
{
    char *o = c->p;
    c->p = o + ((n + 7u) & ~(size_t)7u);
    return o;
}
ALWAYS void ideal_free(ideal_t *c, void *o, size_t n) { (void)n; c->p = (char *)o; }
ALWAYS void ideal_push(ideal_t *c, ideal_f *f) { f->mark = c->p; }
ALWAYS void *ideal_salloc(ideal_t *c, ideal_f *f, size_t n) { (void)f; return ideal_alloc(c, n); }
ALWAYS void ideal_pop(ideal_t *c, ideal_f *f, void *a, size_t na, void *b, size_t nb)
{
    (void)a; (void)na; (void)b; (void)nb;
    c->p = f->mark;
}
DEFINE_ALL(ideal)
DEFINE_STACK(ideal)
DEFINE_FRAME(ideal)

/* =========================================================================
 * provalloc: region (pvr), FIFO (pvf), stack (pvs); malloc source.
 * ========================================================================= */
typedef pv_region pvr_t;
#define pvr_LIST 0
#define pvr_CAN_FREE 1
ALWAYS void pvr_init(pvr_t *c) { (void)pv_region_init(c, NULL); }
ALWAYS void pvr_fini(pvr_t *c) { pv_region_destroy(c); }
ALWAYS void pvr_reset(pvr_t *c) { pv_region_reset(c); }
ALWAYS size_t pvr_reserved(pvr_t *c) { pv_stats s; pv_region_stats(c, &s); return s.reserved; }
ALWAYS void *pvr_alloc(pvr_t *c, size_t n) { return pv_region_alloc(c, n); }
ALWAYS void pvr_free(pvr_t *c, void *p, size_t n) { (void)pv_region_free(c, p, n); }
DEFINE_ALL(pvr)

typedef pv_fifo pvf_t;
#define pvf_LIST 0
#define pvf_CAN_FREE 1
ALWAYS void pvf_init(pvf_t *c) { (void)pv_fifo_init(c, NULL); }
ALWAYS void pvf_fini(pvf_t *c) { pv_fifo_destroy(c); }
ALWAYS void pvf_reset(pvf_t *c) { (void)c; }
ALWAYS size_t pvf_reserved(pvf_t *c) { pv_stats s; pv_fifo_stats(c, &s); return s.reserved; }
ALWAYS void *pvf_alloc(pvf_t *c, size_t n) { return pv_fifo_alloc(c, n); }
ALWAYS void pvf_free(pvf_t *c, void *p, size_t n) { (void)n; pv_fifo_free(c, p); }
DEFINE_FREE_LIST(pvf)
DEFINE_FIFO(pvf)
DEFINE_OPS(pvf, NULL)

typedef pv_stack pvs_t;
typedef pv_stack_frame pvs_f;
#define pvs_LIST 0
#define pvs_CAN_FREE 1
ALWAYS void pvs_init(pvs_t *c) { (void)pv_stack_init(c, NULL); }
ALWAYS void pvs_fini(pvs_t *c) { pv_stack_destroy(c); }
ALWAYS void pvs_reset(pvs_t *c) { pv_stack_reset(c); }
ALWAYS size_t pvs_reserved(pvs_t *c) { pv_stats s; pv_stack_stats(c, &s); return s.reserved; }
ALWAYS void pvs_free(pvs_t *c, void *p, size_t n) { (void)pv_stack_free(c, p, n); }
ALWAYS void pvs_push(pvs_t *c, pvs_f *f) { *f = pv_stack_push(c); }
ALWAYS void *pvs_salloc(pvs_t *c, pvs_f *f, size_t n) { (void)f; return pv_stack_alloc(c, n); }
ALWAYS void pvs_pop(pvs_t *c, pvs_f *f, void *a, size_t na, void *b, size_t nb)
{
    (void)a; (void)na; (void)b; (void)nb;
    (void)pv_stack_pop(c, *f);
}
DEFINE_FREE_LIST(pvs)
DEFINE_STACK(pvs)
DEFINE_FRAME(pvs)
DEFINE_OPS(pvs, NULL)

/* =========================================================================
 * malloc-like peers: no pool; live blocks are linked and freed one by one
 * outside the timed loop (inside it for cr. & destr.).
 * ========================================================================= */
typedef struct { int unused; } mnone_t;
typedef struct { int unused; } mnone_f;
#define MALLOC_LIKE(P, ALLOC, FREE)                                                               \
    typedef mnone_t P##_t;                                                                        \
    typedef mnone_f P##_f;                                                                        \
    enum { P##_LIST = 1, P##_CAN_FREE = 1 };                                                      \
    ALWAYS void P##_init(P##_t *c) { (void)c; }                                                   \
    ALWAYS void P##_fini(P##_t *c) { (void)c; }                                                   \
    ALWAYS void P##_reset(P##_t *c) { (void)c; }                                                  \
    ALWAYS size_t P##_reserved(P##_t *c) { (void)c; return 0u; }                                  \
    ALWAYS void *P##_alloc(P##_t *c, size_t n) { (void)c; return ALLOC; }                         \
    ALWAYS void P##_free(P##_t *c, void *p, size_t n) { (void)c; (void)n; FREE; }                 \
    ALWAYS void P##_push(P##_t *c, P##_f *f) { (void)c; (void)f; }                                \
    ALWAYS void *P##_salloc(P##_t *c, P##_f *f, size_t n) { (void)f; return P##_alloc(c, n); }   \
    ALWAYS void P##_pop(P##_t *c, P##_f *f, void *a, size_t na, void *b, size_t nb)               \
    {                                                                                             \
        (void)f;                                                                                  \
        P##_free(c, b, nb);                                                                       \
        P##_free(c, a, na);                                                                       \
    }                                                                                             \
    DEFINE_ALL(P)                                                                                 \
    DEFINE_FIFO(P)                                                                                \
    DEFINE_STACK(P)

/* glibc */
MALLOC_LIKE(glibc, malloc(n), free(p))
static void glibc_trim(void) { malloc_trim(0); }

/* jemalloc: its malloc renamed bje_malloc (see mk/bench.mk), sized free sdallocx */
void *bje_malloc(size_t size);
void sdallocx(void *ptr, size_t size, int flags);
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
MALLOC_LIKE(jem, bje_malloc(n), sdallocx(p, n, 0))
static void jem_trim(void) { (void)mallctl("arena.4096.purge", NULL, NULL, NULL, 0); }

/* tcmalloc (gperftools, minimal): tc_malloc / tc_free_sized via dlopen */
static void *(*tc_malloc_p)(size_t);
static void (*tc_free_sized_p)(void *, size_t);
static void (*tc_release_p)(void);
MALLOC_LIKE(tcm, tc_malloc_p(n), tc_free_sized_p(p, n))
static void tcm_setup(void)
{
    void *h = need_lib("libtcmalloc_minimal.so.4");
    *(void **)&tc_malloc_p = need_sym(h, "tcmalloc", "tc_malloc");
    *(void **)&tc_free_sized_p = need_sym(h, "tcmalloc", "tc_free_sized");
    *(void **)&tc_release_p = need_sym(h, "tcmalloc", "MallocExtension_ReleaseFreeMemory");
}
static void tcm_trim(void) { tc_release_p(); }

/* mimalloc: mi_malloc / mi_free_size, and its heaps, via dlopen */
typedef struct mi_heap_s mi_heap_t;
static void *(*mi_malloc_p)(size_t);
static void (*mi_free_size_p)(void *, size_t);
static void (*mi_free_p)(void *);
static mi_heap_t *(*mi_heap_new_p)(void);
static void *(*mi_heap_malloc_p)(mi_heap_t *, size_t);
static void (*mi_heap_destroy_p)(mi_heap_t *);
static void (*mi_collect_p)(_Bool);
MALLOC_LIKE(mim, mi_malloc_p(n), mi_free_size_p(p, n))
static void mim_setup(void)
{
    static int done;
    void *h;
    if (done++) {
        return;
    }
    h = need_lib("libmimalloc.so.2");
    *(void **)&mi_malloc_p = need_sym(h, "mimalloc", "mi_malloc");
    *(void **)&mi_free_size_p = need_sym(h, "mimalloc", "mi_free_size");
    *(void **)&mi_free_p = need_sym(h, "mimalloc", "mi_free");
    *(void **)&mi_heap_new_p = need_sym(h, "mimalloc", "mi_heap_new");
    *(void **)&mi_heap_malloc_p = need_sym(h, "mimalloc", "mi_heap_malloc");
    *(void **)&mi_heap_destroy_p = need_sym(h, "mimalloc", "mi_heap_destroy");
    *(void **)&mi_collect_p = need_sym(h, "mimalloc", "mi_collect");
}
static void mim_trim(void) { mi_collect_p(1); }

/* mimalloc heaps: mi_heap_new, mi_heap_malloc, mi_free, mi_heap_destroy */
typedef struct { mi_heap_t *h; } mih_t;
#define mih_LIST 0
#define mih_CAN_FREE 1
ALWAYS void mih_init(mih_t *c) { c->h = mi_heap_new_p(); }
ALWAYS void mih_fini(mih_t *c) { mi_heap_destroy_p(c->h); }
ALWAYS void mih_reset(mih_t *c) { mi_heap_destroy_p(c->h); c->h = mi_heap_new_p(); }
ALWAYS size_t mih_reserved(mih_t *c) { (void)c; return 0u; }
ALWAYS void *mih_alloc(mih_t *c, size_t n) { return mi_heap_malloc_p(c->h, n); }
ALWAYS void mih_free(mih_t *c, void *p, size_t n) { (void)c; (void)n; mi_free_p(p); }
DEFINE_ALL(mih)

/* GLib slices */
MALLOC_LIKE(gsl, g_slice_alloc(n), g_slice_free1(n, p))

/* =========================================================================
 * APR pools: no single free; sub-pools for the stack scenario.
 * ========================================================================= */
typedef struct { apr_pool_t *p; } apr_t;
typedef struct { apr_pool_t *sub; } apr_f;
#define apr_LIST 0
#define apr_CAN_FREE 0
static void apr_setup(void) { apr_initialize(); }
ALWAYS void apr_init(apr_t *c) { if (apr_pool_create(&c->p, NULL) != APR_SUCCESS) bench_die("apr"); }
ALWAYS void apr_fini(apr_t *c) { apr_pool_destroy(c->p); }
ALWAYS void apr_reset(apr_t *c) { apr_pool_clear(c->p); }
ALWAYS size_t apr_reserved(apr_t *c) { (void)c; return 0u; }
ALWAYS void *apr_alloc(apr_t *c, size_t n) { return apr_palloc(c->p, n); }
ALWAYS void apr_free(apr_t *c, void *p, size_t n) { (void)c; (void)p; (void)n; }
ALWAYS void apr_push(apr_t *c, apr_f *f) { if (apr_pool_create(&f->sub, c->p) != APR_SUCCESS) bench_die("apr"); }
ALWAYS void *apr_salloc(apr_t *c, apr_f *f, size_t n) { (void)c; return apr_palloc(f->sub, n); }
ALWAYS void apr_pop(apr_t *c, apr_f *f, void *a, size_t na, void *b, size_t nb)
{
    (void)c; (void)a; (void)na; (void)b; (void)nb;
    apr_pool_destroy(f->sub);
}
DEFINE_ALL(apr)
DEFINE_STACK(apr)

/* =========================================================================
 * talloc: one context per pool, child contexts for the stack scenario.
 * ========================================================================= */
typedef struct { void *ctx; } tal_t;
typedef struct { void *sub; } tal_f;
#define tal_LIST 0
#define tal_CAN_FREE 1
ALWAYS void tal_init(tal_t *c) { c->ctx = talloc_new(NULL); }
ALWAYS void tal_fini(tal_t *c) { talloc_free(c->ctx); }
ALWAYS void tal_reset(tal_t *c) { talloc_free_children(c->ctx); }
ALWAYS size_t tal_reserved(tal_t *c) { (void)c; return 0u; }
ALWAYS void *tal_alloc(tal_t *c, size_t n) { return talloc_size(c->ctx, n); }
ALWAYS void tal_free(tal_t *c, void *p, size_t n) { (void)c; (void)n; talloc_free(p); }
ALWAYS void tal_push(tal_t *c, tal_f *f) { f->sub = talloc_new(c->ctx); }
ALWAYS void *tal_salloc(tal_t *c, tal_f *f, size_t n) { (void)c; return talloc_size(f->sub, n); }
ALWAYS void tal_pop(tal_t *c, tal_f *f, void *a, size_t na, void *b, size_t nb)
{
    (void)c; (void)a; (void)na; (void)b; (void)nb;
    talloc_free(f->sub);
}
DEFINE_ALL(tal)
DEFINE_FIFO(tal)
DEFINE_STACK(tal)

/* =========================================================================
 * glibc obstack: a region whose free releases the object and all later
 * ones; the stack frame is freed at its first object.
 * ========================================================================= */
#define obstack_chunk_alloc malloc
#define obstack_chunk_free free
typedef struct { struct obstack ob; void *mark; } obs_t;
typedef struct { int unused; } obs_f;
#define obs_LIST 0
#define obs_CAN_FREE 1
ALWAYS void obs_init(obs_t *c) { obstack_init(&c->ob); c->mark = obstack_alloc(&c->ob, 1); }
ALWAYS void obs_fini(obs_t *c) { obstack_free(&c->ob, NULL); }
ALWAYS void obs_reset(obs_t *c) { obstack_free(&c->ob, c->mark); c->mark = obstack_alloc(&c->ob, 1); }
ALWAYS size_t obs_reserved(obs_t *c) { (void)c; return 0u; }
ALWAYS void *obs_alloc(obs_t *c, size_t n) { return obstack_alloc(&c->ob, n); }
ALWAYS void obs_free(obs_t *c, void *p, size_t n) { (void)n; obstack_free(&c->ob, p); }
ALWAYS void obs_push(obs_t *c, obs_f *f) { (void)c; (void)f; }
ALWAYS void *obs_salloc(obs_t *c, obs_f *f, size_t n) { (void)f; return obstack_alloc(&c->ob, n); }
ALWAYS void obs_pop(obs_t *c, obs_f *f, void *a, size_t na, void *b, size_t nb)
{
    (void)f; (void)na; (void)b; (void)nb;
    obstack_free(&c->ob, a);
}
DEFINE_ALL(obs)
DEFINE_STACK(obs)

/* =========================================================================
 * alloca: the stack scenario only, written out (alloca must be in the frame).
 * ========================================================================= */
typedef struct { int unused; } alc_t;
ALWAYS void alc_init(alc_t *c) { (void)c; }
ALWAYS void alc_fini(alc_t *c) { (void)c; }
ALWAYS void alc_reset(alc_t *c) { (void)c; }
ALWAYS size_t alc_reserved(alc_t *c) { (void)c; return 0u; }
ALWAYS void alc_free(alc_t *c, void *p, size_t n) { (void)c; (void)p; (void)n; }
#define alc_LIST 0
DEFINE_FREE_LIST(alc)
DEFINE_OPS(alc, NULL)
static NOINLINE void alc_rec(int d)
{
    size_t s1 = STACK_SZ(d), s2 = STACK_SZ(d + 7);
    void *a = alloca(s1);
    void *b;
    TOUCH(a);
    if (d > 1) {
        alc_rec(d - 1);
    }
    b = alloca(s2);
    TOUCH(b);
}
static NOINLINE void *alc_wl_stack(void *c, long n)
{
    long r;
    (void)c;
    for (r = 0; r < n / (2 * STACK_DEPTH); r++) {
        alc_rec(STACK_DEPTH);
    }
    return NULL;
}

/* boost::object_pool lives in bench_boost.cpp */
extern const bench_peer boost_peer;

#define NO_REGION { NULL, NULL, NULL, NULL, NULL, NULL }
static const bench_peer peers[] = {
    { "ideal", CAP_REG | CAP_FREE | CAP_STACK | CAP_FRAME, NULL, NULL, &ideal_ops, NULL, &ideal_ops,
      REGION_FNS(ideal), ideal_crd_reserved, NULL, NULL, NULL, ideal_wl_stack, ideal_wl_frame },
    { "provalloc", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK | CAP_FRAME, NULL, NULL, &pvr_ops, &pvf_ops,
      &pvs_ops, REGION_FNS(pvr), pvr_crd_reserved, pvf_wl_fifo1, pvf_wl_fifo2, pvf_wl_fifo3,
      pvs_wl_stack, pvs_wl_frame },
    { "glibc", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK, NULL, glibc_trim, &glibc_ops, &glibc_ops,
      &glibc_ops, REGION_FNS(glibc), NULL, glibc_wl_fifo1, glibc_wl_fifo2, glibc_wl_fifo3,
      glibc_wl_stack, NULL },
    { "jemalloc", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK, NULL, jem_trim, &jem_ops, &jem_ops,
      &jem_ops, REGION_FNS(jem), NULL, jem_wl_fifo1, jem_wl_fifo2, jem_wl_fifo3, jem_wl_stack, NULL },
    { "tcmalloc", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK, tcm_setup, tcm_trim, &tcm_ops, &tcm_ops,
      &tcm_ops, REGION_FNS(tcm), NULL, tcm_wl_fifo1, tcm_wl_fifo2, tcm_wl_fifo3, tcm_wl_stack, NULL },
    { "mimalloc", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK, mim_setup, mim_trim, &mim_ops, &mim_ops,
      &mim_ops, REGION_FNS(mim), NULL, mim_wl_fifo1, mim_wl_fifo2, mim_wl_fifo3, mim_wl_stack, NULL },
    { "mi_heap", CAP_REG | CAP_FREE, mim_setup, mim_trim, &mih_ops, NULL, NULL, REGION_FNS(mih), NULL,
      NULL, NULL, NULL, NULL, NULL },
    { "g_slice", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK, NULL, glibc_trim, &gsl_ops, &gsl_ops,
      &gsl_ops, REGION_FNS(gsl), NULL, gsl_wl_fifo1, gsl_wl_fifo2, gsl_wl_fifo3, gsl_wl_stack, NULL },
    { "apr", CAP_REG | CAP_STACK, apr_setup, glibc_trim, &apr_ops, NULL, &apr_ops, REGION_FNS(apr),
      NULL, NULL, NULL, NULL, apr_wl_stack, NULL },
    { "talloc", CAP_REG | CAP_FREE | CAP_FIFO | CAP_STACK, NULL, glibc_trim, &tal_ops, &tal_ops,
      &tal_ops, REGION_FNS(tal), NULL, tal_wl_fifo1, tal_wl_fifo2, tal_wl_fifo3, tal_wl_stack, NULL },
    { "obstack", CAP_REG | CAP_FREE | CAP_STACK, NULL, glibc_trim, &obs_ops, NULL, &obs_ops,
      REGION_FNS(obs), NULL, NULL, NULL, NULL, obs_wl_stack, NULL },
    { "alloca", CAP_STACK, NULL, NULL, NULL, NULL, &alc_ops, NO_REGION, NULL, NULL, NULL, NULL,
      alc_wl_stack, NULL },
};
#define NPEERS (sizeof peers / sizeof peers[0])

/* ========================================================================= */
enum { W_SMALL, W_SMALLF, W_BIG, W_BIGF, W_MIX, W_CRD, W_FIFO1, W_FIFO2, W_FIFO3, W_STACK, W_FRAME, W_N };
static const char *const wl_names[W_N] = { "small", "small_free", "big", "big_free", "mix", "crd",
                                           "fifo1", "fifo2", "fifo3", "stack", "frame" };

static const bench_peer *const all_peers[] = {
    &peers[0], &peers[1], &peers[2], &peers[3], &peers[4], &peers[5], &peers[6],
    &peers[7], &peers[8], &peers[9], &boost_peer, &peers[10], &peers[11], NULL,
};

static int supports(const bench_peer *p, int w)
{
    switch (w) {
    case W_SMALL: case W_BIG: case W_MIX: case W_CRD:
        return (p->caps & CAP_REG) != 0;
    case W_SMALLF: case W_BIGF:
        return (p->caps & CAP_REG) && (p->caps & CAP_FREE);
    case W_FIFO1: case W_FIFO2: case W_FIFO3:
        return (p->caps & CAP_FIFO) != 0;
    case W_STACK:
        return (p->caps & CAP_STACK) != 0;
    case W_FRAME:
        return (p->caps & CAP_FRAME) != 0;
    }
    return 0;
}

/* Allocations one pass of workload w makes for parameter n. */
static long ops_of(int w, long n)
{
    switch (w) {
    case W_BIG: case W_BIGF: return n * (long)SMALL_SZ / (long)BIG_SZ;
    case W_CRD: return n / 100 * 100;
    case W_STACK: return n / (2 * STACK_DEPTH) * (2 * STACK_DEPTH);
    default: return n;
    }
}

/* Bytes requested and still live at the end of a pass (region workloads). */
static size_t requested_of(int w, long n)
{
    long k = ops_of(w, n);
    switch (w) {
    case W_SMALL: return (size_t)k * SMALL_SZ;
    case W_BIG: return (size_t)k * BIG_SZ;
    case W_SMALLF: return (size_t)(k - (k + 3) / 4) * SMALL_SZ;
    case W_BIGF: return (size_t)(k - (k + 3) / 4) * BIG_SZ;
    case W_MIX: return (size_t)(k - (k + 3) / 4) * SMALL_SZ; /* with Big/Huge freed */
    case W_CRD: return 25u * BIG_SZ + 75u * SMALL_SZ;          /* one pool */
    default: return 0;
    }
}

static size_t list_size_of(int w)
{
    switch (w) {
    case W_BIG: case W_BIGF: return BIG_SZ;
    default: return SMALL_SZ;
    }
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct result {
    double med, min, max;
    size_t reserved, requested;
} result;

static void init_tables(void)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    size_t i;
    for (i = 0; i <= TAB_MASK; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        bench_sizes[i] = (uint16_t)(16u + (unsigned)(x % 249u));
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        bench_slots[i] = (uint16_t)(x % FIFO_K);
    }
}

/* Run pair (w, p): mode 0 cold (one timed pass, nothing before), 1 warm (one
 * untimed pass, then `passes` timed), 2 callgrind (one untimed pass, then one
 * pass with collection on). */
static void run_pair(int w, const bench_peer *p, long n, int passes, int mode, result *res)
{
    const bench_ops *o = (w <= W_CRD) ? p->reg : (w <= W_FIFO3) ? p->fifo : p->stack;
    double t[64];
    int total = mode == 0 ? 1 : 1 + (mode == 2 ? 1 : passes);
    int k, nt = 0;
    long ops = ops_of(w, n);
    void *ctx;
    void **slot = NULL;
    uint16_t *ssz = NULL;

    if (passes > 63) {
        passes = 63;
    }
    memset(res, 0, sizeof *res);
    if (p == &peers[0]) {
        ideal_need((size_t)n * SMALL_SZ + (1u << 20));
    }
    ctx = calloc(1, o->size + 64);
    if (w >= W_FIFO1 && w <= W_FIFO3) {
        slot = (void **)calloc(FIFO_K, sizeof *slot);
        ssz = (uint16_t *)calloc(FIFO_K, sizeof *ssz);
    }
    o->init(ctx);
    for (k = 0; k < total; k++) {
        int timed = (mode == 0) || k > 0;
        void *head = NULL;
        double t0, t1;
        if (mode == 2 && timed) {
            CALLGRIND_TOGGLE_COLLECT;
        }
        t0 = now_ns();
        switch (w) {
        case W_FIFO1: head = p->fifo1(ctx, n); break;
        case W_FIFO2: p->fifo2(ctx, n, slot, ssz); break;
        case W_FIFO3: p->fifo3(ctx, n, slot, ssz); break;
        case W_STACK: head = p->stack_wl(ctx, n); break;
        case W_FRAME: head = p->frame_wl(ctx, n); break;
        default: head = p->region[w](ctx, n); break;
        }
        t1 = now_ns();
        if (mode == 2 && timed) {
            CALLGRIND_TOGGLE_COLLECT;
        }
        if (timed) {
            t[nt++] = (t1 - t0) / (double)ops;
        }
        if (k == total - 1) { /* memory at the end of the last pass */
            res->reserved = o->reserved(ctx);
            res->requested = requested_of(w, n);
            if (slot != NULL) {
                size_t s = 0;
                unsigned j;
                for (j = 0; j < FIFO_K; j++) {
                    s += slot[j] != NULL ? ssz[j] : 0u;
                }
                res->requested = s;
            }
        }
        if (o->free_list != NULL && head != NULL) {
            o->free_list(ctx, head, list_size_of(w));
        }
        if (slot != NULL) {
            unsigned j;
            for (j = 0; j < FIFO_K; j++) {
                if (slot[j] != NULL) {
                    o->free1(ctx, slot[j], ssz[j]);
                    slot[j] = NULL;
                }
            }
        }
        o->reset(ctx);
    }
    o->fini(ctx);
    if (w == W_CRD && p->crd_reserved != NULL) {
        res->reserved = p->crd_reserved();
    }
    free(ctx);
    free(slot);
    free(ssz);
    qsort(t, (size_t)nt, sizeof t[0], cmp_double);
    res->min = t[0];
    res->max = t[nt - 1];
    res->med = (nt & 1) ? t[nt / 2] : (t[nt / 2 - 1] + t[nt / 2]) / 2;
}

static const bench_peer *find_peer(const char *name)
{
    size_t i;
    for (i = 0; all_peers[i] != NULL; i++) {
        if (strcmp(all_peers[i]->name, name) == 0) {
            return all_peers[i];
        }
    }
    return NULL;
}

static int find_wl(const char *name)
{
    int w;
    for (w = 0; w < W_N; w++) {
        if (strcmp(wl_names[w], name) == 0) {
            return w;
        }
    }
    return -1;
}

static void setup_peer(const bench_peer *p)
{
    static const bench_peer *done[NPEERS + 2];
    size_t i;
    for (i = 0; done[i] != NULL; i++) {
        if (done[i] == p) {
            return;
        }
    }
    done[i] = p;
    if (p->setup != NULL) {
        p->setup();
    }
}

static void print_result(int w, const bench_peer *p, const char *mode, long n, const result *r)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("R %s %s %s %ld %ld %.3f %.3f %.3f %zu %zu %ld\n", wl_names[w], p->name, mode, n,
           ops_of(w, n), r->med, r->min, r->max, r->reserved, r->requested, ru.ru_maxrss);
    fflush(stdout);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench list | run W PEER N PASSES cold|warm|cg | all N PASSES [PEER...]\n");
    return 1;
}

int main(int argc, char **argv)
{
    size_t i;
    int w;
    init_tables();
    if (argc < 2) {
        return usage();
    }
    if (strcmp(argv[1], "list") == 0) {
        for (w = 0; w < W_N; w++) {
            for (i = 0; all_peers[i] != NULL; i++) {
                if (supports(all_peers[i], w)) {
                    printf("%s %s\n", wl_names[w], all_peers[i]->name);
                }
            }
        }
        return 0;
    }
    if (strcmp(argv[1], "run") == 0 && argc == 7) {
        const bench_peer *p = find_peer(argv[3]);
        long n = atol(argv[4]);
        int passes = atoi(argv[5]);
        int mode = strcmp(argv[6], "cold") == 0 ? 0 : strcmp(argv[6], "warm") == 0 ? 1 : 2;
        result r;
        w = find_wl(argv[2]);
        if (p == NULL || w < 0 || !supports(p, w) || n < 200 || passes < 1) {
            return usage();
        }
        setup_peer(p);
        run_pair(w, p, n, passes, mode, &r);
        print_result(w, p, argv[6], n, &r);
        return 0;
    }
    if (strcmp(argv[1], "all") == 0 && argc >= 4) {
        long n = atol(argv[2]);
        int passes = atoi(argv[3]);
        if (n < 200 || passes < 1) {
            return usage();
        }
        for (i = 0; all_peers[i] != NULL; i++) {
            const bench_peer *p = all_peers[i];
            int j, sel = argc == 4;
            for (j = 4; j < argc; j++) {
                sel |= strcmp(argv[j], p->name) == 0;
            }
            if (!sel) {
                continue;
            }
            setup_peer(p);
            for (w = 0; w < W_N; w++) {
                result r;
                if (!supports(p, w)) {
                    continue;
                }
                run_pair(w, p, n, passes, 1, &r);
                print_result(w, p, "warm", n, &r);
                if (p->trim != NULL) {
                    p->trim();
                }
            }
        }
        return 0;
    }
    return usage();
}
