#!/usr/bin/env bash
# Builds the libFuzzer executable and fuzzes each target for MINUTES minutes (default 5).
#
#   fuzz/run.sh [MINUTES] [TARGET...]        targets: profile token-response jwt shell-quoting git-credential
#
# Seeds come from fuzz/corpus/TARGET (read only); inputs libFuzzer finds interesting go to
# .build-fuzz/corpus/TARGET and survive between runs. A crash or broken property stops that
# target and is saved as fuzz/crashes/TARGET/crash-*: commit it with the fix, and `swift test`
# replays it from then on. Extra libFuzzer flags: FUZZ_ARGS="-jobs=2 -workers=2" fuzz/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-5}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(profile token-response jwt shell-quoting git-credential json)

# FUZZ_NO_BUILD=1 skips the build, e.g. for a second run.sh fuzzing other targets in parallel.
[ "${FUZZ_NO_BUILD:-}" = 1 ] || ./fuzz/build.sh >&2
binary=.build-fuzz/debug/AuthFlowFuzzer

max_len() {
    case "$1" in
        profile) echo 16384 ;;   # real profile files are a few KiB; the loader's own cap is 1 MiB
        *) echo 4096 ;;
    esac
}

summary=()
status=0
for target in "${targets[@]}"; do
    mkdir -p ".build-fuzz/corpus/$target" "fuzz/crashes/$target"
    log=".build-fuzz/$target.log"
    echo "== $target: $minutes min" >&2
    set +e
    # ASAN_OPTIONS: Swift's runtime allocates in ways LeakSanitizer misreports; leaks are not what we hunt.
    # SWIFT_BACKTRACE: Swift's own crash reporter would read memory ASan has poisoned.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$binary" "--target=$target" \
        -max_total_time=$((minutes * 60)) -max_len="$(max_len "$target")" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -timeout=20 -dict="fuzz/dict/$target.dict" -artifact_prefix="fuzz/crashes/$target/" -print_final_stats=1 \
        ${FUZZ_ARGS:-} ".build-fuzz/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1
    code=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    if [ "$code" -eq 0 ]; then
        result="no crash"
    else
        status=1
        result="FAILED (exit $code): $(grep -o 'Test unit written to .*' "$log" | tail -1 || echo "see $log")"
        grep -m1 -E 'authflow-fuzz: .* property violated|ERROR: AddressSanitizer|Fatal error|ERROR: libFuzzer' "$log" >&2 || true
    fi
    summary+=("$(printf '%-15s %10s execs  %6s exec/s  %-9s  %s' "$target" "$runs" "$speed" "$cov" "$result")")
done

echo
printf '%s\n' "${summary[@]}"
exit $status
