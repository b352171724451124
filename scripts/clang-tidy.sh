#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy, warnings are errors) on vigil's sources, using the
# compile_commands.json of the given build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
mapfile -t files < <(git ls-files 'src/*.cpp')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# clang cannot read GCC's precompiled headers: drop the PCH include from each command.
/usr/bin/python3 - "$build/compile_commands.json" "$work/compile_commands.json" <<'PY'
import json, re, sys
cmds = json.load(open(sys.argv[1]))
for c in cmds:
    c["command"] = re.sub(r"-Winvalid-pch|-include \S*cmake_pch\.hxx", "", c["command"])
json.dump(cmds, open(sys.argv[2], "w"))
PY
# GCC-only warning flags are unknown to clang: ignore them.
if ! printf '%s\n' "${files[@]}" | xargs -P 2 -n 4 clang-tidy -p "$work" --quiet \
     --extra-arg=-Wno-unknown-warning-option >"$work/log" 2>&1; then
  grep -v 'warnings generated' "$work/log" >&2
  echo "clang-tidy: failed" >&2
  exit 1
fi
echo "clang-tidy: ${#files[@]} files clean"
