/* SPDX-License-Identifier: MIT */
/*
 * provalloc FIFO allocator: blocks freed in any order, typically the order
 * they were allocated (queues, message buffers, rings of requests).
 *
 * Memory comes in pages of PV_FIFO_PAGE_SIZE bytes from a backing source.
 * Blocks are bumped from the current page; each page counts its live blocks
 * and is recycled the moment its count reaches zero: the current page is
 * simply rewound, one other empty page is cached as the spare (so alloc/free
 * at a page boundary does not churn the source), any further one goes back to
 * the source. A request too big for a page gets a page of its own.
 *
 * Every block is returned zeroed, aligned on PV_ALIGN (or on the alignment
 * asked of the _aligned calls), preceded by an 8-byte header (page offset,
 * size), so free and realloc need no size.
 *
 * Capacity: a page of P bytes holds floor((P - H) / (8 + round(n))) blocks of
 * n bytes, H = the page header (sizeof(pv_fifo_page) rounded up to PV_ALIGN:
 * 72 bytes on 64-bit targets, 40 on 32-bit). The backing source holds at
 * most: every page still holding a live block + the current page (kept even
 * when empty) + one spare page.
 *
 * Misuse: free of a block already freed is detected while its header is
 * intact (it is tombstoned): its page is held and its memory has not been
 * handed out again (a page whose live count reached zero is rewound and
 * refilled, after which a stale pointer may name a new block's memory and a
 * second free is undefined). The hardened build (PV_HARDENED=1) also
 * rejects pointers that lie in no handed-out part of a page of this FIFO,
 * before reading them (PV_MISUSE_FOREIGN_PTR; a second free into a page
 * already emptied and rewound is reported so too, not as a double free).
 * Each is reported to the misuse handler and otherwise ignored.
 *
 * Costs: alloc O(1) + zeroing, free O(1) (hardened: O(pages)), realloc in
 * place O(1), destroy O(pages). Alloc and free are inline in their usual
 * case (a block in the current page; a page that keeps other blocks), as the
 * region's and the stack's are: compile your program with the same
 * PV_HARDENED, PV_VALGRIND and -fsanitize=address as the library
 * (pv_debug.h), or Memcheck sees frees of blocks it never saw allocated.
 *
 * Thread model: one FIFO per thread. A pv_fifo may be moved only while it
 * holds no page.
 */
#ifndef PV_FIFO_H
#define PV_FIFO_H

#include "pv_source.h"
#include "pv_debug.h"
#include "pv_mem.h"
#include "pv_link_check.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pv_fifo_page {
    pv_arena arena;            /* blocks (each after its header) */
    struct pv_fifo_page *prev; /* every page held, in a doubly linked list */
    struct pv_fifo_page *next;
    const void *owner;         /* the pv_fifo holding it */
    size_t live;               /* blocks allocated and not yet freed */
    size_t size;               /* bytes obtained from the source */
} pv_fifo_page;

typedef struct pv_fifo {
    pv_source src;
    pv_fifo_page *cur;   /* page being filled, or NULL */
    pv_fifo_page *spare; /* one empty page kept for reuse, or NULL */
    pv_fifo_page *pages; /* every page held */
    size_t in_use;
    size_t peak;
    size_t reserved;
    size_t npages;
    size_t gets;
    size_t puts;
    size_t failures;
} pv_fifo;

/* Internal: the header before each block. A size of 0 marks a freed block
 * (no block has size 0). */
typedef struct pv__fifo_hdr {
    uint32_t page_off; /* bytes from the page start to this header */
    uint32_t size;     /* block size as requested; 0 once freed */
} pv__fifo_hdr;

/* Internal: header bytes before a block (a multiple of PV_ALIGN). */
#define PV__FIFO_HDR ((sizeof(pv__fifo_hdr) + PV_ALIGN - 1u) / PV_ALIGN * PV_ALIGN)

/* Largest block: sizes are stored in 32 bits, and a block's own page must
 * stay far from SIZE_MAX on 32-bit targets. */
