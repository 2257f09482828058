# SPDX-License-Identifier: MIT
# Benchmarks against the peers (issue 6). See bench/README.md.
#
#   make bench           full run (N=20M, cold + warm + callgrind): bench/results.md, bench/chart.png
#   make bench-ci        callgrind instructions/op of provalloc vs bench/baseline.txt (fails > 3%)
#   make bench-baseline  rewrite bench/baseline.txt from the current code (commit it deliberately)
#   make bench-quick     smoke run of every pair at small N (no files written)
#   make bench-render    rewrite bench/results.md and the charts from the last full run's raw data
#   make bench-chart     redraw bench/chart.png (provalloc / the fastest peer) from bench/results.tsv
#
# Installs nothing: the peers come from ci/deps.sh. Built with -O2 under
# $(BUILD)/bench, whatever OPT/SAN the rest of the build uses.

BENCH_DIR   := $(BUILD)/bench
BENCH_BIN   := $(BENCH_DIR)/bench
BENCH_CXX   ?= g++
BENCH_OPT   := -O2 -g
BENCH_PKGS  := apr-1 talloc glib-2.0
BENCH_CFLAGS = -std=gnu99 $(BENCH_OPT) -Wall -Wextra -Isrc -Ibench $(shell pkg-config --cflags $(BENCH_PKGS))
BENCH_LIBS   = $(shell pkg-config --libs $(BENCH_PKGS)) -ldl -lpthread
BENCH_LIBOBJ := $(patsubst src/%.c,$(BENCH_DIR)/lib/%.o,$(LIB_SRC))
JEMALLOC_PIC ?= $(firstword $(wildcard /usr/lib/*/libjemalloc_pic.a /usr/lib/libjemalloc_pic.a))
BENCH_N     ?= 20000000
BENCH_PY    := python3 bench/run.py --bin $(BENCH_BIN) --out bench --raw $(BENCH_DIR)/raw.json

.PHONY: bench bench-ci bench-baseline bench-quick bench-render bench-chart bench-bin

bench-bin: $(BENCH_BIN)

$(BENCH_DIR)/lib/%.o: src/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c99 -Wall -Wextra -Wpedantic -Werror $(BENCH_OPT) -c $< -o $@

$(BENCH_DIR)/bench.o: bench/bench.c bench/tmpl.h $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_DIR)/bench_boost.o: bench/bench_boost.cpp bench/tmpl.h
	@mkdir -p $(@D)
	$(BENCH_CXX) -std=c++17 $(BENCH_OPT) -Wall -Wextra -Ibench -c $< -o $@

# jemalloc from its static archive, its malloc family renamed bje_* (as a
# --with-jemalloc-prefix build would) and its operator new/delete made local,
# so that glibc keeps the process's malloc and only the bench calls jemalloc.
$(BENCH_DIR)/jemalloc_local.o: $(JEMALLOC_PIC) mk/bench.mk
	@mkdir -p $(@D)
	@test -n "$(JEMALLOC_PIC)" || { echo "bench: libjemalloc_pic.a not found (libjemalloc-dev)"; exit 1; }
	ld -r --whole-archive $(JEMALLOC_PIC) -o $(BENCH_DIR)/jemalloc_all.o
	nm -g --defined-only $(BENCH_DIR)/jemalloc_all.o | awk '{print $$3}' | \
	  grep -E '^(malloc|calloc|free|realloc|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|malloc_usable_size)$$' | \
	  awk '{print $$1, "bje_" $$1}' > $(BENCH_DIR)/jemalloc_rename.syms
	nm -g --defined-only $(BENCH_DIR)/jemalloc_all.o | awk '{print $$3}' | \
	  grep -E '^(__libc_.*|_Zn.*|_Zd.*)$$' > $(BENCH_DIR)/jemalloc_local.syms || true
	objcopy --redefine-syms=$(BENCH_DIR)/jemalloc_rename.syms \
	  --localize-symbols=$(BENCH_DIR)/jemalloc_local.syms $(BENCH_DIR)/jemalloc_all.o $@
	@! nm -g --defined-only $@ | grep -qwE 'T (malloc|free|calloc|realloc)' || { echo "bench: jemalloc still exports malloc"; exit 1; }

$(BENCH_BIN): $(BENCH_DIR)/bench.o $(BENCH_DIR)/bench_boost.o $(BENCH_DIR)/jemalloc_local.o $(BENCH_LIBOBJ)
	$(BENCH_CXX) $^ $(BENCH_LIBS) -o $@

bench: $(BENCH_BIN)
	$(BENCH_PY) --n $(BENCH_N) full

bench-ci: $(BENCH_BIN)
	$(BENCH_PY) ci

bench-baseline: $(BENCH_BIN)
	$(BENCH_PY) baseline

bench-quick: $(BENCH_BIN)
	$(BENCH_PY) quick

bench-render:
	$(BENCH_PY) render

bench-chart:
	python3 bench/chart.py --tsv bench/results.tsv --out bench/chart.png
