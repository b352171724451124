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
# together NAME1 FN1 NAME2 FN2: runs the functions FN1 and FN2 at the same time (the test
# runs wait on protocol timers much of the time: the CPU-bound stage beside them uses it).
# FN1's output streams; FN2's is shown once both have ended.
together() {
    local out start=$SECONDS rc1=0 rc2=0
    out=$(mktemp)
    echo "=== $1 (with $3 beside it)"
    (
        s=$SECONDS
        rc=0
        "$4" || rc=$?
        echo "$((SECONDS - s))" >"$out.took"
        exit $rc
    ) >"$out" 2>&1 &
    local pid=$!
    "$2" || rc1=$?
    stages+=("$(printf '%-28s %5d s' "$1" $((SECONDS - start)))")
    wait "$pid" || rc2=$?
    echo "=== $3"
    cat "$out"
    stages+=("$(printf '%-28s %5d s' "$3" "$(cat "$out.took")")")
    rm -f "$out" "$out.took"
    [ "$rc1" -eq 0 ] || return "$rc1"
    return "$rc2"
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

release_tests() { ctest --preset release -j2 --timeout 900; }
tidy() { ./scripts/clang-tidy.sh build/release; }
asan_tests() { ctest --preset asan -j2 --timeout 900; }
# Fuzzers: built with clang, ASan and UBSan, run briefly from the seed corpus.
fuzz() { cmake --preset fuzz && cmake --build --preset fuzz && ctest --preset fuzz -j2; }

stage "release: configure" cmake --preset release
stage "release: build" cmake --build --preset release
# Static analysis on the sources (warnings are errors, see .clang-tidy) beside the tests.
together "release: tests" release_tests "clang-tidy" tidy

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer (no benchmarks).
stage "asan: configure" cmake --preset asan
stage "asan: build" cmake --build --preset asan
together "asan: tests" asan_tests "fuzz: build and run" fuzz
