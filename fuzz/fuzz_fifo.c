/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the FIFO allocator (pv_fifo.h) over a tracking source that
 * fails on command.
 *
 * The model mirrors the pages: which page each block lives in, each page's
 * live count, the current page and its top, the spare. It predicts every
 * block's address, which pages are recycled, kept as the spare or given
 * back, and checks zeroing, in-place realloc, double-free reports and the
 * statistics after every operation. Aligned blocks (pv_fifo_alloc_aligned,
 * pv_fifo_realloc_aligned) put their padding below their header: the model
 * predicts it from the page's address, counts it in no statistic, and
 * reclaims it with the page.
 */
#include "shadow.h"

#define FF_HDR ((8u + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)
#define FF_PAGE_HDR ((sizeof(pv_fifo_page) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)
#define FF_STD_DATA ((size_t)PV_FIFO_PAGE_SIZE - FF_PAGE_HDR)
#define FF_PAGES 64
#define FF_DEAD 8

typedef struct ff_page {
    unsigned char *mem;
    size_t size;
    size_t live;
    unsigned long epoch; /* changes whenever the page empties */
} ff_page;

typedef struct ff_dead {
    unsigned char *p;
    unsigned char *mem;
    unsigned long epoch;
} ff_dead;

typedef struct fifo_model {
    pv_fifo f;
    pvz_src src;
    pvz_live live;
    ff_page pg[FF_PAGES];
    size_t npg;
    unsigned char *cur;   /* mem of the current page, or NULL */
    unsigned char *top;   /* its top address */
    unsigned char *spare; /* mem of the spare page, or NULL */
    ff_dead dead[FF_DEAD];
    size_t ndead;
    unsigned long serial;
    size_t in_use, peak, failures;
    const char *name;
} fifo_model;

static unsigned char *ff_base(const unsigned char *mem) { return (unsigned char *)mem + FF_PAGE_HDR; }
static unsigned char *ff_end(const ff_page *pg)
{
    return ff_base(pg->mem) + (pg->size - FF_PAGE_HDR) / PV_ALIGN * PV_ALIGN;
}

static ff_page *ff_find(fifo_model *m, const unsigned char *mem)
{
    size_t i;
    for (i = 0; i < m->npg; i++) {
        if (m->pg[i].mem == mem) {
            return &m->pg[i];
        }
    }
    return NULL;
}

static ff_page *ff_page_of(fifo_model *m, const unsigned char *p)
{
    size_t i;
    for (i = 0; i < m->npg; i++) {
        if ((uintptr_t)p >= (uintptr_t)m->pg[i].mem &&
            (uintptr_t)p < (uintptr_t)m->pg[i].mem + m->pg[i].size) {
            return &m->pg[i];
        }
    }
    return NULL;
}

static void ff_check_state(fifo_model *m)
{
    pv_stats st;
    pv_fifo_stats(&m->f, &st);
    PVZ_CHECK(st.in_use == m->in_use, "%s: stats.in_use %zu, model %zu", m->name, st.in_use,
              m->in_use);
    PVZ_CHECK(st.peak_in_use == m->peak, "%s: stats.peak_in_use %zu, model %zu", m->name,
              st.peak_in_use, m->peak);
    PVZ_CHECK(st.failures == m->failures, "%s: stats.failures %zu, model %zu", m->name,
              st.failures, m->failures);
    PVZ_CHECK(m->src.nrec == m->npg, "%s: source holds %zu pages, model %zu", m->name,
              m->src.nrec, m->npg);
    pvz_src_check_stats(&m->src, &st, m->name);
    pvz_live_check(&m->live, m->name);
}

static fifo_model *fifo_new(const char *name, const pv_source *inner)
{
    fifo_model *m = (fifo_model *)calloc(1, sizeof *m);
    if (m == NULL) {
        abort();
    }
    m->name = name;
    pvz_src_init(&m->src, inner);
    pvz_live_init(&m->live);
    PVZ_CHECK(pv_fifo_init(&m->f, &m->src.src), "%s: init failed", name);
    ff_check_state(m);
    return m;
}

static void ff_drop_page(fifo_model *m, ff_page *pg) { *pg = m->pg[--m->npg]; }

