# The two commands a newcomer needs: `make demo` (the quick start) and `make test`.
# Installing and packaging: `make install`, `make uninstall`, `make dist`, `make deb` (docs/install.md).
.PHONY: demo test build release install uninstall dist deb version test-python

# The version has one home, the Swift constant that `authflow --version` prints; everything named
# after a version (archives, the Debian package) reads it from there.
VERSION := $(shell sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/AuthFlowCore/Version.swift)
ifeq ($(VERSION),)
  $(error cannot read the version from Sources/AuthFlowCore/Version.swift; it must hold `static let current = "X.Y.Z"`)
endif

PREFIX ?= /usr/local
DESTDIR ?=
# SwiftPM's build folder. A build started from inside `swift test` (the Debian package test) uses
# its own, so it never contends with the running `swift test` for .build.
SCRATCH ?= .build

UNAME_S := $(shell uname -s)
ARCH := $(shell uname -m)
ifeq ($(UNAME_S),Darwin)
  OS := macos
  # Darwin has no static Swift runtime (it ships with the OS), and arm64 executables must be PIE.
  RELEASE_FLAGS :=
  SHA256 := shasum -a 256
  TAR_ROOT := --uid 0 --gid 0
else
  OS := linux
  # Start-up is most of a cached call: link the Swift runtime statically and as a non-PIE
  # executable, so the loader has no relative relocations to apply at every start.
  RELEASE_FLAGS := --static-swift-stdlib -Xlinker -no-pie
  SHA256 := sha256sum
  TAR_ROOT := --owner=0 --group=0 --numeric-owner
endif

build:
	swift build

# Builds authflow, starts `authflow serve` on a free port, gets a token with
# examples/authflow.yaml, shows the exports and the decoded claims, stops the server.
demo: build
	./scripts/demo.sh

# Unit tests and end-to-end tests of the built binary against real loopback servers. The Python
# test servers run from a virtual environment under .build/, put first on PATH; plain `swift test`
# uses the python3 already on PATH.
TEST_VENV := .build/test-venv
test: build test-python
	PATH="$(CURDIR)/$(TEST_VENV)/bin:$$PATH" swift test

test-python: $(TEST_VENV)/.requirements-installed

$(TEST_VENV)/.requirements-installed: Tests/requirements.txt Tests/EndToEndTests/Servers/requirements.txt
	./scripts/test-venv.sh $(TEST_VENV) Tests/requirements.txt
	touch $@

version:
	@echo $(VERSION)

release:
	swift build -c release --scratch-path $(SCRATCH) $(RELEASE_FLAGS)

# --- What an installation holds: the binary, the man page, bash/zsh/fish completions. ----------

STAGE := $(SCRATCH)/stage
BIN := $(SCRATCH)/release/authflow
# What is installed and shipped: the release binary without its symbol table and debug
# information (177 MB on Linux before, 81 MB after).
SHIPPED := $(STAGE)/authflow
MANPAGE := $(STAGE)/authflow.1
COMPLETIONS := $(STAGE)/completions/authflow.bash $(STAGE)/completions/_authflow $(STAGE)/completions/authflow.fish

# swift-argument-parser's generate-manual tool, built on its own from the checked-out dependency:
# its `generate-manual` plugin would first rebuild the whole package in release without the flags above.
GENERATE_MANUAL := $(SCRATCH)/tools/debug/generate-manual
$(GENERATE_MANUAL): | release
	swift build --package-path $(SCRATCH)/checkouts/swift-argument-parser --scratch-path $(SCRATCH)/tools --product generate-manual

$(MANPAGE): $(BIN) $(GENERATE_MANUAL)
	@mkdir -p $(@D)
	$(GENERATE_MANUAL) $(BIN) --output-directory $(@D) --authors 'the authflow authors' \
		--date $$(git log -1 --format=%cs 2>/dev/null || date +%F)

$(STAGE)/completions/authflow.bash: $(BIN)
	@mkdir -p $(@D)
	$(BIN) --generate-completion-script bash > $@
$(STAGE)/completions/_authflow: $(BIN)
	@mkdir -p $(@D)
	$(BIN) --generate-completion-script zsh > $@
$(STAGE)/completions/authflow.fish: $(BIN)
	@mkdir -p $(@D)
	$(BIN) --generate-completion-script fish > $@

# The binary is always handed to SwiftPM, which knows whether it is up to date.
$(BIN): release

$(SHIPPED): $(BIN)
	@mkdir -p $(@D)
	cp $(BIN) $@
	strip $@

# PREFIX and DESTDIR as GNU's conventions have them: `make install PREFIX=$HOME/.local`,
# `make install DESTDIR=/tmp/root PREFIX=/usr` for a package.
install: $(SHIPPED) $(MANPAGE) $(COMPLETIONS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(SHIPPED) $(DESTDIR)$(PREFIX)/bin/authflow
	install -m 644 $(MANPAGE) $(DESTDIR)$(PREFIX)/share/man/man1/authflow.1
	install -m 644 $(STAGE)/completions/authflow.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/authflow
	install -m 644 $(STAGE)/completions/_authflow $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_authflow
	install -m 644 $(STAGE)/completions/authflow.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/authflow.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/authflow $(DESTDIR)$(PREFIX)/share/man/man1/authflow.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/authflow \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_authflow \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/authflow.fish

# --- Release archive: authflow-VERSION-OS-ARCH.tar.gz and its .sha256 -------------------------

DIST_NAME := authflow-$(VERSION)-$(OS)-$(ARCH)
DIST_DIR := $(SCRATCH)/dist
dist: $(SHIPPED) $(MANPAGE) $(COMPLETIONS)
	rm -rf $(DIST_DIR)/$(DIST_NAME) $(DIST_DIR)/$(DIST_NAME).tar.gz $(DIST_DIR)/$(DIST_NAME).tar.gz.sha256
	install -d $(DIST_DIR)/$(DIST_NAME)/completions
	install -m 755 $(SHIPPED) $(DIST_DIR)/$(DIST_NAME)/authflow
	install -m 644 $(MANPAGE) LICENSE $(DIST_DIR)/$(DIST_NAME)/
	install -m 644 packaging/archive-README.md $(DIST_DIR)/$(DIST_NAME)/README.md
	install -m 644 $(COMPLETIONS) $(DIST_DIR)/$(DIST_NAME)/completions/
	tar -C $(DIST_DIR) $(TAR_ROOT) -czf $(DIST_DIR)/$(DIST_NAME).tar.gz $(DIST_NAME)
	cd $(DIST_DIR) && $(SHA256) $(DIST_NAME).tar.gz > $(DIST_NAME).tar.gz.sha256
	@echo "dist: $(DIST_DIR)/$(DIST_NAME).tar.gz"

# --- Debian package, built with dpkg-deb ------------------------------------------------------

deb: $(SHIPPED) $(MANPAGE) $(COMPLETIONS)
	./packaging/debian/build-deb.sh $(VERSION) $(SHIPPED) $(MANPAGE) $(STAGE)/completions $(SCRATCH)/deb
