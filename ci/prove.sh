#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make prove: Frama-C WP on the proved files of provalloc, each its own
# translation unit: the verified core (src/pv_core.c, which includes the
# static inline functions of src/pv_core.h) and the chunk chain of the hosted
# layer (src/pv_chain.c, which includes them again), for each machdep in
# PROVE_MACHDEPS (x86_64 and x86_32), with cvc4, z3 and cvc5 through why3.
# Prints a table per function and ends with "prove: G goals, G proved, 0 unproved";
# writes the same data under proofs/; exits non-zero on any unproved goal,
# on any ACSL property not Valid, or on a tool failure. The one exception to
# "Valid": the contracts of the functions in proofs/trusted-functions.txt
# (bodies hidden from Frama-C, each in proofs/TRUSTED.md) are "Considered
# valid"; the report counts them as trusted and accepts nothing else. A
# contract declared in one unit and proved in another (same file, line and
# text, Valid there) counts as proved there: the core's inline functions are
# proved in the core's unit only; the other units see their contracts
# (pv_core.h, PV__CORE_UNIT). Every unit also runs WP's smoke tests
# (-wp-smoke-tests): the run fails if one is proved (a dead branch or a
# contradictory assumption); they are counted apart from the goals.
#
# Each unit's result is kept in proofs/units/MACHDEP/UNIT/ with the SHA-256
# of its inputs (sources it includes, spec, options, tool versions, why3
# configuration): a unit whose inputs did not change is not run again, so a
# rerun with nothing changed takes seconds, and a change to one unit costs
# only that unit's run.
#
# make prove-mutants (ci/prove.sh --mutants): for each patch in mutants/ that
# touches a proved file (the core, the chain, the static source), copy the
# tree under build/, apply it, run the same WP run on the unit it breaks (on
# the functions whose bodies it changes, when it changes nothing else:
# proofs/tools/mutant_fcts.py; proofs/TRUSTED.md T16 says why that gives the
# same verdict) and require that some goal is unproved; the run stops at the
# first one (proofs/tools/wp_first_unproved.py). Ends with "mutants: K/K
# rejected".
#
# Options (see proofs/README.md):
#   --scratch        ignore the committed cache: start from an empty one under
#                    build/ (measures a run from scratch; proofs/ untouched
#                    except the results)
#   --rebuild-cache  as --scratch, then replace proofs/wp-cache with the new
#                    cache (drops entries of goals that no longer exist)
#   --mutants        make prove-mutants
#   --crosscheck     make prove-crosscheck: every prover on every goal
#                    (-wp-run-all-provers) of the core's unit (PROVE_FILES
#                    for others), no smoke tests; writes proofs/crosscheck.md
#                    (which goals rest on one prover: proofs/TRUSTED.md T9)
# Environment:
#   PROVE_MACHDEPS   machdeps to prove (default "x86_64 x86_32")
#   PROVE_TIMEOUT    per-goal, per-prover time limit in s (default 30: a goal that
#                    proves takes what it takes, so the limit costs time only
#                    on goals that fail; the chain's hardest goal takes 13 s)
#   PROVE_JOBS       parallel prover processes (default 2)
#   PROVE_REUSE=0    run WP on every unit, even those whose stored result
#                    (proofs/units) has the same inputs (the goals then come
#                    from the WP cache: a replay, not a run from scratch)
#   PROVE_ALLOW_VERSIONS=1  run even if a tool's version differs from
#                    proofs/versions.pinned (the results then say so)
#   PROVE_ALL_PROVERS  units run with -wp-run-all-provers (default none;
#                    make prove-crosscheck: every unit it runs)
#   PROVE_SPLIT      units run with -wp-split (default "pv_chain pv_static pv_stack pv_region")
#   PROVE_CPPFLAGS   extra preprocessor flags, e.g. "-DPV_ALIGN=16": proves
#                    another configuration (cache and results then stay in build/)
#   MUTANT_TIMEOUT   time limit for the mutant runs (default: PROVE_TIMEOUT)
#   PROVE_MUTANTS    make prove-mutants on these mutants only, by number
#                    (e.g. "25 26"; proofs/mutants.csv then lists only them)
#   PROVE_FILES      the C files to prove, each its own translation unit
#                    (default "src/pv_core.c src/pv_chain.c src/pv_static.c src/pv_stack.c src/pv_region.c"); with
#   PROVE_INCLUDE    their include directories (default "src spec") and
#   PROVE_OUT        where the run's files go (default build/prove): make
#                    dist proves its amalgamated pair this way, with the same
#                    options and why3 configuration (results stay in PROVE_OUT)
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD

MACHDEPS=${PROVE_MACHDEPS:-x86_64 x86_32}
TIMEOUT=${PROVE_TIMEOUT:-30}
JOBS=${PROVE_JOBS:-2}
# The order matters where the first success stops the others (the chain's
# unit): WP tries them in this order, and cvc4 proves the most goals there.
PROVERS=cvc4,z3,cvc5
OUT=${PROVE_OUT:-build/prove}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
CACHE=$ROOT/proofs/wp-cache
MODE=prove

for arg in "$@"; do
  case "$arg" in
    --scratch) MODE=scratch ;;
    --rebuild-cache) MODE=rebuild ;;
    --mutants) MODE=mutants ;;
    --crosscheck) MODE=crosscheck ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "prove: unknown option $arg" >&2; exit 2 ;;
  esac
done

