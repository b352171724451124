"""Scenario 8: three routers through partitions and heals (bridge port detached, bridge filter
dropping a port's traffic, short link flaps): ten fixed cycles with keepalived in the group,
twenty random ones (seeded, the seed printed) among three vigild. After each heal exactly one router, the
highest, owns the VIP within Master_Down_Interval plus the margin, and the client's existing
ARP entry for the VIP, refreshed only by the routers' gratuitous ARPs, points at it.

keepalived 2.2.7 as the winner does not re-announce the VIP after a heal and leaves clients'
ARP entries stale, so this runs with vigild as the highest priority only."""
import os
import random
import time

import pytest

from netlab import MARGIN, VIP4, InstanceSpec, master_down_interval, wait_for

ADVERT = 0.3
SPEC = InstanceSpec(advert_int=ADVERT)
SPLIT = master_down_interval(ADVERT, 100) + 0.3  # long enough for the rest to re-elect
FLAP = 0.3  # shorter than any Master_Down_Interval here
# (how, router index): router 0 is the master, the one whose loss moves the VIP.
CYCLES = [("detach", 0), ("filter", 0), ("flap", 0), ("detach", 1), ("filter", 0),
          ("flap", 0), ("detach", 0), ("filter", 1), ("flap", 1), ("detach", 0)]


def random_cycles(n):
    """`n` random cycles; VIGIL_NET_SEED repeats a run."""
    seed = int(os.environ.get("VIGIL_NET_SEED", random.randrange(1 << 30)))
    print("partition cycles: VIGIL_NET_SEED=%d" % seed)
    rng = random.Random(seed)
    return [(rng.choice(["detach", "filter", "flap"]), rng.choice([0, 0, 1])) for _ in range(n)]


# After a heal two masters meet. If the higher one's advert arrives first, the lower one
# steps down silently and the client keeps the lower one's MAC from its last GARPs, unless
# the lower one sends one more advert before stepping down (higher_prio_send_advert) so that
# the winner re-announces (garp_lower_prio_*; keepalived repeats that only once per 5 s by
# default). keepalived's defaults leave the client's ARP entry stale: these are its options
# for this, and vigild reads them the same way.
HEAL_GLOBALS = ["vrrp_higher_prio_send_advert true", "vrrp_garp_lower_prio_delay 0"]


def split(lan, how, host):
    if how == "detach":
        lan.detach(host)
    elif how == "filter":
        lan.block(host)
    else:
        lan.port_down(host)


def heal(lan, how, host):
    if how == "detach":
        lan.attach(host)
    elif how == "filter":
        lan.unblock_all()
    else:
        lan.port_up(host)


@pytest.mark.parametrize("impls,cycles", [
    (("vigild", "vigild", "vigild"), random_cycles(20)),
    (("vigild", "keepalived", "keepalived"), CYCLES)], ids=["vigild-vigild-vigild",
                                                            "vigild-keepalived-keepalived"])
def test_split_and_heal(lan, make_group, impls, cycles):
    g = make_group(impls)
    client = lan.add_client()
    g.configure([SPEC], [200, 150, 100], HEAL_GLOBALS)
    g.start()
    r1 = g[0]
    g.wait_owner(r1, master_down_interval(ADVERT, 200) + ADVERT + MARGIN)
    # The client's one and only resolution of the VIP; from here on only GARPs update it.
    assert client.ping(VIP4), g.describe()
    assert client.neigh_lladdr(VIP4) == r1.host.mac

    deadline = master_down_interval(ADVERT, 200) + MARGIN
    for n, (how, index) in enumerate(cycles, 1):
        host = g[index].host
        split(lan, how, host)
        time.sleep(FLAP if how == "flap" else SPLIT)
        if how != "flap" and index == 0:
            # r1 cut off: the others must have elected r2, and told the client.
            assert wait_for(lambda: g[1].host.has(VIP4), MARGIN), (
                "cycle %d (%s): r2 did not take over\n%s" % (n, how, g.describe()))
        heal(lan, how, host)
        healed = time.monotonic()
        g.wait_owner(r1, deadline)
        mac = wait_for(lambda: client.neigh_lladdr(VIP4) == r1.host.mac,
                       deadline - (time.monotonic() - healed))
        assert mac, "cycle %d (%s r%d): client's ARP entry for %s is %s, r1 is %s\n%s" % (
            n, how, index + 1, VIP4, client.neigh_lladdr(VIP4), r1.host.mac, g.describe())
        print("cycle %d (%s r%d): healed in %.3fs" % (n, how, index + 1,
                                                     time.monotonic() - healed))
        # Stable for a moment before the next cut.
        stable = not wait_for(lambda: g.owners() != [r1], 2 * ADVERT)
        assert stable, "cycle %d: ownership flapped after the heal\n%s" % (n, g.describe())


@pytest.mark.parametrize("impls", [("vigild", "vigild"), ("keepalived", "vigild")],
                         ids=["vigild-vigild", "keepalived-vigild"])
def test_master_hearing_a_lower_master_tells(lan, make_group, workdir, impls):
    """notify_master_rx_lower_pri: after a heal, the higher master hears the lower one and
    runs the script, and its notify FIFO says MASTER_RX_LOWER_PRI with its own priority, as
    keepalived 2.2.7 does (it runs as r1 in the second case, for the reference)."""
    marker = os.path.join(workdir, "rx_lower_pri")
    spec = InstanceSpec(advert_int=ADVERT, extra=(
        "notify_master_rx_lower_pri \"/bin/sh -c 'echo x >> %s'\"" % marker,))
    g = make_group(impls)
    g.configure([spec], [200, 100], HEAL_GLOBALS)
    g.start()
    r1, r2 = g[0], g[1]
    g.wait_owner(r1, master_down_interval(ADVERT, 200) + ADVERT + MARGIN)
    lan.detach(r1.host)
    assert wait_for(lambda: r2.host.has(VIP4), SPLIT + MARGIN), g.describe()
    lan.attach(r1.host)
    g.wait_owner(r1, master_down_interval(ADVERT, 200) + MARGIN)
    assert wait_for(lambda: r1.events(words=("MASTER_RX_LOWER_PRI",)), MARGIN), g.describe()
    assert wait_for(lambda: os.path.exists(marker), MARGIN), g.describe()
    with open(r1.notify_log) as f:
        assert 'VI_1 MASTER_RX_LOWER_PRI 200' in f.read()
    assert not r2.events(words=("MASTER_RX_LOWER_PRI",))
