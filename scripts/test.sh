#!/usr/bin/env bash
# Sets everything up and runs every test of vigil: format check, release build with all
# unit, process and integration tests (ctest), clang-tidy, the same tests built with
# ASan+UBSan, and a short libFuzzer run of every fuzz target. Prints how long each stage
# took at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
stage() {  # stage NAME CMD...: runs CMD, records its duration
    local name=$1 start=$SECONDS
    shift
    echo "=== $name"
    "$@"
    stages+=("$(printf '%-28s %5d s' "$name" $((SECONDS - start)))")
}
report() {
    echo "=== stage times"
    printf '%s\n' "${stages[@]}"
    printf '%-28s %5d s\n' "total" "$SECONDS"
}
trap report EXIT

stage "setup (apt)" ./scripts/setup.sh
# IPVS tests run in a qemu VM (tests/vm): here they must run, never be skipped.
export VIGIL_VM_REQUIRED=1

stage "format check" ./scripts/check-format.sh

stage "release: configure" cmake --preset release
stage "release: build" cmake --build --preset release
stage "release: tests" ctest --preset release -j2 --timeout 600

# Static analysis on the sources (warnings are errors, see .clang-tidy).
stage "clang-tidy" ./scripts/clang-tidy.sh build/release

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer (no benchmarks).
stage "asan: configure" cmake --preset asan
stage "asan: build" cmake --build --preset asan
stage "asan: tests" ctest --preset asan -j2 --timeout 600

# Fuzzers: built with clang, ASan and UBSan, run briefly from the seed corpus.
stage "fuzz: configure" cmake --preset fuzz
stage "fuzz: build" cmake --build --preset fuzz
stage "fuzz: run" ctest --preset fuzz -j2
