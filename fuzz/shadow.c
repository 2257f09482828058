/* SPDX-License-Identifier: MIT */
/*
 * Shared shadow model for the provalloc fuzz harnesses (see shadow.h).
 */
#include <stdarg.h>

#include "shadow.h"

int pvz_skip_known;
int pvz_dtrace;
int pvz_trace = -1; /* -1: not decided yet (read PV_FUZZ_TRACE) */
unsigned long pvz_opno;
char pvz_opdesc[256];
int pvz_misuse_kind;
unsigned long pvz_misuse_count;

void pvz_set_trace(int on) { pvz_trace = on; }

void pvz_begin_input(void)
{
    if (pvz_trace < 0) {
        const char *e = getenv("PVZ_SKIP_KNOWN");
        pvz_skip_known = (e != NULL && e[0] == '1');
        e = getenv("PV_FUZZ_TRACE");
        pvz_trace = (e != NULL && e[0] != '\0' && e[0] != '0');
    }
    pvz_opno = 0;
    pvz_opdesc[0] = '\0';
    pvz_misuse_kind = 0;
    pvz_misuse_count = 0;
}

void pvz_op(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pvz_opdesc, sizeof pvz_opdesc, fmt, ap);
    va_end(ap);
    pvz_opno++;
    if (pvz_trace > 0) {
        fprintf(stderr, "[%4lu] %s\n", pvz_opno, pvz_opdesc);
    }
    if (pvz_dtrace) {
        printf("[%4lu] %s\n", pvz_opno, pvz_opdesc);
    }
}