static void fifo_destroy_model(fifo_model *m)
{
    pvz_op("%s: destroy (%zu live blocks)", m->name, m->live.n);
    pv_fifo_destroy(&m->f);
    pvz_src_check_empty(&m->src, m->name);
    m->npg = 0;
    m->cur = m->top = m->spare = NULL;
    m->live.n = 0;
    m->ndead = 0;
    m->in_use = 0;
    ff_check_state(m);
}

static void fifo_end(fifo_model *m)
{
    fifo_destroy_model(m);
    free(m);
}

/* A page whose live count reached zero (pv_fifo.c's page_empty, as the
 * header describes it): rewound if current, else the spare if there is none
 * and it has the standard size, else given back. */
static void ff_page_empty(fifo_model *m, ff_page *pg)
{
    pg->epoch = ++m->serial;
    if (pg->mem == m->cur) {
        m->top = ff_base(pg->mem);
    } else if (m->spare == NULL && pg->size == PV_FIFO_PAGE_SIZE) {
        m->spare = pg->mem;
    } else {
        ff_drop_page(m, pg);
    }
}

/* Bytes of padding that put a block's address, a header above `h`, on al. */
static size_t ff_pad(const unsigned char *h, size_t al)
{
    uintptr_t b = (uintptr_t)h + FF_HDR;
    return (size_t)((b + (al - 1u)) / al * al - b);
}

/* pv_fifo_alloc through the model (mode 0), or realloc(NULL, n) (mode 1), or
 * a realloc(oldp, n) that moves (mode 2: the inner alloc, copy and free);
 * al != 0: the _aligned calls (pv_fifo_alloc_aligned, realloc_aligned(NULL),
 * a moving realloc_aligned) with alignment al.
 * Returns the block (content checked, not yet tracked) or NULL. */
