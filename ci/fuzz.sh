#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make fuzz: every harness under libFuzzer and AFL++ for FUZZ_SECONDS each,
# JOBS runs at a time. Three engines (FUZZ_ENGINES): libfuzzer and afl fuzz
# the annotated builds (ASan+UBSan, which turn on PV_DBG_ON and so compile
# out the inline fast paths of pv_region.h, pv_stack.h and pv_fifo.h);
# lf-inline is libFuzzer on the build users run (UBSan only, the inline fast
# paths in), on the harnesses whose code has such paths
# (FUZZ_INLINE_HARNESSES: region, stack, fifo, mix and static; the core
# compiles the same code either way).
# Prints per harness and engine: executions, exec/s,
# corpus size, coverage (libFuzzer: cov edges / ft features; AFL++: edges
# found / bitmap coverage) and crashes. Exit status 1 if any run crashed; the
# reproducers are copied to fuzz/crashes/ (replay: make fuzz-repro FILE=...).
#
# The committed corpora fuzz/corpus/<harness>/ (but bug-* reproducers) seed
# every run; the runs work on copies under $FUZZ_DIR/run/, so the committed
# corpora never change.
#
# Progress: a line when each run starts and ends, and every
# FUZZ_PROGRESS_EVERY seconds (10; 0: never) the runs under way with their
# seconds left and an estimate for the whole. Logs: $FUZZ_DIR/run/<engine>-<harness>/log.
set -u
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-2}
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
FUZZ_HARNESSES=${FUZZ_HARNESSES:-core region stack fifo mix static}
ENGINES=${FUZZ_ENGINES:-libfuzzer lf-inline afl}
FUZZ_INLINE_HARNESSES=${FUZZ_INLINE_HARNESSES:-region stack fifo mix static}
RUN=$FUZZ_DIR/run
CRASHES=fuzz/crashes
mkdir -p "$RUN" "$CRASHES"

one() { # one run: $1 engine, $2 harness; writes $RUN/$1-$2.result
  local eng=$1 h=$2 dir=$RUN/$1-$2 bin res t0 t1
  rm -rf "$dir" "$RUN/$1-$2.result"*; mkdir -p "$dir/corpus"
  # seeds: the committed corpus but the reproducers of open src bugs (bug-*),
  # which make check already replays; the fuzzers must find bugs themselves
  find fuzz/corpus/"$h" -type f ! -name 'bug-*' -exec cp {} "$dir/corpus/" \; 2>/dev/null
  [ -n "$(ls -A "$dir/corpus")" ] || printf '\0' >"$dir/corpus/empty"
  res=$RUN/$eng-$h.result
  date +%s >"$RUN/$eng-$h.started"
  echo "  start  $eng $h (${FUZZ_SECONDS} s; log $dir/log)"
  t0=$(date +%s.%N)
  if [ "$eng" = libfuzzer ] || [ "$eng" = lf-inline ]; then
    if [ "$eng" = libfuzzer ]; then bin=$FUZZ_DIR/libfuzzer/fuzz_$h; else bin=$FUZZ_DIR/libfuzzer-inline/fuzz_$h; fi
    "$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -rss_limit_mb=2560 -max_len=4096 \
      -dict=fuzz/"$h".dict -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1
    t1=$(date +%s.%N)
    local execs eps cov ft crash
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
    if [ -z "$execs" ]; then execs=$(grep -oE '^#[0-9]+' "$dir/log" | tail -n 1 | tr -d '#'); fi
    execs=${execs:-0}
    eps=$(awk -v e="$execs" -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; printf "%d", (d > 0 ? e / d : 0) }')
    cov=$(grep -oE 'cov: [0-9]+' "$dir/log" | tail -n 1 | awk '{print $2}')
    ft=$(grep -oE 'ft: [0-9]+' "$dir/log" | tail -n 1 | awk '{print $2}')
    crash=$(ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null | head -n 1)
    local ncrash=0 where=-
    if [ -n "$crash" ]; then
      ncrash=1; where=$CRASHES/$h-$eng-$(basename "$crash"); cp "$crash" "$where"
    fi
    printf '%-8s %-9s %10s %8s %7s %-22s %s %s\n' "$h" "$eng" "$execs" "$eps" \
      "$(ls "$dir/corpus" | wc -l)" "cov ${cov:-0} / ft ${ft:-0}" "$ncrash" "$where" >"$res"
    echo "$ncrash" >"$res.crashes"
    echo "  done   $eng $h: $execs executions, $ncrash crash(es)$([ "$ncrash" = 0 ] || echo ", reproducer $where")"
  else
    bin=$FUZZ_DIR/afl/fuzz_$h
    # AFL_CMPLOG_ONLY_NEW: CMPLOG on new finds only, not on every seed (with
    # it on the seeds too, a one-minute run spends most of its time there)
    AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    AFL_CMPLOG_ONLY_NEW=1 \
    AFL_QUIET=1 AFL_NO_WARN_INSTABILITY=1 \
      afl-fuzz -V "$FUZZ_SECONDS" -m none -t 2000 -i "$dir/corpus" -o "$dir/out" -M main \
      -c "$FUZZ_DIR/cmplog/fuzz_$h" -x fuzz/"$h".dict -- "$bin" >"$dir/log" 2>&1
    local st=$dir/out/main/fuzzer_stats execs eps corp edges cvg ncrash where=-
    execs=$(sed -n 's/^execs_done *: *//p' "$st" 2>/dev/null); execs=${execs:-0}
    eps=$(sed -n 's/^execs_per_sec *: *//p' "$st" 2>/dev/null | cut -d. -f1); eps=${eps:-0}
    corp=$(sed -n 's/^corpus_count *: *//p' "$st" 2>/dev/null); corp=${corp:-0}
    edges=$(sed -n 's/^edges_found *: *//p' "$st" 2>/dev/null); edges=${edges:-0}
    cvg=$(sed -n 's/^bitmap_cvg *: *//p' "$st" 2>/dev/null); cvg=${cvg:-0%}
    ncrash=$(ls "$dir/out/main/crashes" 2>/dev/null | grep -vc README)
    if [ "$ncrash" -gt 0 ]; then
      local first
      first=$(ls "$dir/out/main/crashes" | grep -v README | head -n 1)
      where=$CRASHES/$h-afl-$(echo "$first" | cut -d, -f1 | tr ':' '_')
      cp "$dir/out/main/crashes/$first" "$where"
    fi
    if [ ! -f "$st" ]; then
      ncrash=1; where="afl-fuzz failed to start: $dir/log"
    fi
    printf '%-8s %-9s %10s %8s %7s %-22s %s %s\n' "$h" afl "$execs" "$eps" "$corp" \
      "edges $edges ($cvg)" "$ncrash" "$where" >"$res"
    echo "$ncrash" >"$res.crashes"
    echo "  done   $eng $h: $execs executions, $ncrash crash(es)$([ "$ncrash" = 0 ] || echo ", reproducer $where")"
  fi
}
export -f one
export RUN CRASHES FUZZ_DIR FUZZ_SECONDS

