#!/usr/bin/env bash
# make prove: Frama-C WP on provalloc's verified core (src/pv_core.c, which
# includes the static inline functions of src/pv_core.h), for each machdep in
# PROVE_MACHDEPS (x86_64 and x86_32), with z3, cvc4 and cvc5 through why3.
# Prints a table per function and ends with "prove: G goals, G proved, 0 unproved";
# writes the same data under proofs/; exits non-zero on any unproved goal,
# on any ACSL property not Valid, or on a tool failure. The one exception to
# "Valid": the contracts of the functions in proofs/trusted-functions.txt
# (bodies hidden from Frama-C, each in proofs/TRUSTED.md) are "Considered
# valid"; the report counts them as trusted and accepts nothing else.
#
# make prove-mutants (ci/prove.sh --mutants): for each patch in mutants/ that
# touches the core, copy the tree under build/, apply it, run the same WP run
# and require that some goal is unproved. Ends with "mutants: K/K rejected".
#
# Options (see proofs/README.md):
#   --scratch        ignore the committed cache: start from an empty one under
#                    build/ (measures a run from scratch; proofs/ untouched
#                    except the results)
#   --rebuild-cache  as --scratch, then replace proofs/wp-cache with the new
#                    cache (drops entries of goals that no longer exist)
#   --mutants        make prove-mutants
# Environment:
#   PROVE_MACHDEPS   machdeps to prove (default "x86_64 x86_32")
#   PROVE_TIMEOUT    per-goal, per-prover time limit in s (default 15)
#   PROVE_JOBS       parallel prover processes (default 2)
#   PROVE_ALLOW_VERSIONS=1  run even if a tool's version differs from
#                    proofs/versions.pinned (the results then say so)
#   PROVE_CPPFLAGS   extra preprocessor flags, e.g. "-DPV_ALIGN=16": proves
#                    another configuration (cache and results then stay in build/)
#   MUTANT_TIMEOUT   time limit for the mutant runs (default: PROVE_TIMEOUT)
#   PROVE_FILES      the C files to prove (default src/pv_core.c); with
#   PROVE_INCLUDE    their include directories (default "src spec") and
#   PROVE_OUT        where the run's files go (default build/prove): make
#                    dist proves its amalgamated pair this way, with the same
#                    options and why3 configuration (results stay in PROVE_OUT)
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD

MACHDEPS=${PROVE_MACHDEPS:-x86_64 x86_32}
TIMEOUT=${PROVE_TIMEOUT:-15}
JOBS=${PROVE_JOBS:-2}
PROVERS=z3,cvc4,cvc5
OUT=${PROVE_OUT:-build/prove}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
CACHE=$ROOT/proofs/wp-cache
MODE=prove

for arg in "$@"; do
  case "$arg" in
    --scratch) MODE=scratch ;;
    --rebuild-cache) MODE=rebuild ;;
    --mutants) MODE=mutants ;;
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
read -r -a FILES <<<"${PROVE_FILES:-src/pv_core.c}"
# Anything but the committed configuration keeps its results out of proofs/.
CUSTOM=0
if [ -n "${PROVE_CPPFLAGS:-}" ] || [ -n "${PROVE_FILES:-}" ] || [ -n "${PROVE_INCLUDE:-}" ] ||
   [ -n "${PROVE_OUT:-}" ] || [ "$MACHDEPS" != "x86_64 x86_32" ] || [ "$TIMEOUT" != 15 ]; then
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

# ---- 3. one WP run: tree, machdep, output dir, cache dir ------------------
# Returns 0 when frama-c ran to the end and wrote its reports (whatever the
# proof result), 1 on a tool failure.
wp_run() {
  local tree=$1 machdep=$2 out=$3 cache=$4 cmode=${5:-update} rc
  local opts=("${WP_OPTS[@]}") i
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
     "${FILES[@]}" -then -report-csv "$out/report.csv") >"$out/wp.log" 2>&1
  rc=$?
  echo "$rc" >"$out/frama-c.rc"
  if [ "$rc" -ne 0 ] || [ ! -s "$out/report.json" ] || [ ! -s "$out/report.csv" ]; then
    tail -n 30 "$out/wp.log"
    echo "prove: frama-c failed on $tree ($machdep, exit $rc); log: $out/wp.log"
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
  local cmode
  for cmode in $passes; do
    pids=(); runs=(); fail=0
    for m in $MACHDEPS; do
      ( t=$(date +%s); wp_run "$ROOT" "$m" "$OUT/$m" "$cache" "$cmode" || exit 1
        echo "prove: $m: WP run ($cmode cache) $(( $(date +%s) - t )) s" ) &
      pids+=($!)
      runs+=("$m=$OUT/$m")
    done
    for i in "${pids[@]}"; do wait "$i" || fail=1; done
    [ "$fail" -eq 0 ] || break
    if [ "$cmode" = offline ]; then
      if python3 proofs/tools/wp_report.py --quiet --trusted proofs/trusted-functions.txt "${runs[@]}" >/dev/null 2>&1; then
        echo "prove: every goal proved from the cache"
        break
      fi
      echo "prove: the cache does not prove every goal: running the provers"
    fi
  done
  JOBS=$saved_par
  set_wp_opts
  [ "$fail" -eq 0 ] || die "a WP run failed"
  t1=$(date +%s)
  python3 proofs/tools/wp_report.py --trusted proofs/trusted-functions.txt "${runs[@]}" \
    --csv "$OUT/results.csv" --goals "$OUT/goals.csv" --summary "$OUT/summary.json"
  rc=$?
  local goals proved
  goals=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["goals"])' "$OUT/summary.json")
  proved=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["proved"])' "$OUT/summary.json")
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
  cp "$OUT/versions.txt" proofs/versions.txt
  { echo "machdeps: $MACHDEPS (run side by side, -wp-par $run_par each)"
    echo "WHY3CONFIG=build/prove/why3/why3.conf (from proofs/why3/)"
    echo "make prove: first with -wp-cache offline; again with -wp-cache update only if a goal is not proved from the cache"
    echo "frama-c -machdep MACHDEP -cpp-extra-args=\"${CPP_OPTS[0]#-cpp-extra-args=}\" $(echo "${WP_OPTS[*]}" | sed "s/-wp-par $JOBS/-wp-par $run_par/") -wp-cache update -wp-cache-dir proofs/wp-cache -wp-report-json build/prove/MACHDEP/report.json ${FILES[*]} -then -report-csv build/prove/MACHDEP/report.csv"
  } >proofs/wp-command.txt
  python3 proofs/tools/render_results.py >/dev/null || echo "prove: could not render proofs/results.md"
  else
    echo "prove: non-default settings (files '${FILES[*]}', PROVE_CPPFLAGS='${PROVE_CPPFLAGS:-}', machdeps '$MACHDEPS', timeout $TIMEOUT): results in $OUT only"
  fi
  echo "prove: $goals goals, $proved proved, $((goals - proved)) unproved"
  [ "$rc" -eq 0 ] && [ "$goals" -eq "$proved" ] && [ "$goals" -gt 0 ]
}

