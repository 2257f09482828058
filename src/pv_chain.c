/*
 * Internal: the chunk chain shared by region and stack (see pv_chain.h).
 */
#include "pv_mem.h"

#include "pv_chain.h"
#include "pv_debug.h"

void pv__chain_init(pv_chain *ch, const pv_source *src, size_t min_size, size_t max_size)
{
    pv_arena empty = PV_ARENA_EMPTY;
    ch->head.arena = empty;
    ch->head.next = NULL;
    ch->head.size = 0u;
    ch->head.before = 0u;
    ch->cur = &ch->head;
    ch->last = &ch->head;
    ch->src = *src;
    ch->next_size = min_size;
    ch->min_size = min_size;
    ch->max_size = max_size;
    ch->peak = 0u;
    ch->reserved = 0u;
    ch->chunks = 0u;
    ch->gets = 0u;
    ch->puts = 0u;
    ch->failures = 0u;
}

/* The single place where source memory becomes a typed chunk header. */
pv_chunk *pv__chunk_get(pv_chain *ch, size_t data)
{
    size_t total = PV__CHUNK_HDR + PV__SOURCE_SLACK + data;
    void *mem;
    pv_chunk *c;
    ch->gets++;
    mem = ch->src.get(ch->src.ctx, total);
    if (mem == NULL) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    c = (pv_chunk *)mem;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
    if (!pv_arena_init(&c->arena, (char *)mem + PV__CHUNK_HDR, data + PV__SOURCE_SLACK)) {
        ch->puts++;
        ch->src.put(ch->src.ctx, mem, total);
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    c->next = NULL;
    c->size = total;
    c->before = 0u;
    ch->reserved += total;
    ch->chunks++;
    PV_DBG_POOL_CREATE(&c->arena);
    PV_DBG_NOACCESS(c->arena.base, c->arena.cap);
    return c;
}

void pv__chunk_put(pv_chain *ch, pv_chunk *c)
{
    size_t total = c->size;
    ch->reserved -= total;
    ch->chunks--;
    ch->puts++;
    PV_DBG_POOL_DESTROY(&c->arena);             /* with any block still in it */
    PV_DBG_RETURN(c->arena.base, c->arena.cap); /* the source may reuse it */
    ch->src.put(ch->src.ctx, c, total);
}

void *pv__chain_alloc_slow(pv_chain *ch, size_t size, size_t align)
{
    pv_chunk *c;
    void *p;
    size_t data;
    size_t before;

    if ((size == 0u) || (size > PV__CHAIN_REQ_MAX) || (align == 0u) || (align > PV_ALIGN_MAX) ||
        ((align & (align - 1u)) != 0u)) {
        ch->failures++;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    before = pv__chain_in_use(ch);

    /* A spare after cur that fits. Spares are logically empty: emptying one
     * we then pass over changes nothing observable. */
    for (c = ch->cur->next; c != NULL; c = c->next) {
        c->arena.top = 0u;
        p = pv_arena_alloc_aligned(&c->arena, size, align);
        if (p != NULL) {
            c->before = before;
            ch->cur = c;
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }

    /* A new chunk at the tail: geometric growth up to max_size, or exactly
     * what the request needs if that is more. */
    data = ((size + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN) + ((align > PV_ALIGN) ? align : 0u);
    if (data < (ch->next_size - PV__CHUNK_HDR)) {
        data = ch->next_size - PV__CHUNK_HDR;
    }
    c = pv__chunk_get(ch, data);
    if (c == NULL) {
        ch->failures++;
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
        return NULL;
    }
    if (ch->next_size < ch->max_size) {
        ch->next_size = (ch->next_size > (ch->max_size / 2u)) ? ch->max_size : (ch->next_size * 2u);
    }
    p = pv_arena_alloc_aligned(&c->arena, size, align); /* fits by construction */
    ch->last->next = c;
    ch->last = c;
    c->before = before;
    ch->cur = c;
    return p;
}

void pv__chain_rewind(pv_chain *ch, pv_chunk *c, size_t top)
{
    pv__chain_note_peak(ch);
    ch->cur = c;
    c->arena.top = top;
}

#if PV_HARDENED || PV_DBG_ON
void pv__chain_released(pv_chunk *c, size_t top, const pv_chunk *last)
{
    pv_chunk *k = c; /* the chunk walked, and the offset released from in it */
    size_t t = top;
    for (;;) {
        if (k->size != 0u) { /* the sentinel head holds nothing */
#if PV_HARDENED
            if (k->arena.top > t) {
                PV_DBG_OPEN(k->arena.base + t, k->arena.top - t); /* padding too */
                /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside the chunk's arena */
                pv__fill(k->arena.base + t, PV_FREE_FILL, k->arena.top - t);
            }
#endif
            PV_DBG_KEEP(&k->arena, k->arena.base, t);
            PV_DBG_NOACCESS(k->arena.base + t, k->arena.cap - t);
        }
        if ((k == last) || (k->next == NULL)) {
            break;
        }
        k = k->next;
        t = 0u;
    }
}
#endif

void pv__chain_release(pv_chain *ch)
{
    pv_chunk *c = ch->head.next;
    pv__chain_note_peak(ch);
    while (c != NULL) {
        pv_chunk *next = c->next;
        pv__chunk_put(ch, c);
        c = next;
    }
    ch->head.next = NULL;
    ch->cur = &ch->head;
    ch->last = &ch->head;
    ch->next_size = ch->min_size;
}

void pv__chain_stats(const pv_chain *ch, pv_stats *out)
{
    size_t u = pv__chain_in_use(ch);
    out->in_use = u;
    out->peak_in_use = (u > ch->peak) ? u : ch->peak;
    out->reserved = ch->reserved;
    out->chunks = ch->chunks;
    out->source_gets = ch->gets;
    out->source_puts = ch->puts;
    out->failures = ch->failures;
}
