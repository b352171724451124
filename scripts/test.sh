#!/usr/bin/env bash
# Sets everything up and runs every test of vigil: format check, release build with all
# unit, process and integration tests (ctest), clang-tidy, the same tests built with
# ASan+UBSan, and a short libFuzzer run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# IPVS tests run in a qemu VM (tests/vm): here they must run, never be skipped.
export VIGIL_VM_REQUIRED=1

./scripts/check-format.sh

cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -j2 --timeout 600

# Static analysis on the sources (warnings are errors, see .clang-tidy).
./scripts/clang-tidy.sh build/release

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -j2 --timeout 600

# Fuzzers: built with clang, ASan and UBSan, run briefly from the seed corpus.
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz
