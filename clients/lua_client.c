/* SPDX-License-Identifier: MIT */
/*
 * Lua 5.4 on the selected allocator: every .lua file of clients/lua/, in
 * name order, each in a lua_State of its own made by lua_newstate with the
 * adapter below as its lua_Alloc, and in an allocator of its own (opened
 * before lua_newstate, closed after lua_close: one lifetime, as a region is
 * meant to be used). print() is replaced by a function that feeds what it
 * would print to the run's checksum (and, with -v, prints it).
 */
#define _POSIX_C_SOURCE 200809L
#include "clients.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

/* Lua needs its blocks aligned for LUAI_MAXALIGN's members: no more than
 * CL_ALIGN here, or the adapters would not do. */
union cl_lua_maxalign {
    LUAI_MAXALIGN;
};
struct cl_lua_align_probe {
    char c;
    union cl_lua_maxalign u;
};
typedef char cl_check_lua_align[(offsetof(struct cl_lua_align_probe, u) <= CL_ALIGN) ? 1 : -1];

static bool verbose_print;

/* lua_Alloc (Lua 5.4 manual, 4.6): nsize 0 frees (osize is the block's
 * size); ptr NULL allocates (osize is then the kind of object, not a
 * size); otherwise resize from osize to nsize. NULL iff the request cannot
 * be met. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    if (nsize == 0u) {
        cl_free(ptr, osize);
        return NULL;
    }
    if (ptr == NULL) {
        return cl_alloc(nsize);
    }
    return cl_realloc(ptr, osize, nsize);
}

static int l_print(lua_State *L)
{
    int n = lua_gettop(L);
    int i;
    for (i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        cl_hash(s, len);
        cl_hash(i < n ? "\t" : "\n", 1u);
        if (verbose_print) {
            fwrite(s, 1u, len, stdout);
            fputc(i < n ? '\t' : '\n', stdout);
        }
        lua_pop(L, 1);
    }
    if (n == 0) {
        cl_hash("\n", 1u);
        if (verbose_print) {
            fputc('\n', stdout);
        }
    }
    return 0;
}

static int l_traceback(lua_State *L)
{
    luaL_traceback(L, L, lua_tostring(L, 1), 1);
    return 1;
}

static int is_lua(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return (n > 4u) && (strcmp(e->d_name + n - 4u, ".lua") == 0);
}

/* One workload: returns 0 if it ran to its end and gave back every block. */
static int run_one(const char *path, const char *name)
{
    lua_State *L;
    int errors = 0;
    int64_t live0 = cl_get_counts()->live;
    cl_hash_str(name);
    if (!cl_open()) {
        fprintf(stderr, "lua %s: the allocator did not open\n", name);
        return 1;
    }
    L = lua_newstate(l_alloc, NULL);
    if (L == NULL) {
        fprintf(stderr, "lua %s: lua_newstate failed\n", name);
        cl_close();
        return 1;
    }
    luaL_openlibs(L);
    lua_register(L, "print", l_print);
    lua_pushnumber(L, cl_scale());
    lua_setglobal(L, "SCALE");
    lua_pushcfunction(L, l_traceback);
    if (luaL_loadfile(L, path) != LUA_OK || lua_pcall(L, 0, 0, 1) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "lua %s: %s\n", name, msg != NULL ? msg : "(error object is not a string)");
        cl_hash_str("error");
        errors++;
    }
    lua_close(L);
    if (cl_get_counts()->live != live0) {
        fprintf(stderr, "lua %s: %lld block(s) not freed by lua_close\n", name,
                (long long)(cl_get_counts()->live - live0));
        errors++;
    }
    cl_close();
    return errors;
}

int cl_run_lua(const char *dir, bool verbose)
{
    struct dirent **list;
    char sub[2048];
    char path[4096];
    int n;
    int i;
    int errors = 0;
    verbose_print = verbose;
    if ((size_t)snprintf(sub, sizeof sub, "%s/lua", dir) >= sizeof sub) {
        fprintf(stderr, "lua: path too long: %s\n", dir);
        return 1;
    }
    n = scandir(sub, &list, is_lua, alphasort);
    if (n <= 0) {
        fprintf(stderr, "lua: no workload (*.lua) in %s\n", sub);
        return 1;
    }
    for (i = 0; i < n; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", sub, list[i]->d_name) >= sizeof path) {
            fprintf(stderr, "lua: path too long: %s/%s\n", sub, list[i]->d_name);
            errors++;
            free(list[i]);
            continue;
        }
        if (verbose) {
            printf("-- %s\n", list[i]->d_name);
        }
        errors += run_one(path, list[i]->d_name);
        free(list[i]);
    }
    free(list);
    return errors;
}
