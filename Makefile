# The two commands a newcomer needs: `make demo` (the quick start) and `make test`.
.PHONY: demo test build release test-python

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

release:
	swift build -c release --static-swift-stdlib -Xlinker -no-pie
