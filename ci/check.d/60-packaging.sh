#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Packaging, as a user meets it, each step one test:
#   CMake: configure, build (-Werror) and install into a temporary prefix;
#     the install holds the headers, libprovalloc.a, libprovalloc.so with
#     soname libprovalloc.so.<major.minor while 0.x>, the package config and
#     provalloc.pc; the consumer of tests/cmake/ built with
#     find_package(provalloc CONFIG) (shared, and static with
#     PROVALLOC_USE_STATIC_LIBS) and with add_subdirectory, each run;
#     a library configured with PROVALLOC_DEFINITIONS=PV_ALIGN=16 gives its
#     consumer PV_ALIGN 16 through the target, and provalloc.pc says so;
#   make install / make uninstall (DESTDIR, PREFIX): a program built with
#     pkg-config's flags links and runs (also for an EXTRA_CFLAGS=-DPV_ALIGN=16
#     build, whose .pc carries the flag; without it the link fails), and
#     uninstall leaves no file of its own and every file it did not put there.
# Ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/packaging
rm -rf "$OUT"; mkdir -p "$OUT"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "  ok      $1"; }
ko() { fail=$((fail + 1)); echo "  FAILED  $1"; [ -n "${2:-}" ] && tail -n 15 "$2" | sed 's/^/    /'; }
command -v cmake >/dev/null || { echo "  cmake not installed (Debian package cmake; make deps)"; echo "0 passed, 1 failed"; exit 1; }
VERSION=$(sed -n 's/^#define PV_VERSION_STRING "\(.*\)"/\1/p' src/pv_core.h)
MAJOR=${VERSION%%.*}; MINOR=${VERSION#*.}; MINOR=${MINOR%%.*}
if [ "$MAJOR" = 0 ]; then SOVER=$MAJOR.$MINOR; else SOVER=$MAJOR; fi

# cmake_lib name prefix [cmake args]: configure, build, install the library.
cmake_lib() {
  local name=$1 prefix=$2; shift 2
  local log=$OUT/$name.log
  if cmake -S . -B "$OUT/$name" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_C_FLAGS=-Werror "$@" >"$log" 2>&1 &&
     cmake --build "$OUT/$name" -j 2 >>"$log" 2>&1 && cmake --install "$OUT/$name" >>"$log" 2>&1; then
    ok "cmake: $name: configure, build (-Werror), install into $(basename "$prefix")"
  else
    ko "cmake: $name: configure, build, install" "$log"; return 1
  fi
}
# consumer name [cmake args]: build tests/cmake and run it; prints its line.
consumer() {
  local name=$1; shift
  local log=$OUT/consumer-$name.log
  if cmake -S tests/cmake -B "$OUT/consumer-$name" -DCMAKE_C_FLAGS=-Werror "$@" >"$log" 2>&1 &&
     cmake --build "$OUT/consumer-$name" >>"$log" 2>&1 &&
     "$OUT/consumer-$name/consumer" >"$OUT/consumer-$name.out" 2>&1; then
    ok "consumer ($name): $(cat "$OUT/consumer-$name.out")"
  else
    cat "$OUT/consumer-$name.out" >>"$log" 2>/dev/null; ko "consumer ($name): build and run" "$log"; return 1
  fi
}

P=$OUT/prefix
if cmake_lib lib "$P"; then
  missing=""
  for f in include/provalloc/provalloc.h include/provalloc/pv_link_check.h lib/libprovalloc.a \
           "lib/libprovalloc.so.$VERSION" lib/cmake/provalloc/provallocConfig.cmake \
           lib/cmake/provalloc/provallocConfigVersion.cmake lib/pkgconfig/provalloc.pc share/doc/provalloc/LICENSE; do
    [ -e "$P/$f" ] || missing="$missing $f"
  done
  [ -z "$missing" ] && ok "install: headers, libprovalloc.a, libprovalloc.so.$VERSION, package config, provalloc.pc, LICENSE" ||
    ko "install: missing$missing"
  soname=$(readelf -d "$P/lib/libprovalloc.so.$VERSION" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
  [ "$soname" = "libprovalloc.so.$SOVER" ] && ok "shared library soname $soname" ||
    ko "shared library soname '$soname', expected libprovalloc.so.$SOVER"
  if consumer package-shared -DPV_CONSUMER_MODE=package -DCMAKE_PREFIX_PATH="$P"; then
    if ldd "$OUT/consumer-package-shared/consumer" | grep -q "libprovalloc.so.$SOVER => $P/lib/"; then
      ok "consumer (package-shared) runs on $P/lib/libprovalloc.so.$SOVER"
    else
      ko "consumer (package-shared) does not use the installed shared library"; ldd "$OUT/consumer-package-shared/consumer" | sed 's/^/    /'
    fi
  fi
  if consumer package-static -DPV_CONSUMER_MODE=package -DCMAKE_PREFIX_PATH="$P" -DPROVALLOC_USE_STATIC_LIBS=ON; then
    if ldd "$OUT/consumer-package-static/consumer" | grep -q libprovalloc; then
      ko "consumer (package-static) needs libprovalloc.so"
    else
      ok "consumer (package-static) is linked statically"
    fi
  fi
fi
consumer subdir -DPV_CONSUMER_MODE=subdir -DPV_SOURCE_DIR="$ROOT"

# The settings travel with the target and in provalloc.pc.
P16=$OUT/prefix-align16
if cmake_lib lib-align16 "$P16" -DPROVALLOC_DEFINITIONS=PV_ALIGN=16; then
  if consumer package-align16 -DPV_CONSUMER_MODE=package -DCMAKE_PREFIX_PATH="$P16"; then
    grep -q "PV_ALIGN 16: ok" "$OUT/consumer-package-align16.out" &&
      ok "consumer (package-align16) was compiled with PV_ALIGN 16, from the target" ||
      ko "consumer (package-align16) did not get PV_ALIGN 16 from the target"
  fi
  grep -q '^Cflags: .* -DPV_ALIGN=16' "$P16/lib/pkgconfig/provalloc.pc" &&
    ok "provalloc.pc (CMake, PV_ALIGN=16): $(grep '^Cflags' "$P16/lib/pkgconfig/provalloc.pc")" ||
    ko "provalloc.pc (CMake) lacks -DPV_ALIGN=16" "$P16/lib/pkgconfig/provalloc.pc"
fi

# make install / make uninstall, and pkg-config.
# pkgcfg_prog name destdir prefix: builds tests/cmake/consumer.c with the
# installed .pc's flags, statically, and runs it.
pkgcfg_prog() {
  local name=$1 root=$2$3 log=$OUT/pc-$1.log
  local pc="$root/lib/pkgconfig/provalloc.pc"
  # the .pc names the prefix, not DESTDIR: let pkg-config relocate it.
  local cflags libs
  cflags=$(PKG_CONFIG_PATH="$root/lib/pkgconfig" pkg-config --define-prefix --cflags provalloc) &&
  libs=$(PKG_CONFIG_PATH="$root/lib/pkgconfig" pkg-config --define-prefix --libs --static provalloc) || {
    ko "pkg-config ($name): cannot read $pc"; return 1; }
  # shellcheck disable=SC2086
  if gcc -std=c99 -Wall -Wextra -Werror $cflags tests/cmake/consumer.c $libs -o "$OUT/pc-$name" >"$log" 2>&1 &&
     "$OUT/pc-$name" >>"$log" 2>&1; then
    ok "pkg-config ($name): gcc $cflags ... $libs: $(tail -n 1 "$log")"
  else
    ko "pkg-config ($name): build and run with $cflags $libs" "$log"
  fi
}
D=$OUT/destdir
mkdir -p "$D/opt/pv/lib" "$D/opt/pv/include"
echo keep >"$D/opt/pv/lib/not-ours.txt"; echo keep >"$D/opt/pv/include/not-ours.h"
find "$D" -type f | sort >"$OUT/before.txt"
if make -s install BUILD="$OUT/make" DESTDIR="$D" PREFIX=/opt/pv >"$OUT/make-install.log" 2>&1; then
  ok "make install DESTDIR=... PREFIX=/opt/pv: $(find "$D" -type f | wc -l) files ($(wc -l <"$OUT/before.txt") there before)"
  pkgcfg_prog make-default "$D" /opt/pv
else
  ko "make install" "$OUT/make-install.log"
fi
if make -s uninstall DESTDIR="$D" PREFIX=/opt/pv >"$OUT/make-uninstall.log" 2>&1 &&
   find "$D" -type f | sort | cmp -s - "$OUT/before.txt"; then
  ok "make uninstall: exactly the files that were there before remain"
else
  ko "make uninstall: left or removed files" "$OUT/make-uninstall.log"; find "$D" -type f | sed 's/^/    /'
fi
D16=$OUT/destdir16
if make -s install BUILD="$OUT/make16" EXTRA_CFLAGS=-DPV_ALIGN=16 DESTDIR="$D16" PREFIX=/usr/local \
     >"$OUT/make-install16.log" 2>&1 && grep -q '^Cflags: .*-DPV_ALIGN=16' "$D16/usr/local/lib/pkgconfig/provalloc.pc"; then
  ok "make install EXTRA_CFLAGS=-DPV_ALIGN=16: provalloc.pc says $(grep '^Cflags' "$D16/usr/local/lib/pkgconfig/provalloc.pc")"
  pkgcfg_prog make-align16 "$D16" /usr/local
  # without the .pc's flag, the link check refuses the program
  if ! gcc -std=c99 -I"$D16/usr/local/include/provalloc" tests/cmake/consumer.c \
         "$D16/usr/local/lib/libprovalloc.a" -o "$OUT/pc-noflag" >"$OUT/pc-noflag.log" 2>&1 &&
     grep -q 'pv_config_align8_' "$OUT/pc-noflag.log"; then
    ok "the same program without the .pc's -DPV_ALIGN=16 does not link (pv_config_align8_... undefined)"
  else
    ko "the program without the .pc's flags should not link" "$OUT/pc-noflag.log"
  fi
else
  ko "make install EXTRA_CFLAGS=-DPV_ALIGN=16: .pc without the flag" "$OUT/make-install16.log"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