#define PV_FIFO_MAX_BLOCK                                                                         \
    (((PV_ARENA_CAP_MAX / 2u) < (size_t)UINT32_MAX ? (PV_ARENA_CAP_MAX / 2u) : (size_t)UINT32_MAX) \
     - (size_t)PV_ALIGN_MAX)

/* Make f an empty FIFO over a backing source (NULL: malloc). Obtains no
 * memory yet. Returns false, and leaves *f untouched, iff f is NULL. */
bool pv_fifo_init(pv_fifo *f, const pv_source *src);

/* Give every page back to the source, live blocks included. The FIFO is
 * then empty and usable again. No-op for NULL. */
void pv_fifo_destroy(pv_fifo *f);

/* Allocate `size` zeroed bytes aligned on PV_ALIGN.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - f is NULL (nothing counted), or
 *   - size is 0 or size > PV_FIFO_MAX_BLOCK, or
 *   - a page was needed and the source returned NULL. */
void *pv__fifo_alloc_slow(pv_fifo *f, size_t size);
static inline void *pv_fifo_alloc(pv_fifo *f, size_t size)
{
#if !PV_HARDENED && !PV_DBG_ON
    /* The usual case inline: the block fits in the current page, in a build
     * that neither fills memory nor tells Valgrind/ASan. Everything else
     * (NULL f, a bad size, no current page, a full page) goes to
     * pv__fifo_alloc_slow, which changes nothing before it decides. */
    if ((f != NULL) && (f->cur != NULL) && (size != 0u) && (size <= (size_t)PV_FIFO_PAGE_SIZE)) {
        pv_fifo_page *pg = f->cur;
        size_t top = pg->arena.top;
        /* No wrap: top <= cap <= PV_ARENA_CAP_MAX and size <= PV_FIFO_PAGE_SIZE. */
        size_t n = PV__FIFO_HDR + pv__round(size);
        size_t end = top + n;
        if (end <= pg->arena.cap) {
            /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
            char *hp = pg->arena.base + top;
            /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
            pv__fifo_hdr *h = (pv__fifo_hdr *)(void *)hp;
            /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
            char *p = hp + PV__FIFO_HDR;
            /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
            ptrdiff_t off = hp - (char *)pg;
            size_t used = f->in_use + n;
            pg->arena.top = end;
            pg->live++;
            h->page_off = (uint32_t)(size_t)off;
            h->size = (uint32_t)size;
            f->in_use = used;
            if (used > f->peak) {
                f->peak = used;
            }
            pv__fill(p, 0u, size);
            /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
            return p;
        }
    }
#endif
    return pv__fifo_alloc_slow(f, size);
}

/* Allocate `size` zeroed bytes aligned on `align`, with the same header (and
 * so the same pv_fifo_free, pv_fifo_realloc, pv_fifo_block_size and misuse
 * checks) as a pv_fifo_alloc block. align <= PV_ALIGN: exactly
 * pv_fifo_alloc(f, size). Otherwise the block's header stays directly before
 * the block and the padding that aligns the block (a multiple of PV_ALIGN,
 * at most align - PV_ALIGN bytes) goes before the header. The padding is
 * page space, not a block: it is not counted in the page's live count nor in
 * the in_use and peak statistics (which count 8 + round(size) bytes per
 * block, aligned or not); it is reclaimed with the rest of the page when the
 * page's live count reaches zero. pv_fifo_block_size gives `size`. A request
 * whose 8 + round(size) + align - PV_ALIGN bytes do not fit in a standard
 * page gets a page of its own, with room for the padding, so it is aligned
 * as asked too. The hardened build fills the padding with PV_FREE_FILL, so a
 * pointer into it is reported as foreign (it reads no stale header).
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), iff
 *   - f is NULL (nothing counted), or
 *   - align is not a power of two or is above PV_ALIGN_MAX (0 included), or
 *   - size is 0 or size > PV_FIFO_MAX_BLOCK, or
 *   - a page was needed and the source returned NULL. */
void *pv_fifo_alloc_aligned(pv_fifo *f, size_t size, size_t align);

