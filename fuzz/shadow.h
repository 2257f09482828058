/* SPDX-License-Identifier: MIT */
/*
 * Shared shadow model for the provalloc fuzz harnesses.
 *
 * - pvz_in: the input, decoded front to back; past the end every read gives
 *   zeros, so every input is a valid sequence of operations.
 * - PVZ_CHECK: a broken promise prints the message (and the operation being
 *   run) and aborts, which both engines report as a crash.
 * - pvz_src: a backing source that records every chunk it hands out (so the
 *   model knows the chunk boundaries and checks reserved/chunks/gets/puts
 *   exactly), checks every put, and fails on command; it also logs every
 *   call (get or put, size, order), which the models check against the
 *   calls they predict (pvz_src_expect_*, pvz_src_check_calls).
 * - pvz_live: the live blocks of one allocator, each filled with its own tag
 *   byte; alignment, bounds, overlap and content checks.
 *
 * Set PV_FUZZ_TRACE=1 (or call pvz_set_trace(1)) to print every decoded
 * operation on stderr.
 */
#ifndef PVZ_SHADOW_H
#define PVZ_SHADOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provalloc.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PVZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(PVZ_ASAN)
#define PVZ_ASAN 1
#endif
#ifdef PVZ_ASAN
#include <sanitizer/asan_interface.h>
#define PVZ_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define PVZ_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define PVZ_POISON(p, n) ((void)(p), (void)(n))
#define PVZ_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* ---- input ------------------------------------------------------------ */
typedef struct pvz_in {
    const uint8_t *p;
    size_t n, i;
} pvz_in;

static inline void pvz_in_init(pvz_in *in, const uint8_t *p, size_t n)
{
    in->p = p;
    in->n = n;
    in->i = 0;
}
static inline int pvz_more(const pvz_in *in) { return in->i < in->n; }

/* Decoding trace (replay -d, for ci/check.d/35-decode-order.sh): when on,
 * every field the harness decodes (pvz_u8, pvz_u16, pvz_size, pvz_align)
 * and every operation is printed on stdout, so that two builds of a harness
 * can be shown to decode an input into the same operations. */
extern int pvz_dtrace;
void pvz_decoded(const char *kind, size_t at, size_t value);

/* One byte of input, not traced (the fields below are made of these). */
static inline unsigned pvz__byte(pvz_in *in)
{
    return in->i < in->n ? in->p[in->i++] : (in->i++, 0u);
}
static inline unsigned pvz__byte16(pvz_in *in)
{
    unsigned lo = pvz__byte(in);
    unsigned hi = pvz__byte(in);
    return lo | (hi << 8);
}

/* The fields. Each call reads the input, so two of them must never be the
 * arguments of one call (or operands of one operator): C leaves their order
 * unspecified, and gcc and clang differ. Read each into a local first. */
static inline unsigned pvz_u8(pvz_in *in)
{
    size_t at = in->i;
    unsigned v = pvz__byte(in);
    if (pvz_dtrace) {
        pvz_decoded("u8", at, v);
    }
    return v;
}
static inline unsigned pvz_u16(pvz_in *in)
{
    size_t at = in->i;
    unsigned v = pvz__byte16(in);
    if (pvz_dtrace) {
        pvz_decoded("u16", at, v);
    }
    return v;
}

/* A size: mostly small, sometimes 0, near a limit the model passes in
 * (the free space, so boundaries are hit often), large, or near SIZE_MAX. */
size_t pvz_size(pvz_in *in, size_t near, size_t big);
/* An alignment: mostly a power of two 1..4096, sometimes a bad one
 * (0, 3, 12, 8192, SIZE_MAX, a power of two plus one). */
size_t pvz_align(pvz_in *in);
int pvz_align_ok(size_t al);

/* ---- reporting -------------------------------------------------------- */
extern int pvz_trace;
/* PVZ_SKIP_KNOWN=1 in the environment: do not generate the operation
 * patterns of known, reported src bugs (listed in fuzz/README.md). Only
 * `make fuzz-mutants` sets it, so that a mutant is not masked by a bug of
 * the unmutated tree; `make fuzz` and the corpus replay never set it. */
