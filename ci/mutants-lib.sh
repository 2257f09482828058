# SPDX-License-Identifier: MIT
# Shared by ci/fuzz-mutants.sh and ci/check-mutants.sh (sourced).

# The mutants/*.patch to run: all, or those whose numbers MUTANTS lists
# ("4 41" and "04 41" alike).
mutant_patches() {
  local p n want
  want=" $(echo "${MUTANTS:-}" | tr ' ' '\n' | sed 's/^0*//' | tr '\n' ' ') "
  for p in mutants/*.patch; do
    n=$(basename "$p" | cut -d- -f1 | sed 's/^0*//')
    if [ -n "${MUTANTS:-}" ]; then
      case "$want" in *" $n "*) ;; *) continue ;; esac
    fi
    printf '%s ' "$p"
  done
}

# The harnesses that exercise the files a patch touches, then any given
# after it (each named once).
harnesses_for() {
  local hs="" f
  local patch=$1; shift
  for f in $(sed -n 's|^+++ b/||p' "$patch" | cut -f1); do
    case "$f" in
      src/pv_core.h|src/pv_core.c) hs="$hs core" ;;
      src/pv_fifo.*) hs="$hs fifo" ;;
      src/pv_stack.*) hs="$hs stack" ;;
      src/pv_region.*) hs="$hs region" ;;
      src/pv_chain.*) hs="$hs stack region" ;;
      src/pv_static.*|src/pv_source.*) hs="$hs static mix" ;;
      *) hs="$hs mix" ;;
    esac
  done
  echo "$hs $*" | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' '
}
