# SPDX-License-Identifier: MIT
#   make fuzz           every harness under libFuzzer and AFL++ for FUZZ_SECONDS (60) each on JOBS (2) cores; non-zero on a crash
#   make fuzz-build     build every harness: libFuzzer, AFL++ (+CMPLOG), plain replay (plain and ASan+UBSan)
#   make fuzz-repro FILE=path [HARNESS=name]   replay one input with a readable trace of its operations
#   make coverage       unit tests + corpora under llvm-cov: line and branch coverage of src/
#   make fuzz-mutants   apply each mutants/*.patch to a copy, fuzz until found (60 s cap); "mutants: K/K found"
#   make fuzz-corpus    replay every committed corpus file with the ASan+UBSan replay driver
#
# Fuzzing (fuzz/README.md). Outputs under $(BUILD)/fuzz; reproducers of
# crashes under fuzz/crashes/ (gitignored).

FUZZ_SECONDS ?= 60
JOBS         ?= 2
FUZZ_HARNESSES := core region stack fifo mix
FUZZ_DIR     ?= $(BUILD)/fuzz
FUZZ_CLANG   ?= clang
FUZZ_SRC     := fuzz/shadow.c
FUZZ_DEPS    := fuzz/shadow.h fuzz/shadow.c $(wildcard fuzz/fuzz_*.c) $(LIB_SRC) $(wildcard src/*.h)
FUZZ_CFLAGS  := -std=c99 -g -O1 $(CPPFLAGS) -Ifuzz
FUZZ_LF_SAN  := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

FUZZ_LF_BINS     := $(patsubst %,$(FUZZ_DIR)/libfuzzer/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_AFL_BINS    := $(patsubst %,$(FUZZ_DIR)/afl/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_CMPLOG_BINS := $(patsubst %,$(FUZZ_DIR)/cmplog/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_REPLAY_BINS := $(patsubst %,$(FUZZ_DIR)/replay/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_RSAN_BINS   := $(patsubst %,$(FUZZ_DIR)/replay-san/fuzz_%,$(FUZZ_HARNESSES))

.PHONY: fuzz fuzz-build fuzz-build-libfuzzer fuzz-build-afl fuzz-build-replay fuzz-repro \
        coverage fuzz-mutants fuzz-corpus

fuzz-build-libfuzzer: $(FUZZ_LF_BINS)
fuzz-build-afl: $(FUZZ_AFL_BINS) $(FUZZ_CMPLOG_BINS)
fuzz-build-replay: $(FUZZ_REPLAY_BINS) $(FUZZ_RSAN_BINS)
fuzz-build: fuzz-build-libfuzzer fuzz-build-afl fuzz-build-replay

# Progress of the slow builds (libFuzzer, AFL++, CMPLOG): a line when one
# starts and one, with its time and the count so far, when it is built.
FUZZ_NBIN := $(words $(FUZZ_LF_BINS) $(FUZZ_AFL_BINS) $(FUZZ_CMPLOG_BINS))
fuzz_start = @mkdir -p $(@D); echo "  fuzz-build: $(1) fuzz_$*: building"; date +%s >$@.t0
fuzz_done  = @echo "$(1) fuzz_$*" >>$(FUZZ_DIR)/.built; \
	echo "  fuzz-build: $(1) fuzz_$*: built in $$(( $$(date +%s) - $$(cat $@.t0) )) s \
	($$(sort -u $(FUZZ_DIR)/.built | wc -l) of $(FUZZ_NBIN))"; rm -f $@.t0

# libFuzzer: clang, ASan + UBSan.
$(FUZZ_DIR)/libfuzzer/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(call fuzz_start,libFuzzer)
	$(FUZZ_CLANG) $(FUZZ_CFLAGS) $(FUZZ_LF_SAN) $< $(FUZZ_SRC) $(LIB_SRC) -o $@
	$(call fuzz_done,libFuzzer)

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

# Plain replay driver: the project's compiler and warnings, no sanitizer.
$(FUZZ_DIR)/replay/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) -O1 -g $< fuzz/replay.c $(FUZZ_SRC) $(LIB_SRC) -o $@

# Plain replay driver with ASan + UBSan (make check, fuzz-repro).
$(FUZZ_DIR)/replay-san/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer $< fuzz/replay.c $(FUZZ_SRC) $(LIB_SRC) -o $@

fuzz:
	@mkdir -p $(FUZZ_DIR); rm -f $(FUZZ_DIR)/.built
	@echo "fuzz: building the libFuzzer, AFL++ and CMPLOG binaries of $(words $(FUZZ_HARNESSES)) harnesses \
	($(FUZZ_NBIN), $(JOBS) at a time; about 2 minutes from scratch) in $(FUZZ_DIR)/"
	@$(MAKE) -s -j$(JOBS) fuzz-build-libfuzzer fuzz-build-afl
	@[ -s $(FUZZ_DIR)/.built ] || echo "  fuzz-build: all $(FUZZ_NBIN) binaries up to date"
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) FUZZ_DIR=$(FUZZ_DIR) \
	  FUZZ_HARNESSES="$(FUZZ_HARNESSES)" bash ci/fuzz.sh

fuzz-repro: $(FUZZ_RSAN_BINS)
	@FUZZ_DIR=$(FUZZ_DIR) bash ci/fuzz-repro.sh "$(FILE)" "$(HARNESS)"

fuzz-corpus: $(FUZZ_RSAN_BINS)
	@FUZZ_DIR=$(FUZZ_DIR) bash ci/check.d/30-corpus.sh

coverage:
	@BUILD=$(BUILD) bash ci/fuzz-coverage.sh

fuzz-mutants:
	@BUILD=$(BUILD) JOBS=$(JOBS) bash ci/fuzz-mutants.sh
