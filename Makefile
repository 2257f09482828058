# provalloc — build, test and prove.
#
#   make            static library build/libprovalloc.a
#   make deps       install what a fresh Debian machine lacks (ci/deps.sh)
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

LIB_SRC  := src/pv_core.c src/pv_source.c src/pv_static.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c
LIB_HDR  := $(wildcard src/*.h) $(wildcard spec/*.acsl)
LIB_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC))
LIB      := $(BUILD)/libprovalloc.a

TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TEST_LIBS := -lcmocka

.PHONY: all lib deps check check-bins test prove ci clean help
all: lib
lib: $(LIB)

$(BUILD)/obj/%.o: src/%.c $(LIB_HDR) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/%: tests/%.c tests/pv_test.h $(LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) $< $(LIB) $(TEST_LIBS) -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

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
