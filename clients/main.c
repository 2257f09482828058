/* SPDX-License-Identifier: MIT */
/*
 * build/clients/clients [-v] PROGRAM ALLOCATOR [DIR]
 *   PROGRAM   lua or sqlite
 *   ALLOCATOR malloc, fifo, region or stack
 *   DIR       where the workloads are (default: clients)
 * Runs the program's workloads on the allocator and prints one line of
 * key=value pairs: the checksum of the observable results, the time of the
 * workloads (wall clock, s), the process's peak RSS (KiB, VmHWM), and what the
 * adapters saw. -v also prints what the workloads print. Exits 0 iff every
 * workload ran to its end, every block was aligned and freed, and no
 * misuse was reported. CLIENTS_SCALE (default 1) scales the workloads. clients/run.py runs the matrix and compares.
 */
#define _POSIX_C_SOURCE 200809L
#include "clients.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "provalloc.h"

static unsigned long misuses;

static void on_misuse(pv_misuse kind, const void *allocator, const void *ptr)
{
    (void)allocator;
    (void)ptr;
    misuses++;
    fprintf(stderr, "misuse reported: kind %d\n", (int)kind);
}

/* Peak RSS of this program, KiB: VmHWM of /proc/self/status, which starts
 * anew at exec (getrusage's ru_maxrss keeps the parent's peak across fork
 * and exec, a Python runner's 14 MiB included), else ru_maxrss. */
static long peak_rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "VmHWM:", 6) == 0) {
                kib = strtol(line + 6, NULL, 10);
                break;
            }
        }
        fclose(f);
    }
    if (kib < 0) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        kib = ru.ru_maxrss;
    }
    return kib;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    bool verbose = false;
    const char *program;
    const char *dir = "clients";
    cl_kind k;
    int errors;
    double t0;
    double t;
    const cl_counts *c;
    int argi = 1;
    const char *scale_env;
    if (argi < argc && strcmp(argv[argi], "-v") == 0) {
        verbose = true;
        argi++;
    }
    if (argc - argi < 2 || argc - argi > 3 ||
        (strcmp(argv[argi], "lua") != 0 && strcmp(argv[argi], "sqlite") != 0) ||
        (k = cl_kind_by_name(argv[argi + 1])) == CL_NKINDS) {
        fprintf(stderr, "usage: %s [-v] lua|sqlite malloc|fifo|region|stack [DIR]\n", argv[0]);
        return 2;
    }
    program = argv[argi];
    if (argc - argi == 3) {
        dir = argv[argi + 2];
    }
    scale_env = getenv("CLIENTS_SCALE");
    if (scale_env != NULL && *scale_env != '\0') {
        char *end;
        double v = strtod(scale_env, &end);
        if (*end != '\0' || !(v > 0.0)) {
            fprintf(stderr, "CLIENTS_SCALE=%s: not a positive number\n", scale_env);
            return 2;
        }
        cl_set_scale(v);
    }
    (void)pv_set_misuse_handler(on_misuse);
    cl_select(k);
    t0 = now();
    errors = (strcmp(program, "lua") == 0) ? cl_run_lua(dir, verbose) : cl_run_sqlite(dir, verbose);
    t = now() - t0;
    c = cl_get_counts();
    printf("clients: program=%s allocator=%s checksum=%016" PRIx64 " time=%.3f peak_rss_kib=%ld"
           " allocs=%" PRIu64 " frees=%" PRIu64 " reallocs=%" PRIu64 " reclaimed=%" PRIu64
           " failures=%" PRIu64 " misaligned=%" PRIu64 " live=%" PRId64 " misuses=%lu"
           " errors=%d\n",
           program, cl_kind_name(k), cl_hash_value(), t, peak_rss_kib(), c->allocs, c->frees,
           c->reallocs, c->reclaimed, c->failures, c->misaligned, c->live, misuses, errors);
    return (errors == 0 && c->misaligned == 0u && c->live == 0 && misuses == 0u) ? 0 : 1;
}