static unsigned char *ff_alloc_call(fifo_model *m, size_t n, size_t al, int mode,
                                    unsigned char *oldp, size_t old, unsigned tag)
{
    int bad = n == 0 || n > PV_FIFO_MAX_BLOCK || (al != 0 && !pvz_align_ok(al));
    size_t eff = (al > PV_ALIGN) ? al : 1u; /* the alignment the padding serves */
    size_t need = FF_HDR + n + (eff > 1u ? eff - PV_ALIGN : 0u); /* what page_for is asked */
    size_t gets0 = m->src.gets, puts0 = m->src.puts, ngets;
    unsigned char *want = NULL, *q;
    int where = 0; /* 0 cur, 1 spare, 2 new page */
    ff_page *cur = m->cur ? ff_find(m, m->cur) : NULL;
    pv_stats before, after;
    pv_fifo_stats(&m->f, &before);
    m->src.last_mem = NULL;
    if (!bad) {
        size_t pad = cur != NULL ? ff_pad(m->top, eff) : 0u;
        if (cur != NULL && pad + FF_HDR + n <= (size_t)(ff_end(cur) - m->top)) {
            want = m->top + pad + FF_HDR;
        } else if (pvz_round(need) <= FF_STD_DATA && m->spare != NULL) {
            where = 1;
            want = ff_base(m->spare) + ff_pad(ff_base(m->spare), eff) + FF_HDR;
        } else {
            where = 2;
        }
    }
    switch (mode + (al != 0 ? 3 : 0)) {
    case 0: q = (unsigned char *)pv_fifo_alloc(&m->f, n); break;
    case 1: q = (unsigned char *)pv_fifo_realloc(&m->f, NULL, n); break;
    case 2: q = (unsigned char *)pv_fifo_realloc(&m->f, oldp, n); break;
    case 3: q = (unsigned char *)pv_fifo_alloc_aligned(&m->f, n, al); break;
    case 4: q = (unsigned char *)pv_fifo_realloc_aligned(&m->f, NULL, n, al); break;
    default: q = (unsigned char *)pv_fifo_realloc_aligned(&m->f, oldp, n, al); break;
    }
    pvz_note("%p", (void *)q);
    ngets = m->src.gets - gets0;
    if (bad) {
        PVZ_CHECK(q == NULL && ngets == 0, "%s: alloc(%zu) gave %p", m->name, n, (void *)q);
    } else if (where != 2) {
        PVZ_CHECK(q == want && ngets == 0, "%s: alloc(%zu) gave %p (%zu gets), the model expected %p",
                  m->name, n, (void *)q, ngets, (void *)want);
    } else {
        PVZ_CHECK(ngets == 1, "%s: alloc(%zu) needed a page; %zu gets", m->name, n, ngets);
        PVZ_CHECK((q == NULL) == (m->src.last_mem == NULL), "%s: alloc(%zu) gave %p, the source %s",
                  m->name, n, (void *)q, m->src.last_mem ? "gave a page" : "failed");
        if (q != NULL) {
            size_t want_size = pvz_round(need) <= FF_STD_DATA ? (size_t)PV_FIFO_PAGE_SIZE
                                                              : FF_PAGE_HDR + pvz_round(need);
            PVZ_CHECK(m->src.last_size == want_size, "%s: page of %zu bytes, expected %zu",
                      m->name, m->src.last_size, want_size);
            unsigned char *base = ff_base(m->src.last_mem);
            want = base + ff_pad(base, eff) + FF_HDR;
            PVZ_CHECK(q == want, "%s: block at %p, expected %p at the start of the new page",
                      m->name, (void *)q, (void *)want);
        }
    }
    if (q == NULL) {
        m->failures++;
        pv_fifo_stats(&m->f, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES | PVZ_ST_GETS, m->name);
        return NULL;
    }
    if (mode == 2) {
        size_t keep = old < n ? old : n;
        PVZ_CHECK(pvz_holds(q, keep, tag), "%s: moved block did not keep the first %zu bytes",
                  m->name, keep);
        PVZ_CHECK(pvz_is_zero(q + keep, n - keep), "%s: moved block's new bytes not zeroed",
                  m->name);
    } else {
        PVZ_CHECK(pvz_is_zero(q, n), "%s: block %p of %zu bytes not zeroed", m->name, (void *)q,
                  n);
    }
    pvz_check_new(&m->live, q, n, eff > PV_ALIGN ? eff : PV_ALIGN, NULL, NULL, m->name);
    if (where == 0) {
        m->top = q - FF_HDR + pvz_round(FF_HDR + n);
        cur->live++;
    } else {
        ff_page *pg;
        unsigned char *old = m->cur;
        ff_page *oldpg = cur;
        if (where == 1) {
            pg = ff_find(m, m->spare);
            m->spare = NULL;
        } else {
            PVZ_CHECK(m->npg < FF_PAGES, "harness: too many pages");
            pg = &m->pg[m->npg++];
            pg->mem = m->src.last_mem;
            pg->size = m->src.last_size;
            pg->live = 0;
            pg->epoch = ++m->serial;
        }
        m->cur = pg->mem;
        m->top = q - FF_HDR + pvz_round(FF_HDR + n);
        pg->live++;
        if (old != NULL && oldpg->live == 0) {
            ff_page_empty(m, oldpg); /* may move pg in the table: nothing used after */
        }
    }
    PVZ_CHECK(pvz_src_find(&m->src, q, n) != NULL, "%s: block outside every page", m->name);
    (void)puts0;
    m->in_use += FF_HDR + pvz_round(n);
    if (m->in_use > m->peak) {
        m->peak = m->in_use;
    }
    return q;
}

static void ff_track(fifo_model *m, unsigned char *q, size_t n, unsigned tag)
{
    pvz_fill(q, n, tag);
    pvz_live_add(&m->live, q, n, tag);
}

static void ff_free_model(fifo_model *m, unsigned char *p, size_t n)
{
    ff_page *pg = ff_page_of(m, p);
    PVZ_CHECK(pg != NULL && pg->live > 0, "harness: freeing a block of no page");
    m->in_use -= FF_HDR + pvz_round(n);
    m->dead[m->ndead % FF_DEAD].p = p;
    m->dead[m->ndead % FF_DEAD].mem = pg->mem;
    m->dead[m->ndead % FF_DEAD].epoch = pg->epoch;
    m->ndead++;
    if (--pg->live == 0) {
        ff_page_empty(m, pg);
    }
}

static void ff_free(fifo_model *m, size_t bi)
{
    unsigned char *p = m->live.b[bi].p;
    size_t n = m->live.b[bi].size;
    pvz_op("%s: free(%p) [%zu bytes]", m->name, (void *)p, n);
    PVZ_CHECK(pv_fifo_block_size(&m->f, p) == n, "%s: block_size(%p) %zu, allocated %zu", m->name,
              (void *)p, pv_fifo_block_size(&m->f, p), n);
    pvz_live_del(&m->live, bi);
    ff_free_model(m, p, n);
    pv_fifo_free(&m->f, p);
}