extern int pvz_skip_known;
extern unsigned long pvz_opno;
extern char pvz_opdesc[256];
void pvz_set_trace(int on);
void pvz_begin_input(void);
/* Describe the operation about to run (kept for failure reports; printed
 * at once when tracing). */
void pvz_op(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void pvz_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void pvz_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), noreturn))
#endif
    ;
#define PVZ_CHECK(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            pvz_fail(__FILE__, __LINE__, __VA_ARGS__);                                             \
        }                                                                                          \
    } while (0)

/* round(n), as the headers define it. */
static inline size_t pvz_round(size_t n) { return (n + (PV_ALIGN - 1u)) / PV_ALIGN * PV_ALIGN; }

/* ---- misuse reports ----------------------------------------------------- */
extern int pvz_misuse_kind;       /* last kind reported (0: none) */
extern unsigned long pvz_misuse_count;
void pvz_install_misuse_handler(void);

/* ---- tracking / failing backing source ---------------------------------- */
#define PVZ_SRC_MAX 512
typedef struct pvz_chunk_rec {
    unsigned char *mem;
    size_t size;
} pvz_chunk_rec;

/* One call to the source: a get (mem: what it returned, NULL if refused)
 * or a put. */
#define PVZ_CALLS_MAX 640
typedef struct pvz_call {
    int put;
    unsigned char *mem;
    size_t size;
} pvz_call;

typedef struct pvz_src {
    pv_source src;          /* pass &s->src to the allocator */
    const pv_source *inner; /* where memory really comes from */
    int fail;               /* nonzero: every get returns NULL */
    size_t gets, puts;      /* calls seen (failed gets included) */
    size_t bytes;           /* bytes outstanding */
    size_t nrec;            /* chunks outstanding */
    pvz_chunk_rec rec[PVZ_SRC_MAX];
    size_t cap_bytes;       /* refuse gets beyond this many bytes outstanding */
    size_t refused;         /* gets answered NULL */
    unsigned char *last_mem; /* the last chunk handed out, and its size */
    size_t last_size;
    /* every call since the last pvz_src_check_calls, and the calls the model
     * predicted for that span (a put's mem is checked, a get's is not) */
    pvz_call log[PVZ_CALLS_MAX], want[PVZ_CALLS_MAX];
    size_t nlog, nwant;
    int log_full; /* more calls than the log holds (the FIFO's model does not check them) */
} pvz_src;

void pvz_src_init(pvz_src *s, const pv_source *inner);
/* The chunk holding [p, p+n), or NULL. */
const pvz_chunk_rec *pvz_src_find(const pvz_src *s, const void *p, size_t n);
/* Check stats fields the source decides: reserved, chunks, gets, puts. */
void pvz_src_check_stats(const pvz_src *s, const pv_stats *st, const char *who);
/* Every chunk was given back (after destroy). */
void pvz_src_check_empty(const pvz_src *s, const char *who);
/* The model predicts a call: a get of `size` bytes, or a put of (mem, size). */
void pvz_src_expect_get(pvz_src *s, size_t size);
void pvz_src_expect_put(pvz_src *s, const unsigned char *mem, size_t size);
/* The calls made since the last check are exactly those predicted, in the
 * same order (any_order: the same calls in any order, for destroy and reset,
 * whose order of puts no header promises); then forget both lists. */
void pvz_src_check_calls(pvz_src *s, int any_order, const char *who);

/* ---- live blocks -------------------------------------------------------- */
#define PVZ_LIVE_MAX 48
typedef struct pvz_blk {
    unsigned char *p;
    size_t size;
    unsigned tag;    /* fill byte */
    size_t consumed; /* bytes of in_use this block accounts for (model) */
    size_t aux;      /* per-allocator: frame depth, page epoch, ... */
} pvz_blk;

typedef struct pvz_live {
    pvz_blk b[PVZ_LIVE_MAX];
    size_t n;
    unsigned next_tag;
} pvz_live;

void pvz_live_init(pvz_live *l);
unsigned pvz_next_tag(pvz_live *l);
/* Check a new block: aligned on al, not overlapping any live block, and
 * inside [lo, hi) when lo is given. */
