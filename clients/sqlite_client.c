/* SPDX-License-Identifier: MIT */
/*
 * SQLite on the selected allocator, through SQLITE_CONFIG_MALLOC. Two
 * scenarios, each between sqlite3_initialize and sqlite3_shutdown (the
 * adapter's xInit opens the allocator, its xShutdown closes it):
 *   memory: clients/sqlite/work.sql on ":memory:";
 *   file:   the same on a file in a new temporary directory, then the
 *           database closed, opened again and clients/sqlite/reopen.sql
 *           run on it; the directory is removed.
 * Every row every statement returns (type and text of each column) goes
 * into the run's checksum.
 *
 * SQLite frees and resizes without giving a size, and asks a block's size
 * (xSize). The FIFO knows its blocks' sizes (pv_fifo_block_size); for
 * malloc, the region and the stack the adapter puts the size in a header of
 * CL_ALIGN bytes before the block, which keeps the block on CL_ALIGN and
 * gives the region and the stack the size their free and realloc need.
 */
#define _POSIX_C_SOURCE 200809L
#include "clients.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#define HDR ((size_t)CL_ALIGN)
typedef char cl_check_hdr[(sizeof(size_t) <= HDR) ? 1 : -1];

static bool verbose_rows;
static int64_t live_at_init;
static int leaks;

static size_t *hdr_of(void *p)
{
    return (size_t *)(void *)((char *)p - HDR);
}

static void *x_malloc(int n)
{
    size_t size;
    char *h;
    if (n <= 0) {
        return NULL;
    }
    size = (size_t)n;
    if (cl_knows_sizes()) {
        return cl_alloc(size);
    }
    h = cl_alloc(HDR + size);
    if (h == NULL) {
        return NULL;
    }
    *(size_t *)(void *)h = size;
    return h + HDR;
}

static void x_free(void *p)
{
    size_t *h;
    if (p == NULL) {
        return;
    }
    if (cl_knows_sizes()) {
        cl_free(p, 0u); /* the FIFO takes no size */
        return;
    }
    h = hdr_of(p);
    cl_free(h, HDR + *h);
}

static void *x_realloc(void *p, int n)
{
    size_t size;
    size_t *h;
    char *q;
    if (p == NULL) {
        return x_malloc(n);
    }
    if (n <= 0) {
        return NULL;
    }
    size = (size_t)n;
    if (cl_knows_sizes()) {
        return cl_realloc(p, 0u, size); /* the FIFO takes no old size */
    }
    h = hdr_of(p);
    q = cl_realloc(h, HDR + *h, HDR + size);
    if (q == NULL) {
        return NULL;
    }
    *(size_t *)(void *)q = size;
    return q + HDR;
}

static int x_size(void *p)
{
    if (p == NULL) {
        return 0;
    }
    return (int)(cl_knows_sizes() ? cl_size(p) : *hdr_of(p));
}

static int x_roundup(int n)
{
    return (int)(((unsigned)n + CL_ALIGN - 1u) & ~(CL_ALIGN - 1u));
}

static int x_init(void *app)
{
    (void)app;
    live_at_init = cl_get_counts()->live;
    return cl_open() ? SQLITE_OK : SQLITE_NOMEM;
}

static void x_shutdown(void *app)
{
    (void)app;
    if (cl_get_counts()->live != live_at_init) {
        fprintf(stderr, "sqlite: %lld block(s) not freed at sqlite3_shutdown\n",
                (long long)(cl_get_counts()->live - live_at_init));
        leaks++;
    }
    cl_close();
}

