#!/usr/bin/env bash
# Differential test against Debian's keepalived 2.2.7: every configuration that keepalived
# accepts, vigild -t must accept too. The configurations are keepalived's own samples and
# the corpus in tests/data/configs (realistic configurations covering most keywords). Both run in a network namespace of their own
# holding interfaces eth0..eth3 (veth pairs), so keepalived's interface checks pass and only
# the configuration itself decides. Samples keepalived rejects are listed with the reason,
# and vigild must agree where that reason is a configuration error.
#
# usage: keepalived_samples_test.sh VIGILD [CORPUS_DIR]
set -uo pipefail
vigild=$(realpath "$1")
samples=/usr/share/doc/keepalived/samples
corpus=$(realpath "${2:-$(dirname "$0")/../data/configs}")
ns="vigil-samples-$$"

if [ "$(id -u)" -ne 0 ] || ! command -v keepalived >/dev/null; then
  echo "SKIP: needs root and keepalived"; exit 77
fi
ip netns add "$ns"
# keepalived -t saves a copy of a configuration that sets config_save_dir (corpus file 22).
trap 'ip netns del "$ns" 2>/dev/null; rm -rf /tmp/keepalived-config-history' EXIT
ip -n "$ns" link add eth0 type veth peer name eth1
ip -n "$ns" link add eth2 type veth peer name eth3
for i in 0 1 2 3; do ip -n "$ns" link set "eth$i" up; done

# Samples keepalived rejects, and whether the reason is a real error in the file (vigild
# must reject it too), a keepalived-specific complaint vigil reports as a warning, or an exit
# code vigild must give too.
declare -A expect_vigil=(
  [keepalived.conf.SSL_GET]=accept           # state MASTER with AH auth: keepalived clears state
  [keepalived.conf.conditional_conf]=accept  # with -i main: vrrp_script without script,
                                             # tracked: removed and ignored, with warnings
  [keepalived.conf.fwmark]=accept            # protocol given for a fwmark service: ignored
  [keepalived.conf.track_interface]=accept   # eth0.1 missing; untracked routes: warnings
  [keepalived.conf.vrrp.localcheck]=6        # killall as root without script security
  [keepalived.conf.vrrp.lvs_syncd]=accept    # stray words, deprecated keyword: warnings
  [keepalived.conf.vrrp.routes]=accept       # deprecated "or"/"gw", untracked routes: warnings
  [keepalived.conf.vrrp.rules]=accept        # invalid addresses 192.168.100./24: the two
                                             # rules are skipped, with warnings
  [keepalived.conf.vrrp.static_ipaddress]=accept  # untracked route: warning
)

pass=0
fail=0
check() {  # FILE: run both from the file's directory (relative includes), config id "main"
  local f=$1 name k v out want
  name=$(basename "$f")
  cd "$(dirname "$f")" || return
  ip netns exec "$ns" keepalived -t -i main -f "$f" >/dev/null 2>&1
  k=$?
  out=$(ip netns exec "$ns" "$vigild" -t -i main -f "$f" 2>&1)
  v=$?
  cd - >/dev/null || return
  want=${expect_vigil[$name]:-}
  if [ $k -eq 0 ]; then want=accept; fi
  if [ -z "$want" ]; then
    echo "FAIL $name: keepalived exit $k, and no expectation recorded for vigild"
    fail=$((fail + 1))
    return
  fi
  if { [ "$want" = accept ] && [ $v -eq 0 ]; } || { [ "$want" = reject ] && [ $v -ne 0 ]; } ||
     [ "$want" = "$v" ]; then
    echo "ok   $name (keepalived $k, vigild $v)"
    pass=$((pass + 1))
  else
    echo "FAIL $name: keepalived exit $k, vigild exit $v, expected vigild to $want"
    echo "$out" | sed 's/^/     /'
    fail=$((fail + 1))
  fi
}
for f in "$samples"/keepalived.conf.* "$corpus"/*.conf; do
  check "$f"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
