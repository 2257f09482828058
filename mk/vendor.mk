# SPDX-License-Identifier: MIT
# Vendoring: cross builds, MISRA check, single-file distribution, install.
#
#   make cross      gcc+clang x C99+C11 x x86-64, x86 (-m32), Cortex-M4: hosted and freestanding builds (-Werror), M4 size/stack of the core, -m32 unit tests (native, or under qemu-i386; PV_CROSS_QEMU=1 forces qemu), qemu-arm run
#   make misra      cppcheck 2.10's MISRA C:2012 addon over src/: fails on any finding not suppressed in place
#   make dist       the verified core as one .h and one .c in build/dist/, proved again there with WP
#   make install PREFIX=/usr/local   headers, libprovalloc.a, provalloc.pc (with the build's -DPV_ settings) and LICENSE (DESTDIR honoured)
#   make uninstall PREFIX=/usr/local removes exactly what make install put there (same PREFIX and DESTDIR)

.PHONY: cross misra dist dist-files install uninstall

cross:
	@WARN="$(WARN)" OPT="$(OPT)" LIB_SRC="$(LIB_SRC)" BUILD="$(BUILD)" PV_CROSS_QEMU="$(PV_CROSS_QEMU)" bash ci/cross.sh

misra:
	@BUILD="$(BUILD)" bash ci/misra.sh

# ---- make dist ---------------------------------------------------------------
# pv_core.h = src/pv_core.h with src/pv_config.h pasted in place of its
# #include and spec/pv_arena.acsl in place of its (still under #ifdef
# __FRAMAC__); pv_core.c = src/pv_core.c. Same names as in src/, so the
# hosted layer's headers still find them. The proof is ci/prove.sh's.
DIST      := $(BUILD)/dist
PV_VERSION = $(shell sed -n 's/^\#define PV_VERSION_STRING "\(.*\)"/\1/p' src/pv_core.h)

dist-files: $(DIST)/pv_core.h $(DIST)/pv_core.c

$(DIST)/pv_core.h: src/pv_core.h src/pv_config.h spec/pv_arena.acsl
	@mkdir -p $(DIST)
	@{ echo "/* SPDX-License-Identifier: MIT */"; \
	   echo "/* provalloc $(PV_VERSION): the verified core in one header, made by make dist from"; \
	   echo " * src/pv_config.h, spec/pv_arena.acsl and src/pv_core.h. Do not edit: edit those. */"; \
	   awk '/^#include "pv_config.h"$$/ { while ((getline l < "src/pv_config.h") > 0) print l; next } \
	        /^#include "pv_arena.acsl"$$/ { while ((getline l < "spec/pv_arena.acsl") > 0) print l; next } \
	        { print }' src/pv_core.h; } >$@.tmp
	@if grep -n '^#include "' $@.tmp; then echo "dist: an #include of the project is left in $@"; exit 1; fi
	@mv $@.tmp $@

$(DIST)/pv_core.c: src/pv_core.c
	@mkdir -p $(DIST)
	@{ echo "/* SPDX-License-Identifier: MIT */"; \
	   echo "/* provalloc $(PV_VERSION): the verified core's out-of-line part, made by make dist"; \
	   echo " * from src/pv_core.c. Needs only pv_core.h beside it. */"; cat $<; } >$@.tmp
	@if grep '^#include "' $@.tmp | grep -v '^#include "pv_core.h"$$'; then echo "dist: unexpected #include"; exit 1; fi
	@mv $@.tmp $@

