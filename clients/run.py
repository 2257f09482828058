#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make clients: runs Lua and SQLite (build/clients/clients) on malloc, the
FIFO, the region and the stack, one process per program and allocator, and
compares each run's checksum of observable results with the malloc run's.

One test per program and allocator: it passes iff the run exits 0 (every
workload ran to its end, every block was aligned and freed, no misuse was
reported) and, for the provalloc allocators, its checksum equals malloc's.
Prints a table of time and peak RSS per program and allocator, then
"N passed, N failed"; exits non-zero iff anything failed.

CLIENTS_RUNS=k runs each pair k times and keeps the shortest time (default
1); CLIENTS_SCALE scales the workloads (default 1, read by the program).
"""
import argparse
import os
import signal
import subprocess
import sys
import time

ALLOCATORS = ["malloc", "fifo", "region", "stack"]
PROGRAMS = ["lua", "sqlite"]


def run_one(binary, program, allocator, directory):
    t0 = time.monotonic()
    p = subprocess.run([binary, program, allocator, directory], capture_output=True, text=True)
    wall = time.monotonic() - t0
    fields = {}
    for line in p.stdout.splitlines():
        if line.startswith("clients: "):
            fields = dict(kv.split("=", 1) for kv in line[len("clients: "):].split())
    return p.returncode, fields, p.stderr, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/clients/clients")
    ap.add_argument("--dir", default="clients")
    ap.add_argument("--programs", default=",".join(PROGRAMS))
    ap.add_argument("--allocators", default=",".join(ALLOCATORS))
    args = ap.parse_args()
    runs = int(os.environ.get("CLIENTS_RUNS", "1"))
    programs = args.programs.split(",")
    allocators = args.allocators.split(",")
    if allocators[0] != "malloc":
        allocators = ["malloc"] + [a for a in allocators if a != "malloc"]
    print(f"clients: {', '.join(programs)} on {', '.join(allocators)} "
          f"({runs} run(s) each, shortest time kept; scale {os.environ.get('CLIENTS_SCALE', '1')})")
    t_start = time.monotonic()
    passed = failed = 0
    rows = []
    for program in programs:
        ref = None
        for allocator in allocators:
            best = None
            problem = None
            for _ in range(runs):
                rc, f, err, wall = run_one(args.bin, program, allocator, args.dir)
                if rc != 0 or "checksum" not in f:
                    problem = f"exit {rc}" if rc >= 0 else f"killed by {signal.Signals(-rc).name}"
                    sys.stdout.write("".join("    " + l + "\n" for l in err.splitlines()[-15:]))
                    break
                if best is not None and f["checksum"] != best["checksum"]:
                    problem = f"checksum {f['checksum']} != {best['checksum']} of an earlier run"
                    break
                if best is None or float(f["time"]) < float(best["time"]):
                    best = f
            if allocator == "malloc":
                ref = best if problem is None else None
                verdict = "reference" if problem is None else f"FAILED: {problem}"
            elif problem is not None:
                verdict = f"FAILED: {problem}"
            elif ref is None:
                verdict = "FAILED: no malloc reference to compare with"
                problem = verdict
            elif best["checksum"] != ref["checksum"]:
                verdict = f"FAILED: checksum differs from malloc's ({ref['checksum']})"
                problem = verdict
            else:
                verdict = "same checksum as malloc"
            if problem is None:
                passed += 1
            else:
                failed += 1
            rows.append((program, allocator, best, ref, verdict))

    print()
    hdr = ("program", "allocator", "checksum", "time s", "x malloc", "peak RSS MiB", "x malloc",
           "blocks", "frees reclaimed", "result")
    table = []
    for program, allocator, f, ref, verdict in rows:
        if f is None:
            table.append((program, allocator, "-", "-", "-", "-", "-", "-", "-", verdict))
            continue
        t, rss = float(f["time"]), int(f["peak_rss_kib"]) / 1024.0
        xt = f"{t / float(ref['time']):.2f}" if ref and float(ref["time"]) > 0 else "-"
        xr = f"{rss / (int(ref['peak_rss_kib']) / 1024.0):.2f}" if ref else "-"
        frees = int(f["frees"])
        if allocator in ("region", "stack"):
            rec = f"{100.0 * int(f['reclaimed']) / frees:.1f} %" if frees else "-"
        else:
            rec = "all"
        table.append((program, allocator, f["checksum"], f"{t:.2f}", xt, f"{rss:.1f}", xr,
                      f["allocs"], rec, verdict))
    widths = [max(len(str(r[i])) for r in [hdr] + table) for i in range(len(hdr))]
    right = {3, 4, 5, 6, 7, 8}
    for r in [hdr] + table:
        print("  " + "  ".join(str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i])
                               for i, c in enumerate(r)).rstrip())
    print()
    print("  time: the workloads' wall-clock time in the process; peak RSS: the process's "
          "(VmHWM); blocks: blocks allocated;")
    print("  frees reclaimed: region and stack frees that gave memory back at once "
          "(the others wait for the allocator's destroy).")
    print(f"  make clients: {time.monotonic() - t_start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