# The WP options: the proof itself. Every run (main tree, scratch, mutants)
# uses exactly these. Nothing is filtered or skipped: no -wp-prop, -wp-skip-fct,
# -wp-fct, -wp-bhv; every function of the translation unit is proved. Beyond
# issue 8's -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast, the RTE
# alarms also cover forming an invalid pointer (-warn-invalid-pointer: every
# base + offset stays within its object or one past it), signed downcasts and
# right shifts of negative values (both off by default in Frama-C).
set_wp_opts() {
  WP_OPTS=(
    -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast
    -warn-invalid-pointer -warn-signed-downcast -warn-right-shift-negative
    -wp-prover "$PROVERS" -wp-run-all-provers
    -wp-timeout "$TIMEOUT" -wp-par "$JOBS"
  )
}
set_wp_opts
INCLUDE=${PROVE_INCLUDE:-src spec}
CPP_OPTS=(-cpp-extra-args="$(for d in $INCLUDE; do printf -- '-I%s ' "$d"; done | sed 's/ $//')${PROVE_CPPFLAGS:+ $PROVE_CPPFLAGS}")
read -r -a FILES <<<"${PROVE_FILES:-src/pv_core.c src/pv_chain.c src/pv_static.c src/pv_stack.c src/pv_region.c}"
EXTRA_OPTS=()
unit_of() { basename "$1" .c; }
for f in "${FILES[@]}"; do
  [ "$(for g in "${FILES[@]}"; do unit_of "$g"; echo; done | grep -cx "$(unit_of "$f")")" -eq 1 ] ||
    { echo "prove: two files of PROVE_FILES are named $(unit_of "$f").c"; exit 2; }
done
# Units proved with every prover on every goal (-wp-run-all-provers): none in
# make prove. There the provers are tried in the order cvc4, z3, cvc5 and the
# first success stops the others; running all three on each goal would cost
# about 300 s per machdep for the core alone, and the run from scratch must
# fit issue 20's 30 minutes on 2 cores. make prove-crosscheck (--crosscheck)
# runs them all, outside that budget, and says which goals rest on one
# prover (proofs/crosscheck.md, proofs/TRUSTED.md T9).
if [ "$MODE" = crosscheck ]; then
  read -r -a FILES <<<"${PROVE_FILES:-src/pv_core.c}"
  ALL_PROVERS=${PROVE_ALL_PROVERS-$(for f in "${FILES[@]}"; do unit_of "$f"; done | xargs)}
  OUT=${PROVE_OUT:-$ROOT/build/crosscheck}
else
  ALL_PROVERS=${PROVE_ALL_PROVERS-}
fi
# Units whose goals WP splits at each disjunction (-wp-split): the chain's,
# whose functions end in several calls (each exit path is then a goal of its
# own; unsplit, the provers time out on the merged paths: proofs/README.md).
SPLIT=${PROVE_SPLIT-pv_chain pv_static pv_stack pv_region}
# Anything but the committed configuration keeps its results out of proofs/.
CUSTOM=0
if [ -n "${PROVE_CPPFLAGS:-}" ] || [ -n "${PROVE_FILES:-}" ] || [ -n "${PROVE_INCLUDE:-}" ] ||
   [ -n "${PROVE_OUT:-}" ] || [ -n "${PROVE_ALL_PROVERS+set}" ] || [ -n "${PROVE_SPLIT+set}" ] || [ "$MACHDEPS" != "x86_64 x86_32" ] || [ "$TIMEOUT" != 30 ]; then
  CUSTOM=1
fi

die() { echo "prove: $*"; exit 1; }

# ---- 1. tools and their pinned versions ---------------------------------
tool_version() {
  case "$1" in
    frama-c) frama-c -version 2>/dev/null | head -n 1 ;;
    why3)    why3 --version 2>/dev/null | sed -n 's/^Why3 platform, version \([^ ]*\).*/\1/p' ;;
    z3)      z3 --version 2>/dev/null | sed -n 's/^Z3 version \([^ ]*\).*/\1/p' ;;
    cvc4)    cvc4 --version 2>/dev/null | sed -n 's/^This is CVC4 version \([^ ]*\).*/\1/p' ;;
    cvc5)    cvc5 --version 2>/dev/null | sed -n 's/^This is cvc5 version \([^ ]*\).*/\1/p' ;;
  esac
}
check_versions() {
  local name want have bad=0
  : >"$OUT/versions.txt"
  while IFS='|' read -r name want; do
    case "$name" in ''|\#*) continue ;; esac
    name=$(echo "$name" | xargs); want=$(echo "$want" | xargs)
    command -v "$name" >/dev/null 2>&1 || die "$name not found (install: make deps)"
    have=$(tool_version "$name")
    echo "$name|$have" >>"$OUT/versions.txt"
    if [ "$have" != "$want" ]; then
      echo "prove: VERSION MISMATCH: $name is '$have', the proofs are pinned to '$want' (proofs/versions.pinned)"
      bad=1
    fi
  done <proofs/versions.pinned
  if [ "$bad" -ne 0 ]; then
    [ "${PROVE_ALLOW_VERSIONS:-0}" = 1 ] || die "pinned versions differ (set PROVE_ALLOW_VERSIONS=1 to run anyway; the cache will mostly miss)"
    echo "prove: PROVE_ALLOW_VERSIONS=1: going on with the versions above"
    echo "mismatch" >"$OUT/versions.mismatch"
  else
    rm -f "$OUT/versions.mismatch"
  fi
}

