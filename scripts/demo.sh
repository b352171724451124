#!/usr/bin/env bash
# Sets everything up, builds vigil and shows what it does today: vigild checks a
# keepalived.conf (keepalived's own sample configurations included) and dumps its model.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vigild >/dev/null
vigild=build/release/src/vigild

echo "== vigild -t on examples/keepalived.conf"
"$vigild" -t -f examples/keepalived.conf && echo "valid"
echo
echo "== vigild -t on keepalived's sample configurations"
echo "   (5: errors, as keepalived -t finds in the same files; 6: scripts would run as root"
echo "   without enable_script_security, keepalived's exit 6 too)"
for f in /usr/share/doc/keepalived/samples/keepalived.conf.*; do
  "$vigild" -t -i main -f "$f" >/dev/null 2>&1
  printf 'exit %d  %s\n' $? "$f"
done
echo
echo "== a broken configuration: the error names file:line:column"
broken=$(mktemp --suffix=.conf)
trap 'rm -f "$broken"' EXIT
printf 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 300\n}\n' >"$broken"
"$vigild" -t -f "$broken" || echo "(exit code $?)"
echo
echo "== vigild -d: the parsed model"
"$vigild" -t -d -f examples/keepalived.conf
