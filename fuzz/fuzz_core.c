/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the verified core bump arena (pv_core.h) over a buffer that
 * is deliberately misaligned by an amount the input chooses.
 *
 * The model is the header's arithmetic on real addresses: base, cap, top;
 * every live block with its fill byte; the marks taken. Every promise of
 * pv_core.h is checked after every operation, and every byte of the buffer
 * that is not a live block is poisoned for ASan.
 */
#include "shadow.h"

#define CORE_BUF 16384u

typedef struct core_model {
    pv_arena a;
    unsigned char *store; /* malloc'd, CORE_BUF + 8192 bytes, 4096-aligned inside */
    unsigned char *area;  /* 4096-aligned start inside store */
    unsigned char *base;  /* model of a.base (NULL before a successful init) */
    size_t cap, top;
    pvz_live live;
    size_t marks[16];
    size_t nmarks;
    const char *name;
} core_model;

static void core_poison(core_model *m)
{
    size_t i;
    PVZ_POISON(m->area, CORE_BUF + 4096u);
    for (i = 0; i < m->live.n; i++) {
        PVZ_UNPOISON(m->live.b[i].p, m->live.b[i].size);
    }
}

static core_model *core_new(const char *name)
{
    core_model *m = (core_model *)calloc(1, sizeof *m);
    pv_arena empty = PV_ARENA_EMPTY;
    if (m == NULL) {
        abort();
    }
    m->store = (unsigned char *)malloc(CORE_BUF + 8192u);
    if (m->store == NULL) {
        abort();
    }
    m->area = m->store + (4096u - (uintptr_t)m->store % 4096u) % 4096u;
    m->a = empty;
    m->name = name;
    pvz_live_init(&m->live);
    core_poison(m);
    return m;
}

static void core_end(core_model *m)
{
    PVZ_UNPOISON(m->area, CORE_BUF + 4096u);
    free(m->store);
    free(m);
}

/* Forget every live block that is no longer entirely below the top. */
static void core_drop_above(core_model *m)
{
    size_t i = 0;
    while (i < m->live.n) {
        pvz_blk *b = &m->live.b[i];
        if ((uintptr_t)b->p + pvz_round(b->size) > (uintptr_t)m->base + m->top) {
            pvz_live_del(&m->live, i);
        } else {
            i++;
        }
    }
}

static void core_check_state(core_model *m)
{
    PVZ_CHECK(pv_arena_used(&m->a) == m->top, "%s: used %zu, model top %zu", m->name,
              pv_arena_used(&m->a), m->top);
    PVZ_CHECK(pv_arena_capacity(&m->a) == m->cap, "%s: capacity %zu, model %zu", m->name,
              pv_arena_capacity(&m->a), m->cap);
    PVZ_CHECK(pv_arena_available(&m->a) == m->cap - m->top, "%s: available %zu, model %zu",
              m->name, pv_arena_available(&m->a), m->cap - m->top);
    PVZ_CHECK(m->a.top % PV_ALIGN == 0 && m->a.top <= m->a.cap, "%s: top %zu not a granule <= cap",
              m->name, m->a.top);
    if (m->base != NULL) {
        PVZ_CHECK(m->a.base == (char *)m->base, "%s: base moved", m->name);
        PVZ_CHECK(m->a.bias == (uintptr_t)m->a.base % PV_ALIGN_MAX,
                  "%s: bias %zu, but base %% PV_ALIGN_MAX is %zu", m->name, m->a.bias,
                  (size_t)((uintptr_t)m->a.base % PV_ALIGN_MAX));
    }
    pvz_live_check(&m->live, m->name);
}

/* The live block ending at the top (the most recent), or SIZE_MAX. */
static size_t core_last(const core_model *m)
{
    size_t i;
    for (i = 0; i < m->live.n; i++) {
        if ((uintptr_t)m->live.b[i].p + pvz_round(m->live.b[i].size) ==
            (uintptr_t)m->base + m->top) {
            return i;
        }
    }
    return SIZE_MAX;
}