void pvz_note(const char *fmt, ...)
{
    va_list ap;
    if (pvz_trace <= 0) {
        return;
    }
    va_start(ap, fmt);
    fputs("         -> ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void pvz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout); /* the decoding trace, if on, up to this operation */
    fprintf(stderr, "\n==== provalloc shadow model: broken promise ====\n");
    fprintf(stderr, "operation #%lu: %s\n", pvz_opno, pvz_opdesc);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(%s:%d)\n", file, line);
    fflush(stderr);
    abort();
}

/* ---- decoding ------------------------------------------------------------ */

void pvz_decoded(const char *kind, size_t at, size_t value)
{
    printf("  @%zu %s %zu\n", at, kind, value);
}

static size_t size_of(unsigned k, unsigned v, size_t near, size_t big)
{
    switch (k % 16u) {
    case 0:
        return 0u;
    case 1: /* near SIZE_MAX */
        return SIZE_MAX - (v % 4096u);
    case 2: /* around a limit the model knows (free space, chunk room) */
    case 3:
        return near + (v % 33u) - ((near < 16u) ? near : 16u);
    case 4: /* large */
        return big != 0 ? 1u + v % big : 1u + v;
    case 5: /* around powers of two */
        return ((size_t)1 << (v % 13u)) + (size_t)(int)((v >> 8) % 3u) - 1u;
    case 6: /* near PTRDIFF_MAX and friends */
        return (size_t)PTRDIFF_MAX / (1u + (v % 4u)) + (v >> 8) % 16u;
    default: /* small */
        return 1u + (v % 160u);
    }
}

size_t pvz_size(pvz_in *in, size_t near, size_t big)
{
    size_t at = in->i;
    unsigned k = pvz__byte(in);
    unsigned v = pvz__byte16(in);
    size_t n = size_of(k, v, near, big);
    if (pvz_dtrace) {
        pvz_decoded("size", at, n);
    }
    return n;
}

int pvz_align_ok(size_t al) { return al != 0 && al <= PV_ALIGN_MAX && (al & (al - 1u)) == 0; }

size_t pvz_align(pvz_in *in)
{
    static const size_t bad[8] = { 0u, 3u, 12u, 8192u, SIZE_MAX, 24u, 6u, 65536u };
    size_t at = in->i, al;
    unsigned a = pvz__byte(in);
    if (a < 208u) {
        al = (size_t)1 << (a % 13u);
    } else if (a < 216u) {
        al = ((size_t)1 << (a % 13u)) + 1u;
    } else {
        al = bad[a % 8u];
    }
    if (pvz_dtrace) {
        pvz_decoded("align", at, al);
    }
    return al;
}

/* ---- misuse reports -------------------------------------------------------- */
static void on_misuse(pv_misuse kind, const void *allocator, const void *ptr)
{
    (void)allocator;
    (void)ptr;
    pvz_misuse_kind = (int)kind;
    pvz_misuse_count++;
}

void pvz_install_misuse_handler(void) { (void)pv_set_misuse_handler(on_misuse); }

/* ---- tracking source -------------------------------------------------------- */
static void log_call(pvz_src *s, int put, void *mem, size_t size)
{
    if (s->nlog == PVZ_CALLS_MAX) {
        s->log_full = 1; /* a model that checks the calls fails on it */
        return;
    }
    s->log[s->nlog].put = put;
    s->log[s->nlog].mem = (unsigned char *)mem;
    s->log[s->nlog].size = size;
    s->nlog++;
}

static void *track_get(void *ctx, size_t size)
{
    pvz_src *s = (pvz_src *)ctx;
    void *p;
    s->gets++;
    PVZ_CHECK(size > 0, "source: get of 0 bytes");
    if (s->fail || s->nrec == PVZ_SRC_MAX || size > s->cap_bytes - s->bytes ||
        s->bytes > s->cap_bytes) {
        pvz_note("source get(%zu) refused", size);
        s->refused++;
        log_call(s, 0, NULL, size);
        return NULL;
    }
    p = s->inner->get(s->inner->ctx, size);
    log_call(s, 0, p, size);
    if (p == NULL) {
        pvz_note("source get(%zu) -> NULL from the inner source", size);
        s->refused++;
        return NULL;
    }
    PVZ_CHECK((uintptr_t)p % PV_SOURCE_ALIGN == 0, "source: inner source misaligned chunk");
    s->rec[s->nrec].mem = (unsigned char *)p;
    s->rec[s->nrec].size = size;
    s->nrec++;
    s->bytes += size;
    s->last_mem = (unsigned char *)p;
    s->last_size = size;
    pvz_note("source get(%zu) -> %p", size, p);
    return p;
}

static void track_put(void *ctx, void *p, size_t size)
{
    pvz_src *s = (pvz_src *)ctx;
    size_t i;
    s->puts++;
    log_call(s, 1, p, size);
    PVZ_CHECK(p != NULL, "source: put(NULL) (the allocators never call put with NULL)");
    for (i = 0; i < s->nrec; i++) {
        if (s->rec[i].mem == p) {
            break;
        }
    }
    PVZ_CHECK(i < s->nrec, "source: put(%p) of a chunk it does not hold (double put?)", p);
    PVZ_CHECK(s->rec[i].size == size, "source: put(%p, %zu) but the chunk has %zu bytes", p,
              size, s->rec[i].size);
    s->bytes -= size;
    s->rec[i] = s->rec[--s->nrec];
    pvz_note("source put(%p, %zu)", p, size);
    s->inner->put(s->inner->ctx, p, size);
}

void pvz_src_init(pvz_src *s, const pv_source *inner)
{
    memset(s, 0, sizeof *s);
    s->inner = inner != NULL ? inner : pv_source_malloc();
    s->src.get = track_get;
    s->src.put = track_put;
    s->src.ctx = s;
    s->cap_bytes = (size_t)64 << 20; /* keep the fuzzer's memory bounded */
}

const pvz_chunk_rec *pvz_src_find(const pvz_src *s, const void *p, size_t n)
{
    size_t i;
    for (i = 0; i < s->nrec; i++) {
        const unsigned char *m = s->rec[i].mem;
        /* integer comparison: the chunks are distinct objects */
        uintptr_t a = (uintptr_t)p, lo = (uintptr_t)m, hi = (uintptr_t)m + s->rec[i].size;
        if (a >= lo && a < hi) {
            return (a + n <= hi && a + n >= a) ? &s->rec[i] : NULL;
        }
    }
    return NULL;
}

void pvz_src_check_stats(const pvz_src *s, const pv_stats *st, const char *who)
{
    PVZ_CHECK(st->reserved == s->bytes, "%s: stats.reserved %zu, source holds %zu bytes out", who,
              st->reserved, s->bytes);
    PVZ_CHECK(st->chunks == s->nrec, "%s: stats.chunks %zu, source has %zu chunks out", who,
              st->chunks, s->nrec);
    PVZ_CHECK(st->source_gets == s->gets, "%s: stats.source_gets %zu, source saw %zu", who,
              st->source_gets, s->gets);
    PVZ_CHECK(st->source_puts == s->puts, "%s: stats.source_puts %zu, source saw %zu", who,
              st->source_puts, s->puts);
}

void pvz_src_check_empty(const pvz_src *s, const char *who)
{
    PVZ_CHECK(s->nrec == 0 && s->bytes == 0, "%s: %zu chunks (%zu bytes) not given back", who,
              s->nrec, s->bytes);
}

static void expect(pvz_src *s, int put, const unsigned char *mem, size_t size)
{
    PVZ_CHECK(s->nwant < PVZ_CALLS_MAX, "harness: more than %d source calls predicted",
              PVZ_CALLS_MAX);
    s->want[s->nwant].put = put;
    s->want[s->nwant].mem = (unsigned char *)(uintptr_t)mem;
    s->want[s->nwant].size = size;
    s->nwant++;
}

void pvz_src_expect_get(pvz_src *s, size_t size) { expect(s, 0, NULL, size); }

void pvz_src_expect_put(pvz_src *s, const unsigned char *mem, size_t size)
{
    expect(s, 1, mem, size);
}

static int same_call(const pvz_call *a, const pvz_call *b)
{
    return a->put == b->put && a->size == b->size && (!a->put || a->mem == b->mem);
}

void pvz_src_check_calls(pvz_src *s, int any_order, const char *who)
{
    size_t i, j;
    PVZ_CHECK(!s->log_full, "harness: more than %d source calls between two checks",
              PVZ_CALLS_MAX);
    for (i = 0; i < s->nlog || i < s->nwant; i++) {
        const pvz_call *got = i < s->nlog ? &s->log[i] : NULL;
        const pvz_call *want = i < s->nwant ? &s->want[i] : NULL;
        if (any_order && got != NULL) {
            /* the predicted call it matches, moved to position i */
            for (j = i; j < s->nwant && !same_call(&s->want[j], got); j++) {
            }
            if (j < s->nwant) {
                pvz_call t = s->want[i];
                s->want[i] = s->want[j];
                s->want[j] = t;
            }
        }
        PVZ_CHECK(got != NULL && want != NULL && same_call(got, want),
                  "%s: source call %zu of %zu: %s%s(%p, %zu), the model predicted %s%s(%p, %zu) "
                  "(%zu calls predicted; growth policy: src/pv_chain.h)",
                  who, i + 1, s->nlog, got == NULL ? "none" : "", got == NULL ? "" : got->put ? "put" : "get",
                  got != NULL ? (void *)got->mem : NULL, got != NULL ? got->size : 0u,
                  want == NULL ? "none" : "", want == NULL ? "" : want->put ? "put" : "get",
                  want != NULL ? (void *)want->mem : NULL, want != NULL ? want->size : 0u,
                  s->nwant);
    }
    s->nlog = 0;
    s->nwant = 0;
}

/* ---- live blocks ---------------------------------------------------------- */
void pvz_live_init(pvz_live *l)
{
    l->n = 0;
    l->next_tag = 1;
}

unsigned pvz_next_tag(pvz_live *l)
{
    unsigned t = l->next_tag;
    l->next_tag = (l->next_tag % 254u) + 1u; /* 1..254: never 0, never 0xff */
    return t;
}

int pvz_overlap(const void *a, size_t an, const void *b, size_t bn)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + bn && y < x + an;
}

