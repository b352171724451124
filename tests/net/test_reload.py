"""Reload (SIGHUP) migrates: an instance whose identity (interface, VRID, family, unicast or
multicast) is unchanged keeps its state and VIPs without a transition; VIPs added or removed
by the new file move alone; an instance removed from the file releases its VIPs."""
import os
import signal
import time

from netlab import MARGIN, InstanceSpec, VIP4, master_down_interval, wait_for

SPEC = InstanceSpec(version=3, advert_int=0.3)
EXTRA_VIP = "192.0.2.101"


def hup(router):
    os.kill(router.proc.pid, signal.SIGHUP)


def reloads(router):
    return router.status()["reloads"]


def steady_pair(make_group):
    g = make_group(("vigild", "vigild"))
    g.configure([SPEC], [200, 100])
    g.start()
    g.wait_owner(g[0], master_down_interval(SPEC.advert_int, 200) + SPEC.advert_int + MARGIN)
    time.sleep(1)
    return g


def test_unchanged_reload_keeps_state_and_vips(make_group):
    g = steady_pair(make_group)
    master, backup = g[0], g[1]
    before = (master.states(), backup.states())
    became = master.status()["vrrp"]["instances"][0]["counters"]["became_master"]
    for r in (master, backup):
        hup(r)
    assert wait_for(lambda: reloads(master) == 1 and reloads(backup) == 1, 10)
    time.sleep(1.5)
    assert (master.states(), backup.states()) == before, g.describe()
    assert g.owners() == [master], g.describe()
    inst = master.status()["vrrp"]["instances"][0]
    assert inst["state"] == "MASTER"
    assert inst["counters"]["became_master"] == became
    assert "removing VIPs" not in master.console(200).split("reload")[-1], master.console()


def test_reload_adds_and_removes_vips_without_transition(make_group):
    g = steady_pair(make_group)
    master = g[0]
    before = master.states()
    bigger = InstanceSpec(version=3, advert_int=0.3, vips=(VIP4, EXTRA_VIP))
    master.configure([(bigger, 200, g.hosts)])
    g[1].configure([(bigger, 100, g.hosts)])
    hup(master)
    hup(g[1])
    assert wait_for(lambda: master.host.has(EXTRA_VIP), 5), g.describe()
    assert master.host.has(VIP4)
    assert master.states() == before, g.describe()
    # Back to one VIP: the extra one goes, the first stays.
    master.configure([(SPEC, 200, g.hosts)])
    g[1].configure([(SPEC, 100, g.hosts)])
    hup(master)
    hup(g[1])
    assert wait_for(lambda: not master.host.has(EXTRA_VIP), 5), g.describe()
    assert master.host.has(VIP4)
    assert master.states() == before, g.describe()
    assert not g[1].host.has(EXTRA_VIP)


def test_priority_change_on_reload_hands_over(make_group):
    g = steady_pair(make_group)
    master, backup = g[0], g[1]
    backup.configure([(SPEC, 250, g.hosts)])
    hup(backup)
    g.wait_owner(backup, master_down_interval(SPEC.advert_int, 250) + 1 + MARGIN)


def test_removed_instance_releases_its_vips(make_group):
    g = steady_pair(make_group)
    master, backup = g[0], g[1]
    other = InstanceSpec(name="VI_2", vrid=52, version=3, advert_int=0.3,
                         vips=("198.51.100.100/24",))
    master.configure([(other, 200, g.hosts)])
    hup(master)
    assert wait_for(lambda: not master.host.has(VIP4), 5), g.describe()
    # The backup takes over the removed instance's VIP (priority 0 sent on removal).
    g.wait_owner(backup, 1 + MARGIN)
