#!/usr/bin/env bash
# Sets everything up, builds vigil and shows its main job: two vigild directors share a
# virtual IP on a LAN (network namespaces on this machine); the master is killed with kill -9,
# the backup takes over, clients follow it; the old master comes back and preempts.
#
# VIGIL_DEMO_DAEMON=keepalived runs keepalived 2.2.7 in both roles instead, for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vigild >/dev/null
vigild=$PWD/build/release/src/vigild
daemon=${VIGIL_DEMO_DAEMON:-$vigild}
[ "$daemon" = keepalived ] && daemon=/usr/sbin/keepalived

echo "== vigild -t examples/keepalived.conf (keepalived's configuration language)"
"$vigild" -t -f examples/keepalived.conf && echo "valid"
echo

vip=192.0.2.100
advert=0.5
p=vdemo$$
dir=$(mktemp -d /tmp/vigil-demo.XXXXXX)
declare -A pid=()

cleanup() {
  for r in "${!pid[@]}"; do kill -TERM -- "-${pid[$r]}" 2>/dev/null || true; done
  sleep 0.2
  for r in "${!pid[@]}"; do
    for _ in $(seq 30); do kill -0 -- "-${pid[$r]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 -- "-${pid[$r]}" 2>/dev/null || true
  done
  for ns in r1 r2 c lan; do ip netns del "$p-$ns" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
has_vip() { ip -n "$p-$1" -br addr show dev eth0 | grep -qw "$vip"; }
mac_of() { ip -n "$p-$1" -br link show dev eth0 | awk '{print $3}'; }
state_of() { tail -n1 "$dir/$1.notify" 2>/dev/null | awk '{print $2}'; }
client_arp() { ip -n "$p-c" neigh show "$vip" dev eth0 | awk '{print $3}'; }
arp_is() { [ "$(client_arp)" = "$1" ]; }
r1_alone() { has_vip r1 && ! has_vip r2; }
wait_until() {  # wait_until SECONDS COMMAND...: polls every 10 ms
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do [ "$(now_ms)" -lt "$end" ] || return 1; sleep 0.01; done
}
owner() {
  local o=""
  for r in r1 r2; do has_vip "$r" && o="$o $r"; done
  echo "${o:- nobody}"
}
show() {
  local state vip_text
  for r in r1 r2; do
    state=$(state_of "$r"); vip_text=-
    [ -n "${pid[$r]:-}" ] || state=killed
    if has_vip "$r"; then
      vip_text="holds $vip"
      [ "$state" = killed ] && vip_text="$vip left on eth0 by the crash"
    fi
    printf '   %s  %-7s %s  %s\n' "$r" "$state" "$(mac_of "$r")" "$vip_text"
  done
}

echo "== a LAN: bridge br0, directors r1 (priority 200) and r2 (priority 100), a client"
ip netns add "$p-lan"
ip -n "$p-lan" link add br0 type bridge
ip -n "$p-lan" link set br0 up
i=0
for h in r1 r2 c; do
  i=$((i + 1)); n=$i; [ "$h" = c ] && n=200
  ip netns add "$p-$h"
  ip -n "$p-lan" link add "v$h" type veth peer name eth0 netns "$p-$h"
  ip -n "$p-lan" link set "v$h" master br0 up
  ip -n "$p-$h" link set lo up
  ip -n "$p-$h" link set eth0 up
  ip -n "$p-$h" addr add "192.0.2.$n/24" dev eth0
done

start() {  # start r1|r2 PRIORITY
  cat >"$dir/$1.notify.sh" <<EOF
#!/bin/sh
echo "\$2 \$3" >> $dir/$1.notify
EOF
  chmod +x "$dir/$1.notify.sh"
  cat >"$dir/$1.conf" <<EOF
global_defs {
    script_user root
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 51
    priority $2
    advert_int $advert
    virtual_ipaddress {
        $vip
    }
    notify $dir/$1.notify.sh
}
EOF
  setsid "$daemon" -n -l -D -G -s "$p-$1" -f "$dir/$1.conf" -p "$dir/$1.pid" \
    -r "$dir/$1.vrrp.pid" -c "$dir/$1.checker.pid" >>"$dir/$1.log" 2>&1 </dev/null &
  pid[$1]=$!
  disown "$!"
}

fail() {
  echo "demo failed: $*" >&2
  for r in r1 r2; do echo "--- $r log:" >&2; tail -n 20 "$dir/$r.log" >&2 || true; done
  exit 1
}

echo "   starting $(basename "$daemon") in r1 and r2 (VRRPv3, advert_int ${advert}s, VIP $vip)"
start r1 200
start r2 100
wait_until 10 has_vip r1 || fail "r1 did not become master"
sleep 0.5
echo
echo "== election: the higher priority owns the VIP"
show
echo
echo "== the client reaches the VIP"
ip netns exec "$p-c" ping -n -c 3 -i 0.2 -W 1 "$vip" | grep -E "packets transmitted"
echo "   client's ARP entry for $vip: $(client_arp)  (r1 is $(mac_of r1))"
echo
echo "== kill -9 of r1's daemon (its whole process group: a crash)"
t0=$(now_ms)
kill -9 -- "-${pid[r1]}"
unset 'pid[r1]'
wait_until 10 has_vip r2 || fail "r2 did not take over"
t1=$(now_ms)
echo "   r2 took over after $((t1 - t0)) ms (Master_Down_Interval: 3 x ${advert}s + skew)"
wait_until 2 arp_is "$(mac_of r2)" || true
show
echo "   client's ARP entry for $vip: $(client_arp)  (r2 is $(mac_of r2), from its gratuitous ARPs)"
ip netns exec "$p-c" ping -n -c 3 -i 0.2 -W 1 "$vip" | grep -E "packets transmitted"
echo
echo "== r1 comes back with the higher priority and preempts"
t0=$(now_ms)
start r1 200
wait_until 10 r1_alone || fail "r1 did not preempt"
t1=$(now_ms)
echo "   r1 owns the VIP again $((t1 - t0)) ms after its start"
wait_until 2 arp_is "$(mac_of r1)" || true
sleep 0.3
show
echo "   client's ARP entry for $vip: $(client_arp)  (r1 is $(mac_of r1))"
echo
echo "== done: VIP owner:$(owner); namespaces and processes are removed on exit"
