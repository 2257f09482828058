#!/usr/bin/env python3
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
  - --summary FILE: a JSON digest (ci/prove.sh, also for make prove-mutants, reads it).

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


def read_trusted(path):
    """Lines "FILE FUNCTION" (FILE as in report.csv's file column, e.g.
    pv_chain.c); '#' starts a comment."""
    names = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].split()
            if len(line) == 2:
                names.add((line[0], line[1]))
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
    machdep, _, unit = label.partition("/")
    run = {"machdep": machdep, "unit": unit, "label": label, "dir": run_dir, "errors": []}
    log_path = os.path.join(run_dir, "wp.log")
    json_path = os.path.join(run_dir, "report.json")
    csv_path = os.path.join(run_dir, "report.csv")
    for p in (log_path, json_path, csv_path):
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
    for fname, props in sections:
        sec = props.get("wp:section", {})
        main = sec.get("wp:main", {})
        row = {
            "function": fname,
            "goals": main.get("total", 0),
            "proved": main.get("valid", 0),
            "qed": sec.get("qed", {}).get("valid", 0),
            "smt": 0,
            "single": 0,
        }
        for pk in PROVERS:
            st = sec.get(pk, {})
            row[SHORT[pk] + "_valid"] = st.get("valid", 0)
            row["smt"] = max(row["smt"], st.get("total", 0))
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
        nprop = sum(g["goals"] for g in goals if g["function"] == fname)
        if nprop != row["goals"]:
            run["errors"].append("%s: goals of its properties (%d) != its total (%d)"
                                 % (fname, nprop, row["goals"]))
        funcs.append(row)
    run["functions"] = funcs
    run["goals"] = goals
    g = rep.get("wp:global", {})
    run["total"] = g.get("wp:main", {}).get("total", 0)
    run["proved"] = g.get("wp:main", {}).get("valid", 0)
    run["by_prover"] = {}
    for k, v in g.items():
        if k == "wp:main":
            continue
        run["by_prover"][prover_short(k) if k != "qed" else "qed"] = {
            kk: vv for kk, vv in v.items() if kk != "rank"}
    if run["total"] != run["log_goals"] or run["proved"] != run["log_proved"]:
        run["errors"].append("report.json (%d/%d) disagrees with wp.log (%d/%d)" % (
            run["proved"], run["total"], run["log_proved"], run["log_goals"]))
    props = read_csv_report(csv_path)
    run["properties"] = len(props)
    run["props"] = props
    run["trusted"] = [p for p in props if (p[1], p[3]) in TRUSTED and p[5] == "Considered valid"]
    run["elsewhere"] = []
    run["not_valid"] = [p for p in props if p[5] != "Valid" and p not in run["trusted"]]
    files = set(p[1] for p in props)
    missing = sorted("%s:%s" % t for t in TRUSTED
                     if t[0] in files and t not in set((p[1], p[3]) for p in run["trusted"]))
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
    ap.add_argument("--quiet", action="store_true", help="no per-function table")
    ap.add_argument("--trusted", help="file of trusted function names (proofs/trusted-functions.txt)")
    args = ap.parse_args()
    if args.trusted:
        TRUSTED.update(read_trusted(args.trusted))
    runs = []
    for r in args.runs:
        label, d = r.split("=", 1)
        runs.append(load_run(d, label))
    cross_units(runs)
    out = sys.stdout
    summary = {"runs": [], "goals": 0, "proved": 0, "complete": True, "errors": []}
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
        if run["proved"] != run["total"] or run["not_valid"]:
            summary["complete"] = False
        summary["runs"].append({
            "machdep": run["machdep"], "unit": run["unit"], "goals": run["total"], "proved": run["proved"],
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
    if args.summary:
        with open(args.summary, "w") as fh:
            json.dump(summary, fh, indent=1, sort_keys=True)
    return 0 if summary["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
