/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the stack allocator (pv_stack.h) over a tracking source that
 * fails on command.
 *
 * The model keeps the open frames (cookie, chunk, top, in_use and the live
 * blocks at push), the cookies already popped or forgotten (stale), a second
 * stack for foreign cookies, and predicts every block's address exactly.
 * Every pop with a cookie that is not the innermost open frame must be
 * refused, change nothing and be reported as PV_MISUSE_BAD_COOKIE. Every
 * call to the source is predicted: the size of each get from the growth
 * policy of pv_chain.h, in order; the puts of destroy; none elsewhere.
 */
#include "shadow.h"

#define ST_FRAMES 24
#define ST_STALE 8

typedef struct st_frame {
    pv_stack_frame f;
    size_t cur;
    unsigned char *top;
    size_t in_use;
    size_t seq; /* blocks allocated from this sequence number on die at pop */
} st_frame;

typedef struct stack_model {
    pv_stack s;
    pv_stack other; /* a second stack: its cookies are foreign to s */
    pvz_src src;
    pvz_chain ch;
    pvz_live live; /* aux: allocation sequence number */
    st_frame fr[ST_FRAMES];
    size_t nfr;
    pv_stack_frame stale[ST_STALE];
    size_t nstale;
    size_t seq;
    size_t in_use, peak, failures;
    const char *name;
} stack_model;

/* Every field of the statistics, and every source call since the last check. */
static void st_check_stats(stack_model *m)
{
    pv_stats st;
    pv_stack_stats(&m->s, &st);
    PVZ_CHECK(st.in_use == m->in_use, "%s: stats.in_use %zu, model %zu", m->name, st.in_use,
              m->in_use);
    PVZ_CHECK(st.peak_in_use == m->peak, "%s: stats.peak_in_use %zu, model %zu", m->name,
              st.peak_in_use, m->peak);
    PVZ_CHECK(st.failures == m->failures, "%s: stats.failures %zu, model %zu", m->name,
              st.failures, m->failures);
    pvz_src_check_stats(&m->src, &st, m->name);
    pvz_src_check_calls(&m->src, 0, m->name);
}

static void st_check_state(stack_model *m)
{
    st_check_stats(m);
    PVZ_CHECK(pv_stack_depth(&m->s) == m->nfr, "%s: depth %zu, model %zu", m->name,
              pv_stack_depth(&m->s), m->nfr);
    pvz_live_check(&m->live, m->name);
}

static void st_note(stack_model *m)
{
    if (m->in_use > m->peak) {
        m->peak = m->in_use;
    }
}

static void st_stale(stack_model *m, pv_stack_frame f)
{
    m->stale[m->nstale % ST_STALE] = f;
    m->nstale++;
}

static void st_forget_frames(stack_model *m)
{
    while (m->nfr > 0) {
        st_stale(m, m->fr[--m->nfr].f);
    }
}

static stack_model *stack_new(const char *name, const pv_source *inner)
{
    stack_model *m = (stack_model *)calloc(1, sizeof *m);
    if (m == NULL) {
        abort();
    }
    m->name = name;
    pvz_src_init(&m->src, inner);
    pvz_chain_init(&m->ch, PV_STACK_CHUNK_MIN);
    pvz_live_init(&m->live);
    PVZ_CHECK(pv_stack_init(&m->s, &m->src.src), "%s: init failed", name);
    PVZ_CHECK(pv_stack_init(&m->other, NULL), "%s: init failed", name);
    st_check_state(m);
    return m;
}

static void stack_destroy_model(stack_model *m)
{
    size_t k;
    pvz_op("%s: destroy", m->name);
    pvz_src_check_calls(&m->src, 0, m->name);
    for (k = 0; k < m->ch.n; k++) {
        pvz_src_expect_put(&m->src, m->ch.mem[k], m->ch.size[k]);
    }
    pv_stack_destroy(&m->s);
    pvz_src_check_calls(&m->src, 1, m->name);
    pvz_src_check_empty(&m->src, m->name);
    st_forget_frames(m);
    pvz_chain_init(&m->ch, PV_STACK_CHUNK_MIN);
    m->live.n = 0;
    m->in_use = 0;
    st_check_state(m);
}

