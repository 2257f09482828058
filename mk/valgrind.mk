# SPDX-License-Identifier: MIT
#   make valgrind       unit tests + replay of every fuzz corpus under Memcheck (library built -DPV_VALGRIND=1): zero errors, zero leaks
#   make valgrind-bins  build what make valgrind runs (under $(BUILD)/valgrind) without running it
#   make valgrind-misuse  the misuse programs of tests/misuse/ under Memcheck and ASan, and the hardened detections
#
# Memcheck sees inside the pools through src/pv_debug.h (client requests,
# compiled in by -DPV_VALGRIND=1). Everything is built under
# $(BUILD)/valgrind. The fuzz corpora are replayed with the plain replay
# driver fuzz/replay.c, one Memcheck run per harness directory, as soon as
# that driver exists (without it the corpora are skipped and said so).
# Reproducers of open src bugs (fuzz/corpus/*/bug-*, see fuzz/README.md) are
# replayed one by one and count as failures until the bug is fixed, as in
# make check.

VG_DIR      := $(BUILD)/valgrind
VALGRIND    ?= valgrind
VG_FLAGS    := --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
               --track-origins=yes --quiet
VG_HARNESSES := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
VG_REPLAY   := $(if $(wildcard fuzz/replay.c),$(patsubst %,$(VG_DIR)/replay/fuzz_%,$(VG_HARNESSES)))

.PHONY: valgrind valgrind-bins valgrind-misuse

$(VG_DIR)/replay/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(wildcard fuzz/shadow.[ch]) $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DPV_VALGRIND=1 -Ifuzz $(WARN) -O1 -g $< fuzz/replay.c \
	  $(wildcard fuzz/shadow.c) $(LIB_SRC) -o $@

valgrind-bins: $(VG_REPLAY)
	@$(MAKE) -s --no-print-directory BUILD=$(VG_DIR) SAN= EXTRA_CFLAGS=-DPV_VALGRIND=1 check-bins

valgrind: valgrind-bins
	@set -u; pass=0; fail=0; log=$(VG_DIR)/last.log; \
	for t in $(VG_DIR)/tests/test_*; do \
	  [ -x "$$t" ] || continue; \
	  if $(VALGRIND) $(VG_FLAGS) "$$t" >"$$log" 2>&1; then pass=$$((pass + 1)); \
	    printf '  %-34s clean\n' "$$(basename $$t)"; \
	  else fail=$$((fail + 1)); printf '  %-34s FAILED\n' "$$(basename $$t)"; \
	    grep -E '^==[0-9]+==|FAILED|ERROR' "$$log" | head -n 30; fi; \
	done; \
	if [ -z "$(VG_REPLAY)" ]; then echo "  fuzz corpora: no fuzz/replay.c yet, skipped"; fi; \
	for h in $(if $(VG_REPLAY),$(VG_HARNESSES)); do \
	  d=fuzz/corpus/$$h; [ -d "$$d" ] || continue; \
	  files=$$(find "$$d" -maxdepth 1 -type f ! -name 'bug-*' | sort); \
	  n=$$(printf '%s\n' "$$files" | grep -c .); \
	  if [ "$$n" -eq 0 ]; then continue; fi; \
	  if $(VALGRIND) $(VG_FLAGS) $(VG_DIR)/replay/fuzz_$$h -q $$files >"$$log" 2>&1; then \
	    pass=$$((pass + 1)); printf '  corpus %-27s clean (%d inputs)\n' "$$h" "$$n"; \
	  else fail=$$((fail + 1)); printf '  corpus %-27s FAILED (%d inputs)\n' "$$h" "$$n"; \
	    grep -E '^==[0-9]+==|broken promise' "$$log" | head -n 30; fi; \
	  for b in $$(find "$$d" -maxdepth 1 -type f -name 'bug-*' | sort); do \
	    if $(VALGRIND) $(VG_FLAGS) $(VG_DIR)/replay/fuzz_$$h -q "$$b" >"$$log" 2>&1; then \
	      pass=$$((pass + 1)); printf '  %-41s clean (src bug fixed: rename it regress-*)\n' "$$b"; \
	    else fail=$$((fail + 1)); printf '  %-41s FAILED (open src bug)\n' "$$b"; \
	      grep -E '^==[0-9]+== (Invalid|[A-Z].*lost)|broken promise' "$$log" | head -n 3; fi; \
	  done; \
	done; \
	echo "$$pass passed, $$fail failed"; [ "$$fail" -eq 0 ]

valgrind-misuse:
	@BUILD=$(BUILD) CC=$(CC) bash ci/check.d/40-misuse.sh
