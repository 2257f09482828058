#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The benchmark chart (bench/chart.png): provalloc's ratio to the fastest
peer on each workload, in instructions per operation (callgrind), warm time
and cold time, from results.tsv (what `make bench` writes).

One row per workload, one panel per measure, log scale, 1 = the fastest
peer (named at the right of each row): left of 1, provalloc is ahead. Red
is provalloc; the grey dots are the other peers, on the same scale (those
past the right edge are drawn on it). The ideal bump pointer and provalloc
are not peers. Workloads without a peer (frame) are left out.

  chart.py [--tsv bench/results.tsv] [--out bench/chart.png]
Needs matplotlib (Debian: python3-matplotlib, ci/deps.sh).
"""
import argparse
import csv
import math
import os
import sys

try:
    import matplotlib
except ImportError:  # a python3 of its own first on PATH (pyenv, a venv): try Debian's
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("chart.py: no matplotlib (Debian: python3-matplotlib; make deps)")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

REF = ("ideal", "provalloc")  # not peers (as in run.py)
TITLES = {
    "small": "region: small (24 B)", "small_free": "region: small, freed", "big": "region: big (240 B)",
    "big_free": "region: big, freed", "mix": "region: mixed sizes", "crd": "region: create & destroy",
    "fifo1": "FIFO: alloc + free", "fifo2": "FIFO: ring, in order", "fifo3": "FIFO: ring, random slot",
    "stack": "stack: depth 64",
}
MEASURES = [("instr_op", "instructions / op (callgrind)"), ("warm_ns", "time, warm (ns/op)"),
            ("cold_ns", "time, cold (ns/op)")]
XMIN, XMAX = 0.2, 10.0
RED, GREY = "#c8102e", "#9a9a9a"


def group(w):
    return TITLES.get(w, w).split(":")[0]


def read(path):
    rows = {}
    order = []
    with open(path) as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            w = r["workload"]
            if w not in rows:
                rows[w] = {}
                order.append(w)
            rows[w][r["peer"]] = r
    return order, rows


def value(r, key):
    try:
        v = float(r[key])
    except (TypeError, ValueError, KeyError):
        return None
    return v if v > 0 and not math.isnan(v) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tsv", default="bench/results.tsv")
    ap.add_argument("--out", default="bench/chart.png")
    a = ap.parse_args()
    order, rows = read(a.tsv)
    wls = [w for w in order if "provalloc" in rows[w] and any(p not in REF for p in rows[w])]
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(15, 0.42 * len(wls) + 1.9), sharey=True)
    ys = list(range(len(wls)))[::-1]
    for ax, (key, label) in zip(axes, MEASURES):
        ax.set_xscale("log")
        ax.set_xlim(XMIN, XMAX)
        ax.set_ylim(-0.7, len(wls) - 0.3)
        ax.axvspan(XMIN, 1.0, color="#eef6ee", zorder=0)
        ax.axvline(1.0, color="black", lw=1, zorder=1)
        for y, w in zip(ys, wls):
            peers = {p: value(r, key) for p, r in rows[w].items() if p not in REF}
            peers = {p: v for p, v in peers.items() if v is not None}
            pv = value(rows[w]["provalloc"], key)
            if not peers or pv is None:
                continue
            best = min(peers, key=peers.get)
            others = [min(v / peers[best], XMAX) for p, v in peers.items() if p != best]
            ax.scatter(others, [y] * len(others), s=14, color=GREY, zorder=2, linewidths=0)
            x = pv / peers[best]
            ax.scatter([x], [y], s=90, color=RED, zorder=3, edgecolors="white", linewidths=0.8)
            ax.annotate(f"{x:.2f}x", (x, y), xytext=(0, 7), textcoords="offset points", ha="center",
                        fontsize=8.5, color=RED, fontweight="bold")
            ax.annotate(best, (XMAX, y), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=7.5, color="#555555", annotation_clip=False)
        ax.set_title(label, fontsize=10.5)
        ax.set_xticks([0.25, 0.5, 1, 2, 4, 10])
        ax.set_xticklabels(["0.25", "0.5", "1", "2", "4", "10"])
        for y, (w0, w1) in zip(ys[1:], zip(wls, wls[1:])):
            if group(w0) != group(w1):
                ax.axhline(y + 0.5, color="#bbbbbb", lw=0.8, zorder=0)
        ax.minorticks_off()
        ax.grid(axis="x", color="#dddddd", lw=0.6, zorder=0)
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
    axes[0].set_yticks(ys)
    axes[0].set_yticklabels([TITLES.get(w, w) for w in wls], fontsize=9.5)
    axes[0].tick_params(axis="y", length=0)
    fig.suptitle("provalloc / the fastest peer on each workload (log scale; below 1 = provalloc ahead, "
                 "named at right: the fastest peer)", fontsize=11.5)
    peers = []
    for w in wls:
        peers += [p for p in rows[w] if p not in REF and p not in peers]
    fig.text(0.5, 0.01, "red: provalloc   grey: the other peers (%s), past 10x drawn at 10x   data: %s"
             % (", ".join(peers), os.path.basename(a.tsv)), ha="center", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, 0.04, 0.985, 0.95), w_pad=3.2)
    fig.savefig(a.out, dpi=110)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
