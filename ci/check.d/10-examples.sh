#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's examples: each examples/*.c must appear verbatim in README.md
# (less its first line, the SPDX licence line),
# build with gcc and clang under the project's warnings plus ASan+UBSan, and
# run to exit 0. One test per example and compiler; ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
out=build/examples; mkdir -p "$out"
for ex in examples/*.c; do
  name=$(basename "$ex" .c)
  if python3 - "$ex" <<'PY'
import sys
ex = open(sys.argv[1]).read()
if ex.startswith("/* SPDX-License-Identifier:"):
    ex = ex.split("\n", 1)[1]
ex = ex.strip()
sys.exit(0 if ex in open("README.md").read() else 1)
PY
  then pass=$((pass + 1)); echo "  $name: quoted verbatim in README.md"
  else fail=$((fail + 1)); echo "  $name: README.md does not quote examples/$name.c verbatim"; fi
  for cc in gcc clang; do
    if $cc -std=c99 -Wall -Wextra -Wpedantic -Werror -g -fsanitize=address,undefined \
         -fno-sanitize-recover=all -Isrc "$ex" src/*.c -o "$out/$name-$cc" 2>"$out/$name-$cc.log" &&
       "$out/$name-$cc" >>"$out/$name-$cc.log" 2>&1; then
      pass=$((pass + 1)); echo "  $name ($cc): $(tail -n 1 "$out/$name-$cc.log")"
    else
      fail=$((fail + 1)); echo "  $name ($cc): FAILED"; tail -n 20 "$out/$name-$cc.log"
    fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