static void core_new_block(core_model *m, unsigned char *p, size_t size, size_t al,
                           const char *what)
{
    unsigned tag;
    pvz_check_new(&m->live, p, size, al, m->base, m->base + m->cap, what);
    if (m->live.n == PVZ_LIVE_MAX) {
        return; /* allocated, not tracked */
    }
    tag = pvz_next_tag(&m->live);
    PVZ_UNPOISON(p, size);
    pvz_fill(p, size, tag);
    pvz_live_add(&m->live, p, size, tag);
}

static void core_alloc(core_model *m, size_t size)
{
    size_t avail = m->cap - m->top;
    int ok = size != 0 && size <= avail;
    unsigned char *want = ok ? m->base + m->top : NULL;
    unsigned char *p;
    pvz_op("%s: alloc(%zu)  [top %zu cap %zu]", m->name, size, m->top, m->cap);
    p = (unsigned char *)pv_arena_alloc(&m->a, size);
    pvz_note("%p", (void *)p);
    PVZ_CHECK(p == want, "%s: alloc(%zu) returned %p, promised %p (top %zu, free %zu)", m->name,
              size, (void *)p, (void *)want, m->top, avail);
    if (ok) {
        m->top += pvz_round(size);
        core_check_state(m);
        core_new_block(m, p, size, PV_ALIGN, m->name);
    }
}

static void core_alloc_aligned(core_model *m, size_t size, size_t al)
{
    size_t avail = m->cap - m->top;
    size_t pad = 0;
    int ok = 0;
    unsigned char *want = NULL;
    unsigned char *p;
    if (pvz_align_ok(al) && size != 0 && size <= avail && m->base != NULL) {
        uintptr_t at = (uintptr_t)(m->base + m->top);
        pad = (size_t)((al - at % al) % al);
        ok = pad <= avail - pvz_round(size);
        want = ok ? m->base + m->top + pad : NULL;
    }
    pvz_op("%s: alloc_aligned(%zu, %zu)  [top %zu cap %zu pad %zu]", m->name, size, al, m->top,
           m->cap, pad);
    p = (unsigned char *)pv_arena_alloc_aligned(&m->a, size, al);
    pvz_note("%p", (void *)p);
    PVZ_CHECK(p == want, "%s: alloc_aligned(%zu, %zu) returned %p, promised %p (top %zu, free %zu)",
              m->name, size, al, (void *)p, (void *)want, m->top, avail);
    if (ok) {
        m->top += pad + pvz_round(size);
        core_check_state(m);
        core_new_block(m, p, size, al, m->name);
    }
}

static void core_free(core_model *m, unsigned char *p, size_t size)
{
    int ok = size != 0 && size <= m->top && m->base != NULL &&
             (uintptr_t)p == (uintptr_t)m->base + (m->top - pvz_round(size));
    bool r;
    pvz_op("%s: free(%p, %zu)  [top %zu]", m->name, (void *)p, size, m->top);
    r = pv_arena_free(&m->a, p, size);
    PVZ_CHECK(r == (bool)ok, "%s: free(%p, %zu) returned %d, promised %d (top %zu)", m->name,
              (void *)p, size, (int)r, ok, m->top);
    if (ok) {
        m->top -= pvz_round(size);
        core_drop_above(m);
    }
}