static void stack_end(stack_model *m)
{
    stack_destroy_model(m);
    pv_stack_destroy(&m->other);
    free(m);
}

static void st_forget(stack_model *m, const unsigned char *p)
{
    size_t i;
    for (i = 0; i < m->live.n; i++) {
        if (m->live.b[i].p == p) {
            pvz_live_del(&m->live, i);
            return;
        }
    }
}

/* One allocation of n bytes aligned on al: kind 0 alloc, 1 alloc_aligned,
 * 2 realloc(NULL, 0, n). Returns the block (tracked) or NULL. */
static unsigned char *st_alloc_call(stack_model *m, size_t n, size_t al, int kind,
                                    unsigned char *oldp, size_t old)
{
    int bad = n == 0 || n > PV__CHAIN_REQ_MAX || !pvz_align_ok(al);
    size_t gets0 = m->src.gets, refused0 = m->src.refused, ngets;
    pvz_pred pr;
    pv_stats before, after;
    unsigned char *q;
    pv_stack_stats(&m->s, &before);
    m->src.last_mem = NULL;
    if (!bad) {
        pvz_chain_predict(&m->ch, n, al, &pr);
        if (pr.where == 2) {
            pvz_src_expect_get(&m->src, pvz_chain_want(&m->ch, n, al));
        }
    }
    switch (kind) {
    case 0: q = (unsigned char *)pv_stack_alloc(&m->s, n); break;
    case 1: q = (unsigned char *)pv_stack_alloc_aligned(&m->s, n, al); break;
    default: q = (unsigned char *)pv_stack_realloc(&m->s, oldp, old, n); break;
    }
    pvz_note("%p", (void *)q);
    ngets = m->src.gets - gets0;
    if (bad) {
        PVZ_CHECK(q == NULL && ngets == 0, "%s: bad request (size %zu, align %zu) gave %p", m->name,
                  n, al, (void *)q);
    } else if (pr.where != 2) {
        PVZ_CHECK(ngets == 0 && q != NULL,
                  "%s: request of %zu (align %zu) fits in a chunk held, gave %p after %zu gets",
                  m->name, n, al, (void *)q, ngets);
    } else {
        PVZ_CHECK(ngets == 1, "%s: request of %zu needed a chunk; %zu source gets", m->name, n,
                  ngets);
        PVZ_CHECK((q == NULL) == (m->src.refused != refused0),
                  "%s: request of %zu gave %p, but the source %s", m->name, n, (void *)q,
                  m->src.refused != refused0 ? "failed" : "succeeded");
    }
    if (q == NULL) {
        m->failures++;
        pv_stack_stats(&m->s, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES | PVZ_ST_GETS, m->name);
        return NULL;
    }
    m->in_use += pvz_chain_commit(&m->ch, &pr, q, n, al, &m->src, m->name);
    st_note(m);
    pvz_check_new(&m->live, q, n, al, NULL, NULL, m->name);
    return q;
}

static void st_track(stack_model *m, unsigned char *q, size_t n, unsigned tag)
{
    size_t i;
    if (m->nfr > 0) {
        /* A block of a frame lies above the frame's start, so that the pop
         * releases it (independent of the model's free and realloc rules). */
        const st_frame *fr = &m->fr[m->nfr - 1];
        PVZ_CHECK(fr->cur != m->ch.cur || fr->top == NULL || (uintptr_t)q >= (uintptr_t)fr->top,
                  "%s: block %p of the innermost frame starts below the frame's start %p",
                  m->name, (void *)q, (void *)fr->top);
    }
    i = pvz_live_add(&m->live, q, n, tag);
    m->live.b[i].aux = m->seq++;
}