# ---- make prove-mutants ---------------------------------------------------
core_mutant() { # does the patch touch the verified core?
  grep -qE '^\+\+\+ b/src/pv_core\.(h|c)([[:space:]]|$)' "$1"
}

prove_mutants() {
  local mt=$ROOT/build/mutants cache patches=() p name tree k=0 rej=0 m rc
  local mtimeout=${MUTANT_TIMEOUT:-$TIMEOUT}
  TIMEOUT=$mtimeout
  # Same options as make prove but without -wp-run-all-provers: a goal is
  # proved iff some prover proves it either way; the first success stops the
  # others, so unchanged goals come straight from the cache and only the goals
  # a mutant changed cost prover time.
  set_wp_opts
  local o=() x
  for x in "${WP_OPTS[@]}"; do [ "$x" = -wp-run-all-provers ] || o+=("$x"); done
  WP_OPTS=("${o[@]}")
  rm -rf "$mt"; mkdir -p "$mt"
  # The mutants start from a copy of the committed cache, so goals a mutant
  # leaves unchanged are not proved again; entries the mutants add stay in
  # build/ and never reach proofs/wp-cache.
  cache=$mt/cache
  cp -r "$CACHE" "$cache" 2>/dev/null || mkdir -p "$cache"
  for p in mutants/*.patch; do core_mutant "$p" && patches+=("$p"); done
  [ ${#patches[@]} -gt 0 ] || die "no core mutant in mutants/"
  echo "prove-mutants: ${#patches[@]} core mutants (of $(ls mutants/*.patch | wc -l)); machdeps: $MACHDEPS; timeout ${TIMEOUT}s"
  echo "mutant,result,machdep,goals,proved,unproved,failed_goals" >"$mt/mutants.csv"
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
      echo "$name,not-applied,,,,," >>"$mt/mutants.csv"
      continue
    fi
    if diff -rq src "$tree/src" >/dev/null; then
      echo "  $name: the patch changed nothing: not rejected"
      echo "$name,no-change,,,,," >>"$mt/mutants.csv"
      continue
    fi
    local result=survived detail="" t=$(date +%s)
    for m in $MACHDEPS; do
      if ! wp_run "$tree" "$m" "$mt/$name/$m" "$cache"; then
        result=tool-failure; detail="frama-c failed ($m)"; break
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
        echo "  $name: REJECTED on ${result#rejected:} ($((goals - proved)) of $goals goals unproved, $(( $(date +%s) - t )) s)"
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
        echo "$name,rejected,${result#rejected:},$goals,$proved,$((goals - proved)),$real" >>"$mt/mutants.csv" ;;
      tool-failure)
        echo "  $name: TOOL FAILURE ($detail): not counted as rejected"
        echo "$name,tool-failure,,,,,${crash:-}" >>"$mt/mutants.csv" ;;
      *)
        echo "  $name: SURVIVED: every goal proved on $MACHDEPS"
        echo "$name,survived,,$goals,$proved,0," >>"$mt/mutants.csv" ;;
    esac
  done
  local t1=$(date +%s)
  echo "prove-mutants: wall time $((t1 - t0)) s"
  cp "$mt/mutants.csv" proofs/mutants.csv
  cat >proofs/mutants-run.json <<EOF
{"core_mutants": $k, "rejected": $rej, "timeout": $TIMEOUT, "machdeps": "$MACHDEPS", "jobs": $JOBS,
 "wall_seconds": $((t1 - t0))}
EOF
  python3 proofs/tools/render_results.py >/dev/null || echo "prove-mutants: could not render proofs/results.md"
  echo "mutants: $rej/$k rejected"
  [ "$rej" -eq "$k" ]
}

case "$MODE" in
  mutants) prove_mutants ;;
  *) prove_main ;;
esac
