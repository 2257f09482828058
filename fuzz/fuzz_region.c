/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the region allocator (pv_region.h) over a tracking source
 * that fails on command.
 *
 * The model predicts every block's address exactly (current chunk, first
 * spare that fits, new chunk, or a large block's own chunk), tracks in_use,
 * peak and failures, takes reserved/chunks/gets/puts from the source, and
 * predicts every call to the source: the size of each get (a new chunk's
 * from the growth policy of pv_chain.h, a large block's from its size), in
 * order, and each put (a large block freed, reset, destroy).
 */
#include "shadow.h"

#define RG_LARGE_MAX 48

typedef struct rg_large {
    unsigned char *p;   /* the block */
    unsigned char *top; /* end of its rounded size */
    unsigned char *end; /* end of its chunk's data */
    size_t consumed;    /* padding + round(size) */
    unsigned char *mem; /* its chunk, as the source handed it out */
    size_t total;       /* the chunk's size */
} rg_large;

typedef struct region_model {
    pv_region r;
    pvz_src src;
    pvz_chain ch;
    pvz_live live;
    rg_large lg[RG_LARGE_MAX]; /* large chunks held, oldest first */
    size_t nlg;
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

/* The bytes a large block's own chunk asks of the source: its header, the
 * chunk slack and the request as the chain would need it (pv_region.c). */
static size_t rg_large_total(size_t n, size_t al)
{
    return PV__LARGE_HDR + PV__CHUNK_SLACK + pvz_round(n) + (al > PV_ALIGN ? al : 0u);
}

/* Every chunk held goes back (reset: only the large blocks' own). */
static void rg_expect_release(region_model *m, int chunks_too)
{
    size_t k;
    for (k = m->nlg; k-- > 0;) {
        pvz_src_expect_put(&m->src, m->lg[k].mem, m->lg[k].total);
    }
    for (k = 0; chunks_too && k < m->ch.n; k++) {
        pvz_src_expect_put(&m->src, m->ch.mem[k], m->ch.size[k]);
    }
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
    pvz_chain_init(&m->ch, PV_REGION_CHUNK_MIN);
    pvz_live_init(&m->live);
    PVZ_CHECK(pv_region_init(&m->r, &m->src.src), "%s: init failed", name);
    rg_check_state(m);
    return m;
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
    pvz_op("%s: destroy", m->name);
    pvz_src_check_calls(&m->src, 0, m->name);
    rg_expect_release(m, 1);
    pv_region_destroy(&m->r);
    pvz_src_check_calls(&m->src, 1, m->name);
    pvz_src_check_empty(&m->src, m->name);
    pvz_chain_init(&m->ch, PV_REGION_CHUNK_MIN);
    m->live.n = 0;
    m->nlg = 0;
    m->in_use = 0;
    rg_check_state(m);
}

static void region_end(region_model *m)
{
    region_destroy_model(m);
    free(m);
}

/* One allocation through the model: prediction, call, checks, update.
 * kind 0: pv_region_alloc, 1: pv_region_alloc_aligned, 2: realloc(NULL, ...).
 * Returns the block or NULL. */
typedef struct rg_pending {
    int bad, large;
    pvz_pred pr;
    size_t gets0, refused0;
    pv_stats before;
} rg_pending;

static void rg_pre(region_model *m, size_t n, size_t al, rg_pending *pd)
{
    pd->bad = n == 0 || n > PV__CHAIN_REQ_MAX || !pvz_align_ok(al);
    pd->large = n > PV_REGION_LARGE;
    pd->gets0 = m->src.gets;
    pd->refused0 = m->src.refused;
    m->src.last_mem = NULL;
    pv_region_stats(&m->r, &pd->before);
    if (!pd->bad && !pd->large) {
        pvz_chain_predict(&m->ch, n, al, &pd->pr);
        if (pd->pr.where == 2) {
            pvz_src_expect_get(&m->src, pvz_chain_want(&m->ch, n, al));
        }
    } else if (!pd->bad) {
        pvz_src_expect_get(&m->src, rg_large_total(n, al));
    }
}

static unsigned char *rg_post(region_model *m, size_t n, size_t al, rg_pending *pd,
                              unsigned char *q)
{
    size_t ngets = m->src.gets - pd->gets0;
    size_t consumed;
    pvz_note("%p", (void *)q);
    if (pd->bad) {
        PVZ_CHECK(q == NULL && ngets == 0, "%s: bad request (size %zu, align %zu) gave %p", m->name,
                  n, al, (void *)q);
    } else if (pd->large) {
        PVZ_CHECK(ngets == 1, "%s: a large block took %zu source gets, not 1", m->name, ngets);
        PVZ_CHECK((q == NULL) == (m->src.refused != pd->refused0),
                  "%s: large alloc(%zu) gave %p, but the source %s", m->name, n, (void *)q,
                  m->src.refused != pd->refused0 ? "failed" : "succeeded");
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
    if (pd->large) {
        unsigned char *mem = m->src.last_mem;
        /* a chunk of its own: the pv__large header, then the data aligned up */
        unsigned char *b = pvz_chunk_base(mem + PV__LARGE_HDR),
                      *e = pvz_chunk_end(mem + PV__LARGE_HDR, m->src.last_size - PV__LARGE_HDR);
        size_t pad = (size_t)((al - (uintptr_t)b % al) % al);
        PVZ_CHECK(q == b + pad, "%s: large block at %p, expected %p", m->name, (void *)q,
                  (void *)(b + pad));
        PVZ_CHECK(m->nlg < RG_LARGE_MAX, "harness: too many large blocks");
        consumed = pad + pvz_round(n);
        m->lg[m->nlg].p = q;
        m->lg[m->nlg].top = q + pvz_round(n);
        m->lg[m->nlg].end = e;
        m->lg[m->nlg].consumed = consumed;
        m->lg[m->nlg].mem = mem;
        m->lg[m->nlg].total = m->src.last_size;
        m->nlg++;
        pvz_check_new(&m->live, q, n, al, b, e, m->name);
    } else {
        consumed = pvz_chain_commit(&m->ch, &pd->pr, q, n, al, &m->src, m->name);
        pvz_check_new(&m->live, q, n, al, NULL, NULL, m->name);
    }
    m->in_use += consumed;
    rg_note(m);
    return q;
}

static void rg_track(region_model *m, unsigned char *q, size_t n)
{
    unsigned tag = pvz_next_tag(&m->live);
    size_t i;
    pvz_fill(q, n, tag);
    i = pvz_live_add(&m->live, q, n, tag);
    m->live.b[i].large = n > PV_REGION_LARGE;
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
        rg_track(m, q, n);
    }
}

/* The model of pv_region_free(p, size): does it reclaim, and the update. */
static int rg_free_model(region_model *m, unsigned char *p, size_t size)
{
    if (p == NULL || size == 0) {
        return 0;
    }
    if (size > PV_REGION_LARGE) {
        rg_large *l;
        if (m->nlg == 0) {
            return 0;
        }
        l = &m->lg[m->nlg - 1];
        if ((uintptr_t)p + pvz_round(size) != (uintptr_t)l->top) {
            return 0;
        }
        pvz_src_expect_put(&m->src, l->mem, l->total);
        m->in_use -= l->consumed;
        m->nlg--;
        return 1;
    }
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
    size_t puts0 = m->src.puts;
    int ok;
    bool r;
    pvz_op("%s: free(%p, %zu)", m->name, (void *)p, size);
    pv_region_stats(&m->r, &before);
    ok = rg_free_model(m, p, size);
    r = pv_region_free(&m->r, p, size);
    pvz_note("%s", r ? "reclaimed" : "not reclaimed");
    PVZ_CHECK(r == (bool)ok, "%s: free(%p, %zu) returned %d, promised %d", m->name, (void *)p,
              size, (int)r, ok);
    if (ok) {
        rg_forget(m, p);
        PVZ_CHECK(m->src.puts - puts0 == (size > PV_REGION_LARGE ? 1u : 0u),
                  "%s: free made %zu source puts", m->name, m->src.puts - puts0);
    } else {
        pv_region_stats(&m->r, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
    }
}

#define RG_REALLOC(m, p, old, nsz, al, aligned)                                                   \
    ((aligned) ? pv_region_realloc_aligned(&(m)->r, (p), (old), (nsz), (al))                      \
               : pv_region_realloc(&(m)->r, (p), (old), (nsz)))

/* realloc(p, old -> nsz), or realloc_aligned(p, old -> nsz, al) if aligned. */
static void rg_realloc(region_model *m, size_t bi, size_t nsz, size_t al, int aligned)
{
    pvz_blk *b = &m->live.b[bi];
    unsigned char *p = b->p, *q;
    size_t old = b->size, keep = old < nsz ? old : nsz;
    unsigned tag = b->tag;
    int inplace = 0;
    pv_stats before, after;
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
    if ((old > PV_REGION_LARGE) == (nsz > PV_REGION_LARGE) && (uintptr_t)p % al == 0) {
        if (old > PV_REGION_LARGE) {
            rg_large *l = m->nlg ? &m->lg[m->nlg - 1] : NULL;
            inplace = l != NULL && (uintptr_t)p + pvz_round(old) == (uintptr_t)l->top &&
                      nsz <= (size_t)(l->end - p);
        } else {
            inplace = pvz_chain_is_last(&m->ch, p, old) && nsz <= pvz_chain_room(&m->ch, p);
        }
    }
    if (inplace) {
        q = (unsigned char *)RG_REALLOC(m, p, old, nsz, al, aligned);
        pvz_note("in place: %p", (void *)q);
        PVZ_CHECK(q == p, "%s: realloc(%p, %zu, %zu) should stay in place, gave %p", m->name,
                  (void *)p, old, nsz, (void *)q);
        if (nsz < old) {
            rg_note(m);
        }
        m->in_use = m->in_use - pvz_round(old) + pvz_round(nsz);
        if (old > PV_REGION_LARGE) {
            rg_large *l = &m->lg[m->nlg - 1];
            l->top = p + pvz_round(nsz);
            l->consumed = l->consumed - pvz_round(old) + pvz_round(nsz);
        } else {
            m->ch.top = p + pvz_round(nsz);
        }
        rg_note(m);
        PVZ_CHECK(pvz_holds(p, keep, tag), "%s: in-place realloc lost bytes of the first %zu",
                  m->name, keep);
        b->size = nsz;
        if (nsz > old) {
            pvz_fill(p + old, nsz - old, tag);
        }
        return;
    } else {
        rg_pending pd;
        /* "p freed as by pv_region_free (judged before the new block is
         * made: a p that was the newest large block gives its chunk back)" */
        int was_newest_large = old > PV_REGION_LARGE && m->nlg > 0 &&
                               (uintptr_t)p + pvz_round(old) == (uintptr_t)m->lg[m->nlg - 1].top;
        rg_pre(m, nsz, al, &pd);
        q = (unsigned char *)RG_REALLOC(m, p, old, nsz, al, aligned);
        PVZ_CHECK(q != p, "%s: realloc(%p, %zu, %zu) stayed in place; the model says it moves",
                  m->name, (void *)p, old, nsz);
        q = rg_post(m, nsz, al, &pd, q);
        if (q == NULL) {
            return; /* rg_post checked nothing changed; the block is checked intact below */
        }
        PVZ_CHECK(pvz_holds(q, keep, tag), "%s: moved block did not keep the first %zu bytes",
                  m->name, keep);
        if (was_newest_large) {
            size_t k = m->nlg;
            while (k-- > 0 && m->lg[k].p != p) {
            }
            PVZ_CHECK(k < m->nlg, "harness: lost a large block");
            pvz_src_expect_put(&m->src, m->lg[k].mem, m->lg[k].total);
            m->in_use -= m->lg[k].consumed;
            memmove(&m->lg[k], &m->lg[k + 1], (m->nlg - k - 1) * sizeof m->lg[0]);
            m->nlg--;
        } else {
            (void)rg_free_model(m, p, old);
        }
        rg_forget(m, p);
        rg_track(m, q, nsz);
        m->live.b[m->live.n - 1].tag = tag;
        pvz_fill(q, nsz, tag);
    }
}

/* The live block that is the most recent of the current chunk, else any. */
static size_t rg_pick(region_model *m, unsigned k)
{
    size_t i;
    if (m->live.n == 0) {
        return SIZE_MAX;
    }
    if ((k & 3u) != 0) {
        for (i = 0; i < m->live.n; i++) {
            pvz_blk *b = &m->live.b[i];
            if (b->large ? (m->nlg && m->lg[m->nlg - 1].p == b->p)
                         : pvz_chain_is_last(&m->ch, b->p, b->size)) {
                if ((k & 3u) == 1 || b->large == (int)((k >> 2) & 1u)) {
                    return i;
                }
            }
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
    if (m->live.n >= PVZ_LIVE_MAX - 1 || m->nlg >= RG_LARGE_MAX - 1) {
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
            rg_track(m, q, n);
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
            size_t r2 = m->live.b[i].large ? 4096 : pvz_chain_room(&m->ch, m->live.b[i].p);
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
        size_t puts0 = m->src.puts, nlg = m->nlg;
        pvz_op("%s: reset", m->name);
        rg_note(m);
        pvz_src_check_calls(&m->src, 0, m->name);
        rg_expect_release(m, 0);
        pv_region_reset(&m->r);
        pvz_src_check_calls(&m->src, 1, m->name);
        PVZ_CHECK(m->src.puts - puts0 == nlg, "%s: reset gave back %zu chunks, %zu large held",
                  m->name, m->src.puts - puts0, nlg);
        m->nlg = 0;
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
