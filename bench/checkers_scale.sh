#!/usr/bin/env bash
# The checker worker at scale: 1,000 real servers, each with a TCP_CHECK and an HTTP_GET at
# delay_loop 1 s, against one nginx listening on 1,000 ports (4 addresses x 250) in a network
# namespace; vigild -C in another. Reports the worker's CPU seconds and peak RSS over a 60 s
# window (bench/checkers_scale.py; options: --real-servers N --seconds S --warmup S).
# Run as root from anywhere after a release build; results go to docs/benchmarks.md by hand.
# keepalived cannot be measured beside it here: its checker process needs IPVS, which this
# kernel lacks (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then echo "needs root (network namespaces)" >&2; exit 77; fi
export VIGILD=${VIGILD:-$PWD/build/release/src/vigild}
[ -x "$VIGILD" ] || { echo "no $VIGILD: build the release preset first" >&2; exit 1; }
# 1,000 listening sockets in nginx and up to 2,000 probes in flight in vigild.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec /usr/bin/python3 bench/checkers_scale.py "$@"
