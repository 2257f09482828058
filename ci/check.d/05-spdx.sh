#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Licence lines: every source file of the project (C and C++ sources and
# headers, ACSL, shell, Python, Makefiles, CMake files, anything starting
# with #!) carries "SPDX-License-Identifier: MIT" in its first 3 lines,
# where LICENSE is the text. The files are git's (tracked, or new and not
# ignored), less proofs/wp-cache/ and fuzz/corpus/ (data). Files listed in
# ci/spdx-exempt.txt are not required to yet; one listed that has the line
# fails (take it off the list). One test per file; ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
EXEMPT=ci/spdx-exempt.txt
pass=0 fail=0 exempt=0 files=0
is_source() {
  case "$1" in
    *.c | *.h | *.cpp | *.hpp | *.sh | *.py | *.mk | *.acsl | *.cmake | *.cmake.in | *.pc.in | \
      Makefile | */Makefile | CMakeLists.txt | */CMakeLists.txt) return 0 ;;
  esac
  [ "$(head -c 2 "$1")" = '#!' ]
}
has_line() { head -n 3 "$1" | grep -q 'SPDX-License-Identifier: MIT'; }
listed() { grep -v '^#' "$EXEMPT" 2>/dev/null | grep -qxF "$1"; }

if [ -f LICENSE ] && grep -q '^MIT License' LICENSE && grep -q 'Permission is hereby granted, free of charge' LICENSE; then
  pass=$((pass + 1)); echo "  LICENSE: the MIT licence"
else
  fail=$((fail + 1)); echo "  LICENSE: missing, or not the MIT licence"
fi
if ! command -v git >/dev/null || ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "  not a git work tree: cannot list the files"; echo "$pass passed, $((fail + 1)) failed"; exit 1
fi
while IFS= read -r f; do
  [ -f "$f" ] || continue
  is_source "$f" || continue
  if listed "$f"; then
    if has_line "$f"; then
      fail=$((fail + 1)); echo "  $f: has the SPDX line now: delete it from $EXEMPT"
    else
      exempt=$((exempt + 1)); echo "  $f: exempt for now ($EXEMPT)"
    fi
  elif has_line "$f"; then
    pass=$((pass + 1)) files=$((files + 1))
  else
    fail=$((fail + 1)); echo "  $f: no 'SPDX-License-Identifier: MIT' in its first 3 lines"
  fi
done < <(git ls-files --cached --others --exclude-standard | grep -vE '^(proofs/wp-cache|fuzz/corpus)/')
echo "  ($files files with the line, $exempt exempt)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
