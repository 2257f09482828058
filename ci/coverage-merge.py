#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Merge the llvm-cov `show -show-branches=count` text reports of several
builds of src/ (ci/fuzz-coverage.sh: default and hardened) into one total.

    coverage-merge.py [--exclusions FILE] [--html OUT.html] [--summary OUT.txt]
                      NAME=show.txt ...

A line of src/ counts once, covered when it ran in any build (lines compiled
in one build only count once). A branch direction is (file, line, column,
true|false), taken when it was taken in any build, summed over every
translation unit that instantiates an inline header function. Prints every
line and branch direction not covered, the per-file table, and last
    coverage: lines L%, branches B%
(also written to --summary). Exit status 1 below 100% of either.

The exclusion file holds one entry a line (# starts a comment):
    src/FILE:LINE  REASON                      a line never run
    src/FILE:LINE:COL true|false  REASON       a branch direction never taken
An excluded item counts as covered and is listed with its reason; an entry
that matches nothing uncovered (the item is covered now, or gone) is stale
and fails the run, so the list cannot outlive what it excuses.
"""
import html
import os
import re
import sys

ROOT = os.getcwd()


def rel(path):
    path = os.path.normpath(path)
    if path.startswith(ROOT + os.sep):
        path = path[len(ROOT) + 1:]
    return path


def num(x):
    if x[-1] in "kMGT":
        return float(x[:-1]) * {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}[x[-1]]
    return float(x)


def parse(show):
    """{(file, line): (count or None, text)}, {(file, line, col): [true, false]}"""
    lines, br = {}, {}
    cur = None
    for raw in open(show, errors="replace"):
        raw = raw.rstrip("\n")
        if raw.endswith(":") and not raw.startswith(" ") and "|" not in raw:
            cur = rel(raw[:-1])
            continue
        if cur is None:
            continue
        m = re.match(r"^\s*(\d+)\|\s*([0-9.kMGT]*)\|(.*)$", raw)
        if m:
            ln, cnt, text = m.groups()
            lines[(cur, int(ln))] = (num(cnt) if cnt != "" else None, text)
            continue
        m = re.search(r"Branch \((\d+):(\d+)\): \[True: ([0-9.kMGT]+), False: ([0-9.kMGT]+)\]", raw)
        if m:
            k = (cur, int(m.group(1)), int(m.group(2)))
            b = br.setdefault(k, [0.0, 0.0])
            b[0] += num(m.group(3))
            b[1] += num(m.group(4))
    return lines, br


def main(argv):
    excl_path = html_path = summary_path = None
    builds = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--exclusions", "--html", "--summary"):
            v = argv[i + 1]
            i += 2
            if a == "--exclusions":
                excl_path = v
            elif a == "--html":
                html_path = v
            else:
                summary_path = v
            continue
        name, _, path = a.partition("=")
        builds.append((name, path))
        i += 1

    names = [n for n, _ in builds]
    text = {}       # (file, line) -> source text
    count = {}      # (file, line) -> {build: count}  (instrumented lines only)
    branch = {}     # (file, line, col) -> {build: [true, false]}
    for name, path in builds:
        ls, bs = parse(path)
        for k, (c, t) in ls.items():
            text[k] = t
            if c is not None:
                count.setdefault(k, {})[name] = c
        for k, v in bs.items():
            branch.setdefault(k, {})[name] = v

    excl = {}       # key -> reason; key (file, line) or (file, line, col, side)
    excl_src = {}
    if excl_path and os.path.exists(excl_path):
        for n, raw in enumerate(open(excl_path), 1):
            s = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
            if not s:
                continue
            m = re.match(r"^(\S+?):(\d+):(\d+)\s+(true|false)\s+(.+)$", s)
            if m:
                key = (m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))
                excl[key] = m.group(5)
            else:
                m = re.match(r"^(\S+?):(\d+)\s+(.+)$", s)
                if not m:
                    print(f"  {excl_path}:{n}: not an entry: {s}")
                    return 2
                key = (m.group(1), int(m.group(2)))
                excl[key] = m.group(3)
            excl_src[key] = f"{excl_path}:{n}"

    used = set()
    missed, excused = [], []
    line_state = {}   # (file, line) -> "hit" | "miss" | "excl"
    for k in sorted(count):
        if any(c > 0 for c in count[k].values()):
            line_state[k] = "hit"
        elif k in excl:
            line_state[k] = "excl"
            used.add(k)
            excused.append(f"  line   {k[0]}:{k[1]}: {text[k].strip()}  -- {excl[k]}")
        else:
            line_state[k] = "miss"
            missed.append(f"  line   {k[0]}:{k[1]}: {text[k].strip()}")
    br_state = {}     # (file, line, col, side) -> "hit" | "miss" | "excl"
    for k in sorted(branch):
        t = sum(v[0] for v in branch[k].values())
        f = sum(v[1] for v in branch[k].values())
        for side, c in (("true", t), ("false", f)):
            key = k + (side,)
            if c > 0:
                br_state[key] = "hit"
            elif key in excl:
                br_state[key] = "excl"
                used.add(key)
                excused.append(f"  branch {k[0]}:{k[1]}:{k[2]} never {side}: "
                               f"{text.get(k[:2], '').strip()}  -- {excl[key]}")
            else:
                br_state[key] = "miss"
                missed.append(f"  branch {k[0]}:{k[1]}:{k[2]} never {side}: {text.get(k[:2], '').strip()}")
    stale = [f"  {excl_src[k]}: {':'.join(str(x) for x in k)} is not uncovered (covered now, or no such line)"
             for k in excl if k not in used]

    for s in missed:
        print(s)
    if not missed:
        print("  none")
    if excused:
        print(f"excluded ({excl_path}):")
        for s in excused:
            print(s)
    if stale:
        print(f"stale entries of {excl_path}:")
        for s in stale:
            print(s)

    files = sorted(set(k[0] for k in count) | set(k[0] for k in branch))
    per = {}
    for fn in files:
        l = [line_state[k] for k in line_state if k[0] == fn]
        b = [br_state[k] for k in br_state if k[0] == fn]
        per[fn] = (sum(s != "miss" for s in l), len(l), sum(s != "miss" for s in b), len(b))
    tl = sum(p[1] for p in per.values())
    th = sum(p[0] for p in per.values())
    tb = sum(p[3] for p in per.values())
    tbh = sum(p[2] for p in per.values())
    pct = lambda a, b: 100.0 * a / b if b else 100.0
    print()
    print("  %-22s %13s %19s" % ("file (" + "+".join(names) + ")", "lines", "branch directions"))
    for fn in files:
        h, l, bh, b = per[fn]
        print("  %-22s %6d/%-6d %8d/%-8d" % (os.path.basename(fn), h, l, bh, b))
    print("  %-22s %6d/%-6d %8d/%-8d" % ("total", th, tl, tbh, tb))
    nxl = sum(1 for s in line_state.values() if s == "excl")
    nxb = sum(1 for s in br_state.values() if s == "excl")
    if nxl or nxb:
        print(f"  of which excluded as unreachable: {nxl} lines, {nxb} branch directions "
              f"(without them: lines {pct(th - nxl, tl):.2f}%, branches {pct(tbh - nxb, tb):.2f}%)")
    summary = "coverage: lines %.2f%%, branches %.2f%%" % (pct(th, tl), pct(tbh, tb))
    if summary_path:
        open(summary_path, "w").write(summary + "\n")
    if html_path:
        write_html(html_path, names, files, per, text, count, branch, line_state, br_state,
                   excl, missed, excused, stale, summary, (th, tl, tbh, tb))
    return 0 if (th == tl and tbh == tb and not stale) else 1


def write_html(path, names, files, per, text, count, branch, line_state, br_state,
               excl, missed, excused, stale, summary, totals):
    e = html.escape
    o = []
    o.append("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>provalloc coverage</title>\n"
             "<style>body{font-family:sans-serif} table{border-collapse:collapse} "
             "td,th{padding:1px 6px} pre{margin:0} .src td{font-family:monospace;white-space:pre;vertical-align:top} "
             ".hit{background:#dfd} .miss{background:#fcc} .excl{background:#ffd} .num{text-align:right;color:#666} "
             ".br{font-size:85%;color:#444} .brmiss{color:#c00;font-weight:bold}</style></head><body>")
    o.append(f"<h1>provalloc: coverage of src/</h1><p><b>{e(summary)}</b> "
             f"({totals[0]}/{totals[1]} lines, {totals[2]}/{totals[3]} branch directions; builds: "
             f"{e(' + '.join(names))}, merged: a line or a branch direction counts once, covered when "
             "run in any build; inline header functions summed over every translation unit). "
             f"Counted as covered: {len(excused)} excluded item(s), listed below with their reasons.</p>")
    o.append("<p>llvm-cov's own report of each build (its summary tables count an inline header "
             "function once per translation unit, and a build alone): " +
             ", ".join(f"<a href='{e(n)}/index.html'>{e(n)}</a>" for n in names) + ".</p>")
    o.append("<table border=1><tr><th>file</th><th>lines</th><th>%</th><th>branch directions</th><th>%</th></tr>")
    for fn in files:
        h, l, bh, b = per[fn]
        o.append(f"<tr><td><a href='#{e(fn)}'>{e(fn)}</a></td><td>{h}/{l}</td><td>{100.0*h/l if l else 100:.2f}</td>"
                 f"<td>{bh}/{b}</td><td>{100.0*bh/b if b else 100:.2f}</td></tr>")
    o.append("</table>")
    o.append("<h2>Not covered</h2><pre>" + e("\n".join(missed) if missed else "none") + "</pre>")
    if excused:
        o.append("<h2>Excluded (ci/coverage-exclusions.txt)</h2><pre>" + e("\n".join(excused)) + "</pre>")
    if stale:
        o.append("<h2>Stale exclusions</h2><pre>" + e("\n".join(stale)) + "</pre>")
    for fn in files:
        o.append(f"<h2 id='{e(fn)}'>{e(fn)}</h2><table class='src'><tr><th>line</th>" +
                 "".join(f"<th>{e(n)}</th>" for n in names) + "<th>source</th></tr>")
        nmax = max([k[1] for k in text if k[0] == fn] or [0])
        brs = {}
        for k in branch:
            if k[0] == fn:
                brs.setdefault(k[1], []).append(k)
        for ln in range(1, nmax + 1):
            k = (fn, ln)
            st = line_state.get(k, "")
            cells = "".join(f"<td class='num'>{fmt(count.get(k, {}).get(n))}</td>" for n in names)
            o.append(f"<tr class='{st}'><td class='num' id='{e(fn)}:{ln}'>{ln}</td>{cells}<td>{e(text.get(k, ''))}")
            for bk in sorted(brs.get(ln, [])):
                parts = []
                for idx, side in ((0, "true"), (1, "false")):
                    c = sum(v[idx] for v in branch[bk].values())
                    s = br_state[bk + (side,)]
                    cls = "brmiss" if s == "miss" else ""
                    parts.append(f"<span class='{cls}'>{side} {fmt(c)}{' (excluded)' if s == 'excl' else ''}</span>")
                o.append(f"<div class='br'>branch ({bk[1]}:{bk[2]}): " + ", ".join(parts) + "</div>")
            o.append("</td></tr>")
        o.append("</table>")
    o.append("</body></html>\n")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    open(path, "w").write("\n".join(o))


def fmt(c):
    if c is None:
        return ""
    return "%d" % c if c < 1000 else ("%.3gk" % (c / 1e3) if c < 1e6 else "%.3gM" % (c / 1e6))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
