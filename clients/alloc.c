/* SPDX-License-Identifier: MIT */
/*
 * The adapters: malloc, and provalloc's FIFO, region and stack behind one
 * sized interface (clients.h), each used as its header documents:
 *   - malloc: free and realloc take no size;
 *   - FIFO (pv_fifo.h): blocks carry their own header, so free and realloc
 *     take no size; any block may be freed in any order;
 *   - region (pv_region.h): free and realloc take the size the block was
 *     allocated or last resized with; a free reclaims memory only for the
 *     most recent block (any other is a documented no-op until reset or
 *     destroy);
 *   - stack (pv_stack.h): the same, through its public calls only
 *     (init, alloc, free, realloc, destroy), outside any frame.
 * Every allocator's plain calls align blocks on PV_ALIGN; CL_ALIGN (8) is
 * what the clients need, so PV_ALIGN must be at least that.
 */
#include "clients.h"

#include <stdlib.h>
#include <string.h>

#include "provalloc.h"

typedef char cl_check_align[(PV_ALIGN >= CL_ALIGN && PV_ALIGN % CL_ALIGN == 0u) ? 1 : -1];

static const char *const names[CL_NKINDS] = { "malloc", "fifo", "region", "stack" };

static cl_kind kind = CL_MALLOC;
static cl_counts counts;
static pv_fifo fifo;
static pv_region region;
static pv_stack stack;

const char *cl_kind_name(cl_kind k)
{
    return (k < CL_NKINDS) ? names[k] : "?";
}

cl_kind cl_kind_by_name(const char *name)
{
    unsigned k;
    for (k = 0u; k < (unsigned)CL_NKINDS; k++) {
        if (strcmp(name, names[k]) == 0) {
            return (cl_kind)k;
        }
    }
    return CL_NKINDS;
}

void cl_select(cl_kind k)
{
    kind = k;
}

cl_kind cl_selected(void)
{
    return kind;
}

bool cl_open(void)
{
    switch (kind) {
    case CL_FIFO:
        return pv_fifo_init(&fifo, NULL);
    case CL_REGION:
        return pv_region_init(&region, NULL);
    case CL_STACK:
        return pv_stack_init(&stack, NULL);
    default:
        return true;
    }
}

void cl_close(void)
{
    switch (kind) {
    case CL_FIFO:
        pv_fifo_destroy(&fifo);
        break;
    case CL_REGION:
        pv_region_destroy(&region);
        break;
    case CL_STACK:
        pv_stack_destroy(&stack);
        break;
    default:
        break;
    }
}

static void *noted(void *p)
{
    if (p == NULL) {
        counts.failures++;
    } else if ((uintptr_t)p % CL_ALIGN != 0u) {
        counts.misaligned++;
    }
    return p;
}

void *cl_alloc(size_t size)
{
    void *p;
    switch (kind) {
    case CL_FIFO:
        p = pv_fifo_alloc(&fifo, size);
        break;
    case CL_REGION:
        p = pv_region_alloc(&region, size);
        break;
    case CL_STACK:
        p = pv_stack_alloc(&stack, size);
        break;
    default:
        p = malloc(size);
        break;
    }
    if (p != NULL) {
        counts.allocs++;
        counts.live++;
    }
    return noted(p);
}

void cl_free(void *p, size_t size)
{
    if (p == NULL) {
        return;
    }
    counts.frees++;
    counts.live--;
    switch (kind) {
    case CL_FIFO:
        pv_fifo_free(&fifo, p);
        break;
    case CL_REGION:
        counts.reclaimed += pv_region_free(&region, p, size) ? 1u : 0u;
        break;
    case CL_STACK:
        counts.reclaimed += pv_stack_free(&stack, p, size) ? 1u : 0u;
        break;
    default:
        free(p);
        break;
    }
}

void *cl_realloc(void *p, size_t old_size, size_t new_size)
{
    void *q;
    if (p == NULL) {
        return cl_alloc(new_size);
    }
    switch (kind) {
    case CL_FIFO:
        q = pv_fifo_realloc(&fifo, p, new_size);
        break;
    case CL_REGION:
        q = pv_region_realloc(&region, p, old_size, new_size);
        break;
    case CL_STACK:
        q = pv_stack_realloc(&stack, p, old_size, new_size);
        break;
    default:
        q = realloc(p, new_size);
        break;
    }
    if (q != NULL) {
        counts.reallocs++;
    }
    return noted(q);
}

bool cl_knows_sizes(void)
{
    return kind == CL_FIFO;
}

size_t cl_size(const void *p)
{
    return (kind == CL_FIFO) ? pv_fifo_block_size(&fifo, p) : 0u;
}

const cl_counts *cl_get_counts(void)
{
    return &counts;
}

static uint64_t hash = 14695981039346656037u;

void cl_hash(const void *data, size_t len)
{
    const unsigned char *b = data;
    size_t i;
    for (i = 0u; i < len; i++) {
        hash ^= b[i];
        hash *= 1099511628211u;
    }
}

void cl_hash_str(const char *s)
{
    cl_hash(s, strlen(s) + 1u); /* with its NUL: "ab","c" differs from "a","bc" */
}

uint64_t cl_hash_value(void)
{
    return hash;
}

static double scale = 1.0;

void cl_set_scale(double s)
{
    scale = s;
}

double cl_scale(void)
{
    return scale;
}
