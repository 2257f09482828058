#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Watch the log of a running frama-c/WP for its first unproved goal
(make prove-mutants: a mutant is rejected by one unproved goal, so the run
can stop there).

Usage: wp_first_unproved.py LOG PID

Reads LOG as frama-c writes it. At the first goal WP reports unproved with a
real verdict (a prover answered Unknown, Timeout, Stepout or Invalid; not only
Failed, which is also how a crash of a prover or of why3 shows), prints
"GOAL|prover:verdict ..." (GOAL without WP's "typed_" prefix) and exits 0.
Exits 1 once process PID has ended and the whole log was read without one.
It stops nothing itself: the caller kills frama-c.

WP prints a goal's result when the goal is done: with several provers an
unproved goal is a line "[wp] [Failed] Goal NAME" followed by one indented line
per prover ("  Z3 4.8.12: Timeout (...)"); with one prover it is one line
"[wp] [CVC4 1.8] Goal NAME : Timeout (...)".
"""
import os
import re
import sys
import time

REAL = {"Unknown", "Timeout", "Stepout", "Invalid"}
FAILED = re.compile(r"^\[wp\] \[Failed\] Goal (\S+)")
ONE = re.compile(r"^\[wp\] \[([^\]]+)\] Goal (\S+) : (\w+)")
PROVER = re.compile(r"^\s+([A-Za-z0-9]+)[^:]*: (\w+)")


def name(goal):
    return goal[len("typed_"):] if goal.startswith("typed_") else goal


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie has ended too
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def main():
    log, pid = sys.argv[1], int(sys.argv[2])
    block = None  # (goal, [(prover, verdict)]) of an open "[Failed]" block
    buf = ""
    pos = 0

    def close():
        nonlocal block
        if block is not None:
            goal, verdicts = block
            block = None
            if any(v in REAL for _, v in verdicts):
                print("%s|%s" % (name(goal), " ".join("%s:%s" % (p.lower(), v.lower()) for p, v in verdicts)))
                sys.stdout.flush()
                sys.exit(0)

    def line(text):
        nonlocal block
        m = PROVER.match(text)
        if block is not None and m:
            block[1].append((m.group(1), m.group(2)))
            return
        close()
        m = FAILED.match(text)
        if m:
            block = (m.group(1), [])
            return
        m = ONE.match(text)
        if m and m.group(1) not in ("Failed", "Qed", "Cache") and m.group(3) in REAL:
            block = (m.group(2), [(m.group(1).split()[0], m.group(3))])
            close()

    while True:
        ended = not alive(pid)
        try:
            with open(log, errors="replace") as fh:
                fh.seek(pos)
                data = fh.read()
                pos = fh.tell()
        except FileNotFoundError:
            data = ""
        buf += data
        *lines, buf = buf.split("\n")
        for text in lines:
            line(text)
        if ended:
            if buf:
                line(buf)
            close()
            sys.exit(1)
        time.sleep(0.5)


if __name__ == "__main__":
    main()
