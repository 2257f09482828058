/* SPDX-License-Identifier: MIT */
/*
 * provalloc configuration: every tunable is a macro with a default here.
 *
 * To change one without editing this file, define it on the command line
 * (-DPV_ALIGN=16) or put your definitions in a header of your own and compile
 * with -DPV_CONFIG_HEADER='"my_pv_config.h"'; that header is included first.
 */
#ifndef PV_CONFIG_H
#define PV_CONFIG_H

#ifdef PV_CONFIG_HEADER
#include PV_CONFIG_HEADER
#endif

/* Alignment of every block returned by the plain (non-_aligned) calls, and the
 * granule every size is rounded up to. A power of two, 4 <= PV_ALIGN <= 64.
 * 8 covers every scalar type but x86-64's long double; use 16 for that. */
#ifndef PV_ALIGN
#define PV_ALIGN 8u
#endif

/* Largest alignment the _aligned calls accept. A power of two,
 * PV_ALIGN <= PV_ALIGN_MAX <= 4096. */
#ifndef PV_ALIGN_MAX
#define PV_ALIGN_MAX 4096u
#endif

/* Region: size of the first chunk in bytes (each next chunk doubles it,
 * see pv_chain.h). */
#ifndef PV_REGION_CHUNK_MIN
#define PV_REGION_CHUNK_MIN 8192u
#endif

/* Stack: size of the first chunk (each next chunk doubles it). */
#ifndef PV_STACK_CHUNK_MIN
#define PV_STACK_CHUNK_MIN 16384u
#endif

/* FIFO: bytes obtained per page; a request that does not fit in a page of
 * this size gets a page of its own. */
#ifndef PV_FIFO_PAGE_SIZE
#define PV_FIFO_PAGE_SIZE 65536u
#endif

/* Static source (pv_static_source, pv_source.h): entries of its table of
 * chunks given back and not reused. A chunk is recorded when it is given back
 * while a later one is still held. The chunk table (pv_chain.h) gives back its
 * chunks newest first, which needs no entry; entries come from allocators sharing one
 * source and a FIFO's pages freed out of order. 32 covers, for instance, a
 * FIFO holding 33 pages (2 MiB with the defaults) that frees all but the
 * newest, for 512 bytes of table on a 64-bit target; get and put scan it
 * (put once per chunk the top goes down past). A chunk given back with the
 * table full is counted in lost_chunks / lost_bytes, never reused. 1 to 65536. */
#ifndef PV_STATIC_FREE_SLOTS
#define PV_STATIC_FREE_SLOTS 32u
#endif

/* PV_HARDENED (0 or 1): extra run-time checks of caller mistakes (double
 * free, foreign pointers, mismatched pops) reported through pv_misuse_handler
 * (pv_source.h), and freed memory filled with PV_FREE_FILL. */
#ifndef PV_HARDENED
#define PV_HARDENED 0
#endif
#ifndef PV_FREE_FILL
#define PV_FREE_FILL 0xDBu
#endif

/* PV_NO_LIBC (0 or 1): 1 makes the hosted layer include no C library header
 * (only <stddef.h>, <stdint.h>, <stdbool.h>): copy and fill are byte loops
 * (pv_mem.h) instead of memcpy/memset. Defaults to 1 in a freestanding
 * compilation (-ffreestanding: __STDC_HOSTED__ == 0), else 0. */
#ifndef PV_NO_LIBC
#if defined(__STDC_HOSTED__) && (__STDC_HOSTED__ == 0)
#define PV_NO_LIBC 1
#else
#define PV_NO_LIBC 0
#endif
#endif

/* PV_NO_MALLOC (0 or 1): 1 leaves out malloc and free (<stdlib.h>):
 * pv_source_malloc() then returns a source whose get always fails, so pass a
 * pv_static_source (or a source of your own). Defaults to PV_NO_LIBC. */
#ifndef PV_NO_MALLOC
#define PV_NO_MALLOC PV_NO_LIBC
#endif

/* PV_LINK_CHECK (0 or 1): 1 makes every file that includes pv_region.h,
 * pv_stack.h or pv_fifo.h refer to a symbol whose name spells the settings
 * above that the inline fast paths and the structs depend on (PV_ALIGN,
 * PV_ALIGN_MAX, PV_CHAIN_SLOTS, PV_STACK_FRAMES, PV_HARDENED, PV_VALGRIND,
 * AddressSanitizer), which only a library built with the same settings
 * defines: a program built with other settings fails to link instead of
 * running wrong (pv_link_check.h). No run-time cost. 0 is for a program
 * that compiles the library's .c files itself with settings of its own. */
#ifndef PV_LINK_CHECK
#define PV_LINK_CHECK 1
#endif

/* The caps of geometric growth are gone (chunks double up to PV__CHAIN_REQ_MAX,
 * pv_chain.h): a configuration that still sets one is told, not ignored. */
#if defined(PV_REGION_CHUNK_MAX) || defined(PV_STACK_CHUNK_MAX)
#error "PV_REGION_CHUNK_MAX and PV_STACK_CHUNK_MAX no longer exist: chunks double without a cap (pv_chain.h)"
#endif
/* Nor is there a size above which a region block gets a chunk of its own:
 * every block lives in the chain (pv_region.h). */
#if defined(PV_REGION_LARGE)
#error "PV_REGION_LARGE no longer exists: every region block lives in the chunk chain (pv_region.h)"
#endif

/* ---- checks of the configuration (C99: negative array size on error) ---- */
#define PV__IS_POW2(x) ((x) != 0u && (((x) & ((x) - 1u)) == 0u))
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_align[(PV__IS_POW2(PV_ALIGN) && PV_ALIGN >= 4u && PV_ALIGN <= 64u) ? 1 : -1];
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_align_max[(PV__IS_POW2(PV_ALIGN_MAX) && PV_ALIGN_MAX >= PV_ALIGN
                                  && PV_ALIGN_MAX <= 4096u) ? 1 : -1];
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_region[(PV_REGION_CHUNK_MIN >= 256u) ? 1 : -1];
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_stack[(PV_STACK_CHUNK_MIN >= 256u) ? 1 : -1];
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_fifo[(PV_FIFO_PAGE_SIZE >= 256u) ? 1 : -1];
/* cppcheck-suppress misra-c2012-2.3 ; PV-D5 C99 compile-time check of the configuration */
typedef char pv__check_static[(PV_STATIC_FREE_SLOTS >= 1u && PV_STATIC_FREE_SLOTS <= 65536u) ? 1 : -1];

#endif /* PV_CONFIG_H */
