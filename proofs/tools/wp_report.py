#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Summarise Frama-C WP runs for provalloc (used by ci/prove.sh).

Input: one or more runs, each a directory holding what ci/prove.sh wrote for
one translation unit (one C file of src/) on one machdep, named MACHDEP/UNIT
(or MACHDEP alone): wp.log (frama-c's output), report.json (-wp-report-json) and
report.csv (-report-csv: the consolidated status of every ACSL property of
the translation unit, including the -wp-rte assertions).

Output:
  - on stdout, a table per run (machdep and unit; one row per function and
    one per axiomatic's lemmas: goals, proved, unproved, goals Qed closed,
    and for each SMT prover how many of the goals sent to it it proved) and
    the unproved goals, if any;
  - --csv FILE: the same per-function data, one row per (machdep, unit, function);
  - --goals FILE: one row per (machdep, unit, goal property) with every prover's verdict;
  - --smoke FILE: one row per smoke test (-wp-smoke-tests) and whether it passed;
  - --summary FILE: a JSON digest (ci/prove.sh, also for make prove-mutants, reads it).

Smoke tests are not counted as goals: a smoke test passes when no prover
proves it (WP reports it "valid" then); one that is proved (a dead branch, a
contradictory precondition or callee contract) makes the run incomplete.

The run is "complete" only if, for every run: frama-c's own "Proved goals:
N / N" line is there and agrees with the JSON, and every property in
report.csv has the status Valid (a function WP did not look at, or a property
with no goal, would show there as not Valid). The one exception: a function
listed in proofs/trusted-functions.txt (declared with a contract, its body
hidden from Frama-C, each one in proofs/TRUSTED.md) has its contract
"Considered valid"; those properties are counted as trusted, and any other
status in them, or a trusted status anywhere else, still fails the run.
A contract declared in a header and defined in another unit (pv_arena_init,
in pv_core.h, is called from pv_chain.c and defined in pv_core.c) is also
"Considered valid" in the calling unit: it is accepted there only if a unit
of the same machdep in the same report defines the function, proves every
goal of it, has no property of it that is not Valid, and has the same
property (directory, function, kind and text) Valid; the report counts it as
"proved in another unit", not twice.

Verdicts in report.json per prover and property: valid, unknown (the prover
answered "unknown" or timed out), failed (the prover or why3 reported an
error; z3 4.8.12 under why3 1.5.1 sometimes reports a timeout this way).
"""
import argparse
import csv
import json
import os
import re
import sys

PROVERS = ["Z3:4.8.12", "CVC4:1.8", "CVC5:1.0.3"]
SHORT = {"Z3:4.8.12": "z3", "CVC4:1.8": "cvc4", "CVC5:1.0.3": "cvc5"}
TRUSTED = set()
ONLY_IN = {}  # (FILE, FUNCTION) -> the units that must assume it (default: every unit with FILE)


def read_trusted(path):
    """Lines "FILE FUNCTION [UNIT...]" (FILE as in report.csv's file column,
    e.g. pv_chain.c); '#' starts a comment. A run of a unit whose properties
    come from FILE must assume the function's contract, unless UNITs are
    given: then only runs of those units must (a header's function that only
    some units call)."""
    names = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].split()
            if len(line) >= 2:
                names.add((line[0], line[1]))
                if len(line) > 2:
                    ONLY_IN[(line[0], line[1])] = set(line[2:])
            elif line:
                raise SystemExit("wp_report: bad line in %s: %s" % (path, " ".join(line)))
    return names


def prover_short(key):
    base = key.split(":")[0].lower()
    return SHORT.get(key, base)


def read_csv_report(path):
    """report.csv: tab separated, not quoted; a property text may continue on
    further lines, which have fewer fields."""
    rows = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        header = None
        for line in fh:
            line = line.rstrip("\n")
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            if len(fields) >= 7:
                rows.append(fields[:6] + ["\t".join(fields[6:])])
            elif rows:
                rows[-1][6] += " " + line.strip()
    return rows


def load_run(run_dir, label):
    smoke_only = label.endswith("+smoke")
    machdep, _, unit = label[:-len("+smoke")].partition("/") if smoke_only else label.partition("/")
    run = {"machdep": machdep, "unit": unit, "label": label, "dir": run_dir, "errors": [],
           "smoke_only": smoke_only}
    log_path = os.path.join(run_dir, "wp.log")
    json_path = os.path.join(run_dir, "report.json")
    csv_path = os.path.join(run_dir, "report.csv")
    for p in (log_path, json_path) + (() if smoke_only else (csv_path,)):
        if not os.path.exists(p):
            run["errors"].append("missing " + p)
    if run["errors"]:
        return run
    with open(log_path, encoding="utf-8", errors="replace") as fh:
        log = fh.read()
    m = re.findall(r"Proved goals:\s*(\d+)\s*/\s*(\d+)", log)
    if not m:
        run["errors"].append("no 'Proved goals' line in " + log_path)
        return run
    run["log_proved"], run["log_goals"] = int(m[-1][0]), int(m[-1][1])
    with open(json_path, encoding="utf-8") as fh:
        rep = json.load(fh)
    funcs = []
    goals = []
    # Lemmas (wp:axiomatics, keyed by axiomatic name, "" for global lemmas)
    # are goals too: one pseudo-function row per axiomatic, "(lemmas)".
    sections = list(rep.get("wp:functions", {}).items())
    for aname, props in rep.get("wp:axiomatics", {}).items():
        sections.append(("(lemmas%s)" % (" " + aname if aname else ""), props))
    run["smoke"] = []
    for fname, props in sections:
        # The row is the sum of the function's goals, smoke tests apart: a
        # smoke test (-wp-smoke-tests, a property named *_wp_smoke_*) is a
        # goal that must NOT be proved (WP reports it "valid" when no prover
        # proves it, i.e. it passed); a proved one is a dead branch or an
        # inconsistent assumption.
        row = {"function": fname, "goals": 0, "proved": 0, "qed": 0, "smt": 0, "single": 0}
        smt_tot = {}
        for pk in PROVERS:
            row[SHORT[pk] + "_valid"] = 0
        for pname, pst in props.items():
            if pname == "wp:section":
                continue
            pm = pst.get("wp:main", {})
            verdicts = {}
            for k, v in pst.items():
                if k in ("wp:main",):
                    continue
                verdicts[prover_short(k) if k != "qed" else "qed"] = {
                    kk: vv for kk, vv in v.items() if kk != "rank"}
            if "_wp_smoke_" in pname:
                run["smoke"].append({"machdep": machdep, "function": fname, "property": pname,
                                     "goals": pm.get("total", 0), "passed": pm.get("valid", 0)})
                continue
            row["goals"] += pm.get("total", 0)
            row["proved"] += pm.get("valid", 0)
            row["qed"] += pst.get("qed", {}).get("valid", 0)
            for pk in PROVERS:
                st = pst.get(pk, {})
                row[SHORT[pk] + "_valid"] += st.get("valid", 0)
                smt_tot[pk] = smt_tot.get(pk, 0) + st.get("total", 0)
            nvalid = sum(1 for k, v in verdicts.items()
                         if k != "qed" and v.get("valid", 0) >= v.get("total", 0) > 0)
            if "qed" not in verdicts and nvalid == 1 and pm.get("valid", 0) == pm.get("total", 0):
                row["single"] += 1
            goals.append({
                "machdep": machdep,
                "function": fname,
                "property": pname,
                "goals": pm.get("total", 0),
                "proved": pm.get("valid", 0),
                "verdicts": verdicts,
            })
        row["smt"] = max(smt_tot.values()) if smt_tot else 0
        if row["goals"] or not any("_wp_smoke_" in k for k in props):
            funcs.append(row)
    run["functions"] = funcs
    run["goals"] = goals
    run["total"] = sum(f["goals"] for f in funcs)
    run["proved"] = sum(f["proved"] for f in funcs)
    run["smoke_total"] = sum(g["goals"] for g in run["smoke"])
    run["smoke_passed"] = sum(g["passed"] for g in run["smoke"])
    run["by_prover"] = {"qed": {"valid": sum(f["qed"] for f in funcs)}}
    for pk in PROVERS:
        run["by_prover"][SHORT[pk]] = {"valid": sum(f[SHORT[pk] + "_valid"] for f in funcs)}
    if (run["total"] + run["smoke_total"] != run["log_goals"]
            or run["proved"] + run["smoke_passed"] != run["log_proved"]):
        run["errors"].append("report.json (%d/%d goals, %d/%d smoke tests) disagrees with wp.log (%d/%d)" % (
            run["proved"], run["total"], run["smoke_passed"], run["smoke_total"],
            run["log_proved"], run["log_goals"]))
    if smoke_only:
        # The smoke run's proof goals are the proof run's, replayed from the
        # cache with one prover: only its smoke tests are read.
        run["smoke_run_goals"] = run["total"]
        run["functions"], run["goals"], run["total"], run["proved"] = [], [], 0, 0
        return run
    props = read_csv_report(csv_path)
    run["properties"] = len(props)
    run["props"] = props
    run["trusted"] = [p for p in props if (p[1], p[3]) in TRUSTED and p[5] == "Considered valid"]
    run["elsewhere"] = []
    run["not_valid"] = [p for p in props if p[5] != "Valid" and p not in run["trusted"]]
    files = set(p[1] for p in props)
    missing = sorted("%s:%s" % t for t in TRUSTED
                     if t[0] in files and run["unit"] in ONLY_IN.get(t, {run["unit"]})
                     and t not in set((p[1], p[3]) for p in run["trusted"]))
    if missing:
        run["errors"].append("trusted functions with no assumed contract in this run: %s" % " ".join(missing))
    return run


def cross_units(runs):
    """A "Considered valid" property of one unit is proved if another unit of
    the same machdep defines the function, proves every goal of it, has no
    property of it that is not Valid, and has the same property (directory,
    function, kind and text) Valid: move it from not_valid to elsewhere."""
    for run in runs:
        if "props" not in run:
            continue
        keep = []
        for p in run["not_valid"]:
            # Neither file nor line: an assigns clause is reported at the
            # function's definition (pv_core.c) in its own unit, at its
            # declaration (pv_core.h) elsewhere. External function names are
            # unique in the program.
            key = (p[0], p[3], p[4], p[6])
            home = [o["unit"] for o in runs if o is not run and "props" in o
                    and o["machdep"] == run["machdep"]
                    and any(f["function"] == p[3] and f["goals"] > 0 and f["goals"] == f["proved"]
                            for f in o.get("functions", []))
                    and not any(q[3] == p[3] for q in o["not_valid"])
                    and any(q[5] == "Valid" and (q[0], q[3], q[4], q[6]) == key
                            for q in o["props"])]
            if p[5] == "Considered valid" and home:
                run["elsewhere"].append((p, home[0]))
            else:
                keep.append(p)
        run["not_valid"] = keep


def verdict_text(v):
    parts = []
    for k in ["qed", "z3", "cvc4", "cvc5"]:
        if k in v:
            st = v[k]
            s = ",".join("%s" % kk for kk, vv in st.items() if kk not in ("total",) and vv)
            parts.append("%s:%s" % (k, s or "-"))
    return " ".join(parts)


def print_table(run, out):
    cols = ["function", "goals", "proved", "unproved", "qed", "z3", "cvc4", "cvc5", "1-prover"]
    w = max([len(c) for c in ["function"]] + [len(f["function"]) for f in run["functions"]])
    out.write("machdep %s%s\n" % (run["machdep"], ", unit %s" % run["unit"] if run["unit"] else ""))
    out.write("  %-*s %6s %6s %8s %5s %5s %5s %5s %8s\n" % tuple([w] + cols))
    tot = dict(goals=0, proved=0, qed=0, z3=0, cvc4=0, cvc5=0, single=0, smt=0)
    for f in run["functions"]:
        out.write("  %-*s %6d %6d %8d %5d %5s %5s %5s %8d\n" % (
            w, f["function"], f["goals"], f["proved"], f["goals"] - f["proved"], f["qed"],
            "%d" % f["z3_valid"], "%d" % f["cvc4_valid"], "%d" % f["cvc5_valid"], f["single"]))
        for k in ("goals", "proved", "qed", "single", "smt"):
            tot[k] += f[k]
        for k in ("z3", "cvc4", "cvc5"):
            tot[k] += f[k + "_valid"]
    out.write("  %-*s %6d %6d %8d %5d %5d %5d %5d %8d\n" % (
        w, "total", tot["goals"], tot["proved"], tot["goals"] - tot["proved"], tot["qed"],
        tot["z3"], tot["cvc4"], tot["cvc5"], tot["single"]))
    out.write("  (qed: closed by WP's simplifier; z3/cvc4/cvc5: goals each prover proved out of\n"
              "   the %d sent to the SMT provers; 1-prover: goals only one SMT prover proved)\n"
              % tot["smt"])
    run["tot"] = tot


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+", help="MACHDEP[/UNIT]=DIR")
    ap.add_argument("--csv")
    ap.add_argument("--goals")
    ap.add_argument("--summary")
    ap.add_argument("--smoke", help="CSV: one row per smoke test (machdep, unit, function, property, passed)")
    ap.add_argument("--quiet", action="store_true", help="no per-function table")
    ap.add_argument("--trusted", help="file of trusted function names (proofs/trusted-functions.txt)")
    args = ap.parse_args()
    if args.trusted:
        TRUSTED.update(read_trusted(args.trusted))
    runs = []
    for r in args.runs:
        label, d = r.split("=", 1)
        runs.append(load_run(d, label))
    # A smoke-test run (label MACHDEP/UNIT+smoke) adds its smoke tests to the
    # unit's proof run.
    for sr in [r for r in runs if r.get("smoke_only")]:
        home = [r for r in runs if not r.get("smoke_only") and r["machdep"] == sr["machdep"]
                and r["unit"] == sr["unit"]]
        if not home:
            sr["errors"].append("a smoke-test run with no proof run of its unit")
            continue
        home = home[0]
        home["errors"] += sr["errors"]
        if "smoke" in sr:
            home.setdefault("smoke", []).extend(sr["smoke"])
            home["smoke_total"] = home.get("smoke_total", 0) + sr["smoke_total"]
            home["smoke_passed"] = home.get("smoke_passed", 0) + sr["smoke_passed"]
    runs = [r for r in runs if not r.get("smoke_only")]
    cross_units(runs)
    out = sys.stdout
    summary = {"runs": [], "goals": 0, "proved": 0, "smoke": 0, "smoke_passed": 0,
               "complete": True, "errors": []}
    for run in runs:
        if run["errors"]:
            summary["complete"] = False
            summary["errors"] += ["%s: %s" % (run["label"], e) for e in run["errors"]]
            for e in run["errors"]:
                out.write("prove: %s: %s\n" % (run["label"], e))
            if "functions" not in run:
                continue
        if not args.quiet:
            print_table(run, out)
        unproved = [g for g in run["goals"] if g["proved"] < g["goals"]]
        if unproved:
            out.write("  unproved goals (%s):\n" % run["label"])
            for g in unproved:
                out.write("    %-50s %s\n" % (g["property"], verdict_text(g["verdicts"])))
        failed_smoke = [g for g in run["smoke"] if g["passed"] < g["goals"]]
        if failed_smoke:
            out.write("  smoke tests FAILED (%s): proved, so a branch is dead or an assumption contradictory:\n"
                      % run["label"])
            for g in failed_smoke:
                out.write("    %s\n" % g["property"])
        elif run["smoke"] and not args.quiet:
            out.write("  smoke tests (%s): %d, every one passed (no dead branch, no contradictory assumption found)\n"
                      % (run["label"], run["smoke_total"]))
        if run["trusted"] and not args.quiet:
            out.write("  trusted (%s): %d properties of %s: contracts assumed, not proved (proofs/TRUSTED.md)\n" % (
                run["label"], len(run["trusted"]), ", ".join(sorted(set(p[3] for p in run["trusted"])))))
        if run["elsewhere"] and not args.quiet:
            out.write("  proved in another unit (%s): %d properties of %s\n" % (
                run["label"], len(run["elsewhere"]),
                ", ".join(sorted(set("%s (%s)" % (p[3], u) for p, u in run["elsewhere"])))))
        if run["not_valid"]:
            out.write("  properties not Valid in report.csv (%s):\n" % run["label"])
            for p in run["not_valid"][:40]:
                out.write("    %s:%s %s [%s] %s: %s\n" % (p[1], p[2], p[3], p[4], p[5], p[6][:80]))
        summary["goals"] += run["total"]
        summary["proved"] += run["proved"]
        summary["smoke"] = summary.get("smoke", 0) + run["smoke_total"]
        summary["smoke_passed"] = summary.get("smoke_passed", 0) + run["smoke_passed"]
        if run["proved"] != run["total"] or run["not_valid"] or failed_smoke:
            summary["complete"] = False
        summary["runs"].append({
            "machdep": run["machdep"], "unit": run["unit"], "goals": run["total"], "proved": run["proved"],
            "smoke": run["smoke_total"], "smoke_passed": run["smoke_passed"],
            "smoke_failed": [g["property"] for g in failed_smoke],
            "properties": run["properties"], "properties_not_valid": len(run["not_valid"]),
            "properties_trusted": len(run["trusted"]),
            "properties_proved_elsewhere": len(run["elsewhere"]),
            "trusted_functions": sorted(set(p[3] for p in run["trusted"])),
            "by_prover": run["by_prover"],
            "functions": run["functions"],
            "unproved": [{"function": g["function"], "property": g["property"],
                          "verdicts": g["verdicts"]} for g in unproved],
        })
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            wr = csv.writer(fh)
            wr.writerow(["machdep", "unit", "function", "goals", "proved", "unproved", "qed",
                         "smt_goals", "z3_proved", "cvc4_proved", "cvc5_proved",
                         "single_prover"])
            for run in runs:
                for f in run.get("functions", []):
                    wr.writerow([run["machdep"], run["unit"], f["function"], f["goals"], f["proved"],
                                 f["goals"] - f["proved"], f["qed"], f["smt"], f["z3_valid"],
                                 f["cvc4_valid"], f["cvc5_valid"], f["single"]])
    if args.goals:
        with open(args.goals, "w", newline="") as fh:
            wr = csv.writer(fh)
            wr.writerow(["machdep", "unit", "function", "property", "goals", "proved",
                         "qed", "z3", "cvc4", "cvc5"])
            for run in runs:
                for g in sorted(run.get("goals", []), key=lambda g: (g["function"], g["property"])):
                    cells = []
                    for k in ("qed", "z3", "cvc4", "cvc5"):
                        v = g["verdicts"].get(k)
                        if not v:
                            cells.append("")
                        else:
                            cells.append("+".join("%s%s" % (kk, "" if vv == 1 else vv)
                                                  for kk, vv in sorted(v.items())
                                                  if kk != "total" and vv))
                    wr.writerow([run["machdep"], run["unit"], g["function"], g["property"], g["goals"],
                                 g["proved"]] + cells)
    if args.smoke:
        with open(args.smoke, "w", newline="") as fh:
            wr = csv.writer(fh)
            wr.writerow(["machdep", "unit", "function", "property", "passed"])
            for run in runs:
                for g in sorted(run.get("smoke", []), key=lambda g: (g["function"], g["property"])):
                    wr.writerow([run["machdep"], run["unit"], g["function"], g["property"],
                                 "yes" if g["passed"] >= g["goals"] else "NO"])
    if args.summary:
        with open(args.summary, "w") as fh:
            json.dump(summary, fh, indent=1, sort_keys=True)
    return 0 if summary["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
