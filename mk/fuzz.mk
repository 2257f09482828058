# SPDX-License-Identifier: MIT
#   make fuzz           every harness under libFuzzer (annotated and inline builds) and AFL++ for FUZZ_SECONDS (60) each on JOBS (2) cores; non-zero on a crash
#   make fuzz-build     build every harness: libFuzzer (annotated, inline), AFL++ (+CMPLOG), replay (plain, ASan+UBSan, UBSan)
#   make fuzz-repro FILE=path [HARNESS=name]   replay one input with a readable trace of its operations
#   make coverage       unit tests + corpora under llvm-cov, default + hardened builds: one line/branch total of src/; fails below 100%
#   make fuzz-mutants   apply each mutants/*.patch to a copy, fuzz until found (60 s cap); "mutants: K/K found"
#   make check-mutants  apply each mutants/*.patch to a copy, run the unit tests and the corpus replay of make check; "mutants: K/K killed by make check"
#   make fuzz-corpus    replay every committed corpus file with the ASan+UBSan and the plain replay drivers
#
# Fuzzing (fuzz/README.md). Outputs under $(BUILD)/fuzz; reproducers of
# crashes under fuzz/crashes/ (gitignored).
#
# Two kinds of build. ASan turns on PV_DBG_ON (src/pv_debug.h), which
# compiles out the inline fast paths of pv_region.h, pv_stack.h and pv_fifo.h in favour
# of the annotated slow paths: the "annotated" builds (libFuzzer, AFL++,
# replay-san) check every byte but never run the code users run. The
# "inline" builds (libfuzzer-inline: UBSan only; replay: no sanitizer;
# replay-ubsan: UBSan only) keep PV_DBG_ON off, so they run exactly the
# fast paths a user's build runs. make fuzz fuzzes both; make check replays
# every corpus file through both (replay-san and replay).

