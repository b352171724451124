"""IPv6 VIPs are added as keepalived adds them: without duplicate address detection (NODAD),
so that a new master's VIP is usable at once and never "dadfailed" while the old master still
answers for it (review defect: vigil ran DAD, the VIP stayed tentative for a second after
each takeover, and went dadfailed when the address was still on the link). The lab keeps the
kernel's defaults, DAD on, so this would show."""
import json
import time

import pytest

from conftest import PAIRS, impl_id
from netlab import MARGIN, VIP6, InstanceSpec, master_down_interval, sh, wait_for

ADVERT = 0.3
SPEC = InstanceSpec(name="VI_6", vrid=52, advert_int=ADVERT, family="inet6")


def dad_seconds(host):
    """How long the kernel's duplicate address detection takes on eth0: dad_transmits
    probes, retrans_time_ms apart."""
    def sysctl(name):
        return int(sh("ip", "netns", "exec", host.ns, "sysctl", "-n",
                      "net.ipv6.%s.eth0.%s" % ("neigh" if name == "retrans_time_ms" else "conf",
                                               name)).strip())
    return sysctl("dad_transmits") * sysctl("retrans_time_ms") / 1000.0


def vip_flags(host):
    """The VIP's address entry on eth0 (None when absent)."""
    out = sh("ip", "-n", host.ns, "-j", "-6", "addr", "show", "dev", "eth0", check=False)
    for link in json.loads(out or "[]"):
        for a in link.get("addr_info", []):
            if a.get("local") == VIP6:
                return a
    return None


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_vip_is_never_tentative(make_group, impls):
    g = make_group(impls)
    g.configure([SPEC], [200, 100])
    g.start()
    g.wait_owner(g[0], master_down_interval(ADVERT, 200) + ADVERT + MARGIN, VIP6)
    g.wait_settled(g[0], g[1], instance=SPEC.name)
    new = g[1]
    g[0].kill9()
    # The VIP as the new master adds it, sampled as soon as it appears.
    entry = wait_for(lambda: vip_flags(new.host), master_down_interval(ADVERT, 100) + MARGIN,
                     0.002)
    assert entry, "no takeover\n" + g.describe()
    if new.is_vigil:
        assert entry.get("nodad"), entry
    assert not entry.get("tentative") and not entry.get("dadfailed"), entry


def test_vip_still_on_the_link_is_not_dadfailed(lan, make_group):
    """The old master keeps the address (killed without cleanup, -V, a hung box): the new
    master's copy must still work."""
    g = make_group(("vigild", "vigild"))
    g.configure([SPEC], [200, 100])
    other = lan.add_host("x", 50)
    sh("ip", "-n", other.ns, "addr", "add", VIP6 + "/64", "dev", "eth0", "nodad")
    g.start()
    g.wait_owner(g[0], master_down_interval(ADVERT, 200) + ADVERT + MARGIN, VIP6)
    # An address under DAD fails it after the kernel's DAD time: wait that long (and more).
    time.sleep(dad_seconds(g[0].host) + MARGIN)
    entry = vip_flags(g[0].host)
    assert entry and not entry.get("dadfailed") and not entry.get("tentative"), entry
