#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The documentation's proof figures against the committed results of `make
# prove` (proofs/results.md, which ci/prove.sh writes): the sentence of "What
# is proved" (docs/proofs.md)
#     ...: G goals, P proved in the core's unit (M per machdep), of the T
#     that `make prove` proves with the chain's ...
# must give the core's goals and proved goals over all machdeps (G, P), its
# goals per machdep (M, the same on each) and the whole run's total (T, all
# proved), as the Summary table and the "prove:" line of results.md say; and
# README.md and docs/*.md may state no other goal count (it would be unchecked). Reads the
# current results file: no figure is written here. One test per figure; ends
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
# PV_RESULTS names another results file (to test this check).
python3 - docs/proofs.md "${PV_RESULTS:-proofs/results.md}" README.md docs/*.md <<'PY'
import re, sys
readme_path, results_path = sys.argv[1], sys.argv[2]
readme = re.sub(r"\s+", " ", open(readme_path).read())
# the other documents, which must state no goal count at all
others_text = {f: re.sub(r"\s+", " ", open(f).read()) for f in sys.argv[3:] if f != readme_path}
results = open(results_path).read()
passed = failed = 0

def check(name, says, true):
    global passed, failed
    if says == true:
        passed += 1
        print(f"  {name}: {says}, as {results_path} says")
    else:
        failed += 1
        print(f"  {name}: {readme_path} says {says}, {results_path} says {true}")

# results.md: Summary rows "| machdep | unit | goals | proved | unproved | ..."
summary = results.split("## Summary", 1)[-1].split("`prove:", 1)[0]  # not the smoke-test table
rows = re.findall(r"^\| (\w+) \| (\w+) \| (\d+) \| (\d+) \| (\d+) \|", summary, re.M)
core = [(m, int(g), int(p)) for m, u, g, p, _ in rows if u == "pv_core"]
total = re.search(r"^`prove: (\d+) goals, (\d+) proved, (\d+) unproved`", results, re.M)
if not core or not total:
    print(f"  {results_path}: no Summary row for pv_core, or no 'prove: ...' line")
    print("0 passed, 1 failed")
    sys.exit(1)
per_machdep = sorted({g for _, g, _ in core})

m = re.search(r"(\d+) goals, (\d+) proved in the core's unit \((\d+) per machdep\), "
              r"of the (\d+) that `make prove` proves", readme)
if not m:
    print(f"  {readme_path}: no sentence \"G goals, P proved in the core's unit (M per machdep), "
          "of the T that `make prove` proves\"")
    failed += 1
else:
    g, p, pm, t = (int(x) for x in m.groups())
    check("core's goals, all machdeps", g, sum(x for _, x, _ in core))
    check("core's goals proved, all machdeps", p, sum(x for _, _, x in core))
    check("core's goals per machdep (" + ", ".join(x for x, _, _ in core) + ")", pm,
          per_machdep[0] if len(per_machdep) == 1 else "not the same on each: " +
          ", ".join(f"{x} {n}" for x, n, _ in core))
    check("goals of make prove, all proved", (t, t), (int(total.group(1)), int(total.group(2))))

# Any other "N goals" in the documentation is a figure nobody checks.
rest = readme[:m.start()] + readme[m.end():] if m else readme
for path, text in [(readme_path, rest)] + sorted(others_text.items()):
    others = [x.group(0) for x in re.finditer(r"\b\d+ goals\b", text)]
    if others:
        failed += 1
        print(f"  {path} states goal counts this script does not check: " + "; ".join(others))
    else:
        passed += 1
        print(f"  {path} states no other goal count")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