FUZZ_SECONDS ?= 60
JOBS         ?= 2
FUZZ_HARNESSES := core region stack fifo mix static
FUZZ_DIR     ?= $(BUILD)/fuzz
FUZZ_CLANG   ?= clang
FUZZ_SRC     := fuzz/shadow.c
FUZZ_DEPS    := fuzz/shadow.h fuzz/shadow.c $(wildcard fuzz/fuzz_*.c) $(LIB_SRC) $(wildcard src/*.h)
FUZZ_CFLAGS  := -std=c99 -g -O1 $(CPPFLAGS) -Ifuzz
FUZZ_LF_SAN  := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_LFI_SAN := -fsanitize=fuzzer,undefined -fno-sanitize-recover=undefined

FUZZ_LF_BINS     := $(patsubst %,$(FUZZ_DIR)/libfuzzer/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_LFI_BINS    := $(patsubst %,$(FUZZ_DIR)/libfuzzer-inline/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_AFL_BINS    := $(patsubst %,$(FUZZ_DIR)/afl/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_CMPLOG_BINS := $(patsubst %,$(FUZZ_DIR)/cmplog/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_REPLAY_BINS := $(patsubst %,$(FUZZ_DIR)/replay/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_RSAN_BINS   := $(patsubst %,$(FUZZ_DIR)/replay-san/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_RUB_BINS    := $(patsubst %,$(FUZZ_DIR)/replay-ubsan/fuzz_%,$(FUZZ_HARNESSES))

.PHONY: fuzz fuzz-build fuzz-build-libfuzzer fuzz-build-afl fuzz-build-replay fuzz-repro \
        coverage fuzz-mutants fuzz-corpus check-mutants

fuzz-build-libfuzzer: $(FUZZ_LF_BINS) $(FUZZ_LFI_BINS)
fuzz-build-afl: $(FUZZ_AFL_BINS) $(FUZZ_CMPLOG_BINS)
fuzz-build-replay: $(FUZZ_REPLAY_BINS) $(FUZZ_RSAN_BINS)
fuzz-build: fuzz-build-libfuzzer fuzz-build-afl fuzz-build-replay $(FUZZ_RUB_BINS)

# Progress of the slow builds (libFuzzer, AFL++, CMPLOG): a line when one
# starts and one, with its time and the count so far, when it is built.
FUZZ_NBIN := $(words $(FUZZ_LF_BINS) $(FUZZ_LFI_BINS) $(FUZZ_AFL_BINS) $(FUZZ_CMPLOG_BINS))
fuzz_start = @mkdir -p $(@D); echo "  fuzz-build: $(1) fuzz_$*: building"; date +%s >$@.t0
fuzz_done  = @echo "$(1) fuzz_$*" >>$(FUZZ_DIR)/.built; \
	echo "  fuzz-build: $(1) fuzz_$*: built in $$(( $$(date +%s) - $$(cat $@.t0) )) s \
	($$(sort -u $(FUZZ_DIR)/.built | wc -l) of $(FUZZ_NBIN))"; rm -f $@.t0

# libFuzzer: clang, ASan + UBSan (annotated: PV_DBG_ON).
$(FUZZ_DIR)/libfuzzer/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(call fuzz_start,libFuzzer)
	$(FUZZ_CLANG) $(FUZZ_CFLAGS) $(FUZZ_LF_SAN) $< $(FUZZ_SRC) $(LIB_SRC) -o $@
	$(call fuzz_done,libFuzzer)

# libFuzzer on the inline fast paths: clang, UBSan only (no ASan, so no PV_DBG_ON).
$(FUZZ_DIR)/libfuzzer-inline/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(call fuzz_start,libFuzzer-inline)
	$(FUZZ_CLANG) $(FUZZ_CFLAGS) $(FUZZ_LFI_SAN) $< $(FUZZ_SRC) $(LIB_SRC) -o $@
	$(call fuzz_done,libFuzzer-inline)

# AFL++: persistent mode through its libFuzzer-compatible driver, ASan + UBSan.
$(FUZZ_DIR)/afl/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(call fuzz_start,AFL++)
	AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 afl-clang-fast $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	  $< $(FUZZ_SRC) $(LIB_SRC) -o $@
	$(call fuzz_done,AFL++)

# AFL++ CMPLOG companion (afl-fuzz -c).
$(FUZZ_DIR)/cmplog/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(call fuzz_start,CMPLOG)
	AFL_QUIET=1 AFL_LLVM_CMPLOG=1 afl-clang-fast $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	  $< $(FUZZ_SRC) $(LIB_SRC) -o $@
	$(call fuzz_done,CMPLOG)

# Plain replay driver: the project's compiler and warnings, no sanitizer
# (the inline fast paths; make check).
$(FUZZ_DIR)/replay/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) -O1 -g $< fuzz/replay.c $(FUZZ_SRC) $(LIB_SRC) -o $@

# Plain replay driver with ASan + UBSan (annotated: PV_DBG_ON; make check, fuzz-repro).
$(FUZZ_DIR)/replay-san/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer $< fuzz/replay.c $(FUZZ_SRC) $(LIB_SRC) -o $@

# Plain replay driver with UBSan only (the inline fast paths; fuzz-repro of
# what the libfuzzer-inline build found).
$(FUZZ_DIR)/replay-ubsan/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) -O1 -g -fsanitize=undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer $< fuzz/replay.c $(FUZZ_SRC) $(LIB_SRC) -o $@

fuzz:
	@mkdir -p $(FUZZ_DIR); rm -f $(FUZZ_DIR)/.built
	@echo "fuzz: building the libFuzzer (annotated and inline), AFL++ and CMPLOG binaries of \
	$(words $(FUZZ_HARNESSES)) harnesses ($(FUZZ_NBIN), $(JOBS) at a time; about 3 minutes from scratch) in $(FUZZ_DIR)/"
	@$(MAKE) -s -j$(JOBS) fuzz-build-libfuzzer fuzz-build-afl
	@[ -s $(FUZZ_DIR)/.built ] || echo "  fuzz-build: all $(FUZZ_NBIN) binaries up to date"
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) FUZZ_DIR=$(FUZZ_DIR) \
	  FUZZ_HARNESSES="$(FUZZ_HARNESSES)" bash ci/fuzz.sh

fuzz-repro: $(FUZZ_RSAN_BINS) $(FUZZ_RUB_BINS)
	@FUZZ_DIR=$(FUZZ_DIR) bash ci/fuzz-repro.sh "$(FILE)" "$(HARNESS)"

fuzz-corpus: $(FUZZ_RSAN_BINS) $(FUZZ_REPLAY_BINS)
	@FUZZ_DIR=$(FUZZ_DIR) bash ci/check.d/30-corpus.sh

coverage:
	@BUILD=$(BUILD) bash ci/fuzz-coverage.sh

fuzz-mutants:
	@BUILD=$(BUILD) JOBS=$(JOBS) bash ci/fuzz-mutants.sh

check-mutants:
	@BUILD=$(BUILD) JOBS=$(JOBS) bash ci/check-mutants.sh
