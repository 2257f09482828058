#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The documentation's shape: README.md, the front page, is at most 200 lines
# and points at docs/vendoring.md, docs/proofs.md, docs/fuzzing.md and
# docs/benchmarks.md, which exist; every relative link of README.md and
# docs/*.md leads to a file that exists. One test per document; ends
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
n=$(wc -l <README.md)
if [ "$n" -le 200 ]; then pass=$((pass + 1)); echo "  README.md: $n lines (at most 200)"
else fail=$((fail + 1)); echo "  README.md: $n lines, more than 200"; fi
for d in docs/vendoring.md docs/proofs.md docs/fuzzing.md docs/benchmarks.md; do
  if [ -f "$d" ] && grep -qF "($d)" README.md; then pass=$((pass + 1)); echo "  $d: there, and README.md links it"
  else fail=$((fail + 1)); echo "  $d: missing, or README.md does not link it"; fi
done
for f in README.md docs/*.md; do
  bad=$(python3 - "$f" <<'PY'
import os, re, sys
f = sys.argv[1]
text = re.sub(r"```.*?```", "", open(f).read(), flags=re.S)
for target in re.findall(r"\]\(([^)\s]+)\)", text):
    if re.match(r"[a-z]+:", target) or target.startswith("#"):
        continue
    path = os.path.normpath(os.path.join(os.path.dirname(f), target.split("#")[0]))
    if not os.path.exists(path):
        print(target)
PY
)
  if [ -z "$bad" ]; then pass=$((pass + 1)); echo "  $f: every relative link resolves"
  else fail=$((fail + 1)); echo "  $f: broken links: $(echo $bad)"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
