#!/usr/bin/env bash
# Side by side: time and peak memory of `keepalived -t` and `vigild -t` on the same generated
# configuration (100 virtual servers x 100 real servers with TCP_CHECK = 10,000 real servers),
# plus vigil's in-process parse time. Run from the repository root after a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
conf=$(mktemp --suffix=.conf)
trap 'rm -f "$conf"' EXIT
"$build/bench/bench_config_parse" --print 100 100 >"$conf"
echo "config: $(wc -l <"$conf") lines, $(grep -c real_server "$conf") real servers"
"$build/bench/bench_config_parse" 100 100 5
measure() {  # name command...
  local name=$1; shift
  local best=
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o /tmp/vigil-bench-time "$@" >/dev/null 2>&1 || true
    read -r secs kb </tmp/vigil-bench-time
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_kb=$kb; fi
  done
  printf '%-22s best of 3: %6.3f s wall, %7d KiB peak RSS\n' "$name" "$best" "$best_kb"
}
measure "keepalived -t" keepalived -t -f "$conf"
measure "vigild -t" "$build/src/vigild" -t -f "$conf"
