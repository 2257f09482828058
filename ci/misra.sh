#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make misra: cppcheck's MISRA C:2012 addon over src/, in the two
# configurations a safety user builds: the default one, and the hardened
# freestanding one (PV_HARDENED=1, PV_NO_LIBC=1, so no malloc either).
#
# Passes iff there is no finding. A deviation is marked in place, on the line
# before the code, as
#     /* cppcheck-suppress misra-c2012-X.Y ; PV-Dn reason */
# and every PV-Dn used in src/ must be a row of the deviation table in
# docs/vendoring.md (section MISRA C:2012) whose count is the number of its markers.
# Prints the findings (file:line: rule), the count per rule, the deviations per rule, and "N passed, N failed" (one test per
# configuration, plus one for the table).
#
# cppcheck reports at most one MISRA finding per line: marking one can bring
# out the next on the same line, so a count of findings is a lower bound
# until it is zero.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/misra
mkdir -p "$OUT"

command -v cppcheck >/dev/null || { echo "misra: cppcheck not installed (Debian package cppcheck)"; echo "0 passed, 1 failed"; exit 1; }
echo "== $(cppcheck --version), MISRA C:2012 addon, --std=c99, src/*.c (and the headers they include)"

pass=0 fail=0
DOC=docs/vendoring.md # where the deviation table is
: >"$OUT/findings.txt"
for cfg in default hardened-freestanding; do
  case $cfg in
    default) defs="-DPV_HARDENED=0" ;;
    hardened-freestanding) defs="-DPV_HARDENED=1 -DPV_NO_LIBC=1" ;;
  esac
  mkdir -p "$OUT/cache-$cfg"
  # -D fixes the configuration (cppcheck then checks that one only);
  # __FRAMAC__ and PV_CONFIG_HEADER stay undefined as in a compiler build.
  # shellcheck disable=SC2086
  cppcheck --addon=misra --std=c99 --language=c -Isrc $defs --inline-suppr --quiet \
    --cppcheck-build-dir="$OUT/cache-$cfg" \
    --template='{file}:{line}:{column}: {id}: {severity}: {message}' \
    src/*.c 2>"$OUT/$cfg.txt" >/dev/null
  n=$(grep -c . "$OUT/$cfg.txt")
  if [ "$n" -eq 0 ]; then
    pass=$((pass + 1)); echo "  $cfg ($defs): no finding"
  else
    fail=$((fail + 1)); echo "  $cfg ($defs): $n findings"
    cat "$OUT/$cfg.txt" >>"$OUT/findings.txt"
  fi
done

if [ -s "$OUT/findings.txt" ]; then
  sort -u "$OUT/findings.txt" -o "$OUT/findings.txt"
  echo "== findings (both configurations, $(wc -l <"$OUT/findings.txt") distinct; list in $OUT/findings.txt)"
  cut -d: -f1,2,4 "$OUT/findings.txt" | sed 's/^/  /' | head -n 250
  echo "== findings per rule"
  sed -E 's/^[^:]*:[0-9]+:[0-9]+: ([^:]*):.*/\1/' "$OUT/findings.txt" | sort | uniq -c |
    sort -k1,1nr -k2 | sed 's/^/  /'
fi

echo "== deviations marked in place (src/), per rule"
grep -rhoE 'cppcheck-suppress misra-c2012-[0-9.]+ *; *PV-D[0-9]+' src |
  sed -E 's/cppcheck-suppress misra-c2012-([0-9.]+) *; *(PV-D[0-9]+)/\2 rule \1/' |
  sort | uniq -c | sort -k2,2V | sed 's/^/  /'
total=$(grep -rhoE 'cppcheck-suppress misra-c2012-' src | wc -l)
echo "  $total in all"

# Every deviation must carry an id, and every id must be in the table.
bad=0
if grep -rnE 'cppcheck-suppress' src | grep -vE 'cppcheck-suppress misra-c2012-[0-9.]+ *; *PV-D[0-9]+ [^ ]'; then
  echo "  ^ suppressions without a PV-Dn id and a reason"; bad=1
fi
# The table ($DOC, section MISRA C:2012) has a row per id whose count column
# (the 4th) is the number of markers in src/ with that id; every rule the
# markers of an id deviate from is in the row's rule column (the 2nd); a count
# after a file in the "where" column (the 3rd), as `pv_fifo.c` (6), is the
# number of that id's markers in that file; and the sentence above the table,
# "Deviations: N in all", gives the total.
for id in $(grep -rhoE 'PV-D[0-9]+' src | sort -u); do
  row=$(grep -E "^\| *$id *\|" $DOC 2>/dev/null | head -n 1)
  if [ -z "$row" ]; then
    echo "  $id is used in src/ but is not a row of the deviation table in $DOC"; bad=1; continue
  fi
  want=$(echo "$row" | awk -F'|' '{ gsub(/ /, "", $5); print $5 }')
  have=$(grep -rhoE "cppcheck-suppress misra-c2012-[0-9.]+ *; *$id " src | wc -l)
  if [ "$want" != "$have" ]; then
    echo "  $id: the table in $DOC says $want markers, src/ has $have"; bad=1
  fi
  rules=$(echo "$row" | awk -F'|' '{ print $3 }')
  for rule in $(grep -rhoE "cppcheck-suppress misra-c2012-[0-9.]+ *; *$id " src |
                sed -E 's/.*misra-c2012-([0-9.]+).*/\1/' | sort -uV); do
    echo "$rules" | grep -qE "(^|[^0-9.])${rule//./\\.}([^0-9.]|$)" ||
      { echo "  $id: src/ deviates from rule $rule, which the table's row in $DOC does not name"; bad=1; }
  done
  where=$(echo "$row" | awk -F'|' '{ print $4 }')
  for pair in $(echo "$where" | grep -oE '`[A-Za-z0-9_.]+` \([0-9]+\)' | sed -E 's/`([^`]*)` \(([0-9]+)\)/\1:\2/'); do
    file=${pair%%:*} n=${pair##*:}
    if [ ! -f "src/$file" ]; then
      echo "  $id: the table's row in $DOC counts markers in $file, which is not in src/"; bad=1; continue
    fi
    got=$(grep -oE "cppcheck-suppress misra-c2012-[0-9.]+ *; *$id " "src/$file" | wc -l)
    if [ "$n" != "$got" ]; then
      echo "  $id: the table in $DOC says $n markers in $file, src/$file has $got"; bad=1
    fi
  done
done
readme_total=$(sed -n 's/^Deviations: \([0-9][0-9]*\) in all.*/\1/p' $DOC | head -n 1)
if [ -z "$readme_total" ]; then
  echo "  $DOC has no line \"Deviations: N in all ...\" above the deviation table"; bad=1
elif [ "$readme_total" != "$total" ]; then
  echo "  $DOC says $readme_total deviations in all, src/ has $total markers"; bad=1
fi
for id in $(grep -oE '^\| *PV-D[0-9]+ *\|' $DOC | grep -oE 'PV-D[0-9]+'); do
  grep -rqE "; *$id " src || { echo "  $id is a row of the table in $DOC but no marker in src/ uses it"; bad=1; }
done
if [ "$bad" -eq 0 ]; then pass=$((pass + 1)); echo "  every deviation has an id and a row in $DOC's table, whose total, counts and rules are true"
else fail=$((fail + 1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
