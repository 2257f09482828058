/*
 * Internal: a chain of chunks from a backing source, shared by the region
 * and the stack allocators. Not part of the public API (names pv__*), but
 * its types are visible so the allocators' fast paths can be inline.
 *
 * Shape. One singly linked chain in the order the chunks were obtained,
 * headed by a zero-capacity sentinel embedded in the chain itself:
 *
 *     head(sentinel) -> c1 -> c2 -> ... -> last
 *                             ^cur
 *
 * Allocation bumps in `cur`. The chunks after `cur` are spares: logically
 * empty, reused in order when `cur` fills up, so a program in a steady state
 * makes no backing-source calls. Rewinding (stack pop, region reset) is just
 * `cur = saved chunk; cur->arena.top = saved top`: no `next` field is ever
 * rewritten except to append at the tail. Every chunk records in `before`
 * the bytes in use in the chunks before it when it became current, so the
 * bytes in use are `cur->before + cur->arena.top`, in O(1).
 *
 * A chain must not be copied or moved after init (cur may point at head).
 */
#ifndef PV_CHAIN_H
#define PV_CHAIN_H

#include "pv_source.h"

typedef struct pv_chunk {
    pv_arena arena;        /* the chunk's data, after this header */
    struct pv_chunk *next; /* next chunk in the chain, NULL at the tail */
    size_t size;           /* bytes obtained from the source (0 for head) */
    size_t before;         /* bytes in use in earlier chunks when this became cur */
} pv_chunk;

typedef struct pv_chain {
    pv_chunk head;         /* sentinel: capacity 0; head.next is the first chunk */
    pv_chunk *cur;         /* where allocation happens */
    pv_chunk *last;        /* tail of the chain (&head when empty) */
    pv_source src;
    size_t next_size;      /* size of the next chunk to obtain */
    size_t min_size;
    size_t max_size;
    size_t peak;           /* largest in-use seen at a point where it fell */
    size_t reserved;
    size_t chunks;
    size_t gets;
    size_t puts;
    size_t failures;
} pv_chain;

/* Header bytes before a chunk's data (a multiple of PV_ALIGN). */
#define PV__CHUNK_HDR ((sizeof(pv_chunk) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)

/* Largest request a chain accepts: leaves room for header, alignment slack
 * and rounding without wrap-around anywhere. */
#define PV__CHAIN_REQ_MAX (PV_ARENA_CAP_MAX / 2u)

void pv__chain_init(pv_chain *ch, const pv_source *src, size_t min_size, size_t max_size);

/* Allocation that did not fit in cur: move to a spare that fits, or append a
 * new chunk. Returns NULL and changes nothing but the failure count iff size
 * is 0 or too large, align is invalid, or the source fails. */
void *pv__chain_alloc_slow(pv_chain *ch, size_t size, size_t align);

/* Bytes in use now. */
static inline size_t pv__chain_in_use(const pv_chain *ch)
{
    return ch->cur->before + ch->cur->arena.top;
}

/* Record the current in-use in the peak (call before anything that lowers it). */
static inline void pv__chain_note_peak(pv_chain *ch)
{
    size_t u = pv__chain_in_use(ch);
    if (u > ch->peak) {
        ch->peak = u;
    }
}

/* Rewind to (chunk, top): the chunk must be cur or before it in the chain. */
void pv__chain_rewind(pv_chain *ch, pv_chunk *c, size_t top);

/* Hardened, Valgrind and ASan builds only (PV_HARDENED || PV_DBG_ON, see
 * pv_debug.h): the blocks above `top` in chunk c and every block of the
 * chunks after c up to `last` (c itself if c == last) are released: fill
 * them with PV_FREE_FILL (hardened) and tell the tools. Call it before the
 * chunks' tops are rewound. O(chunks walked), plus O(bytes) when hardened. */
void pv__chain_released(pv_chunk *c, size_t top, const pv_chunk *last);

/* Give every chunk back to the source; the chain is empty but usable. */
void pv__chain_release(pv_chain *ch);

/* Fill the chain's part of the statistics. */
void pv__chain_stats(const pv_chain *ch, pv_stats *out);

/* Obtain / return one chunk able to hold `data` bytes (data area). */
pv_chunk *pv__chunk_get(pv_chain *ch, size_t data);
void pv__chunk_put(pv_chain *ch, pv_chunk *c);

#endif /* PV_CHAIN_H */
