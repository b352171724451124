#!/bin/sh
# Regenerates docs/compatibility.md from the keyword tables (after a release build).
set -eu
cd "$(dirname "$0")/.."
cmake --build --preset release --target test_config_cross
VIGIL_WRITE_COMPATIBILITY=1 build/release/tests/test_config_cross \
    --gtest_filter=KeywordCatalogue.CompatibilityDocIsCurrent
echo "docs/compatibility.md updated"
