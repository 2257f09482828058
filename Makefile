# SPDX-License-Identifier: MIT
# provalloc — build, test and prove.
#
#   make            static library build/libprovalloc.a
#   make deps       install what a fresh Debian machine lacks (ci/deps.sh)
#   make examples   build every examples/*.c against the library and run it; ends "N passed, N failed"
#   make check      every test: gcc and clang, plain and ASan+UBSan,
#                   plus every suite in ci/check.d/; ends "N passed, N failed"
#   make prove      Frama-C WP on the verified core and the chunk chain; fails on any unproved goal
#   make ci         what CI runs after deps: prove, check, short fuzz, valgrind,
#                   bench-ci, cross, misra, dist (ci/ci.sh); ends "N passed, N failed"
#
# Further targets come from mk/*.mk (fuzzing, benchmarks, Valgrind, cross
# builds); `make help` lists them all.

CC       ?= cc
BUILD    ?= build
SAN      ?=
OPT      ?= -O2
WARN     := -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Werror
CPPFLAGS += -Isrc
CFLAGS   ?= -g
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS = $(WARN) $(OPT) $(CFLAGS) $(SANFLAGS) $(EXTRA_CFLAGS)

LIB_SRC  := src/pv_core.c src/pv_source.c src/pv_static.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c src/pv_config.c
LIB_HDR  := $(wildcard src/*.h) $(wildcard spec/*.acsl)
LIB_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC))
LIB      := $(BUILD)/libprovalloc.a

TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TEST_LIBS := -lcmocka

EX_SRC   := $(wildcard examples/*.c)
EX_BIN   := $(patsubst examples/%.c,$(BUILD)/examples/%,$(EX_SRC))

.PHONY: all lib deps check check-bins test examples prove ci clean help
all: lib
lib: $(LIB)

$(BUILD)/obj/%.o: src/%.c $(LIB_HDR) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/%: tests/%.c tests/pv_test.h $(LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(TEST_CPPFLAGS) -Itests $(ALL_CFLAGS) $< $(LIB) $(TEST_LIBS) -o $@

# These two #include the library's .c files with settings of their own
# (PV_CHAIN_SLOTS 2, PV_HARDENED 1) and take the rest from $(LIB): the
# link-time configuration check (src/pv_link_check.h) would refuse them.
$(BUILD)/tests/test_chain_slots $(BUILD)/tests/test_fifo_hardened $(BUILD)/tests/test_region_hardened: TEST_CPPFLAGS := -DPV_LINK_CHECK=0

$(BUILD)/examples/%: examples/%.c $(LIB) | $(BUILD)/examples
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $< $(LIB) -o $@

$(BUILD)/obj $(BUILD)/tests $(BUILD)/examples:
	mkdir -p $@

# Build every example (as the README quotes them) and run it: one test each.
examples: $(EX_BIN)
	@pass=0; fail=0; \
	for b in $(EX_BIN); do \
	  $$b >$$b.out 2>&1; rc=$$?; \
	  if [ $$rc -eq 0 ]; then pass=$$((pass + 1)); echo "  $$(basename $$b): $$(tail -n 1 $$b.out)"; \
	  else fail=$$((fail + 1)); echo "  $$(basename $$b): FAILED (exit $$rc)"; sed 's/^/    /' $$b.out; fi; \
	done; \
	echo "$$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# Build the unit tests of one configuration (CC, SAN, BUILD).
check-bins: $(TEST_BIN)

# Run the unit tests of one configuration.
test: check-bins
	@bash ci/run-tests.sh $(TEST_BIN)

deps:
	bash ci/deps.sh

check:
	@bash ci/check.sh

prove:
	@bash ci/prove.sh

ci:
	@bash ci/ci.sh

clean:
	rm -rf $(BUILD)

help:
	@grep -hE '^#   make' Makefile mk/*.mk 2>/dev/null | sed 's/^# *//'

-include mk/*.mk