void pvz_check_new(const pvz_live *l, const void *p, size_t size, size_t al, const void *lo,
                   const void *hi, const char *who);
/* Fill p[0..n) with tag. */
void pvz_fill(void *p, size_t n, unsigned tag);
/* Does p[0..n) hold tag everywhere? */
int pvz_holds(const void *p, size_t n, unsigned tag);
int pvz_is_zero(const void *p, size_t n);
/* Add a block (filled by the caller). Returns its index. */
size_t pvz_live_add(pvz_live *l, unsigned char *p, size_t size, unsigned tag);
void pvz_live_del(pvz_live *l, size_t i);
/* Every live block still holds its tag. */
void pvz_live_check(const pvz_live *l, const char *who);
/* Do [a, a+an) and [b, b+bn) overlap? */
int pvz_overlap(const void *a, size_t an, const void *b, size_t bn);

/* Compare two pv_stats field by field; `skip` is a mask of fields not
 * compared (PVZ_ST_*). */
enum {
    PVZ_ST_IN_USE = 1, PVZ_ST_PEAK = 2, PVZ_ST_RESERVED = 4, PVZ_ST_CHUNKS = 8,
    PVZ_ST_GETS = 16, PVZ_ST_PUTS = 32, PVZ_ST_FAILURES = 64
};
void pvz_stats_same(const pv_stats *a, const pv_stats *b, unsigned skip, const char *who);


/* ---- model of a chunk chain (region and stack; pv_chain.h) ---------------
 * The chunks in the order obtained; the current one (SIZE_MAX: the empty
 * sentinel before the first); its top as an address. Chunks after cur are
 * spares, logically empty. The model predicts exactly where the next block
 * goes: in cur, in the first spare that fits, or in a new chunk. */
#define PVZ_CHAIN_MAX 256
typedef struct pvz_chain {
    unsigned char *mem[PVZ_CHAIN_MAX];
    size_t size[PVZ_CHAIN_MAX];
    size_t n;
    size_t cur;         /* index, or SIZE_MAX for the sentinel */
    unsigned char *top; /* top address in cur (NULL for the sentinel) */
    size_t min, next;   /* growth (pv_chain.h): the first chunk's size, the next one's */
} pvz_chain;

/* Data area of a chunk of `size` bytes at mem. */
unsigned char *pvz_chunk_base(const unsigned char *mem);
unsigned char *pvz_chunk_end(const unsigned char *mem, size_t size);

typedef struct pvz_pred {
    int where;         /* 0: in cur, 1: in spare idx, 2: needs a new chunk */
    size_t idx;
    unsigned char *q;  /* expected address (where 0 or 1) */
    size_t consumed;   /* in_use growth (where 0 or 1) */
} pvz_pred;

/* An empty chain whose first chunk has min bytes (also after destroy). */
void pvz_chain_init(pvz_chain *c, size_t min);
/* Where a chain allocation of n bytes aligned on al (valid) goes. */
void pvz_chain_predict(const pvz_chain *c, size_t n, size_t al, pvz_pred *pr);
/* The bytes a new chunk for that request asks of the source (pv_chain.h,
 * Capacity: max(next size, what the request needs)). */
size_t pvz_chain_want(const pvz_chain *c, size_t n, size_t al);
/* The growth after a chunk obtained: the next size doubles (up to
 * PV__CHAIN_REQ_MAX). */
size_t pvz_chain_double(size_t x);
/* After the allocator returned q for that prediction: check q, move cur and
 * top, append the new chunk (the source's last get) and double the next
 * size. Returns the in_use growth. */
size_t pvz_chain_commit(pvz_chain *c, const pvz_pred *pr, unsigned char *q, size_t n, size_t al,
                        const pvz_src *src, const char *who);
/* Would freeing (p, size) reclaim it (p the most recent block of cur)? */
int pvz_chain_is_last(const pvz_chain *c, const void *p, size_t size);
/* Room from p to the end of cur. */
size_t pvz_chain_room(const pvz_chain *c, const void *p);

#endif /* PVZ_SHADOW_H */
