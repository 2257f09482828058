#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what a fresh Debian 12 machine lacks to build, test, prove, fuzz and
# benchmark provalloc. Idempotent: packages already present are left alone.
# Usage: bash ci/deps.sh            (needs root, or sudo)
set -euo pipefail

PKGS=(
  # build and unit tests
  make gcc clang libcmocka-dev pkg-config cmake
  # proofs (no Alt-Ergo in Debian: z3, cvc4, cvc5 are the provers)
  frama-c-base why3 z3 cvc4 cvc5
  # fuzzing, sanitizers, coverage, Valgrind
  afl++ libclang-rt-14-dev llvm-14 gcovr valgrind
  # static analysis (MISRA addon ships with cppcheck)
  cppcheck python3
  # cross builds: 32-bit x86, Cortex-M4, user-mode emulation
  gcc-multilib gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-user
  # benchmarks: peers and the chart
  libapr1-dev libtalloc-dev libglib2.0-dev libboost-dev libjemalloc-dev
  libmimalloc-dev libgoogle-perftools-dev g++ gnuplot-nox python3-matplotlib
  # real programs through their allocator hooks (make clients)
  liblua5.4-dev libsqlite3-dev
  # 32-bit unit tests of make cross (needs the i386 architecture, added below)
  libcmocka-dev:i386
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PKGS[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if printf '%s\n' "${missing[@]}" | grep -q ':i386$' && ! dpkg --print-foreign-architectures | grep -qx i386; then
  echo "deps: adding the i386 architecture (dpkg --add-architecture i386)"
  $SUDO dpkg --add-architecture i386
fi
# A mirror caught mid-sync fails one index ("File has unexpected size"):
# retry, then go on with the indexes that did download; the install below
# fails, and says which package, if one it needs is really missing.
for try in 1 2 3; do
  if $SUDO apt-get update -qq; then break; fi
  echo "deps: apt-get update failed (try $try of 3)"
  [ "$try" -eq 3 ] || sleep 20
done
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "deps: installed ${#missing[@]} packages"