void pvz_check_new(const pvz_live *l, const void *p, size_t size, size_t al, const void *lo,
                   const void *hi, const char *who)
{
    size_t i;
    PVZ_CHECK((uintptr_t)p % al == 0, "%s: block %p of %zu bytes is not aligned on %zu", who, p,
              size, al);
    if (lo != NULL) {
        PVZ_CHECK((uintptr_t)p >= (uintptr_t)lo && (uintptr_t)p + size <= (uintptr_t)hi &&
                      (uintptr_t)p + size >= (uintptr_t)p,
                  "%s: block [%p, +%zu) outside [%p, %p)", who, p, size, lo, hi);
    }
    for (i = 0; i < l->n; i++) {
        PVZ_CHECK(!pvz_overlap(p, size, l->b[i].p, l->b[i].size),
                  "%s: block [%p, +%zu) overlaps live block [%p, +%zu)", who, p, size,
                  (void *)l->b[i].p, l->b[i].size);
    }
}

void pvz_fill(void *p, size_t n, unsigned tag) { memset(p, (int)tag, n); }

int pvz_holds(const void *p, size_t n, unsigned tag)
{
    const unsigned char *c = (const unsigned char *)p;
    if (n == 0) {
        return 1;
    }
    return c[0] == (unsigned char)tag && (n == 1 || memcmp(c, c + 1, n - 1) == 0);
}

