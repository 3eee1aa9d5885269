#!/usr/bin/env bash
# Builds the libFuzzer executable (ASan + libFuzzer) in its own scratch path, .build-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
export AUTHFLOW_FUZZ=1
exec swift build -c debug --scratch-path .build-fuzz --product AuthFlowFuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library "$@"