runs() { # every run, "engine harness", one a line
  local h e
  for h in $FUZZ_HARNESSES; do
    for e in $ENGINES; do
      if [ "$e" = lf-inline ] && ! echo " $FUZZ_INLINE_HARNESSES " | grep -q " $h "; then continue; fi
      echo "$e $h"
    done
  done
}

# progress: every FUZZ_PROGRESS_EVERY seconds, the runs under way and the
# time left (the runs not started yet take FUZZ_SECONDS each, JOBS at a time)
progress() {
  local every=$1 total=$2 now line started left done_n running waiting est
  while sleep "$every"; do
    now=$(date +%s); line="" done_n=0 running=0 est=0
    while read -r e h; do
      if [ -f "$RUN/$e-$h.result" ]; then done_n=$((done_n + 1))
      elif [ -f "$RUN/$e-$h.started" ]; then
        started=$(cat "$RUN/$e-$h.started"); left=$((FUZZ_SECONDS - (now - started)))
        [ "$left" -ge 0 ] || left=0
        [ "$left" -le "$est" ] || est=$left
        running=$((running + 1)); line="$line, $e $h ${left} s left"
      fi
    done < <(runs)
    waiting=$((total - done_n - running))
    est=$((est + (waiting + JOBS - 1) / JOBS * FUZZ_SECONDS))
    echo "  ...    ${done_n}/$total runs done${line:+; running: ${line#, }}; about $est s left in all"
  done
}

nruns=$(runs | wc -l)
echo "fuzzing: $FUZZ_HARNESSES; engines: $ENGINES (lf-inline: $FUZZ_INLINE_HARNESSES);" \
  "${FUZZ_SECONDS}s each, $JOBS at a time: $nruns runs, about $(( (nruns + JOBS - 1) / JOBS * FUZZ_SECONDS )) s"
echo "  logs: $RUN/<engine>-<harness>/log; crashes: reproducers copied to $CRASHES/" \
  "(from $RUN/{libfuzzer,lf-inline}-<harness>/crash-* and $RUN/afl-<harness>/out/main/crashes/)"
rm -f "$RUN"/*.started
prog_pid=""
if [ "${FUZZ_PROGRESS_EVERY:-10}" -gt 0 ]; then
  progress "${FUZZ_PROGRESS_EVERY:-10}" "$nruns" &
  prog_pid=$!
fi
runs | xargs -P "$JOBS" -L 1 bash -c 'one "$0" "$1"'
if [ -n "$prog_pid" ]; then kill "$prog_pid" 2>/dev/null; wait "$prog_pid" 2>/dev/null; fi

printf '%-8s %-9s %10s %8s %7s %-22s %s %s\n' harness engine executions exec/s corpus coverage \
  crashes reproducer
fail=0
while read -r e h; do
  r=$RUN/$e-$h.result
  if [ ! -f "$r" ]; then echo "$h $e: no result"; fail=1; continue; fi
  cat "$r"
  n=$(cat "$r.crashes" 2>/dev/null || echo 1)
  [ "$n" = 0 ] || fail=1
done < <(runs)
echo "fuzz: logs in $RUN/<engine>-<harness>/log"
if [ "$fail" -ne 0 ]; then
  echo "fuzz: CRASHES found, reproducers in $CRASHES/; replay one with: make fuzz-repro FILE=<reproducer above>"
  exit 1
fi
echo "fuzz: no crash"