/* Free block p. No-op for NULL f or p. A block already freed (while its
 * header is intact, see above), a block of another FIFO or, in the hardened
 * build, a pointer in no page of f is
 * reported to the misuse handler and ignored. Any other pointer not obtained
 * from f is undefined behaviour in the default build. */
void pv__fifo_free_slow(pv_fifo *f, void *p);
static inline void pv_fifo_free(pv_fifo *f, void *p)
{
#if !PV_HARDENED && !PV_DBG_ON
    /* The usual case inline, in a build that neither fills freed memory nor
     * tells Valgrind/ASan: a live block of f (header not tombstoned, page of
     * f with live blocks) whose page keeps other blocks, or is the current
     * page, which is then rewound. Everything else (NULL, a misuse, a page
     * to cache or give back) goes to pv__fifo_free_slow, which reads the
     * same, untouched, header. */
    if ((f != NULL) && (p != NULL)) {
        /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
        /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
        pv__fifo_hdr *h = (pv__fifo_hdr *)(void *)((char *)p - PV__FIFO_HDR);
        size_t size = h->size;
        if (size != 0u) {
            /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 source memory or a block, aligned on PV_ALIGN */
            /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset inside memory the source returned with that size */
            pv_fifo_page *pg = (pv_fifo_page *)(void *)((char *)h - h->page_off);
            size_t live = pg->live;
            if ((pg->owner == f) && ((live > 1u) || ((live == 1u) && (pg == f->cur)))) {
                h->size = 0u;
                /* pv__round(size) written as a mask: with the size read from the
                 * 32-bit header, gcc 12 spends 1-2 more instructions per free on
                 * pv__round's division form (make bench-ci, fifo2/3). */
                f->in_use -= PV__FIFO_HDR + (((size + PV_ALIGN) - 1u) & ~((size_t)PV_ALIGN - 1u));
                pg->live = live - 1u;
                if (live == 1u) {
                    pg->arena.top = 0u; /* the current page emptied: rewound */
                }
                /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause: early return of a documented case */
                return;
            }
        }
    }
#endif
    pv__fifo_free_slow(f, p);
}

/* Resize block p to new_size bytes, keeping min(old, new) bytes and zeroing
 * any new bytes. In place (returns p) iff p is the last block of the current
 * page and new_size fits there; otherwise moves it (new block, copy, free).
 * p NULL: same as pv_fifo_alloc. Returns NULL, leaving p intact, iff f is
 * NULL, new_size is 0 or above PV_FIFO_MAX_BLOCK, p is detected as freed or
 * foreign (reported), or the source failed. A moved block is aligned on
 * PV_ALIGN only (pv_fifo_realloc_aligned keeps a larger alignment). */
void *pv_fifo_realloc(pv_fifo *f, void *p, size_t new_size);

/* Resize block p to new_size bytes, keeping min(old, new) bytes and zeroing
 * any new bytes, in a block aligned on `align` (pv_fifo_realloc moves a block
 * to one aligned on PV_ALIGN only). In place (returns p) iff pv_fifo_realloc
 * would resize p in place (p is the last block of the current page and
 * new_size fits there) and p is aligned on align; otherwise moves it: a new
 * block as by pv_fifo_alloc_aligned(f, new_size, align), the bytes copied, p
 * freed. p NULL: same as pv_fifo_alloc_aligned.
 * Returns NULL, and changes nothing but the failure count (and the source
 * call counts when the source was asked), leaving p and its contents intact,
 * iff
 *   - f is NULL (nothing counted), or
 *   - align is not a power of two or is above PV_ALIGN_MAX (0 included), or
 *   - new_size is 0 or new_size > PV_FIFO_MAX_BLOCK, or
 *   - p is detected as freed or foreign (reported to the misuse handler), or
 *   - a new page was needed and the source returned NULL. */
void *pv_fifo_realloc_aligned(pv_fifo *f, void *p, size_t new_size, size_t align);

/* Size of block p as allocated (0 for NULL f or p, or a detected misuse). */
size_t pv_fifo_block_size(const pv_fifo *f, const void *p);

/* Statistics (all zero for NULL f). */
void pv_fifo_stats(const pv_fifo *f, pv_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* PV_FIFO_H */