static void st_alloc(stack_model *m, size_t n, size_t al, int aligned)
{
    unsigned char *q;
    pvz_op("%s: %s(%zu, %zu)", m->name, aligned ? "alloc_aligned" : "alloc", n,
           aligned ? al : (size_t)PV_ALIGN);
    q = st_alloc_call(m, n, aligned ? al : PV_ALIGN, aligned, NULL, 0);
    if (q != NULL) {
        unsigned tag = pvz_next_tag(&m->live);
        pvz_fill(q, n, tag);
        st_track(m, q, n, tag);
    }
}

/* pv_stack.h: a block "allocated before the innermost push" is not freed,
 * shrinks in place without moving the top, and grows only by moving: p
 * starts below the start of the innermost open frame, in the chunk the frame
 * began in (a frame that began in an earlier chunk holds every block here). */
static int st_before_frame(const stack_model *m, const unsigned char *p)
{
    const st_frame *fr;
    if (m->nfr == 0) {
        return 0;
    }
    fr = &m->fr[m->nfr - 1];
    if (fr->cur != m->ch.cur || fr->top == NULL) {
        return 0;
    }
    return (uintptr_t)p < (uintptr_t)fr->top;
}

static void st_free(stack_model *m, unsigned char *p, size_t size)
{
    pv_stats before, after;
    int ok = pvz_chain_is_last(&m->ch, p, size) && !st_before_frame(m, p);
    bool r;
    pvz_op("%s: free(%p, %zu)", m->name, (void *)p, size);
    pv_stack_stats(&m->s, &before);
    r = pv_stack_free(&m->s, p, size);
    PVZ_CHECK(r == (bool)ok, "%s: free(%p, %zu) returned %d, promised %d", m->name, (void *)p,
              size, (int)r, ok);
    if (ok) {
        m->in_use -= pvz_round(size);
        m->ch.top = p;
        st_forget(m, p);
    } else {
        pv_stack_stats(&m->s, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
    }
}

static void st_realloc(stack_model *m, size_t bi, size_t nsz)
{
    pvz_blk *b = &m->live.b[bi];
    unsigned char *p = b->p, *q;
    size_t old = b->size, keep = old < nsz ? old : nsz;
    unsigned tag = b->tag;
    int before = pvz_chain_is_last(&m->ch, p, old) && st_before_frame(m, p);
    if (pvz_skip_known && nsz > 0 && st_before_frame(m, p)) {
        return; /* known src bugs (fuzz/README.md): only fuzz-mutants skips them */
    }
    pvz_op("%s: realloc(%p, %zu -> %zu)", m->name, (void *)p, old, nsz);
    if (nsz != 0 && nsz <= PV__CHAIN_REQ_MAX && before && nsz <= old) {
        q = (unsigned char *)pv_stack_realloc(&m->s, p, old, nsz);
        pvz_note("in place, top kept: %p", (void *)q);
        PVZ_CHECK(q == p, "%s: realloc(%p, %zu, %zu) of a block from before the push should "
                  "shrink in place, gave %p", m->name, (void *)p, old, nsz, (void *)q);
        PVZ_CHECK(pvz_holds(p, keep, tag), "%s: in-place shrink lost some of the first %zu bytes",
                  m->name, keep);
        b->size = nsz; /* the top stays: the block is no longer the most recent of nsz bytes */
        return;
    }
    if (nsz != 0 && nsz <= PV__CHAIN_REQ_MAX && pvz_chain_is_last(&m->ch, p, old) &&
        nsz <= pvz_chain_room(&m->ch, p) && !before) {
        q = (unsigned char *)pv_stack_realloc(&m->s, p, old, nsz);
        pvz_note("in place: %p", (void *)q);
        PVZ_CHECK(q == p, "%s: realloc(%p, %zu, %zu) should stay in place, gave %p", m->name,
                  (void *)p, old, nsz, (void *)q);
        m->in_use = m->in_use - pvz_round(old) + pvz_round(nsz);
        m->ch.top = p + pvz_round(nsz);
        st_note(m);
        PVZ_CHECK(pvz_holds(p, keep, tag), "%s: in-place realloc lost some of the first %zu bytes",
                  m->name, keep);
        b->size = nsz;
        if (nsz > old) {
            pvz_fill(p + old, nsz - old, tag);
        }
        return;
    }
    q = st_alloc_call(m, nsz, PV_ALIGN, 2, p, old);
    if (q == NULL) {
        return;
    }
    PVZ_CHECK(q != p, "%s: realloc stayed in place; the model says it moves", m->name);
    PVZ_CHECK(pvz_holds(q, keep, tag), "%s: moved block did not keep the first %zu bytes",
              m->name, keep);
    st_forget(m, p); /* the old block stays allocated until its frame is popped */
    pvz_fill(q, nsz, tag);
    st_track(m, q, nsz, tag);
}

static void st_push(stack_model *m)
{
    st_frame *fr = &m->fr[m->nfr];
    pvz_op("%s: push (depth %zu)", m->name, m->nfr);
    fr->f = pv_stack_push(&m->s);
    fr->cur = m->ch.cur;
    fr->top = m->ch.top;
    fr->in_use = m->in_use;
    fr->seq = m->seq;
    m->nfr++;
}

static void st_pop_ok(stack_model *m)
{
    st_frame *fr = &m->fr[m->nfr - 1];
    size_t i = 0;
    st_note(m);
    m->in_use = fr->in_use;
    m->ch.cur = fr->cur;
    m->ch.top = fr->top;
    while (i < m->live.n) {
        if (m->live.b[i].aux >= fr->seq) {
            pvz_live_del(&m->live, i);
        } else {
            i++;
        }
    }
    st_stale(m, fr->f);
    m->nfr--;
}

static void st_pop(stack_model *m, pvz_in *in)
{
    unsigned k = pvz_u8(in);
    pv_stack_frame f;
    int ok = 0;
    const char *what;
    unsigned long mis0 = pvz_misuse_count;
    bool r;
    pv_stats before, after;
    memset(&f, 0, sizeof f);
    switch (k % 8u) {
    case 0:
    case 1:
    case 2:
        what = "innermost";
        if (m->nfr > 0) {
            f = m->fr[m->nfr - 1].f;
            ok = 1;
        }
        break;
    case 3:
        what = "outer (out of order)";
        if (m->nfr > 1) {
            f = m->fr[(k >> 3) % (m->nfr - 1)].f;
        }
        break;
    case 4:
        what = "stale";
        if (m->nstale > 0) {
            size_t n = m->nstale < ST_STALE ? m->nstale : ST_STALE;
            f = m->stale[(m->nstale - 1 - (k >> 3) % n) % ST_STALE];
        }
        break;
    case 5:
        what = "forged generation";
        if (m->nfr > 0) {
            f = m->fr[m->nfr - 1].f;
            f.gen += 1u + (k >> 3);
        }
        break;
    case 6: {
        pv_stack_frame g = pv_stack_push(&m->other);
        what = "foreign";
        f = g;
        if (m->nfr > 0 && (k & 8u)) { /* the innermost's generation, the other stack's life */
            f = m->fr[m->nfr - 1].f;
            f.life = g.life;
        }
        pvz_op("%s: pop (%s cookie)", m->name, what);
        pv_stack_stats(&m->s, &before);
        r = pv_stack_pop(&m->s, f);
        PVZ_CHECK(!r, "%s: pop accepted a foreign cookie", m->name);
        PVZ_CHECK(pv_stack_pop(&m->other, g), "%s: the other stack refused its own cookie",
                  m->name);
        PVZ_CHECK(pvz_misuse_count > mis0 && pvz_misuse_kind == PV_MISUSE_BAD_COOKIE,
                  "%s: refused pop not reported as PV_MISUSE_BAD_COOKIE", m->name);
        pv_stack_stats(&m->s, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
        return;
    }
    default:
        what = "never pushed";
        /* this life's next generation: handed out by no push yet (and 0,
         * which no push hands out, once the counter is at its end) */
        f.gen = (uint64_t)m->s.chain.gen_next + 1u;
        f.life = m->s.chain.life;
        break;
    }
    /* pv_stack_pop: refused "iff f is not the innermost open frame of s".
     * Only the innermost case is that frame's cookie: generations are unique
     * within a life and every init starts a new life (pv_stack_init), so a
     * stale cookie -- popped, forgotten at reset/destroy, or from an earlier
     * life with the same generation, chunk and position -- never is. */
    pvz_op("%s: pop (%s cookie, gen %llu)  [depth %zu]", m->name, what,
           (unsigned long long)f.gen, m->nfr);
    pv_stack_stats(&m->s, &before);
    r = pv_stack_pop(&m->s, f);
    PVZ_CHECK(r == (bool)ok, "%s: pop of a %s cookie returned %d, promised %d", m->name, what,
              (int)r, ok);
    if (ok) {
        size_t want = m->fr[m->nfr - 1].in_use;
        st_pop_ok(m);
        pv_stack_stats(&m->s, &after);
        PVZ_CHECK(after.in_use == want, "%s: pop left in_use %zu, %zu at push", m->name,
                  after.in_use, want);
    } else {
        PVZ_CHECK(pvz_misuse_count > mis0 && pvz_misuse_kind == PV_MISUSE_BAD_COOKIE,
                  "%s: refused pop not reported as PV_MISUSE_BAD_COOKIE", m->name);
        pv_stack_stats(&m->s, &after);
        pvz_stats_same(&before, &after, PVZ_ST_FAILURES, m->name);
    }
}

static size_t st_pick(stack_model *m, unsigned k)
{
    size_t i;
    if (m->live.n == 0) {
        return SIZE_MAX;
    }
    if (k & 1u) {
        for (i = 0; i < m->live.n; i++) {
            if (pvz_chain_is_last(&m->ch, m->live.b[i].p, m->live.b[i].size)) {
                return i;
            }
        }
    }
    return (k >> 1) % m->live.n;
}

static void stack_bad_args(stack_model *m, pvz_in *in)
{
    unsigned k = pvz_u8(in) % 5u;
    pv_stats st;
    pv_stack_frame f;
    pvz_op("%s: NULL-handle call #%u", m->name, k);
    switch (k) {
    case 0:
        PVZ_CHECK(pv_stack_alloc(NULL, 8) == NULL && pv_stack_alloc_aligned(NULL, 8, 8) == NULL &&
                      pv_stack_realloc(NULL, NULL, 0, 8) == NULL,
                  "alloc on a NULL stack");
        break;
    case 1:
        f = pv_stack_push(NULL);
        PVZ_CHECK(!pv_stack_pop(NULL, f), "pop on a NULL stack");
        PVZ_CHECK(pv_stack_depth(NULL) == 0, "depth of a NULL stack");
        PVZ_CHECK(!pv_stack_free(NULL, m, 8), "free on a NULL stack");
        break;
    case 2:
        memset(&st, 0xa5, sizeof st);
        pv_stack_stats(NULL, &st);
        PVZ_CHECK(st.in_use == 0 && st.reserved == 0 && st.failures == 0 && st.peak_in_use == 0 &&
                      st.chunks == 0 && st.source_gets == 0 && st.source_puts == 0,
                  "stats of a NULL stack not zero");
        pv_stack_stats(&m->s, NULL);
        PVZ_CHECK(!pv_stack_init(NULL, NULL), "init(NULL)");
        pv_stack_reset(NULL);
        pv_stack_destroy(NULL);
        break;
    case 3:
        st_free(m, NULL, 8);
        break;
    default:
        if (m->live.n > 0) {
            st_free(m, m->live.b[0].p, 0);
        }
        break;
    }
}

static void stack_step(stack_model *m, pvz_in *in)
{
    unsigned op = pvz_u8(in) % 15u;
    size_t room = m->ch.cur != SIZE_MAX ? pvz_chain_room(&m->ch, m->ch.top) : 0;
    size_t i;
    if (m->live.n >= PVZ_LIVE_MAX - 1) {
        op = 11; /* reset: stay within the model's bounds */
    }
    if (op == 5 && m->nfr == ST_FRAMES) {
        op = 6;
    }
    switch (op) {
    case 0:
    case 1:
        st_alloc(m, pvz_size(in, room, 20000), PV_ALIGN, 0);
        break;
    case 2: { /* the size, then the alignment: one field at a time (shadow.h) */
        size_t n = pvz_size(in, room, 20000);
        size_t al = pvz_align(in);
        st_alloc(m, n, al, 1);
        break;
    }
    case 3:
        i = st_pick(m, pvz_u8(in));
        if (i != SIZE_MAX) {
            st_free(m, m->live.b[i].p, m->live.b[i].size);
        }
        break;
    case 4:
        i = st_pick(m, pvz_u8(in));
        if (i != SIZE_MAX) {
            size_t r2 = pvz_chain_room(&m->ch, m->live.b[i].p);
            st_realloc(m, i, pvz_size(in, r2 < (1u << 20) ? r2 : 64, 20000));
        } else { /* realloc(NULL, 0, n) */
            size_t n = pvz_size(in, room, 20000);
            unsigned char *q;
            pvz_op("%s: realloc(NULL, 0 -> %zu)", m->name, n);
            q = st_alloc_call(m, n, PV_ALIGN, 2, NULL, 0);
            if (q != NULL) {
                unsigned tag = pvz_next_tag(&m->live);
                pvz_fill(q, n, tag);
                st_track(m, q, n, tag);
            }
        }
        break;
    case 5:
        st_push(m);
        break;
    case 6:
    case 7:
        st_pop(m, in);
        break;
    case 8: /* a scope: push, one allocation, pop at the closing brace */
        if (m->nfr < ST_FRAMES) {
            size_t n = pvz_size(in, room, 20000);
            size_t cur = m->ch.cur, seq = m->seq, in_use = m->in_use, depth = m->nfr;
            unsigned char *top = m->ch.top;
            pvz_op("%s: scope { alloc(%zu) }", m->name, n);
            {
                PV_STACK_SCOPE(&m->s);
                PVZ_CHECK(pv_stack_depth(&m->s) == depth + 1, "%s: scope did not push", m->name);
                st_check_stats(m);
                st_alloc(m, n, PV_ALIGN, 0);
                st_check_stats(m); /* before the pop at the closing brace */
            }
            st_note(m);
            m->ch.cur = cur;
            m->ch.top = top;
            m->in_use = in_use;
            i = 0;
            while (i < m->live.n) {
                if (m->live.b[i].aux >= seq) {
                    pvz_live_del(&m->live, i);
                } else {
                    i++;
                }
            }
        }
        break;
    case 9:
        m->src.fail = (int)(pvz_u8(in) & 1u);
        pvz_op("%s: source %s", m->name, m->src.fail ? "fails" : "works");
        break;
    case 10:
        stack_bad_args(m, in);
        break;
    case 11:
        pvz_op("%s: reset", m->name);
        pv_stack_reset(&m->s);
        st_note(m);
        st_forget_frames(m);
        m->live.n = 0;
        m->in_use = 0;
        m->ch.cur = SIZE_MAX;
        m->ch.top = NULL;
        break;
    case 12: {
        unsigned k = pvz_u8(in);
        stack_destroy_model(m);
        if (k & 1u) {
            pvz_op("%s: init again", m->name);
            pvz_src_init(&m->src, m->src.inner);
            PVZ_CHECK(pv_stack_init(&m->s, &m->src.src), "init failed");
            m->peak = 0;
            m->failures = 0;
        }
        break;
    }
    default:
        pvz_op("%s: check-all", m->name);
        break;
    }
    st_check_state(m);
}

#ifndef PVZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pvz_in in;
    stack_model *m;
    unsigned steps = 0;
    pvz_begin_input();
    pvz_install_misuse_handler();
    pvz_in_init(&in, data, size);
    m = stack_new("stack", NULL);
    while (pvz_more(&in) && steps++ < 4096u) {
        stack_step(m, &in);
    }
    stack_end(m);
    return 0;
}
#endif