static void core_resize(core_model *m, unsigned char *p, size_t old, size_t nsz)
{
    size_t start = 0;
    int ok = 0;
    bool r;
    size_t i, keep_i = SIZE_MAX;
    if (old != 0 && old <= m->top && nsz != 0 && m->base != NULL) {
        start = m->top - pvz_round(old);
        ok = (uintptr_t)p == (uintptr_t)m->base + start && nsz <= m->cap - start;
    }
    pvz_op("%s: resize(%p, %zu -> %zu)  [top %zu cap %zu]", m->name, (void *)p, old, nsz, m->top,
           m->cap);
    r = pv_arena_resize(&m->a, p, old, nsz);
    PVZ_CHECK(r == (bool)ok, "%s: resize(%p, %zu, %zu) returned %d, promised %d (top %zu cap %zu)",
              m->name, (void *)p, old, nsz, (int)r, ok, m->top, m->cap);
    if (!ok) {
        return;
    }
    m->top = start + pvz_round(nsz);
    for (i = 0; i < m->live.n; i++) {
        if (m->live.b[i].p == p) {
            keep_i = i;
        }
    }
    if (keep_i != SIZE_MAX) {
        pvz_blk *b = &m->live.b[keep_i];
        size_t keep = b->size < nsz ? b->size : nsz;
        keep = keep < old ? keep : old;
        PVZ_CHECK(pvz_holds(p, keep, b->tag), "%s: resize lost the first %zu bytes", m->name,
                  keep);
        PVZ_UNPOISON(p, nsz);
        if (nsz > b->size) {
            pvz_fill(p + b->size, nsz - b->size, b->tag);
        }
        b->size = nsz;
    }
    /* anything else above p is gone */
    i = 0;
    while (i < m->live.n) {
        pvz_blk *b = &m->live.b[i];
        if (b->p != p && (uintptr_t)b->p + pvz_round(b->size) > (uintptr_t)m->base + start) {
            pvz_live_del(&m->live, i);
        } else {
            i++;
        }
    }
    core_check_state(m);
}

static void core_rewind(core_model *m, size_t mk)
{
    pv_arena_mark mark;
    int ok = mk <= m->top && mk % PV_ALIGN == 0;
    bool r;
    mark.top = mk;
    pvz_op("%s: rewind(mark %zu)  [top %zu]", m->name, mk, m->top);
    r = pv_arena_rewind(&m->a, mark);
    PVZ_CHECK(r == (bool)ok, "%s: rewind(%zu) returned %d, promised %d (top %zu)", m->name, mk,
              (int)r, ok, m->top);
    if (ok) {
        m->top = mk;
        core_drop_above(m);
        PVZ_CHECK(pv_arena_used(&m->a) == mk, "%s: rewind to %zu left used %zu", m->name, mk,
                  pv_arena_used(&m->a));
    }
}

static void core_init(core_model *m, size_t off, size_t len)
{
    unsigned char *buf = m->area + off;
    uintptr_t mis = (uintptr_t)buf % PV_ALIGN;
    size_t skip = (PV_ALIGN - mis) % PV_ALIGN;
    size_t cap = len > skip ? (len - skip) / PV_ALIGN * PV_ALIGN : 0;
    /* pv_core.h: success iff 2 * PV_ALIGN - 1 <= len <= PV_ARENA_CAP_MAX, whatever the address
     * (such a buffer always holds a granule: cap > 0 then) */
    int ok = len <= PV_ARENA_CAP_MAX && len >= 2u * PV_ALIGN - 1u;
    pv_arena before = m->a;
    bool r;
    pvz_op("%s: init(area+%zu, %zu)", m->name, off, len);
    r = pv_arena_init(&m->a, buf, len);
    PVZ_CHECK(r == (bool)ok, "%s: init(area+%zu, %zu) returned %d, promised %d", m->name, off,
              len, (int)r, ok);
    if (!ok) {
        PVZ_CHECK(memcmp(&before, &m->a, sizeof before) == 0, "%s: failed init changed *a",
                  m->name);
        return;
    }
    PVZ_CHECK(m->a.base == (char *)buf + skip && m->a.cap == cap && m->a.top == 0,
              "%s: init gave base %p cap %zu top %zu, expected %p %zu 0", m->name,
              (void *)m->a.base, m->a.cap, m->a.top, (void *)(buf + skip), cap);
    PVZ_CHECK(cap + 2 * (PV_ALIGN - 1) >= len, "%s: capacity %zu too small for %zu", m->name, cap,
              len);
    m->base = buf + skip;
    m->cap = cap;
    m->top = 0;
    m->nmarks = 0;
    m->live.n = 0;
}