int pvz_is_zero(const void *p, size_t n) { return pvz_holds(p, n, 0u); }

size_t pvz_live_add(pvz_live *l, unsigned char *p, size_t size, unsigned tag)
{
    pvz_blk *b = &l->b[l->n];
    memset(b, 0, sizeof *b);
    b->p = p;
    b->size = size;
    b->tag = tag;
    return l->n++;
}

void pvz_live_del(pvz_live *l, size_t i) { l->b[i] = l->b[--l->n]; }

void pvz_live_check(const pvz_live *l, const char *who)
{
    size_t i;
    for (i = 0; i < l->n; i++) {
        const pvz_blk *b = &l->b[i];
        if (!pvz_holds(b->p, b->size, b->tag)) {
            size_t k = 0;
            while (k < b->size && b->p[k] == (unsigned char)b->tag) {
                k++;
            }
            pvz_fail(__FILE__, __LINE__,
                     "%s: live block [%p, +%zu) lost its fill 0x%02x: byte %zu is 0x%02x", who,
                     (void *)b->p, b->size, b->tag, k, b->p[k]);
        }
    }
}

void pvz_stats_same(const pv_stats *a, const pv_stats *b, unsigned skip, const char *who)
{
#define PVZ_SAME(f, bit)                                                                           \
    PVZ_CHECK((skip & (bit)) || a->f == b->f, "%s: stats." #f " changed from %zu to %zu", who,     \
              a->f, b->f)
    PVZ_SAME(in_use, PVZ_ST_IN_USE);
    PVZ_SAME(peak_in_use, PVZ_ST_PEAK);
    PVZ_SAME(reserved, PVZ_ST_RESERVED);
    PVZ_SAME(chunks, PVZ_ST_CHUNKS);
    PVZ_SAME(source_gets, PVZ_ST_GETS);
    PVZ_SAME(source_puts, PVZ_ST_PUTS);
    PVZ_SAME(failures, PVZ_ST_FAILURES);
#undef PVZ_SAME
}

/* ---- chain model ------------------------------------------------------------ */
unsigned char *pvz_chunk_base(const unsigned char *mem)
{
    /* The chain keeps its descriptors in its own table: the data area is the
     * block itself, its start aligned up on PV_ALIGN (pv_arena_init). */
    uintptr_t a = (uintptr_t)mem;
    return (unsigned char *)(uintptr_t)mem + (PV_ALIGN - a % PV_ALIGN) % PV_ALIGN;
}

unsigned char *pvz_chunk_end(const unsigned char *mem, size_t size)
{
    unsigned char *b = pvz_chunk_base(mem);
    size_t data = size - (size_t)(b - mem);
    return b + data / PV_ALIGN * PV_ALIGN;
}

void pvz_chain_init(pvz_chain *c, size_t min)
{
    c->n = 0;
    c->cur = SIZE_MAX;
    c->top = NULL;
    c->min = min;
    c->next = min;
}