/* A freed block whose page has stayed held and not emptied since. */
static unsigned char *ff_dead_block(fifo_model *m, unsigned k)
{
    size_t i, n = m->ndead < FF_DEAD ? m->ndead : FF_DEAD;
    for (i = 0; i < n; i++) {
        ff_dead *d = &m->dead[(k + i) % n];
        ff_page *pg = ff_find(m, d->mem);
        if (pg != NULL && pg->epoch == d->epoch && pg->live > 0) {
            return d->p;
        }
    }
    return NULL;
}

static void ff_double_free(fifo_model *m, unsigned k)
{
    unsigned char *p = ff_dead_block(m, k);
    unsigned long mis0 = pvz_misuse_count;
    pv_stats before, after;
    if (p == NULL) {
        return;
    }
    pv_fifo_stats(&m->f, &before);
    switch (k % 3u) {
    case 0:
        pvz_op("%s: free(%p) again (double free)", m->name, (void *)p);
        pv_fifo_free(&m->f, p);
        break;
    case 1:
        pvz_op("%s: block_size(%p) of a freed block", m->name, (void *)p);
        PVZ_CHECK(pv_fifo_block_size(&m->f, p) == 0, "%s: block_size of a freed block not 0",
                  m->name);
        break;
    default:
        if (k & 8u) {
            pvz_op("%s: realloc_aligned(%p, 16, 64) of a freed block", m->name, (void *)p);
            PVZ_CHECK(pv_fifo_realloc_aligned(&m->f, p, 16, 64) == NULL,
                      "%s: realloc_aligned of a freed block worked", m->name);
        } else {
            pvz_op("%s: realloc(%p, 16) of a freed block", m->name, (void *)p);
            PVZ_CHECK(pv_fifo_realloc(&m->f, p, 16) == NULL, "%s: realloc of a freed block worked",
                      m->name);
        }
        m->failures++;
        break;
    }
    PVZ_CHECK(pvz_misuse_count > mis0 && pvz_misuse_kind == PV_MISUSE_DOUBLE_FREE,
              "%s: use of a freed block not reported as PV_MISUSE_DOUBLE_FREE", m->name);
    pv_fifo_stats(&m->f, &after);
    pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
}

