/* SPDX-License-Identifier: MIT */
/*
 * provalloc FIFO allocator (see pv_fifo.h for the guarantees).
 *
 * Layout of a page obtained from the source:
 *     [pv_fifo_page][hdr|block][hdr|block]...[unused]
 * Each block header holds the offset back to its page and the block's size;
 * a size of 0 marks a freed block (no block has size 0).
 */
#include "pv_mem.h"

#include "pv_fifo.h"
#include "pv_debug.h"

#define HDR PV__FIFO_HDR
#define PAGE_HDR ((sizeof(pv_fifo_page) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)
#define STD_DATA ((size_t)PV_FIFO_PAGE_SIZE - PAGE_HDR)
#define ROUND(n) (((n) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)

/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_page[(PV_FIFO_PAGE_SIZE <= UINT32_MAX / 2u) ? 1 : -1];

bool pv_fifo_init(pv_fifo *f, const pv_source *src)
{
    if (f == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    f->src = *((src != NULL) ? src : pv_source_malloc());
    f->cur = NULL;
    f->spare = NULL;
    f->pages = NULL;
    f->in_use = 0u;
    f->peak = 0u;
    f->reserved = 0u;
    f->npages = 0u;
    f->gets = 0u;
    f->puts = 0u;
    f->failures = 0u;
    return true;
}

/* The single place where source memory becomes a typed page header. */
static pv_fifo_page *page_get(pv_fifo *f, size_t data)
{
    size_t total = PAGE_HDR + PV__SOURCE_SLACK + data;
    void *mem;
    pv_fifo_page *pg;
    f->gets++;
    mem = f->src.get(f->src.ctx, total);
    if (mem == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    pg = (pv_fifo_page *)mem;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    if (!pv_arena_init(&pg->arena, (char *)mem + PAGE_HDR, data + PV__SOURCE_SLACK)) {
        f->puts++;
        f->src.put(f->src.ctx, mem, total);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    pg->owner = f;
    pg->live = 0u;
    pg->size = total;
    pg->prev = NULL;
    pg->next = f->pages;
    if (f->pages != NULL) {
        f->pages->prev = pg;
    }
    f->pages = pg;
    f->reserved += total;
    f->npages++;
    PV_DBG_POOL_CREATE(&pg->arena);
    PV_DBG_NOACCESS(pg->arena.base, pg->arena.cap);
    return pg;
}

static void page_put(pv_fifo *f, pv_fifo_page *pg)
{
    size_t total = pg->size;
    if (pg->prev != NULL) {
        pg->prev->next = pg->next;
    } else {
        f->pages = pg->next;
    }
    if (pg->next != NULL) {
        pg->next->prev = pg->prev;
    }
    f->reserved -= total;
    f->npages--;
    f->puts++;
    PV_DBG_POOL_DESTROY(&pg->arena);              /* with any block still in it */
    PV_DBG_RETURN(pg->arena.base, pg->arena.cap); /* the source may reuse it */
    f->src.put(f->src.ctx, pg, total);
}

/* A page whose live count reached zero: rewind it if current, else keep it
 * as the spare if there is none and it has the standard size, else return it. */
static void page_empty(pv_fifo *f, pv_fifo_page *pg)
{
    if ((pg == f->cur) ||
        ((f->spare == NULL) && (pg->size == ((size_t)PV_FIFO_PAGE_SIZE + PV__SOURCE_SLACK)))) {
        pv_arena_reset(&pg->arena);
        PV_DBG_NOACCESS(pg->arena.base, pg->arena.cap);
        if (pg != f->cur) {
            f->spare = pg;
        }
    } else {
        page_put(f, pg);
    }
}

/* A page able to hold `need` bytes: the spare, a new standard page, or a
 * page of its own for a big request. Changes nothing on failure. */
static pv_fifo_page *page_for(pv_fifo *f, size_t need)
{
    pv_fifo_page *pg;
    if (ROUND(need) <= STD_DATA) {
        if (f->spare != NULL) {
            pg = f->spare;
            f->spare = NULL;
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return pg;
        }
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return page_get(f, STD_DATA);
    }
    return page_get(f, ROUND(need));
}

/* Make the block whose header the arena of pg has just handed out at hp
 * live: count it, write its header, zero it. Returns the block. */
static void *block_at(pv_fifo *f, pv_fifo_page *pg, char *hp, size_t size)
{
    pv__fifo_hdr *h;
    char *p;
    ptrdiff_t off;
    pg->live++;
    PV_DBG_OPEN(hp, HDR);
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    h = (pv__fifo_hdr *)(void *)hp;
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    off = hp - (char *)pg;
    h->page_off = (uint32_t)(size_t)off;
    h->size = (uint32_t)size;
    PV_DBG_CLOSE(hp, HDR);
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    p = hp + HDR;
    PV_DBG_ALLOC_ZEROED(&pg->arena, p, size);
    pv__fill(p, 0u, size);
    f->in_use += HDR + ROUND(size);
    if (f->in_use > f->peak) {
        f->peak = f->in_use;
    }
    return p;
}

/* pv_fifo_alloc's every case (its inline fast path is in pv_fifo.h). */
void *pv__fifo_alloc_slow(pv_fifo *f, size_t size)
{
    pv_fifo_page *pg;
    char *hp;
    size_t need;
    if (f == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if ((size == 0u) || (size > PV_FIFO_MAX_BLOCK)) {
        f->failures++;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    need = HDR + size;
    pg = f->cur;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    hp = (pg != NULL) ? (char *)pv_arena_alloc(&pg->arena, need) : NULL;
    if (hp == NULL) {
        pv_fifo_page *old = f->cur;
        pg = page_for(f, need);
        if (pg == NULL) {
            f->failures++;
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return NULL;
        }
        f->cur = pg;
        if ((old != NULL) && (old->live == 0u)) {
            page_empty(f, old); /* empty but too small for this request */
        }
        /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
        hp = (char *)pv_arena_alloc(&pg->arena, need); /* fits by construction */
    }
    return block_at(f, pg, hp, size);
}

/* Bump, in pg, `size` bytes aligned on align > PV_ALIGN after their header:
 * [padding][hdr|block]. Returns the header, or NULL (pg unchanged) if they
 * do not fit. The padding, pad < align, is a multiple of PV_ALIGN, so the
 * arena's top moves by pad + HDR + round(size). */
static char *bump_aligned(pv_fifo_page *pg, size_t size, size_t align)
{
    pv_arena *a = &pg->arena;
    size_t pad = pv__pad(a->top + HDR, a->bias, align); /* top + HDR <= cap + HDR: no wrap */
    char *mem;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    mem = (char *)pv_arena_alloc(a, pad + HDR + size); /* size <= PV_FIFO_MAX_BLOCK: no wrap */
    if (mem == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
#if PV_HARDENED
    if (pad != 0u) { /* a pointer into the padding then reads no stale header */
        PV_DBG_OPEN(mem, pad);
        pv__fill(mem, PV_FREE_FILL, pad);
        PV_DBG_CLOSE(mem, pad);
    }
#endif
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    return mem + pad;
}

void *pv_fifo_alloc_aligned(pv_fifo *f, size_t size, size_t align)
{
    pv_fifo_page *pg;
    char *hp;
    if (f == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (!pv__align_ok(align) || (size == 0u) || (size > PV_FIFO_MAX_BLOCK)) {
        f->failures++;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (align <= PV_ALIGN) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv_fifo_alloc(f, size); /* every block is aligned on PV_ALIGN */
    }
    pg = f->cur;
    hp = (pg != NULL) ? bump_aligned(pg, size, align) : NULL;
    if (hp == NULL) {
        pv_fifo_page *old = f->cur;
        /* room for the largest padding: fits in an empty page by construction */
        pg = page_for(f, HDR + size + (align - PV_ALIGN));
        if (pg == NULL) {
            f->failures++;
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return NULL;
        }
        f->cur = pg;
        if ((old != NULL) && (old->live == 0u)) {
            page_empty(f, old); /* empty but too small for this request */
        }
        hp = bump_aligned(pg, size, align); /* fits by construction */
    }
    return block_at(f, pg, hp, size);
}

#if PV_HARDENED
/* The page of f whose handed-out area holds p at a granule boundary, or
 * NULL. Reads no memory outside f's own page headers. */
static const pv_fifo_page *owns(const pv_fifo *f, const void *p)
{
    const pv_fifo_page *pg;
    /* cppcheck-suppress misra-c2012-11.6 ; PV-D4 hardened range test of a foreign pointer */
    uintptr_t a = (uintptr_t)p;
    for (pg = f->pages; pg != NULL; pg = pg->next) {
        /* cppcheck-suppress misra-c2012-11.4 ; PV-D4 hardened range test of a foreign pointer */
        uintptr_t lo = (uintptr_t)pg->arena.base + HDR;
        /* cppcheck-suppress misra-c2012-11.4 ; PV-D4 hardened range test of a foreign pointer */
        uintptr_t hi = (uintptr_t)pg->arena.base + pg->arena.top;
        if ((a >= lo) && (a < hi)) {
            /* cppcheck-suppress misra-c2012-11.4 ; PV-D4 hardened range test of a foreign pointer */
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return (((a - (uintptr_t)pg->arena.base) % PV_ALIGN) == 0u) ? pg : NULL;
        }
    }
    return NULL;
}
#endif

/* Find p's header and page. Returns the block's size, or 0 after reporting
 * a misuse. */
static size_t lookup(const pv_fifo *f, const void *p, pv__fifo_hdr **hout, pv_fifo_page **pgout)
{
    /* cppcheck-suppress misra-c2012-11.4 ; PV-D4 const removed from the caller's writable block */
    /* cppcheck-suppress misra-c2012-11.6 ; PV-D4 const removed from the caller's writable block */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    char *hp = (char *)(uintptr_t)p - HDR;
    pv__fifo_hdr *h;
    pv_fifo_page *pg;
    size_t size;
#if PV_HARDENED
    const pv_fifo_page *mine = owns(f, p);
    ptrdiff_t left;
    if (mine == NULL) {
        pv__misuse(PV_MISUSE_FOREIGN_PTR, f, p);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return 0u;
    }
#endif
    PV_DBG_PEEK_BEGIN(hp, HDR); /* p may be foreign: restore, not close */
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    h = (pv__fifo_hdr *)(void *)hp;
    size = h->size;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    pg = (pv_fifo_page *)(void *)(hp - h->page_off);
    PV_DBG_PEEK_END(hp, HDR);
#if PV_HARDENED
    /* p inside a page but not at a block (an interior pointer): what lies
     * before it is user data, whose page offset and size do not add up. */
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    left = (mine->arena.base + mine->arena.top) - (const char *)p; /* > 0: p is below the top */
    if ((pg != mine) || (size > (size_t)left)) {
        pv__misuse(PV_MISUSE_FOREIGN_PTR, f, p);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return 0u;
    }
#endif
    if (size == 0u) {
        pv__misuse(PV_MISUSE_DOUBLE_FREE, f, p);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return 0u;
    }
    if ((pg->owner != f) || (pg->live == 0u)) {
        pv__misuse(PV_MISUSE_FOREIGN_PTR, f, p);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return 0u;
    }
    *hout = h;
    *pgout = pg;
    return size;
}

/* pv_fifo_free's every case (its inline fast path is in pv_fifo.h). */
void pv__fifo_free_slow(pv_fifo *f, void *p)
{
    pv__fifo_hdr *h;
    pv_fifo_page *pg;
    size_t size;
    if ((f == NULL) || (p == NULL)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    size = lookup(f, p, &h, &pg);
    if (size == 0u) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    PV_DBG_OPEN(h, HDR);
    h->size = 0u;
    PV_DBG_CLOSE(h, HDR);
#if PV_HARDENED
    pv__fill(p, PV_FREE_FILL, size);
#endif
    PV_DBG_FREE(&pg->arena, p, size);
    f->in_use -= HDR + ROUND(size);
    pg->live--;
    if (pg->live == 0u) {
        page_empty(f, pg);
    }
}

/* Resize block p (header h, page pg, old bytes) to new_size bytes in place
 * if it is the last block of the current page and new_size fits there.
 * Returns whether it did; changes nothing otherwise. */
static bool fifo_resize_in_place(pv_fifo *f, pv_fifo_page *pg, pv__fifo_hdr *h, void *p, size_t old,
                            size_t new_size)
{
    if ((pg != f->cur) || !pv_arena_resize(&pg->arena, h, HDR + old, HDR + new_size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return false;
    }
    PV_DBG_OPEN(h, HDR);
    h->size = (uint32_t)new_size;
    PV_DBG_CLOSE(h, HDR);
#if PV_HARDENED
    if (new_size < old) {
        /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
        /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
        pv__fill((char *)p + new_size, PV_FREE_FILL, old - new_size);
    }
#endif
    PV_DBG_RESIZE(&pg->arena, p, old, new_size);
    if (new_size > old) {
        /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
        /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
        pv__fill((char *)p + old, 0u, new_size - old);
    }
    f->in_use = f->in_use - ROUND(old) + ROUND(new_size);
    if (f->in_use > f->peak) {
        f->peak = f->in_use;
    }
    return true;
}

/* Move block p (old bytes) to q, a new block of new_size bytes or NULL:
 * copy min(old, new_size) bytes and free p. Returns q. */
static void *moved(pv_fifo *f, void *p, size_t old, void *q, size_t new_size)
{
    if (q != NULL) {
        pv__copy(q, p, (old < new_size) ? old : new_size);
        pv_fifo_free(f, p);
    }
    return q;
}

/* cppcheck-suppress misra-c2012-8.7 ; PV-D7 public API function */
void *pv_fifo_realloc_aligned(pv_fifo *f, void *p, size_t new_size, size_t align)
{
    pv__fifo_hdr *h;
    pv_fifo_page *pg;
    size_t old;
    size_t at;
    ptrdiff_t off;
    if (f == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (p == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return pv_fifo_alloc_aligned(f, new_size, align);
    }
    if (!pv__align_ok(align) || (new_size == 0u) || (new_size > PV_FIFO_MAX_BLOCK)) {
        f->failures++;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    old = lookup(f, p, &h, &pg);
    if (old == 0u) {
        f->failures++;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    /* p's address modulo PV_ALIGN_MAX (>= align): the arena's bias plus p's
     * offset in the arena (p lies in pg's arena: lookup found it there). */
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    off = (const char *)p - pg->arena.base;
    at = pg->arena.bias + (size_t)off;
    if (((at & (align - 1u)) == 0u) && fifo_resize_in_place(f, pg, h, p, old, new_size)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return p;
    }
    return moved(f, p, old, pv_fifo_alloc_aligned(f, new_size, align), new_size);
}

/* The plain realloc is the aligned one on PV_ALIGN: every block is aligned
 * so, and pv_fifo_alloc_aligned(f, n, PV_ALIGN) is pv_fifo_alloc(f, n). */
void *pv_fifo_realloc(pv_fifo *f, void *p, size_t new_size)
{
    return pv_fifo_realloc_aligned(f, p, new_size, PV_ALIGN);
}

size_t pv_fifo_block_size(const pv_fifo *f, const void *p)
{
    pv__fifo_hdr *h;
    pv_fifo_page *pg;
    if ((f == NULL) || (p == NULL)) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return 0u;
    }
    return lookup(f, p, &h, &pg);
}

void pv_fifo_destroy(pv_fifo *f)
{
    if (f == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    while (f->pages != NULL) { /* each page's pool dies with its blocks */
        page_put(f, f->pages);
    }
    f->cur = NULL;
    f->spare = NULL;
    f->in_use = 0u;
}

void pv_fifo_stats(const pv_fifo *f, pv_stats *out)
{
    if (out == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    if (f == NULL) {
        pv__fill(out, 0u, sizeof *out);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return;
    }
    out->in_use = f->in_use;
    out->peak_in_use = f->peak;
    out->reserved = f->reserved;
    out->chunks = f->npages;
    out->source_gets = f->gets;
    out->source_puts = f->puts;
    out->failures = f->failures;
}
