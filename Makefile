# The two commands a newcomer needs: `make demo` (the quick start) and `make test`.
.PHONY: demo test build release

build:
	swift build

# Builds authflow, starts `authflow serve` on a free port, gets a token with
# examples/authflow.yaml, shows the exports and the decoded claims, stops the server.
demo: build
	./scripts/demo.sh

# Unit tests and end-to-end tests of the built binary against real loopback servers.
test: build
	swift test

release:
	swift build -c release --static-swift-stdlib -Xlinker -no-pie
