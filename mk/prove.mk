# SPDX-License-Identifier: MIT
#   make prove-mutants  apply each mutant of a proved file (mutants/) to a copy under build/; WP must reject every one
#   make prove-scratch  make prove without the committed WP cache (times a full run)
#   make prove-crosscheck  every prover on every goal of the core (not only until the first success): proofs/crosscheck.md
#   make prove-cache    make prove from scratch, then replace proofs/wp-cache (after a contract change)
#
# Proof targets of provalloc; the options, the cache and the outputs are
# described in proofs/README.md. All call ci/prove.sh.

.PHONY: prove-mutants prove-scratch prove-cache prove-crosscheck

prove-mutants:
	@bash ci/prove.sh --mutants

prove-scratch:
	@bash ci/prove.sh --scratch

prove-cache:
	@bash ci/prove.sh --rebuild-cache

prove-crosscheck:
	@bash ci/prove.sh --crosscheck
