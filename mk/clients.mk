# SPDX-License-Identifier: MIT
#   make clients        Lua 5.4 and SQLite through their allocator hooks on malloc, the FIFO, the region and the stack: checksums equal malloc's, table of time and peak RSS
#
# Real programs (issue 26, docs/clients.md): build/clients/clients runs the
# Lua workloads of clients/lua/ and the SQL of clients/sqlite/ on one
# allocator; clients/run.py runs every program on every allocator, one
# process each, and compares the checksums of their results with malloc's.
# Ends "N passed, N failed". Needs liblua5.4-dev and libsqlite3-dev
# (ci/deps.sh). Built with the project's warnings against $(LIB), so CC,
# SAN=1 and EXTRA_CFLAGS apply (use a BUILD of their own).
# CLIENTS_RUNS=k keeps the shortest of k runs; CLIENTS_SCALE scales the
# workloads.

CLIENTS_DIR  := $(BUILD)/clients
CLIENTS_BIN  := $(CLIENTS_DIR)/clients
CLIENTS_SRC  := $(wildcard clients/*.c)
CLIENTS_PKGS := lua5.4 sqlite3

.PHONY: clients clients-bin

clients-bin: $(CLIENTS_BIN)

$(CLIENTS_BIN): $(CLIENTS_SRC) clients/clients.h $(LIB)
	@mkdir -p $(@D)
	@pkg-config --exists $(CLIENTS_PKGS) || { echo "clients: pkg-config finds no $(CLIENTS_PKGS) (liblua5.4-dev, libsqlite3-dev: make deps)"; exit 1; }
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(shell pkg-config --cflags $(CLIENTS_PKGS)) $(CLIENTS_SRC) $(LIB) \
	  $(shell pkg-config --libs $(CLIENTS_PKGS)) -o $@

clients: $(CLIENTS_BIN)
	@python3 clients/run.py --bin $(CLIENTS_BIN) --dir clients
