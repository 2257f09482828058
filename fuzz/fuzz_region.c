/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the region allocator (pv_region.h) over a tracking source
 * that fails on command.
 *
 * Every block, whatever its size, lives in the chunk chain (pv_chain.h): the
 * model predicts every block's address exactly (current chunk, first spare
 * that fits, or a new chunk), tracks in_use, peak and failures, takes
 * reserved/chunks/gets/puts from the source, and predicts every call to the
 * source: the size of each get (a new chunk's, from the growth policy of
 * pv_chain.h), in order, and the puts of destroy, the only ones (free and
 * reset give nothing back). A free reclaims only the most recent block of
 * the current chunk; a realloc that moves leaves the old block allocated
 * (the model keeps it live, with its fill, until reset).
 */
#include "shadow.h"

typedef struct region_model {
    pv_region r;
    pvz_src src;
    pvz_chain ch;
    pvz_live live; /* aux: allocation sequence number */
    size_t seq;
    size_t in_use, peak, failures;
    const char *name;
} region_model;

static void rg_check_state(region_model *m)
{
    pv_stats st;
    pv_region_stats(&m->r, &st);
    PVZ_CHECK(st.in_use == m->in_use, "%s: stats.in_use %zu, model %zu", m->name, st.in_use,
              m->in_use);
    PVZ_CHECK(st.peak_in_use == m->peak, "%s: stats.peak_in_use %zu, model %zu", m->name,
              st.peak_in_use, m->peak);
    PVZ_CHECK(st.failures == m->failures, "%s: stats.failures %zu, model %zu", m->name,
              st.failures, m->failures);
    pvz_src_check_stats(&m->src, &st, m->name);
    pvz_src_check_calls(&m->src, 0, m->name);
    pvz_live_check(&m->live, m->name);
}

static void rg_note(region_model *m)
{
    if (m->in_use > m->peak) {
        m->peak = m->in_use;
    }
}

static region_model *region_new(const char *name, const pv_source *inner)
{
    region_model *m = (region_model *)calloc(1, sizeof *m);
    if (m == NULL) {
        abort();
    }
    m->name = name;
    pvz_src_init(&m->src, inner);
    /* 1 MiB, not the shared 64: every block lives in the chain, whose chunks
     * double, and the sizes drawn near the free room fill each one; with
     * 64 MiB an input held 64 MiB of blocks within 50 steps, all checked
     * after every step (300 runs/s). 1 MiB: chunks of 8 KiB to 512 KiB.
     * (fuzz_mix and fuzz_static lift it: their static buffer is the limit.) */
    m->src.cap_bytes = (size_t)1 << 20;
    pvz_chain_init(&m->ch, PV_REGION_CHUNK_MIN);
    pvz_live_init(&m->live);
    PVZ_CHECK(pv_region_init(&m->r, &m->src.src), "%s: init failed", name);
    rg_check_state(m);
    return m;
}

/* Does p lie in the current chunk? */
static int rg_in_cur(const region_model *m, const unsigned char *p)
{
    const pvz_chain *c = &m->ch;
    return c->cur != SIZE_MAX && (uintptr_t)p >= (uintptr_t)pvz_chunk_base(c->mem[c->cur]) &&
           (uintptr_t)p < (uintptr_t)pvz_chunk_end(c->mem[c->cur], c->size[c->cur]);
}

static void rg_forget(region_model *m, const unsigned char *p)
{
    size_t i;
    for (i = 0; i < m->live.n; i++) {
        if (m->live.b[i].p == p) {
            pvz_live_del(&m->live, i);
            return;
        }
    }
}

static void region_destroy_model(region_model *m)
{
    size_t k;
    pvz_op("%s: destroy", m->name);
    pvz_src_check_calls(&m->src, 0, m->name);
    for (k = 0; k < m->ch.n; k++) {
        pvz_src_expect_put(&m->src, m->ch.mem[k], m->ch.size[k]);
    }
    pv_region_destroy(&m->r);
    pvz_src_check_calls(&m->src, 1, m->name);
    pvz_src_check_empty(&m->src, m->name);
    pvz_chain_init(&m->ch, PV_REGION_CHUNK_MIN);
    m->live.n = 0;
    m->in_use = 0;
    rg_check_state(m);
}

static void region_end(region_model *m)
{
    region_destroy_model(m);
    free(m);
}

/* One allocation through the model: prediction, call, checks, update
 * (rg_pre before the call, rg_post after it). */
typedef struct rg_pending {
    int bad;
    pvz_pred pr;
    size_t gets0, refused0;
    pv_stats before;
} rg_pending;