/* pv_fifo_realloc (al 0) or pv_fifo_realloc_aligned(.., al) of live block bi. */
static void ff_realloc(fifo_model *m, size_t bi, size_t nsz, size_t al)
{
    pvz_blk *b = &m->live.b[bi];
    unsigned char *p = b->p, *h = b->p - FF_HDR, *q;
    size_t old = b->size, keep = old < nsz ? old : nsz;
    unsigned tag = b->tag;
    ff_page *pg = ff_page_of(m, p);
    pv_stats before, after;
    if (al != 0) {
        pvz_op("%s: realloc_aligned(%p, %zu -> %zu, %zu)", m->name, (void *)p, old, nsz, al);
    } else {
        pvz_op("%s: realloc(%p, %zu -> %zu)", m->name, (void *)p, old, nsz);
    }
    pv_fifo_stats(&m->f, &before);
    if (nsz == 0 || nsz > PV_FIFO_MAX_BLOCK || (al != 0 && !pvz_align_ok(al))) {
        q = (unsigned char *)(al != 0 ? pv_fifo_realloc_aligned(&m->f, p, nsz, al)
                                      : pv_fifo_realloc(&m->f, p, nsz));
        PVZ_CHECK(q == NULL, "%s: realloc to %zu gave %p", m->name, nsz, (void *)q);
        m->failures++;
        pv_fifo_stats(&m->f, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
        return;
    }
    if (pg->mem == m->cur && h + pvz_round(FF_HDR + old) == m->top &&
        FF_HDR + nsz <= (size_t)(ff_end(pg) - h) && (al == 0 || (uintptr_t)p % al == 0)) {
        q = (unsigned char *)(al != 0 ? pv_fifo_realloc_aligned(&m->f, p, nsz, al)
                                      : pv_fifo_realloc(&m->f, p, nsz));
        pvz_note("in place: %p", (void *)q);
        PVZ_CHECK(q == p, "%s: realloc(%p, %zu) should stay in place, gave %p", m->name, (void *)p,
                  nsz, (void *)q);
        PVZ_CHECK(pvz_holds(p, keep, tag), "%s: in-place realloc lost some of the first %zu bytes",
                  m->name, keep);
        if (nsz > old) {
            PVZ_CHECK(pvz_is_zero(p + old, nsz - old), "%s: grown bytes not zeroed", m->name);
            pvz_fill(p + old, nsz - old, tag);
        }
        m->top = h + pvz_round(FF_HDR + nsz);
        m->in_use = m->in_use - pvz_round(old) + pvz_round(nsz);
        if (m->in_use > m->peak) {
            m->peak = m->in_use;
        }
        b->size = nsz;
        return;
    }
    /* moves: new block, copy, free the old one */
    q = ff_alloc_call(m, nsz, al, 2, p, old, tag);
    if (q == NULL) {
        return; /* p intact: checked with every live block */
    }
    pvz_live_del(&m->live, bi);
    ff_free_model(m, p, old);
    ff_track(m, q, nsz, tag);
}

static size_t ff_pick(fifo_model *m, unsigned k)
{
    size_t i, best = SIZE_MAX;
    if (m->live.n == 0) {
        return SIZE_MAX;
    }
    if ((k & 3u) == 0) { /* the lowest address: often the oldest */
        for (i = 0; i < m->live.n; i++) {
            if (best == SIZE_MAX || (uintptr_t)m->live.b[i].p < (uintptr_t)m->live.b[best].p) {
                best = i;
            }
        }
        return best;
    }
    if ((k & 3u) == 1) { /* the last block of the current page */
        for (i = 0; i < m->live.n; i++) {
            if (m->live.b[i].p - FF_HDR + pvz_round(FF_HDR + m->live.b[i].size) == m->top) {
                return i;
            }
        }
    }
    return (k >> 2) % m->live.n;
}

static void fifo_bad_args(fifo_model *m, pvz_in *in)
{
    unsigned k = pvz_u8(in) % 4u;
    pv_stats st;
    pvz_op("%s: NULL-handle call #%u", m->name, k);
    switch (k) {
    case 0:
        PVZ_CHECK(pv_fifo_alloc(NULL, 8) == NULL && pv_fifo_realloc(NULL, NULL, 8) == NULL,
                  "alloc on a NULL FIFO");
        PVZ_CHECK(pv_fifo_alloc_aligned(NULL, 8, 16) == NULL &&
                      pv_fifo_realloc_aligned(NULL, NULL, 8, 16) == NULL &&
                      pv_fifo_alloc_aligned(NULL, 8, 3) == NULL,
                  "alloc_aligned on a NULL FIFO");
        break;
    case 1:
        pv_fifo_free(NULL, m);
        pv_fifo_free(&m->f, NULL);
        PVZ_CHECK(pv_fifo_block_size(NULL, m) == 0 && pv_fifo_block_size(&m->f, NULL) == 0,
                  "block_size of NULL");
        break;
    case 2:
        memset(&st, 0xa5, sizeof st);
        pv_fifo_stats(NULL, &st);
        PVZ_CHECK(st.in_use == 0 && st.reserved == 0 && st.failures == 0 && st.peak_in_use == 0 &&
                      st.chunks == 0 && st.source_gets == 0 && st.source_puts == 0,
                  "stats of a NULL FIFO not zero");
        pv_fifo_stats(&m->f, NULL);
        break;
    default:
        PVZ_CHECK(!pv_fifo_init(NULL, NULL), "init(NULL)");
        pv_fifo_destroy(NULL);
        break;
    }
}

/* A new aligned block: alloc_aligned(n, al), or realloc_aligned(NULL, n, al)
 * if through_realloc; the size, then the alignment. */
static void ff_aligned_new(fifo_model *m, pvz_in *in, size_t room, int through_realloc)
{
    size_t n = pvz_size(in, room, 70000);
    size_t al = pvz_align(in);
    unsigned char *q;
    pvz_op("%s: %s(%s%zu, %zu)", m->name, through_realloc ? "realloc_aligned" : "alloc_aligned",
           through_realloc ? "NULL, " : "", n, al);
    q = ff_alloc_call(m, n, al, through_realloc, NULL, 0, 0);
    if (q != NULL) {
        ff_track(m, q, n, pvz_next_tag(&m->live));
    }
}

static void fifo_step(fifo_model *m, pvz_in *in)
{
    unsigned op = pvz_u8(in) % 13u;
    size_t room = 0, i;
    ff_page *cur = m->cur ? ff_find(m, m->cur) : NULL;
    if (cur != NULL) {
        room = (size_t)(ff_end(cur) - m->top);
        room = room > FF_HDR ? room - FF_HDR : 0;
    }
    if (m->live.n >= PVZ_LIVE_MAX - 1 || m->npg >= FF_PAGES - 2) {
        op = 4; /* free: stay within the model's bounds */
    }
    switch (op) {
    case 0:
    case 1:
    case 2: {
        size_t n = pvz_size(in, room, 70000);
        unsigned char *q;
        pvz_op("%s: alloc(%zu)", m->name, n);
        q = ff_alloc_call(m, n, 0, 0, NULL, 0, 0);
        if (q != NULL) {
            ff_track(m, q, n, pvz_next_tag(&m->live));
        }
        break;
    }
    case 3: {
        size_t n = pvz_size(in, room, 70000);
        unsigned char *q;
        pvz_op("%s: realloc(NULL, %zu)", m->name, n);
        q = ff_alloc_call(m, n, 0, 1, NULL, 0, 0);
        if (q != NULL) {
            ff_track(m, q, n, pvz_next_tag(&m->live));
        }
        break;
    }
    case 4:
    case 5:
    case 6:
        i = ff_pick(m, pvz_u8(in));
        if (i != SIZE_MAX) {
            ff_free(m, i);
        }
        break;
    case 7:
    case 8:
        i = ff_pick(m, pvz_u8(in));
        if (i != SIZE_MAX) {
            pvz_blk *b = &m->live.b[i];
            size_t r2 = (b->p - FF_HDR + pvz_round(FF_HDR + b->size) == m->top) ? room + b->size : b->size;
            size_t n = pvz_size(in, r2, 70000);
            ff_realloc(m, i, n, 0);
        }
        break;
    case 9:
        ff_double_free(m, pvz_u8(in));
        break;
    case 10:
        m->src.fail = (int)(pvz_u8(in) & 1u);
        pvz_op("%s: source %s", m->name, m->src.fail ? "fails" : "works");
        break;
    case 11: {
        unsigned k = pvz_u8(in);
        if (k & 2u) {
            fifo_bad_args(m, in);
        } else {
            fifo_destroy_model(m);
            if (k & 1u) {
                pvz_op("%s: init again", m->name);
                pvz_src_init(&m->src, m->src.inner);
                PVZ_CHECK(pv_fifo_init(&m->f, &m->src.src), "init failed");
                m->peak = 0;
                m->failures = 0;
            }
        }
        break;
    }
    default: {
        /* one byte: check-all (the earlier meaning of this operation, which
         * read nothing), alloc_aligned, or realloc_aligned (of a live block
         * picked by a second byte; of NULL when none is live) */
        unsigned k = pvz_u8(in) % 3u;
        if (k == 0) {
            pvz_op("%s: check-all", m->name);
        } else if (k == 1) {
            ff_aligned_new(m, in, room, 0);
        } else {
            unsigned pick = pvz_u8(in);
            i = ff_pick(m, pick);
            if (i != SIZE_MAX) {
                pvz_blk *b = &m->live.b[i];
                int last = b->p - FF_HDR + pvz_round(FF_HDR + b->size) == m->top;
                size_t r2 = last ? room + b->size : b->size;
                size_t n = pvz_size(in, r2, 70000);
                size_t al = pvz_align(in);
                ff_realloc(m, i, n, al);
            } else {
                ff_aligned_new(m, in, room, 1);
            }
        }
        break;
    }
    }
    ff_check_state(m);
}

#ifndef PVZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pvz_in in;
    fifo_model *m;
    unsigned steps = 0;
    pvz_begin_input();
    pvz_install_misuse_handler();
    pvz_in_init(&in, data, size);
    m = fifo_new("fifo", NULL);
    while (pvz_more(&in) && steps++ < 4096u) {
        fifo_step(m, &in);
    }
    fifo_end(m);
    return 0;
}
#endif