static const sqlite3_mem_methods methods = {
    x_malloc, x_free, x_realloc, x_size, x_roundup, x_init, x_shutdown, NULL
};

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)len + 1u);
    if (buf != NULL && fread(buf, 1u, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

/* Runs every statement of the file; hashes every row. Returns the number
 * of errors (it stops at the first). */
static int run_script(sqlite3 *db, const char *dir, const char *file)
{
    char path[4096];
    char *sql;
    const char *tail;
    int errors = 0;
    if ((size_t)snprintf(path, sizeof path, "%s/sqlite/%s", dir, file) >= sizeof path ||
        (sql = read_file(path)) == NULL) {
        fprintf(stderr, "sqlite: cannot read %s/sqlite/%s\n", dir, file);
        return 1;
    }
    cl_hash_str(file);
    tail = sql;
    while (*tail != '\0') {
        sqlite3_stmt *st = NULL;
        const char *next = tail;
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &next);
        if (rc != SQLITE_OK) {
            fprintf(stderr, "sqlite %s: %s\n", file, sqlite3_errmsg(db));
            errors++;
            break;
        }
        if (st == NULL) { /* nothing but blanks and comments */
            tail = next;
            continue;
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int i;
            int n = sqlite3_column_count(st);
            for (i = 0; i < n; i++) {
                char type = (char)('0' + sqlite3_column_type(st, i));
                const unsigned char *text = sqlite3_column_text(st, i);
                int len = sqlite3_column_bytes(st, i);
                cl_hash(&type, 1u);
                cl_hash(text != NULL ? (const void *)text : "", (size_t)len);
                cl_hash(i + 1 < n ? "|" : "\n", 1u);
                if (verbose_rows) {
                    printf("%.*s%s", len, text != NULL ? (const char *)text : "", i + 1 < n ? "|" : "\n");
                }
            }
        }
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "sqlite %s: %s\n  in: %.*s\n", file, sqlite3_errmsg(db),
                    (int)(next - tail), tail);
            errors++;
        }
        sqlite3_finalize(st);
        if (errors != 0) {
            break;
        }
        tail = next;
    }
    free(sql);
    return errors;
}

static void f_scale(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_double(ctx, cl_scale());
}

/* Opens the database, runs the scripts (NULL-terminated), closes it. */
static int session(const char *dbname, const char *dir, const char *const *scripts)
{
    sqlite3 *db = NULL;
    int errors = 0;
    if (sqlite3_open(dbname, &db) != SQLITE_OK) {
        fprintf(stderr, "sqlite: cannot open %s: %s\n", dbname, db != NULL ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return 1;
    }
    if (sqlite3_create_function(db, "scale", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, f_scale, NULL,
                                NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite: scale(): %s\n", sqlite3_errmsg(db));
        errors++;
    }
    for (; *scripts != NULL && errors == 0; scripts++) {
        errors += run_script(db, dir, *scripts);
    }
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "sqlite: close %s: %s\n", dbname, sqlite3_errmsg(db));
        errors++;
    }
    return errors;
}

static int scenario(const char *name, const char *dir)
{
    static const char *const work[] = { "work.sql", NULL };
    static const char *const reopen[] = { "reopen.sql", NULL };
    int errors = 0;
    cl_hash_str(name);
    if (verbose_rows) {
        printf("-- %s\n", name);
    }
    if (sqlite3_initialize() != SQLITE_OK) {
        fprintf(stderr, "sqlite %s: sqlite3_initialize failed\n", name);
        return 1;
    }
    if (strcmp(name, "memory") == 0) {
        errors += session(":memory:", dir, work);
    } else {
        const char *tmp = getenv("TMPDIR");
        char tdir[2048];
        char db[4096];
        static const char *const suffix[] = { "", "-journal", "-wal", "-shm" };
        size_t i;
        if ((size_t)snprintf(tdir, sizeof tdir, "%s/pv-clients-XXXXXX",
                             tmp != NULL && *tmp != '\0' ? tmp : "/tmp") >= sizeof tdir ||
            mkdtemp(tdir) == NULL) {
            fprintf(stderr, "sqlite %s: cannot make a temporary directory\n", name);
            sqlite3_shutdown();
            return 1;
        }
        snprintf(db, sizeof db, "%s/clients.db", tdir);
        errors += session(db, dir, work);
        if (errors == 0) {
            errors += session(db, dir, reopen);
        }
        for (i = 0u; i < sizeof suffix / sizeof suffix[0]; i++) {
            char f[4200];
            snprintf(f, sizeof f, "%s%s", db, suffix[i]);
            (void)unlink(f);
        }
        if (rmdir(tdir) != 0) {
            fprintf(stderr, "sqlite %s: %s not removed\n", name, tdir);
            errors++;
        }
    }
    if (sqlite3_shutdown() != SQLITE_OK) {
        fprintf(stderr, "sqlite %s: sqlite3_shutdown failed\n", name);
        errors++;
    }
    return errors;
}

int cl_run_sqlite(const char *dir, bool verbose)
{
    int errors = 0;
    verbose_rows = verbose;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
        fprintf(stderr, "sqlite: SQLITE_CONFIG_MALLOC refused\n");
        return 1;
    }
    errors += scenario("memory", dir);
    errors += scenario("file", dir);
    return errors + leaks;
}
