"""Scenario 7: after a takeover the new master announces itself on the wire: a gratuitous
ARP (sender and target IP the VIP, sender MAC its eth0's) and an unsolicited neighbour
advertisement for the IPv6 VIP with the override flag, seen by the client within 1 s of the
takeover; the client's existing ARP entry for the VIP moves to the new master."""
import time

import pytest

from conftest import PAIRS, impl_id
from netlab import (MARGIN, VIP4, VIP6, InstanceSpec, Sniffer, master_down_interval,
                    wait_for)
from scapy.layers.inet6 import ICMPv6ND_NA, IPv6
from scapy.layers.l2 import ARP, Ether

ADVERT = 0.3
SPECS = [InstanceSpec(name="VI_1", vrid=51, advert_int=ADVERT),
         InstanceSpec(name="VI_6", vrid=52, advert_int=ADVERT, family="inet6")]


def garps(frames, mac):
    """Arrival times of gratuitous ARPs for VIP4 from `mac`."""
    out = []
    for t, data in frames:
        p = Ether(data)
        if ARP in p and p[ARP].psrc == VIP4 and p[ARP].pdst == VIP4 and \
                p[ARP].hwsrc == mac and p[Ether].src == mac:
            out.append(t)
    return out


def unsolicited_nas(frames, mac):
    """Arrival times of neighbour advertisements for VIP6 with the override flag from `mac`."""
    out = []
    for t, data in frames:
        p = Ether(data)
        if IPv6 in p and ICMPv6ND_NA in p and p[ICMPv6ND_NA].tgt == VIP6 and \
                p[ICMPv6ND_NA].O == 1 and p[Ether].src == mac:
            out.append(t)
    return out


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_takeover_announced(lan, make_group, impls):
    g = make_group(impls)
    client = lan.add_client()
    g.configure(SPECS, [200, 100])
    g.start()
    old, new = g[0], g[1]
    g.wait_owner(old, master_down_interval(ADVERT, 200) + ADVERT + MARGIN)
    g.wait_owner(old, MARGIN, VIP6)
    assert client.ping(VIP4), g.describe()
    assert client.neigh_lladdr(VIP4) == old.host.mac

    sniffer = Sniffer(client.ns)
    try:
        old.terminate(wait=False)
        assert wait_for(lambda: new.host.has(VIP4) and new.host.has(VIP6), 1 + MARGIN,
                        0.005), "no takeover\n" + g.describe()
        took_over = time.monotonic()
        wait_for(lambda: garps(sniffer.frames, new.host.mac) and
                 unsolicited_nas(sniffer.frames, new.host.mac), 1.0, 0.05)
    finally:
        frames = sniffer.stop()
    arp_times = garps(frames, new.host.mac)
    na_times = unsolicited_nas(frames, new.host.mac)
    assert arp_times and arp_times[0] - took_over <= 1.0, (
        "no gratuitous ARP for %s from %s within 1 s (%d frames seen)\n%s" % (
            VIP4, new.host.mac, len(frames), g.describe()))
    assert na_times and na_times[0] - took_over <= 1.0, (
        "no unsolicited NA for %s from %s within 1 s\n%s" % (VIP6, new.host.mac, g.describe()))
    assert wait_for(lambda: client.neigh_lladdr(VIP4) == new.host.mac, MARGIN), (
        "client's ARP entry: %s\n%s" % (client.neigh_lladdr(VIP4), g.describe()))
