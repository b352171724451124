"""Scenario 6: malformed adverts from an attacker on the LAN. Each carries a priority above
the master's, so that accepting it would make the master step down: each must be dropped
(no VIP moves, no transition is notified) and, on vigild, counted under its reason in the
JSON status. A last, valid higher-priority advert does make the master go BACKUP, which
proves the test can tell."""
import time

import pytest

from conftest import PAIRS, impl_id
from netlab import (MARGIN, VIP4, InstanceSpec, master_down_interval, packet_socket,
                    rx_error_count, wait_for)
from vrrp_packets import frame4, v2_payload

PASSWORD = "vigilpw"
SPEC = InstanceSpec(version=2, advert_int=1, auth_pass=PASSWORD)
VRID = SPEC.vrid
HIGH = 254


def good(**kw):
    args = dict(vrid=VRID, priority=HIGH, addresses=[VIP4], auth_pass=PASSWORD)
    args.update(kw)
    return v2_payload(**args)


# (case, payload, TTL, the reason vigild counts). Reason "rx_unknown_vrid" is the worker-wide
# counter of adverts for a VRID no instance has.
CASES = [
    ("ttl", good(), 64, "ttl"),
    ("bad-checksum", good(csum=0x1234), 255, "bad_checksum"),
    ("bad-checksum-priority-255", good(priority=255, csum=0xbeef), 255, "bad_checksum"),
    ("version-4", good(version=4), 255, "bad_version"),
    ("type-2", good(type_=2), 255, "bad_type"),
    ("unknown-vrid", good(vrid=VRID + 48), 255, "rx_unknown_vrid"),
    ("wrong-password", good(auth_pass="intruder"), 255, "auth_failure"),
    ("wrong-interval", good(advert_int=2), 255, "interval_mismatch"),
    ("bad-length", good(extra=b"\0" * 4), 255, "bad_length"),
    ("count-2-of-1", good(count=2), 255, "bad_length"),
    ("truncated", good()[:6], 255, "too_short"),
    ("count-255-short", good(count=255), 255, "bad_length"),
]


def counters(router):
    status = router.status()
    out = {}
    for _, _, _, reason in CASES:
        if reason == "rx_unknown_vrid":
            out[reason] = status.get("vrrp", {}).get("rx_unknown_vrid", 0)
        else:
            out[reason] = rx_error_count(status, reason)
    return out


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_malformed_adverts_are_dropped(lan, make_group, impls):
    g = make_group(impls)
    attacker = lan.add_attacker()
    g.configure([SPEC], [200, 100])
    g.start()
    master, backup = g[0], g[1]
    g.wait_owner(master, master_down_interval(1, 200, 2) + 1 + MARGIN)
    assert wait_for(lambda: backup.last_state() == "BACKUP", MARGIN), g.describe()
    before = {r: counters(r) for r in g if r.is_vigil}
    notified = {r: r.states() for r in g}

    sock = packet_socket(attacker.ns)
    try:
        expected = {}
        for _, payload, ttl, reason in CASES:
            sock.send(frame4(attacker.mac, attacker.ip4, payload, ttl=ttl))
            expected[reason] = expected.get(reason, 0) + 1
            time.sleep(0.05)
        # Accepting any of them would have made the master step down at once.
        moved = wait_for(lambda: g.owners() != [master], 1.5)
        assert not moved, "a malformed advert moved the VIP\n" + g.describe()
        for r in g:
            assert r.states() == notified[r], "%r changed state\n%s" % (r, g.describe())
        for r, base in before.items():
            after = counters(r)
            delta = {k: after[k] - base[k] for k in after}
            assert delta == expected, "%r counted %s, expected %s\n%s" % (
                r, delta, expected, r.describe())

        # The control: one valid advert from a higher priority, and the master yields.
        sock.send(frame4(attacker.mac, attacker.ip4, good()))
        assert wait_for(lambda: not master.host.has(VIP4), 1 + MARGIN), (
            "a valid higher-priority advert did not move the master\n" + g.describe())
        assert wait_for(lambda: master.last_state() == "BACKUP", MARGIN), g.describe()
    finally:
        sock.close()