size_t pvz_chain_want(const pvz_chain *c, size_t n, size_t al)
{
    size_t need = pvz_round(n) + (al > PV_ALIGN ? al : 0u) + PV__CHUNK_SLACK;
    return need > c->next ? need : c->next;
}

size_t pvz_chain_double(size_t x) { return x <= PV__CHAIN_REQ_MAX / 2u ? x * 2u : PV__CHAIN_REQ_MAX; }

static size_t pad_for(const unsigned char *at, size_t al)
{
    return (size_t)((al - (uintptr_t)at % al) % al);
}

static int fits(const unsigned char *top, const unsigned char *end, size_t n, size_t al,
                size_t *pad)
{
    size_t room = (size_t)(end - top);
    *pad = pad_for(top, al);
    return n <= room && *pad <= room - pvz_round(n);
}

void pvz_chain_predict(const pvz_chain *c, size_t n, size_t al, pvz_pred *pr)
{
    size_t pad, i;
    pr->where = 2;
    pr->q = NULL;
    pr->consumed = 0;
    if (c->cur != SIZE_MAX &&
        fits(c->top, pvz_chunk_end(c->mem[c->cur], c->size[c->cur]), n, al, &pad)) {
        pr->where = 0;
        pr->idx = c->cur;
        pr->q = c->top + pad;
        pr->consumed = pad + pvz_round(n);
        return;
    }
    for (i = (c->cur == SIZE_MAX) ? 0 : c->cur + 1; i < c->n; i++) {
        unsigned char *b = pvz_chunk_base(c->mem[i]);
        if (fits(b, pvz_chunk_end(c->mem[i], c->size[i]), n, al, &pad)) {
            pr->where = 1;
            pr->idx = i;
            pr->q = b + pad;
            pr->consumed = pad + pvz_round(n);
            return;
        }
    }
}

size_t pvz_chain_commit(pvz_chain *c, const pvz_pred *pr, unsigned char *q, size_t n, size_t al,
                        const pvz_src *src, const char *who)
{
    if (pr->where != 2) {
        PVZ_CHECK(q == pr->q, "%s: block at %p, the model expected %p (%s)", who, (void *)q,
                  (void *)pr->q, pr->where == 0 ? "current chunk" : "first spare that fits");
        c->cur = pr->idx;
        c->top = q + pvz_round(n);
        return pr->consumed;
    } else {
        unsigned char *mem = src->last_mem, *b, *e;
        size_t pad;
        PVZ_CHECK(mem != NULL && c->n < PVZ_CHAIN_MAX, "%s: a new chunk was needed", who);
        b = pvz_chunk_base(mem);
        e = pvz_chunk_end(mem, src->last_size);
        pad = pad_for(b, al);
        PVZ_CHECK(q == b + pad && q + n <= e, "%s: block at %p, the model expected %p in the new chunk",
                  who, (void *)q, (void *)(b + pad));
        c->mem[c->n] = mem;
        c->size[c->n] = src->last_size;
        c->cur = c->n++;
        c->next = pvz_chain_double(c->next);
        c->top = q + pvz_round(n);
        return pad + pvz_round(n);
    }
}

int pvz_chain_is_last(const pvz_chain *c, const void *p, size_t size)
{
    /* p in the current chunk too: a block that ends where the current chunk
     * starts (a source handing out adjacent chunks, as the static source
     * does) is the last of an earlier chunk, not of this one. */
    return c->cur != SIZE_MAX && size != 0 && p != NULL &&
           (uintptr_t)p >= (uintptr_t)pvz_chunk_base(c->mem[c->cur]) &&
           (uintptr_t)p + pvz_round(size) == (uintptr_t)c->top;
}

size_t pvz_chain_room(const pvz_chain *c, const void *p)
{
    if (c->cur == SIZE_MAX) {
        return 0;
    }
    return (size_t)((uintptr_t)pvz_chunk_end(c->mem[c->cur], c->size[c->cur]) - (uintptr_t)p);
}