static void rg_pre(region_model *m, size_t n, size_t al, rg_pending *pd)
{
    pd->bad = n == 0 || n > PV__CHAIN_REQ_MAX || !pvz_align_ok(al);
    pd->gets0 = m->src.gets;
    pd->refused0 = m->src.refused;
    m->src.last_mem = NULL;
    pv_region_stats(&m->r, &pd->before);
    if (!pd->bad) {
        pvz_chain_predict(&m->ch, n, al, &pd->pr);
        if (pd->pr.where == 2) {
            pvz_src_expect_get(&m->src, pvz_chain_want(&m->ch, n, al));
        }
    }
}

static unsigned char *rg_post(region_model *m, size_t n, size_t al, rg_pending *pd,
                              unsigned char *q)
{
    size_t ngets = m->src.gets - pd->gets0;
    pvz_note("%p", (void *)q);
    if (pd->bad) {
        PVZ_CHECK(q == NULL && ngets == 0, "%s: bad request (size %zu, align %zu) gave %p", m->name,
                  n, al, (void *)q);
    } else if (pd->pr.where != 2) {
        PVZ_CHECK(ngets == 0, "%s: alloc(%zu) fits in a chunk held but asked the source", m->name,
                  n);
        PVZ_CHECK(q != NULL, "%s: alloc(%zu, %zu) failed though it fits in a chunk held", m->name,
                  n, al);
    } else {
        PVZ_CHECK(ngets == 1, "%s: alloc(%zu) needed a chunk; %zu source gets", m->name, n, ngets);
        PVZ_CHECK((q == NULL) == (m->src.refused != pd->refused0),
                  "%s: alloc(%zu) gave %p, but the source %s", m->name, n, (void *)q,
                  m->src.refused != pd->refused0 ? "failed" : "succeeded");
    }
    if (q == NULL) {
        pv_stats st;
        m->failures++;
        pv_region_stats(&m->r, &st);
        pvz_stats_same(&pd->before, &st, PVZ_ST_FAILURES | PVZ_ST_GETS, m->name);
        return NULL;
    }
    m->in_use += pvz_chain_commit(&m->ch, &pd->pr, q, n, al, &m->src, m->name);
    pvz_check_new(&m->live, q, n, al, NULL, NULL, m->name);
    rg_note(m);
    return q;
}

/* A new live block (q, n) with fill byte tag. */
static void rg_track(region_model *m, unsigned char *q, size_t n, unsigned tag)
{
    size_t i;
    pvz_fill(q, n, tag);
    i = pvz_live_add(&m->live, q, n, tag);
    m->live.b[i].aux = m->seq++;
}

static void rg_alloc(region_model *m, size_t n, size_t al, int aligned)
{
    rg_pending pd;
    unsigned char *q;
    if (aligned) {
        pvz_op("%s: alloc_aligned(%zu, %zu)", m->name, n, al);
    } else {
        pvz_op("%s: alloc(%zu)", m->name, n);
    }
    if (!aligned) {
        al = PV_ALIGN;
    }
    rg_pre(m, n, al, &pd);
    q = (unsigned char *)(aligned ? pv_region_alloc_aligned(&m->r, n, al)
                                  : pv_region_alloc(&m->r, n));
    q = rg_post(m, n, al, &pd, q);
    if (q != NULL) {
        rg_track(m, q, n, pvz_next_tag(&m->live));
    }
}

/* The model of pv_region_free(p, size): it reclaims iff p is the most recent
 * block of the current chunk (never a source call); the update. */
static int rg_free_model(region_model *m, unsigned char *p, size_t size)
{
    if (!pvz_chain_is_last(&m->ch, p, size)) {
        return 0;
    }
    m->in_use -= pvz_round(size);
    m->ch.top = p;
    return 1;
}

static void rg_free(region_model *m, unsigned char *p, size_t size)
{
    pv_stats before, after;
    int ok;
    bool r;
    pvz_op("%s: free(%p, %zu)", m->name, (void *)p, size);
    pv_region_stats(&m->r, &before);
    ok = rg_free_model(m, p, size);
    r = pv_region_free(&m->r, p, size);
    pvz_note("%s", r ? "reclaimed" : "not reclaimed");
    PVZ_CHECK(r == (bool)ok, "%s: free(%p, %zu) returned %d, promised %d", m->name, (void *)p,
              size, (int)r, ok);
    pv_region_stats(&m->r, &after);
    if (ok) {
        rg_forget(m, p);
        /* only in_use (and the peak, noted before) move */
        pvz_stats_same(&before, &after, PVZ_ST_IN_USE | PVZ_ST_PEAK | PVZ_ST_FAILURES, m->name);
    } else {
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
    }
}

#define RG_REALLOC(m, p, old, nsz, al, aligned)                                                   \
    ((aligned) ? pv_region_realloc_aligned(&(m)->r, (p), (old), (nsz), (al))                      \
               : pv_region_realloc(&(m)->r, (p), (old), (nsz)))

