/* SPDX-License-Identifier: MIT */
/* Shared by the hardened-build tests (compiled with -DPV_HARDENED=1): a
 * misuse handler of our own that records every report, and CHECK, which
 * counts failures. Each program exits 0 iff every CHECK held. */
#ifndef HARDENED_H
#define HARDENED_H

#include <stdio.h>
#include <string.h>

#include "provalloc.h"

#if !PV_HARDENED
#error "build with -DPV_HARDENED=1"
#endif

static struct {
    int count;
    pv_misuse kind;
    const void *allocator;
    const void *ptr;
} reports;

static void record(pv_misuse kind, const void *allocator, const void *ptr)
{
    reports.count++;
    reports.kind = kind;
    reports.allocator = allocator;
    reports.ptr = ptr;
    printf("  handler: kind %d, allocator %p, ptr %p\n", (int)kind, allocator, ptr);
}

static int failures;

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                       \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

/* One report of `kind` about `ptr` since the last call. */
#define CHECK_REPORTED(n_before, kind_, ptr_)                                                     \
    do {                                                                                          \
        CHECK(reports.count == (n_before) + 1);                                                   \
        CHECK(reports.kind == (kind_));                                                           \
        CHECK(reports.ptr == (const void *)(ptr_));                                               \
    } while (0)

static int finish(const char *name)
{
    printf("%s: %s\n", name, failures == 0 ? "every detection fired" : "FAILED");
    return failures == 0 ? 0 : 1;
}

#endif
