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
    g.wait_settled(g[0], g[1])
    return g


def test_unchanged_reload_keeps_state_and_vips(make_group):
    g = steady_pair(make_group)
    master, backup = g[0], g[1]
    before = (master.states(), backup.states())
    became = master.status()["vrrp"]["instances"][0]["counters"]["became_master"]
    for r in (master, backup):
        hup(r)
    assert wait_for(lambda: reloads(master) == 1 and reloads(backup) == 1, 10)
    # A transition the reload caused would come within the backup's Master_Down_Interval.
    time.sleep(master_down_interval(SPEC.advert_int, 100))
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


def test_three_reloads_removing_and_changing_instances(make_group):
    """Review defect: from the second SIGHUP on, removing an instance or changing its VRID read
    the freed configuration; the worker aborted, every VIP went and every instance restarted
    in BACKUP. Three rounds of removing one instance and changing another's VRID: the worker
    survives (under ASan too) and the untouched instance never moves."""
    g = make_group(("vigild", "vigild"))
    second = InstanceSpec(name="VI_2", vrid=52, version=3, advert_int=0.3,
                          vips=("198.51.100.100/24",))
    third = InstanceSpec(name="VI_3", vrid=53, version=3, advert_int=0.3,
                         vips=("203.0.113.100/24",))
    moved = InstanceSpec(name="VI_3", vrid=63, version=3, advert_int=0.3,
                         vips=("203.0.113.100/24",))
    g.configure([SPEC, second, third], [200, 100])
    g.start()
    master = g[0]
    g.wait_owner(master, master_down_interval(SPEC.advert_int, 200) + SPEC.advert_int + MARGIN)
    worker = master._read_pid(1)
    before = master.states("VI_1")
    for n in range(3):
        master.configure([(SPEC, 200, g.hosts), (moved, 200, g.hosts)])
        hup(master)
        assert wait_for(lambda: reloads(master) == 2 * n + 1, 10), g.describe()
        assert wait_for(lambda: not master.host.has("198.51.100.100"), 5), g.describe()
        master.configure([(SPEC, 200, g.hosts), (second, 200, g.hosts), (third, 200, g.hosts)])
        hup(master)
        assert wait_for(lambda: reloads(master) == 2 * n + 2, 10), g.describe()
        assert wait_for(lambda: master.host.has("198.51.100.100"), 5), g.describe()
    assert master._read_pid(1) == worker, "the VRRP worker restarted\n" + master.console()
    assert master.states("VI_1") == before, g.describe()
    assert g.owners() == [master], g.describe()