# ---- 2. the project's why3 configuration (cvc5 is unknown to why3 1.5.1) --
why3_config() {
  local d=$OUT/why3 drivers
  mkdir -p "$d"
  drivers=$(why3 --print-datadir)/drivers
  [ -f "$drivers/cvc4_16.gen" ] || die "why3 drivers not found in $drivers"
  local drv
  for drv in proofs/why3/*.drv; do
    sed "s|@WHY3_DRIVERS@|$drivers|" "$drv" >"$d/$(basename "$drv")"
  done
  sed "s|@PROOFS_WHY3@|$d|" proofs/why3/why3.conf >"$d/why3.conf"
  export WHY3CONFIG=$d/why3.conf
  # The three provers must be known to WP under the names used above.
  local detect
  detect=$(cd "$d" && frama-c -wp-detect 2>&1)
  for p in 'Z3:4.8.12' 'CVC4:1.8' 'CVC5:1.0.3'; do
    echo "$detect" | grep -q "|$p\]" || {
      echo "$detect"; die "why3 does not know the prover $p (config: $WHY3CONFIG)"; }
  done
}

# ---- 3. one WP run: tree, machdep, C file, output dir, cache dir ----------
# Returns 0 when frama-c ran to the end and wrote its reports (whatever the
# proof result), 1 on a tool failure.
# The WP options of one unit, in UNIT_OPTS.
unit_opts() {
  local file=$1 x
  UNIT_OPTS=()
  # -wp-run-all-provers only for the units in ALL_PROVERS (see there).
  for x in "${WP_OPTS[@]}"; do
    if [ "$x" = -wp-run-all-provers ] && ! [[ " $ALL_PROVERS " == *" $(unit_of "$file") "* ]]; then continue; fi
    UNIT_OPTS+=("$x")
  done
  if [[ " $SPLIT " == *" $(unit_of "$file") "* ]]; then UNIT_OPTS+=(-wp-split); fi
}

wp_run() {
  local tree=$1 machdep=$2 file=$3 out=$4 cache=$5 cmode=${6:-update}
  local opts=() i
  unit_opts "$file"; opts=("${UNIT_OPTS[@]}" ${EXTRA_OPTS[@]+"${EXTRA_OPTS[@]}"})
  # Offline, no prover runs: WP's scheduler then spends its time waiting
  # between cache look-ups, -wp-par of them at a time; 16 slots cut a
  # replay from about 65 s to 21 s per machdep (same verdicts).
  if [ "$cmode" = offline ]; then
    for i in "${!opts[@]}"; do
      [ "${opts[$i]}" = -wp-par ] && opts[$((i + 1))]=16
    done
  fi
  rm -rf "$out"; mkdir -p "$out" "$cache"
  (cd "$tree" && frama-c -machdep "$machdep" "${CPP_OPTS[@]}" "${opts[@]}" \
     -wp-cache "$cmode" -wp-cache-dir "$cache" \
     -wp-report-json "$out/report.json" \
     "$file" -then -report-csv "$out/report.csv") >"$out/wp.log" 2>&1
  wp_ran "$?" "$tree" "$machdep" "$file" "$out"
}

# Did a WP run end well (exit 0, both reports written)? Records the exit code;
# says why not.
wp_ran() { # rc tree machdep file out
  local rc=$1 tree=$2 machdep=$3 file=$4 out=$5
  echo "$rc" >"$out/frama-c.rc"
  if [ "$rc" -ne 0 ] || [ ! -s "$out/report.json" ] || [ ! -s "$out/report.csv" ]; then
    tail -n 30 "$out/wp.log"
    echo "prove: frama-c failed on $tree/$file ($machdep, exit $rc); log: $out/wp.log"
    return 1
  fi
  return 0
}

# ---- 4. the result of each unit, kept with the hash of its inputs ---------
# proofs/units/MACHDEP/UNIT/ holds the reports of the last complete run of the
# unit (report.json, report.csv, wp.log without its per-goal lines; the same
# for its smoke tests) and `key`, the SHA-256 of everything the run depends
# on: the machdep, the file, the WP and smoke options (all but -wp-par), the
# preprocessor flags, the tool versions, the project's why3 drivers and
# configuration, and the unit as Frama-C's preprocessor sees it (gcc -E -C
# with __FRAMAC__, the machdep's macro and Frama-C's libc headers: the ACSL
# comments kept; code under #ifndef __FRAMAC__ left out, so a change there
# costs no proof). make prove reuses a unit's reports when its key is
# unchanged, and runs WP only on the units whose key changed.
STORE=$ROOT/proofs/units
FC_LIBC=$(frama-c -print-share-path 2>/dev/null)/libc
unit_key() { # machdep file
  local m=$1 f=$2 x text incs=()
  unit_opts "$f"
  for d in $INCLUDE; do incs+=("-I$d"); done
  # shellcheck disable=SC2086
  text=$(gcc -E -C -P -nostdinc -isystem "$FC_LIBC" -D__FRAMAC__ -D"__FC_MACHDEP_${m^^}" \
         "${incs[@]}" ${PROVE_CPPFLAGS:-} "$f" 2>/dev/null) || { echo none; return; }
  [ -n "$text" ] || { echo none; return; }
  {
    echo "machdep $m"; echo "file $f"; echo "cpp ${CPP_OPTS[*]}"
    local skip=0
    for x in "${UNIT_OPTS[@]}"; do
      if [ "$skip" = 1 ]; then skip=0; continue; fi
      [ "$x" = -wp-par ] && { skip=1; continue; }
      echo "opt $x"
    done
    echo "smoke $SMOKE_PROVER $SMOKE_TIMEOUT unfiltered"
    cat "$OUT/versions.txt"
    for x in proofs/why3/*; do echo "== $x"; cat "$x"; done
    echo "== the unit as Frama-C's preprocessor sees it"
    echo "$text"
  } | sha256sum | cut -d' ' -f1
}
store_get() { # machdep file run-dir: 0 if the stored result has the same key
  local d=$STORE/$1/$(unit_of "$2") k
  [ -f "$d/key" ] || return 1
  k=$(unit_key "$1" "$2")
  [ "$k" != none ] && [ "$(cat "$d/key")" = "$k" ] || return 1
  [ -f "$d/smoke/report.json" ] || return 1
  rm -rf "$3" "$3.smoke"; mkdir -p "$3" "$3.smoke"
  cp "$d/report.json" "$d/report.csv" "$d/wp.log" "$3/" && echo 0 >"$3/frama-c.rc" &&
    cp "$d/smoke/report.json" "$d/smoke/wp.log" "$3.smoke/"
}
store_put() { # machdep file run-dir
  local d=$STORE/$1/$(unit_of "$2") k
  k=$(unit_key "$1" "$2"); [ "$k" != none ] || return 0
  mkdir -p "$d/smoke"
  cp "$3/report.json" "$3/report.csv" "$d/"
  grep -vE '^\[wp\] \[[A-Za-z0-9 .]+\] (Goal|Smoke-test) ' "$3/wp.log" >"$d/wp.log"
  cp "$3.smoke/report.json" "$d/smoke/"
  grep -vE '^\[wp\] \[[A-Za-z0-9 .]+\] (Goal|Smoke-test) ' "$3.smoke/wp.log" >"$d/smoke/wp.log"
  echo "$k" >"$d/key"
}

# ---- 3b. the smoke tests of a unit ------------------------------------------
# WP's smoke tests (-wp-smoke-tests): WP tries to prove \false at every
# precondition, behavior assumption, call and branch of the unit; one that is
# proved is a dead branch or a contradictory contract (a trusted contract
# whose ensures cannot hold would make every goal after the call vacuous),
# and fails make prove. A second frama-c run on the same unit with the same
# options and no filter, so WP makes its full set of smoke tests, with one
# prover, cvc4 (a smoke test passes only when no prover proves it, so every
# prover would run to the end on each one: three would triple the cost for
# a check that is best effort anyway). Each try is bounded by
# -wp-smoke-timeout (SMOKE_TIMEOUT, default 2 s, WP's default). The run's
# proof goals are the proof run's, with the same prover list order and
# timeout, so cvc4's verdict on each is in the cache the proof run just
# filled (WP keeps timeouts too): they cost a look-up, and their verdicts
# are not read (the proof run is the record: proofs/TRUSTED.md T16).
SMOKE_TIMEOUT=${PROVE_SMOKE_TIMEOUT:-2}
SMOKE_PROVER=cvc4
smoke_run() {
  local tree=$1 machdep=$2 file=$3 out=$4 cache=$5 rc x skip=0 opts=()
  unit_opts "$file"
  for x in "${UNIT_OPTS[@]}"; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    case "$x" in
      -wp-prover) skip=1; continue ;;
      -wp-run-all-provers) continue ;;
    esac
    opts+=("$x")
  done
  opts+=(-wp-prover "$SMOKE_PROVER" -wp-smoke-tests -wp-smoke-timeout "$SMOKE_TIMEOUT")
  rm -rf "$out"; mkdir -p "$out" "$cache"
  (cd "$tree" && frama-c -machdep "$machdep" "${CPP_OPTS[@]}" "${opts[@]}" \
     -wp-cache update -wp-cache-dir "$cache" \
     -wp-report-json "$out/report.json" "$file") >"$out/wp.log" 2>&1
  rc=$?
  echo "$rc" >"$out/frama-c.rc"
  if [ "$rc" -ne 0 ] || [ ! -s "$out/report.json" ]; then
    tail -n 30 "$out/wp.log"
    echo "prove: frama-c failed on the smoke tests of $tree/$file ($machdep, exit $rc); log: $out/wp.log"
    return 1
  fi
  return 0
}

cache_stats() { # files in a cache dir
  find "$1" -name '*.json' 2>/dev/null | wc -l
}

mkdir -p "$OUT"
check_versions
why3_config

# ---- make prove -----------------------------------------------------------
prove_main() {
  local cache=$CACHE runs=() m t0 t1 rc before
  # Results go to proofs/ only for the committed configuration: default
  # machdeps, timeout and preprocessor flags.
  local publish=1
  if [ "$CUSTOM" -eq 1 ]; then
    publish=0
    [ "$MODE" = rebuild ] && die "--rebuild-cache needs the default PROVE_* settings"
    [ "$MODE" = prove ] && { cache=$OUT/cache-custom; mkdir -p "$cache"; cp -r "$CACHE/." "$cache/" 2>/dev/null; }
  fi
  if [ "$MODE" != prove ]; then
    cache=$OUT/cache-scratch
    rm -rf "$cache"
  fi
  before=$(cache_stats "$cache")
  echo "prove: frama-c $(tool_version frama-c), why3 $(tool_version why3), z3 $(tool_version z3), cvc4 $(tool_version cvc4), cvc5 $(tool_version cvc5)"
  echo "prove: machdeps: $MACHDEPS; timeout ${TIMEOUT}s; ${JOBS} jobs; cache $(realpath --relative-to="$ROOT" "$cache") ($before entries)"
  t0=$(date +%s)
  # The machdeps run side by side (frama-c itself is single-threaded), the
  # PROVE_JOBS prover processes shared between them.
  local n=0 pids=() fail=0 i
  for m in $MACHDEPS; do n=$((n + 1)); done
  local saved_par=$JOBS
  JOBS=$(( saved_par / n )); [ "$JOBS" -ge 1 ] || JOBS=1
  local run_par=$JOBS
  set_wp_opts
  # A rerun first reads the committed cache only (-wp-cache offline: no
  # prover is started). If that proves every goal, it is the result: the same
  # verdicts an update run would reuse, without retrying the provers' cached
  # timeouts on goals another prover proved. Otherwise (a goal changed or is
  # new), the normal run (-wp-cache update) proves what is missing.
  local passes="update"
  [ "$MODE" = prove ] && passes="offline update"
  # A unit whose inputs are those of its stored result (proofs/units) is not
  # run again: make prove only, committed configuration only.
  local todo=() f u
  runs=()
  for m in $MACHDEPS; do
    for f in "${FILES[@]}"; do
      u=$(unit_of "$f")
      runs+=("$m/$u=$OUT/$m/$u" "$m/$u+smoke=$OUT/$m/$u.smoke")
      if [ "$MODE" = prove ] && [ "$publish" -eq 1 ] && [ "${PROVE_REUSE:-1}" = 1 ] &&
         store_get "$m" "$f" "$OUT/$m/$u"; then
        echo "prove: $m $u: inputs unchanged since the stored result (proofs/units/$m/$u): reused"
      else
        todo+=("$m:$f")
      fi
    done
  done
  [ ${#todo[@]} -gt 0 ] || passes=""
  local cmode
  for cmode in $passes; do
    pids=(); fail=0
    for m in $MACHDEPS; do
      ( for x in "${todo[@]}"; do
          [ "${x%%:*}" = "$m" ] || continue
          f=${x#*:}; u=$(unit_of "$f"); t=$(date +%s)
          wp_run "$ROOT" "$m" "$f" "$OUT/$m/$u" "$cache" "$cmode" || exit 1
          echo "prove: $m $u: WP run ($cmode cache) $(( $(date +%s) - t )) s"
        done ) &
      pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || fail=1; done
    [ "$fail" -eq 0 ] || break
    if [ "$cmode" = offline ]; then
      if python3 proofs/tools/wp_report.py --quiet --trusted proofs/trusted-functions.txt \
           $(printf '%s\n' "${runs[@]}" | grep -v '+smoke=') >/dev/null 2>&1; then
        echo "prove: every goal proved from the cache"
        break
      fi
      # The update pass runs only the units with a goal the cache did not prove.
      local again=() g
      for x in "${todo[@]}"; do
        g=$OUT/${x%%:*}/$(unit_of "${x#*:}")/report.json
        python3 -c 'import json,sys; m = json.load(open(sys.argv[1]))["wp:global"]["wp:main"]; sys.exit(m.get("valid", 0) != m.get("total", -1))' "$g" 2>/dev/null ||
          again+=("$x")
      done
      if [ ${#again[@]} -eq 0 ]; then
        echo "prove: every goal proved from the cache (a property's status failed the report: see below)"
        break
      fi
      echo "prove: the cache does not prove every goal of: ${again[*]}: running the provers there"
      local done_units=("${todo[@]}")
      todo=("${again[@]}")
    fi
  done
  [ -n "${done_units+set}" ] && todo=("${done_units[@]}")
  # The smoke tests of the units that were run.
  if [ "$fail" -eq 0 ] && [ ${#todo[@]} -gt 0 ]; then
    pids=()
    for m in $MACHDEPS; do
      ( for x in "${todo[@]}"; do
          [ "${x%%:*}" = "$m" ] || continue
          f=${x#*:}; u=$(unit_of "$f"); t=$(date +%s)
          smoke_run "$ROOT" "$m" "$f" "$OUT/$m/$u.smoke" "$cache" || exit 1
          echo "prove: $m $u: smoke tests $(( $(date +%s) - t )) s"
        done ) &
      pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || fail=1; done
  fi
  JOBS=$saved_par
  set_wp_opts
  [ "$fail" -eq 0 ] || die "a WP run failed"
  t1=$(date +%s)
  python3 proofs/tools/wp_report.py --trusted proofs/trusted-functions.txt "${runs[@]}" \
    --csv "$OUT/results.csv" --goals "$OUT/goals.csv" --smoke "$OUT/smoke.csv" --summary "$OUT/summary.json"
  rc=$?
  local goals proved smoke smoke_passed
  read -r goals proved smoke smoke_passed < <(python3 -c 'import json,sys; s = json.load(open(sys.argv[1])); print(s["goals"], s["proved"], s["smoke"], s["smoke_passed"])' "$OUT/summary.json")
  # Keep the result of each unit that was run, with its key (only when the
  # whole run is complete, and for the committed configuration).
  if [ "$rc" -eq 0 ] && [ "$publish" -eq 1 ]; then
    for x in "${todo[@]}"; do
      store_put "${x%%:*}" "${x#*:}" "$OUT/${x%%:*}/$(unit_of "${x#*:}")"
    done
  fi
  cat >"$OUT/run.json" <<EOF
{"mode": "$MODE", "machdeps": "$MACHDEPS", "timeout": $TIMEOUT, "jobs": $JOBS,
 "wall_seconds": $((t1 - t0)), "cache_entries_before": $before,
 "cache_entries_after": $(cache_stats "$cache"), "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
EOF
  echo "prove: wall time $((t1 - t0)) s ($MODE; cache entries $before -> $(cache_stats "$cache"))"
  if [ "$MODE" = rebuild ] && [ "$rc" -eq 0 ]; then
    rm -rf "$CACHE" && cp -r "$cache" "$CACHE"
    echo "prove: proofs/wp-cache rebuilt ($(cache_stats "$CACHE") entries)"
  fi
  # Publish the data under proofs/ (the committed configuration only; the
  # same content for the same proof, so a rerun leaves git clean).
  if [ "$publish" -eq 1 ]; then
  cp "$OUT/results.csv" proofs/results.csv
  cp "$OUT/goals.csv" proofs/goals.csv
  cp "$OUT/smoke.csv" proofs/smoke.csv
  cp "$OUT/versions.txt" proofs/versions.txt
  { echo "machdeps: $MACHDEPS (run side by side, -wp-par $run_par each)"
    echo "WHY3CONFIG=build/prove/why3/why3.conf (from proofs/why3/)"
    echo "make prove: first with -wp-cache offline; again with -wp-cache update only if a goal is not proved from the cache"
    echo "frama-c -machdep MACHDEP -cpp-extra-args=\"${CPP_OPTS[0]#-cpp-extra-args=}\" $(echo "${WP_OPTS[*]}" | sed "s/-wp-par $JOBS/-wp-par $run_par/") -wp-cache update -wp-cache-dir proofs/wp-cache -wp-report-json build/prove/MACHDEP/UNIT/report.json FILE -then -report-csv build/prove/MACHDEP/UNIT/report.csv"
    echo "FILE (UNIT): one run each, one after the other: ${FILES[*]}; -wp-run-all-provers only for the units: $ALL_PROVERS; -wp-split only for the units: $SPLIT"
  } >proofs/wp-command.txt
  python3 proofs/tools/render_results.py >/dev/null || echo "prove: could not render proofs/results.md"
  else
    echo "prove: non-default settings (files '${FILES[*]}', all provers for '$ALL_PROVERS', PROVE_CPPFLAGS='${PROVE_CPPFLAGS:-}', machdeps '$MACHDEPS', timeout $TIMEOUT): results in $OUT only"
  fi
  echo "prove: smoke tests: $smoke, $smoke_passed passed, $((smoke - smoke_passed)) failed (a failed one is a dead branch or a contradictory assumption)"
  echo "prove: $goals goals, $proved proved, $((goals - proved)) unproved"
  [ "$rc" -eq 0 ] && [ "$goals" -eq "$proved" ] && [ "$goals" -gt 0 ] && [ "$smoke" -eq "$smoke_passed" ] && [ "$smoke" -gt 0 ]
}

# ---- make prove-mutants ---------------------------------------------------
# A mutant is proved against the unit it breaks: for the first file the patch
# touches, src/X.c or src/X.h, the unit src/X.c if it is one of the proved
# units (PROVE_FILES); src/pv_source.h belongs to the chain's unit. Other
# mutants (the FIFO's files, not proved yet) are for make fuzz-mutants.
mutant_unit() {
  local f u
  for f in $(sed -n 's|^+++ b/||p' "$1" | cut -f1); do
    case "$f" in
      src/pv_source.h) u=src/pv_chain.c ;;
      src/*.c|src/*.h) u=${f%.*}.c ;;
      *) continue ;;
    esac
    if printf '%s\n' "${FILES[@]}" | grep -qxF "$u"; then echo "$u"; return; fi
  done
}
proved_mutant() { [ -n "$(mutant_unit "$1")" ]; }

# A mutant's WP run, stopped at its first unproved goal: one unproved goal
# rejects the mutant, and the goals after it cannot make it proved again.
# proofs/tools/wp_first_unproved.py watches the log; frama-c runs in a
# process group of its own (set -m), killed with its provers there. Prints
# "GOAL|verdicts" and returns 0 if it stopped there; returns 1 when frama-c
# ended without one (the caller then reads the report as before), 2 if
# frama-c failed.
wp_mutant_run() { # tree machdep file out cache
  local tree=$1 machdep=$2 file=$3 out=$4 cache=$5 pid first rc
  unit_opts "$file"
  rm -rf "$out"; mkdir -p "$out" "$cache"
  set -m
  (cd "$tree" && exec frama-c -machdep "$machdep" "${CPP_OPTS[@]}" "${UNIT_OPTS[@]}" \
     ${EXTRA_OPTS[@]+"${EXTRA_OPTS[@]}"} -wp-cache update -wp-cache-dir "$cache" \
     -wp-report-json "$out/report.json" "$file" -then -report-csv "$out/report.csv") >"$out/wp.log" 2>&1 &
  pid=$!
  set +m
  if first=$(python3 proofs/tools/wp_first_unproved.py "$out/wp.log" "$pid"); then
    kill -TERM -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "stopped at the first unproved goal" >"$out/frama-c.rc"
    echo "$first"
    return 0
  fi
  wait "$pid"; rc=$?
  wp_ran "$rc" "$tree" "$machdep" "$file" "$out" || return 2
  return 1
}

prove_mutants() {
  local mt=$ROOT/build/mutants cache patches=() p name tree k=0 rej=0 m rc
  local mtimeout=${MUTANT_TIMEOUT:-$TIMEOUT}
  TIMEOUT=$mtimeout
  # Same options as make prove but without -wp-run-all-provers: a goal is
  # proved iff some prover proves it either way; the first success stops the
  # others, so unchanged goals come straight from the cache and only the goals
  # a mutant changed cost prover time. Nor -wp-smoke-tests: a mutant is
  # rejected by an unproved goal; its smoke tests would only cost time.
  set_wp_opts
  local o=() x
  for x in "${WP_OPTS[@]}"; do
    case "$x" in -wp-run-all-provers|-wp-smoke-tests) ;; *) o+=("$x") ;; esac
  done
  WP_OPTS=("${o[@]}")
  rm -rf "$mt"; mkdir -p "$mt"
  # The mutants start from a copy of the committed cache, so goals a mutant
  # leaves unchanged are not proved again; entries the mutants add stay in
  # build/ and never reach proofs/wp-cache.
  cache=$mt/cache
  cp -r "$CACHE" "$cache" 2>/dev/null || mkdir -p "$cache"
  for p in mutants/*.patch; do
    if [ -n "${PROVE_MUTANTS:-}" ] && ! [[ " $PROVE_MUTANTS " == *" $(basename "$p" | cut -d- -f1) "* ]]; then continue; fi
    proved_mutant "$p" && patches+=("$p")
  done
  [ ${#patches[@]} -gt 0 ] || die "no mutant of a proved file in mutants/"
  echo "prove-mutants: ${#patches[@]} mutants of the proved files (of $(ls mutants/*.patch | wc -l)); machdeps: $MACHDEPS; timeout ${TIMEOUT}s"
  echo "mutant,unit,result,machdep,goals,proved,unproved,failed_goals" >"$mt/mutants.csv"
  local t0=$(date +%s)
  for p in "${patches[@]}"; do
    name=$(basename "$p" .patch)
    k=$((k + 1))
    tree=$mt/$name/tree
    mkdir -p "$tree"
    cp -r src spec "$tree/"
    if ! (cd "$tree" && patch -p1 --forward --no-backup-if-mismatch -s <"$ROOT/$p") >"$mt/$name/patch.log" 2>&1; then
      cat "$mt/$name/patch.log"
      echo "  $name: NOT APPLIED (patch failed): not rejected"
      echo "$name,$(unit_of "$(mutant_unit "$p")"),not-applied,,,,," >>"$mt/mutants.csv"
      continue
    fi
    if diff -rq src "$tree/src" >/dev/null; then
      echo "  $name: the patch changed nothing: not rejected"
      echo "$name,$(unit_of "$(mutant_unit "$p")"),no-change,,,,," >>"$mt/mutants.csv"
      continue
    fi
    local result=survived detail="" t=$(date +%s) unit fcts
    unit=$(mutant_unit "$p")
    # Only the functions whose bodies the mutant changes, if it changes
    # nothing else (proofs/tools/mutant_fcts.py says why that is the same
    # verdict as the whole unit's); the whole unit otherwise. This -wp-fct
    # decides "rejected" only, never "proved": proofs/TRUSTED.md T16.
    fcts=$(python3 proofs/tools/mutant_fcts.py "$ROOT" "$tree")
    EXTRA_OPTS=()
    [ -n "$fcts" ] && EXTRA_OPTS=(-wp-fct "$fcts")
    echo "$name: $(unit_of "$unit"), ${fcts:-the whole unit (the mutant changes more than function bodies)}" >"$mt/$name/scope.txt"
    local first="" rc
    for m in $MACHDEPS; do
      first=$(wp_mutant_run "$tree" "$m" "$unit" "$mt/$name/$m" "$cache"); rc=$?
      if [ "$rc" -eq 0 ]; then
        result="rejected:$m"; detail="REJECT|-|-|${first%%|*}|"; break
      elif [ "$rc" -ne 1 ]; then
        echo "$first"; result=tool-failure; detail="frama-c failed ($m)"; break
      fi
      python3 proofs/tools/wp_report.py --quiet --trusted proofs/trusted-functions.txt "$m=$mt/$name/$m" \
        --summary "$mt/$name/$m/summary.json" >"$mt/$name/$m/report.txt" 2>&1
      # Rejected only if some goal is unproved with a real verdict: a prover
      # answered unknown/timeout (not only "failed", which is also how a
      # crash of a prover or of why3 shows).
      detail=$(python3 - "$mt/$name/$m/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s["runs"][0] if s["runs"] else None
if r is None:
    print("ERROR|no report"); sys.exit()
real = []
crash = []
for u in r["unproved"]:
    v = u["verdicts"]
    genuine = any(p in v and (v[p].get("unknown", 0) or v[p].get("invalid", 0) or v[p].get("timeout", 0))
                  for p in ("z3", "cvc4", "cvc5"))
    (real if genuine else crash).append(u["property"])
if not real and not crash and r["proved"] != r["goals"]:
    crash.append("(goals %d, proved %d, no unproved goal listed)" % (r["goals"], r["proved"]))
print("%s|%d|%d|%s|%s" % ("REJECT" if real else ("CRASH" if crash else "PROVED"),
      r["goals"], r["proved"], " ".join(real), " ".join(crash)))
PY
)
      case "$detail" in
        REJECT*) result="rejected:$m"; break ;;
        CRASH*) result=tool-failure ;;
        ERROR*) result=tool-failure; break ;;
      esac
    done
    local goals proved real crash
    IFS='|' read -r _ goals proved real crash <<<"$detail"
    case "$result" in
      rejected:*)
        rej=$((rej + 1))
        if [ -n "$first" ]; then
          echo "  $name: REJECTED on ${result#rejected:}, $(unit_of "$unit")${fcts:+ (functions $fcts)} (stopped at its first unproved goal, $(( $(date +%s) - t )) s)"
          echo "      unproved: ${first%%|*}  [${first#*|}]"
          echo "$name,$(unit_of "$unit"),rejected,${result#rejected:},-,-,-,${first%%|*}" >>"$mt/mutants.csv"
          continue
        fi
        echo "  $name: REJECTED on ${result#rejected:}, $(unit_of "$unit")${fcts:+ (functions $fcts)} ($((goals - proved)) of $goals goals unproved, $(( $(date +%s) - t )) s)"
        for g in $real; do
          echo "      unproved: $g  [$(python3 - "$mt/$name/${result#rejected:}/summary.json" "$g" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for u in s["runs"][0]["unproved"]:
    if u["property"] == sys.argv[2]:
        print(" ".join("%s:%s" % (p, ",".join(k for k, n in sorted(v.items()) if k != "total" and n))
                       for p, v in sorted(u["verdicts"].items())))
        break
PY
)]"
        done
        echo "$name,$(unit_of "$unit"),rejected,${result#rejected:},$goals,$proved,$((goals - proved)),$real" >>"$mt/mutants.csv" ;;
      tool-failure)
        echo "  $name: TOOL FAILURE ($detail): not counted as rejected"
        echo "$name,$(unit_of "$unit"),tool-failure,,,,,${crash:-}" >>"$mt/mutants.csv" ;;
      *)
        echo "  $name: SURVIVED: every goal proved on $MACHDEPS"
        echo "$name,$(unit_of "$unit"),survived,,$goals,$proved,0," >>"$mt/mutants.csv" ;;
    esac
  done
  local t1=$(date +%s)
  echo "prove-mutants: wall time $((t1 - t0)) s"
  cp "$mt/mutants.csv" proofs/mutants.csv
  cat >proofs/mutants-run.json <<EOF
{"mutants": $k, "rejected": $rej, "timeout": $TIMEOUT, "machdeps": "$MACHDEPS", "jobs": $JOBS,
 "wall_seconds": $((t1 - t0))}
EOF
  python3 proofs/tools/render_results.py >/dev/null || echo "prove-mutants: could not render proofs/results.md"
  echo "mutants: $rej/$k rejected"
  [ "$rej" -eq "$k" ]
}

# ---- make prove-crosscheck --------------------------------------------------
# Every prover on every goal of the units in FILES (default: the core's), so
# that each prover's column says what it proves on its own. Its cache is
# build/crosscheck/cache, seeded from proofs/wp-cache (make prove stores only
# the verdicts it needs: the first success). No smoke tests (make prove runs
# them). In the committed configuration (the core, both machdeps, 30 s) it
# writes proofs/crosscheck.md.
crosscheck_main() {
  local cache=$OUT/cache m f u x pids=() fail=0 runs=() t0 t1 rc n=0
  mkdir -p "$cache" && cp -r "$CACHE/." "$cache/"
  for m in $MACHDEPS; do n=$((n + 1)); done
  local saved_par=$JOBS
  JOBS=$(( saved_par / n )); [ "$JOBS" -ge 1 ] || JOBS=1
  set_wp_opts
  echo "crosscheck: every prover on every goal of: ${FILES[*]}; machdeps $MACHDEPS; timeout ${TIMEOUT}s; cache $(realpath --relative-to="$ROOT" "$cache") ($(cache_stats "$cache") entries)"
  t0=$(date +%s)
  for m in $MACHDEPS; do
    for f in "${FILES[@]}"; do runs+=("$m/$(unit_of "$f")=$OUT/$m/$(unit_of "$f")"); done
    ( for f in "${FILES[@]}"; do
        u=$(unit_of "$f"); x=$(date +%s)
        wp_run "$ROOT" "$m" "$f" "$OUT/$m/$u" "$cache" update || exit 1
        echo "crosscheck: $m $u: WP run $(( $(date +%s) - x )) s"
      done ) &
    pids+=($!)
  done
  for x in "${pids[@]}"; do wait "$x" || fail=1; done
  JOBS=$saved_par
  [ "$fail" -eq 0 ] || die "a WP run failed"
  t1=$(date +%s)
  python3 proofs/tools/wp_report.py --quiet --trusted proofs/trusted-functions.txt "${runs[@]}" \
    --csv "$OUT/results.csv" --goals "$OUT/goals.csv" --summary "$OUT/summary.json"
  rc=$?
  echo "crosscheck: wall time $((t1 - t0)) s"
  if [ -z "${PROVE_FILES:-}${PROVE_CPPFLAGS:-}${PROVE_INCLUDE:-}${PROVE_ALL_PROVERS+set}" ] &&
     [ "$MACHDEPS" = "x86_64 x86_32" ] && [ "$TIMEOUT" = 30 ]; then
    python3 proofs/tools/render_results.py --crosscheck "$OUT" "$((t1 - t0))" || die "could not render proofs/crosscheck.md"
    echo "crosscheck: proofs/crosscheck.md written"
  fi
  python3 - "$OUT/goals.csv" <<'PY'
import csv, sys
rows = [g for g in csv.DictReader(open(sys.argv[1])) if not g["qed"]]
one = [g for g in rows if sum(g[p].startswith("valid") for p in ("z3", "cvc4", "cvc5")) == 1]
c5 = [g for g in one if g["cvc5"].startswith("valid")]
print("crosscheck: %d goals sent to the provers, %d proved by one prover only, %d of them by cvc5" % (len(rows), len(one), len(c5)))
PY
  [ "$rc" -eq 0 ]
}

case "$MODE" in
  mutants) prove_mutants ;;
  crosscheck) crosscheck_main ;;
  *) prove_main ;;
esac