/* realloc(p, old -> nsz), or realloc_aligned(p, old -> nsz, al) if aligned.
 * In place iff p is the most recent block of the current chunk, aligned on
 * al, and nsz fits in the chunk from p; otherwise it moves, and p stays
 * allocated (and live in the model, its bytes intact) until reset. */
static void rg_realloc(region_model *m, size_t bi, size_t nsz, size_t al, int aligned)
{
    pvz_blk *b = &m->live.b[bi];
    unsigned char *p = b->p, *q;
    size_t old = b->size, keep = old < nsz ? old : nsz;
    unsigned tag = b->tag;
    int inplace;
    pv_stats before, after;
    rg_pending pd;
    if (aligned) {
        pvz_op("%s: realloc_aligned(%p, %zu -> %zu, %zu)", m->name, (void *)p, old, nsz, al);
    } else {
        pvz_op("%s: realloc(%p, %zu -> %zu)", m->name, (void *)p, old, nsz);
        al = PV_ALIGN;
    }
    pv_region_stats(&m->r, &before);
    if (nsz == 0 || nsz > PV__CHAIN_REQ_MAX || !pvz_align_ok(al)) {
        q = (unsigned char *)RG_REALLOC(m, p, old, nsz, al, aligned);
        PVZ_CHECK(q == NULL, "%s: realloc to %zu bytes (align %zu) gave %p", m->name, nsz, al,
                  (void *)q);
        m->failures++;
        pv_region_stats(&m->r, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
        return;
    }
    inplace = (uintptr_t)p % al == 0 && pvz_chain_is_last(&m->ch, p, old) &&
              nsz <= pvz_chain_room(&m->ch, p);
    if (inplace) {
        q = (unsigned char *)RG_REALLOC(m, p, old, nsz, al, aligned);
        pvz_note("in place: %p", (void *)q);
        PVZ_CHECK(q == p, "%s: realloc(%p, %zu, %zu) should stay in place, gave %p", m->name,
                  (void *)p, old, nsz, (void *)q);
        rg_note(m); /* the peak is noted before the top moves */
        m->in_use = m->in_use - pvz_round(old) + pvz_round(nsz);
        m->ch.top = p + pvz_round(nsz);
        rg_note(m);
        pv_region_stats(&m->r, &after);
        pvz_stats_same(&before, &after, PVZ_ST_IN_USE | PVZ_ST_PEAK, m->name);
        PVZ_CHECK(pvz_holds(p, keep, tag), "%s: in-place realloc lost bytes of the first %zu",
                  m->name, keep);
        b->size = nsz;
        if (nsz > old) {
            pvz_fill(p + old, nsz - old, tag);
        }
        return;
    }
    rg_pre(m, nsz, al, &pd);
    q = (unsigned char *)RG_REALLOC(m, p, old, nsz, al, aligned);
    PVZ_CHECK(q != p, "%s: realloc(%p, %zu, %zu) stayed in place; the model says it moves",
              m->name, (void *)p, old, nsz);
    q = rg_post(m, nsz, al, &pd, q);
    if (q == NULL) {
        return; /* rg_post checked nothing changed; the block is checked intact after */
    }
    PVZ_CHECK(pvz_holds(q, keep, tag), "%s: moved block did not keep the first %zu bytes",
              m->name, keep);
    /* p is not freed: it keeps its bytes (rg_check_state) until reset */
    rg_track(m, q, nsz, tag);
}

/* The live block that is the most recent of the current chunk, or the
 * newest one outside it (in an earlier chunk: never reclaimed), else any. */
static size_t rg_pick(region_model *m, unsigned k)
{
    size_t i, best = SIZE_MAX;
    if (m->live.n == 0) {
        return SIZE_MAX;
    }
    if ((k & 3u) != 0) {
        int last = (k & 3u) == 1 || ((k >> 2) & 1u) == 0;
        for (i = 0; i < m->live.n; i++) {
            pvz_blk *b = &m->live.b[i];
            if (last ? pvz_chain_is_last(&m->ch, b->p, b->size)
                     : (!rg_in_cur(m, b->p) && (best == SIZE_MAX || b->aux > m->live.b[best].aux))) {
                best = i;
            }
        }
        if (best != SIZE_MAX) {
            return best;
        }
    }
    return (k >> 3) % m->live.n;
}

static void region_bad_args(region_model *m, pvz_in *in)
{
    unsigned k = pvz_u8(in) % 6u;
    pv_stats st;
    pvz_op("%s: NULL-handle call #%u", m->name, k);
    switch (k) {
    case 0:
        PVZ_CHECK(pv_region_alloc(NULL, 8) == NULL && pv_region_alloc_aligned(NULL, 8, 8) == NULL,
                  "alloc on a NULL region");
        break;
    case 1:
        PVZ_CHECK(!pv_region_free(NULL, m, 8), "free on a NULL region");
        PVZ_CHECK(pv_region_realloc(NULL, NULL, 0, 8) == NULL, "realloc on a NULL region");
        break;
    case 2:
        memset(&st, 0xa5, sizeof st);
        pv_region_stats(NULL, &st);
        PVZ_CHECK(st.in_use == 0 && st.reserved == 0 && st.failures == 0 && st.peak_in_use == 0 &&
                      st.chunks == 0 && st.source_gets == 0 && st.source_puts == 0,
                  "stats of a NULL region not zero");
        pv_region_stats(&m->r, NULL);
        break;
    case 3:
        PVZ_CHECK(!pv_region_init(NULL, NULL), "init(NULL) true");
        pv_region_reset(NULL);
        pv_region_destroy(NULL);
        break;
    case 4:
        rg_free(m, NULL, 8);
        return;
    default:
        if (m->live.n > 0) {
            rg_free(m, m->live.b[0].p, 0);
        }
        return;
    }
}

static void region_step(region_model *m, pvz_in *in)
{
    unsigned op = pvz_u8(in) % 14u;
    size_t room = m->ch.cur != SIZE_MAX ? pvz_chain_room(&m->ch, m->ch.top) : 0;
    size_t i;
    if (m->live.n >= PVZ_LIVE_MAX - 1) {
        op = 11; /* reset: stay within the model's bounds */
    }
    switch (op) {
    case 0:
    case 1:
    case 2:
        rg_alloc(m, pvz_size(in, room, 6000), PV_ALIGN, 0);
        break;
    case 3: { /* the size, then the alignment: one field at a time (shadow.h) */
        size_t n = pvz_size(in, room, 6000);
        size_t al = pvz_align(in);
        rg_alloc(m, n, al, 1);
        break;
    }
    case 4: { /* realloc(NULL, n) */
        size_t n = pvz_size(in, room, 6000);
        rg_pending pd;
        unsigned char *q;
        pvz_op("%s: realloc(NULL, 0 -> %zu)", m->name, n);
        rg_pre(m, n, PV_ALIGN, &pd);
        q = (unsigned char *)pv_region_realloc(&m->r, NULL, 0, n);
        q = rg_post(m, n, PV_ALIGN, &pd, q);
        if (q != NULL) {
            rg_track(m, q, n, pvz_next_tag(&m->live));
        }
        break;
    }
    case 5:
    case 6:
        i = rg_pick(m, pvz_u8(in));
        if (i != SIZE_MAX) {
            rg_free(m, m->live.b[i].p, m->live.b[i].size);
        }
        break;
    case 7:
    case 8: /* 7 realloc, 8 realloc_aligned: the block, the size, then the alignment */
        i = rg_pick(m, pvz_u8(in));
        if (i != SIZE_MAX) {
            /* near the room above it in the current chunk; for a block of
             * an earlier chunk (it moves), near its own size */
            size_t r2 = rg_in_cur(m, m->live.b[i].p) ? pvz_chain_room(&m->ch, m->live.b[i].p)
                                                     : m->live.b[i].size;
            size_t n = pvz_size(in, r2 < (1u << 20) ? r2 : 64, 6000);
            size_t al = op == 8u ? pvz_align(in) : PV_ALIGN;
            rg_realloc(m, i, n, al, op == 8u);
        }
        break;
    case 9: /* the source fails from now on, or works again */
        m->src.fail = (int)(pvz_u8(in) & 1u);
        pvz_op("%s: source %s", m->name, m->src.fail ? "fails" : "works");
        break;
    case 10:
        region_bad_args(m, in);
        break;
    case 11: {
        pvz_op("%s: reset", m->name);
        rg_note(m);
        pv_region_reset(&m->r); /* keeps every chunk: no source call (rg_check_state) */
        m->live.n = 0;
        m->in_use = 0;
        m->ch.cur = m->ch.n ? 0 : SIZE_MAX;
        m->ch.top = m->ch.n ? pvz_chunk_base(m->ch.mem[0]) : NULL;
        break;
    }
    case 12: { /* destroy, then use again or re-create */
        unsigned k = pvz_u8(in);
        region_destroy_model(m);
        if (k & 1u) {
            pvz_op("%s: init again", m->name);
            pvz_src_init(&m->src, m->src.inner);
            PVZ_CHECK(pv_region_init(&m->r, &m->src.src), "init failed");
            m->peak = 0;
            m->failures = 0;
        }
        break;
    }
    default:
        pvz_op("%s: check-all", m->name);
        break;
    }
    rg_check_state(m);
}

#ifndef PVZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pvz_in in;
    region_model *m;
    unsigned steps = 0;
    pvz_begin_input();
    pvz_in_init(&in, data, size);
    m = region_new("region", NULL);
    while (pvz_more(&in) && steps++ < 4096u) {
        region_step(m, &in);
    }
    region_end(m);
    return 0;
}
#endif