static void core_bad_args(core_model *m, pvz_in *in)
{
    unsigned k = pvz_u8(in) % 8u;
    pv_arena_mark mk;
    pvz_op("%s: bad-argument call #%u", m->name, k);
    switch (k) {
    case 0:
        PVZ_CHECK(pv_arena_alloc(NULL, 8) == NULL, "alloc(NULL) not NULL");
        PVZ_CHECK(pv_arena_alloc_aligned(NULL, 8, 8) == NULL, "alloc_aligned(NULL) not NULL");
        break;
    case 1:
        PVZ_CHECK(!pv_arena_free(NULL, m->base, 8), "free(NULL arena) true");
        PVZ_CHECK(!pv_arena_resize(NULL, m->base, 8, 8), "resize(NULL arena) true");
        break;
    case 2:
        mk = pv_arena_mark_get(NULL);
        PVZ_CHECK(mk.top == 0, "mark_get(NULL) not 0");
        PVZ_CHECK(!pv_arena_rewind(NULL, mk), "rewind(NULL) true");
        pv_arena_reset(NULL);
        break;
    case 3:
        PVZ_CHECK(pv_arena_used(NULL) == 0 && pv_arena_available(NULL) == 0 &&
                      pv_arena_capacity(NULL) == 0,
                  "NULL arena has nonzero figures");
        break;
    case 4: {
        pv_arena x = m->a;
        PVZ_CHECK(!pv_arena_init(NULL, m->area, 64), "init(NULL, ...) true");
        PVZ_CHECK(!pv_arena_init(&x, NULL, 64), "init(a, NULL, ...) true");
        PVZ_CHECK(!pv_arena_init(&x, m->area, PV_ARENA_CAP_MAX + 1u), "init of a huge len true");
        PVZ_CHECK(!pv_arena_init(&x, m->area, SIZE_MAX), "init of SIZE_MAX bytes true");
        PVZ_CHECK(memcmp(&x, &m->a, sizeof x) == 0, "failed init changed *a");
        break;
    }
    case 5: /* free of a foreign pointer (one byte past our area) */
        core_free(m, m->area + CORE_BUF + 8u, 8);
        return;
    case 6: /* resize with NULL p */
        core_resize(m, NULL, 8, 8);
        return;
    default: /* free(NULL, size) */
        core_free(m, NULL, PV_ALIGN);
        return;
    }
    core_check_state(m);
}

