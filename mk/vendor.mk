# Vendoring: cross builds, MISRA check, single-file distribution, install.
#
#   make cross      gcc+clang x C99+C11 x x86-64, x86 (-m32), Cortex-M4: hosted and freestanding builds (-Werror), M4 size/stack of the core, -m32 unit tests, qemu-arm run

.PHONY: cross

cross:
	@WARN="$(WARN)" OPT="$(OPT)" LIB_SRC="$(LIB_SRC)" BUILD="$(BUILD)" bash ci/cross.sh
