/* SPDX-License-Identifier: MIT */
/*
 * make clients: real programs (Lua 5.4, SQLite) run through their allocator
 * hooks on provalloc's FIFO, region and stack, and on malloc as the
 * reference (docs/clients.md).
 *
 * The adapters (alloc.c) give every allocator one sized interface: the
 * caller passes a block's size to free and realloc, as Lua's lua_Alloc
 * does (osize) and as the region and the stack require (their headers:
 * "the caller passes a block's size to free and realloc"). SQLite does not
 * pass sizes: its adapter (sqlite_client.c) keeps them.
 */
#ifndef PV_CLIENTS_H
#define PV_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The alignment both clients need on the targets they run on: SQLite asks
 * for 8-byte aligned memory from SQLITE_CONFIG_MALLOC, and Lua for the
 * alignment of LUAI_MAXALIGN (lua_Number, double, void *, lua_Integer,
 * long: 8 on x86-64; checked where Lua's header is included). Every block
 * an adapter hands out is checked against it (cl_counts.misaligned). */
#define CL_ALIGN 8u

typedef enum cl_kind { CL_MALLOC, CL_FIFO, CL_REGION, CL_STACK, CL_NKINDS } cl_kind;

/* What the adapters saw in one run (all allocators alike). */
typedef struct cl_counts {
    uint64_t allocs;     /* new blocks (alloc, or realloc of NULL) */
    uint64_t frees;      /* blocks freed */
    uint64_t reallocs;   /* resizes of a live block */
    uint64_t reclaimed;  /* region, stack: frees that gave the memory back now */
    uint64_t failures;   /* NULL returned for a request */
    uint64_t misaligned; /* blocks not aligned on CL_ALIGN */
    int64_t live;        /* blocks handed out and not freed */
} cl_counts;

/* Name ("malloc", "fifo", "region", "stack") and lookup by name (CL_NKINDS
 * if none). */
const char *cl_kind_name(cl_kind k);
cl_kind cl_kind_by_name(const char *name);

/* The one allocator of the process, selected with cl_select before any
 * cl_open. cl_open makes it an empty allocator; cl_close gives all its
 * memory back (blocks still live included). */
void cl_select(cl_kind k);
cl_kind cl_selected(void);
bool cl_open(void);
void cl_close(void);

/* The sized interface. size and old_size are the sizes the block was
 * allocated or last resized with. cl_alloc(0) and cl_realloc(p, old, 0)
 * are not called. */
void *cl_alloc(size_t size);
void cl_free(void *p, size_t size);
void *cl_realloc(void *p, size_t old_size, size_t new_size);

/* True iff the selected allocator knows its blocks' sizes (the FIFO,
 * whose blocks carry a header); then cl_size gives a block's size (at
 * least the size asked for). */
bool cl_knows_sizes(void);
size_t cl_size(const void *p);

const cl_counts *cl_get_counts(void);

/* FNV-1a, 64 bits: the checksum of a run's observable results. */
void cl_hash(const void *data, size_t len);
void cl_hash_str(const char *s);
uint64_t cl_hash_value(void);

/* The size of the workloads: 1 by default (CLIENTS_SCALE), Lua's global
 * SCALE and SQLite's function scale(). */
void cl_set_scale(double scale);
double cl_scale(void);

/* The two programs. dir: where their workloads are (clients/). Each
 * returns the number of errors (0: every workload ran to its end). */
int cl_run_lua(const char *dir, bool verbose);
int cl_run_sqlite(const char *dir, bool verbose);

#endif /* PV_CLIENTS_H */