static void core_step(core_model *m, pvz_in *in)
{
    unsigned op = pvz_u8(in) % 13u;
    size_t i;
    switch (op) {
    case 0:
    case 1:
        core_alloc(m, pvz_size(in, m->cap - m->top, 4096));
        break;
    case 2: { /* the size, then the alignment: one field at a time (shadow.h) */
        size_t n = pvz_size(in, m->cap - m->top, 4096);
        size_t al = pvz_align(in);
        core_alloc_aligned(m, n, al);
        break;
    }
    case 3: /* free the most recent block (or the first live one) */
        i = core_last(m);
        if (i == SIZE_MAX && m->live.n > 0) {
            i = 0;
        }
        if (i != SIZE_MAX) {
            core_free(m, m->live.b[i].p, m->live.b[i].size);
        }
        break;
    case 4: { /* free any live block, perhaps with another size */
        unsigned k = pvz_u8(in);
        if (m->live.n > 0) {
            pvz_blk *b = &m->live.b[k % m->live.n];
            size_t sz = b->size;
            switch ((k >> 6) & 3u) {
            case 0: sz = 0; break;
            case 1: sz = b->size + PV_ALIGN * (1u + pvz_u8(in) % 4u); break;
            default: break;
            }
            core_free(m, b->p, sz);
        }
        break;
    }
    case 5: { /* resize a live block (usually the most recent) */
        unsigned k = pvz_u8(in);
        size_t nsz;
        i = (k & 1u) ? core_last(m) : SIZE_MAX;
        if (i == SIZE_MAX && m->live.n > 0) {
            i = (k >> 1) % m->live.n;
        }
        if (i != SIZE_MAX) {
            pvz_blk *b = &m->live.b[i];
            size_t room = m->cap - ((size_t)((uintptr_t)b->p - (uintptr_t)m->base));
            size_t old = (k & 0x80u) ? b->size + PV_ALIGN : b->size;
            nsz = pvz_size(in, room, 4096);
            core_resize(m, b->p, old, nsz);
        }
        break;
    }
    case 6: { /* mark */
        pv_arena_mark mk = pv_arena_mark_get(&m->a);
        pvz_op("%s: mark -> %zu", m->name, mk.top);
        PVZ_CHECK(mk.top == m->top, "%s: mark %zu, top %zu", m->name, mk.top, m->top);
        m->marks[m->nmarks % 16u] = mk.top;
        m->nmarks++;
        break;
    }
    case 7: { /* rewind to a mark taken (maybe stale), or a forged one */
        unsigned k = pvz_u8(in);
        size_t mk;
        size_t nm = m->nmarks < 16u ? m->nmarks : 16u;
        if (nm == 0) {
            mk = 0;
        } else {
            mk = m->marks[(m->nmarks - 1u - (k % nm)) % 16u];
        }
        switch (k >> 5) {
        case 0: mk += 1u + pvz_u8(in) % (PV_ALIGN - 1u); break; /* forged */
        case 1: mk = m->top + PV_ALIGN; break;                  /* above the top */
        default: break;
        }
        core_rewind(m, mk);
        break;
    }
    case 8:
        pvz_op("%s: reset", m->name);
        pv_arena_reset(&m->a);
        m->top = 0;
        m->live.n = 0;
        PVZ_CHECK(pv_arena_used(&m->a) == 0, "%s: reset left used %zu", m->name,
                  pv_arena_used(&m->a));
        break;
    case 9: { /* re-init over another (mis)aligned piece of the buffer */
        size_t off = pvz_u16(in) % 4096u;
        unsigned k = pvz_u16(in);
        size_t len = (k & 0x8000u) ? (k % 24u) : 1u + (k % CORE_BUF);
        core_init(m, off, len);
        break;
    }
    case 10:
        pvz_op("%s: check-all", m->name);
        break;
    case 11:
        core_bad_args(m, in);
        break;
    default: { /* refill: give a live block a new pattern */
        unsigned k = pvz_u8(in);
        if (m->live.n > 0) {
            pvz_blk *b = &m->live.b[k % m->live.n];
            pvz_op("%s: refill block %p", m->name, (void *)b->p);
            b->tag = pvz_next_tag(&m->live);
            pvz_fill(b->p, b->size, b->tag);
        }
        break;
    }
    }
    core_check_state(m);
    core_poison(m);
}

/* The start of every core input: the buffer's misalignment and length. */
static void core_start(core_model *m, pvz_in *in)
{
    size_t off = pvz_u16(in) % 4096u;
    size_t len = 64u + pvz_u16(in) % (CORE_BUF - 64u);
    core_init(m, off, len);
    core_poison(m);
}

#ifndef PVZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pvz_in in;
    core_model *m;
    unsigned steps = 0;
    pvz_begin_input();
    pvz_in_init(&in, data, size);
    m = core_new("core");
    core_start(m, &in);
    while (pvz_more(&in) && steps++ < 4096u) {
        core_step(m, &in);
    }
    core_end(m);
    return 0;
}
#endif