dist: dist-files
	@echo "dist: $(DIST)/pv_core.h ($$(wc -l <$(DIST)/pv_core.h) lines), $(DIST)/pv_core.c ($$(wc -l <$(DIST)/pv_core.c) lines)"
	@# The pair alone: a C99 -Werror freestanding build with nothing else on the include path ...
	@$(CC) $(WARN) -ffreestanding -nostdinc -isystem "$$($(CC) -print-file-name=include)" \
	   -c $(DIST)/pv_core.c -o $(DIST)/pv_core.o
	@# ... and WP on it, with nothing else on the include path: ci/prove.sh with
	@# exactly make prove's options, provers, machdeps (x86_32 stands for every
	@# ILP32 target such as the Cortex-M4), project why3 configuration and a copy
	@# of the committed cache; results in $(DIST)/prove, proofs/ untouched.
	@PROVE_FILES=$(DIST)/pv_core.c PROVE_INCLUDE=$(DIST) PROVE_OUT=$(DIST)/prove \
	  bash ci/prove.sh >$(DIST)/prove.log 2>&1; rc=$$?; \
	  grep -E '^prove: (x86|every|the cache|wall)' $(DIST)/prove.log | sed 's/^prove:/dist: prove:/'; \
	  line=$$(grep -E '^prove: [0-9]+ goals' $(DIST)/prove.log | tail -n 1); \
	  if [ $$rc -ne 0 ] || [ -z "$$line" ]; then tail -n 30 $(DIST)/prove.log; echo "dist: the proof of the pair failed (log: $(DIST)/prove.log)"; exit 1; fi; \
	  echo "dist: WP on the pair: $${line#prove: }"

# ---- make install, make uninstall ----------------------------------------------
# (CMake users: CMakeLists.txt installs the same headers, the static and the
# shared library, a package config for find_package and this .pc.)
PREFIX  ?= /usr/local
DESTDIR ?=
INCDIR  := $(DESTDIR)$(PREFIX)/include/provalloc
LIBDIR  := $(DESTDIR)$(PREFIX)/lib
DOCDIR  := $(DESTDIR)$(PREFIX)/share/doc/provalloc
INST_HDR := $(wildcard src/*.h) $(wildcard spec/*.acsl)
# The settings the library is built with (-DPV_..., and a sanitizer, which
# changes what the inline paths do): a program must be compiled with them or
# it does not link (src/pv_link_check.h), so provalloc.pc carries them.
PV_PC_FLAGS = $(strip $(filter -DPV_% -fsanitize=%,$(CPPFLAGS) $(ALL_CFLAGS)))

install: $(LIB)
	install -d $(INCDIR) $(LIBDIR)/pkgconfig $(DOCDIR)
	install -m 644 $(INST_HDR) $(INCDIR)
	install -m 644 $(LIB) $(LIBDIR)/libprovalloc.a
	install -m 644 LICENSE $(DOCDIR)/LICENSE
	@{ echo "prefix=$(PREFIX)"; \
	   echo 'exec_prefix=$${prefix}'; \
	   echo 'libdir=$${exec_prefix}/lib'; \
	   echo 'includedir=$${prefix}/include'; \
	   echo ''; \
	   echo 'Name: provalloc'; \
	   echo 'Description: Region, stack and FIFO allocators over a bump arena proved with Frama-C WP'; \
	   echo 'Version: $(PV_VERSION)'; \
	   echo 'Cflags: -I$${includedir}/provalloc$(if $(PV_PC_FLAGS), $(PV_PC_FLAGS))'; \
	   echo 'Libs: -L$${libdir} -lprovalloc$(if $(filter -fsanitize=%,$(PV_PC_FLAGS)), $(filter -fsanitize=%,$(PV_PC_FLAGS)))'; } >$(LIBDIR)/pkgconfig/provalloc.pc
	@echo "install: $(PREFIX) (headers in include/provalloc, lib/libprovalloc.a, lib/pkgconfig/provalloc.pc$(if $(PV_PC_FLAGS), with $(PV_PC_FLAGS)), share/doc/provalloc/LICENSE)"

uninstall:
	rm -f $(addprefix $(INCDIR)/,$(notdir $(INST_HDR))) $(LIBDIR)/libprovalloc.a \
	  $(LIBDIR)/pkgconfig/provalloc.pc $(DOCDIR)/LICENSE
	@# provalloc's own directories, if now empty; lib/, lib/pkgconfig/ are shared
	-rmdir $(INCDIR) $(DOCDIR) 2>/dev/null
	@echo "uninstall: $(PREFIX)$(if $(DESTDIR), under $(DESTDIR))"
