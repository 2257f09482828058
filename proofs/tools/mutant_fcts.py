#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Which functions does a mutant change? (make prove-mutants, ci/prove.sh)

Usage: mutant_fcts.py ORIG_TREE MUTANT_TREE
Compares src/ and spec/ of the two trees. Prints the names of the C functions
whose bodies differ, comma-separated, or nothing if anything else differs: an
ACSL annotation or contract, a declaration, a macro, a spec file, a file added
or removed (then the whole unit must be proved again).

Why a mutant may be proved on those functions only: WP proves each function
against its own contract and uses only the contracts of the functions it
calls, never their bodies. A mutant that changes function bodies and nothing
else (no annotation inside them either) leaves every goal of every other
function exactly as it was: the same goal text, proved in the unmutated run.
So the mutant is rejected iff some goal of a changed function is unproved.
"""
import os
import re
import sys

DEF = re.compile(r"^(?!typedef|struct|union|enum|#)(?:[A-Za-z_][\w]*[\s\*]+)+([A-Za-z_]\w*)\s*\(")


def split(text):
    """{function name: body text} and the rest of the file (bodies cut out).
    Definitions start at column 0; their body opens with '{' at column 0 on a
    later line and closes with '}' at column 0 (the project's style)."""
    lines = text.split("\n")
    bodies = {}
    rest = []
    i = 0
    name = None
    while i < len(lines):
        line = lines[i]
        m = DEF.match(line)
        if m:
            name = m.group(1)
        if line.startswith("{") and name is not None:
            j = i
            while j < len(lines) and not lines[j].startswith("}"):
                j += 1
            if name in bodies:
                return None, None
            bodies[name] = "\n".join(lines[i:j + 1])
            rest.append("<body of %s>" % name)
            i = j + 1
            name = None
            continue
        if line.strip().endswith(";") or line.strip() == "":
            name = None if not m else name
        rest.append(line)
        i += 1
    return bodies, "\n".join(rest)


def files(tree):
    out = {}
    for d in ("src", "spec"):
        for f in sorted(os.listdir(os.path.join(tree, d))):
            if not re.search(r"\.(c|h|acsl)$", f):
                continue
            out["%s/%s" % (d, f)] = open(os.path.join(tree, d, f), encoding="utf-8").read()
    return out


def main():
    a, b = files(sys.argv[1]), files(sys.argv[2])
    if set(a) != set(b):
        return
    changed = []
    for f in sorted(a):
        if a[f] == b[f]:
            continue
        if not re.search(r"\.[ch]$", f):
            return
        ba, ra = split(a[f])
        bb, rb = split(b[f])
        if ba is None or bb is None or ra != rb or set(ba) != set(bb):
            return
        for n in ba:
            if ba[n] != bb[n]:
                if re.search(r"/\*@|//@", ba[n] + bb[n]) and \
                        re.findall(r"/\*@.*?\*/|//@[^\n]*", ba[n], re.S) != \
                        re.findall(r"/\*@.*?\*/|//@[^\n]*", bb[n], re.S):
                    return  # an annotation inside the body changed
                changed.append(n)
    print(",".join(changed))


if __name__ == "__main__":
    main()
