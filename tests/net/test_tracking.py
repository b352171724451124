"""Tracking on a real network, against keepalived 2.2.7 both ways: a vrrp_script checking a
real service (a TCP listener), track_interface, track_file and vrrp_track_process move the
effective priority or put the instance in FAULT, and the VIP moves as it does with keepalived.

keepalived (measured): a master whose priority drops keeps MASTER until the backup, which now
discards its lower priority adverts, sees Master_Down_Interval run out (RFC 5798 6.4.2); the
same when the old master's priority rises again and it preempts back."""
import os
import signal
import subprocess
import time

import pytest

from conftest import PAIRS, impl_id
from netlab import (MARGIN, VIP4, InstanceSpec, instance_status, master_down_interval, sh,
                    wait_for)

ADVERT = 0.3
PORT = 8080
HIGH, LOW, DROP = 150, 100, 100  # r1 falls to 50 while its service is down


def service_check(r):
    return ("vrrp_script chk_service {\n"
            "    script \"/usr/bin/socat -T1 /dev/null TCP:127.0.0.1:%d,connect-timeout=1\"\n"
            "    interval 1\n"
            "    timeout 2\n"
            "    weight -%d\n"
            "}\n" % (PORT, DROP))


class Service:
    """A real TCP service in a router's namespace (socat answering on PORT)."""

    def __init__(self, host):
        self.host = host
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.host.ns, "socat",
             "TCP-LISTEN:%d,fork,reuseaddr" % PORT, "SYSTEM:echo ok"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(self.up, 10), "the service does not listen"

    def up(self):
        return subprocess.run(["ip", "netns", "exec", self.host.ns, "socat", "-T1", "/dev/null",
                               "TCP:127.0.0.1:%d,connect-timeout=1" % PORT],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_script_tracked_service_moves_the_vip(make_group, impls):
    g = make_group(impls)
    r1, r2 = g[0], g[1]
    spec = InstanceSpec(advert_int=ADVERT, extra=("track_script {", "    chk_service", "}"))
    service = Service(r1.host)
    service.start()
    try:
        r1.configure([(spec, HIGH, g.hosts)], blocks=service_check(r1))
        r2.configure([(InstanceSpec(advert_int=ADVERT), LOW, g.hosts)])
        g.start()
        # The first script result comes at once; then the election.
        g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + 2 + MARGIN)
        # The service stops: r1 falls to 50 at its next check (interval 1, timeout 2), and r2
        # takes over once it has discarded r1's lower adverts for Master_Down_Interval.
        service.stop()
        bound = 1 + 2 + master_down_interval(ADVERT, LOW) + ADVERT + MARGIN
        g.wait_owner(r2, bound)
        if r1.is_vigil:
            inst = instance_status(r1.status())
            assert inst["priority"] == HIGH and inst["effective_priority"] == HIGH - DROP, inst
            tracker = inst["trackers"][0]
            assert tracker["name"] == "chk_service" and tracker["ok"] is False, tracker
            assert tracker["contribution"] == -DROP, tracker
        # It returns: r1 is back at 150 and preempts.
        service.start()
        g.wait_owner(r1, 1 + master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
    finally:
        service.stop()


@pytest.mark.parametrize("impls", [("vigild", "keepalived"), ("vigild", "vigild")],
                         ids=impl_id)
def test_track_interface_fault_and_weight(make_group, impls):
    g = make_group(impls)
    r1, r2 = g[0], g[1]
    for a, b in (("t0", "t1"), ("w0", "w1")):
        sh("ip", "-n", r1.host.ns, "link", "add", a, "type", "veth", "peer", "name", b)
        sh("ip", "-n", r1.host.ns, "link", "set", a, "up")
        sh("ip", "-n", r1.host.ns, "link", "set", b, "up")
    spec = InstanceSpec(advert_int=ADVERT, extra=("track_interface {", "    t0",
                                                  "    w0 weight -%d" % DROP, "}"))
    r1.configure([(spec, HIGH, g.hosts)])
    r2.configure([(InstanceSpec(advert_int=ADVERT), LOW, g.hosts)])
    g.start()
    g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
    # t0 loses carrier (its peer goes down): FAULT, priority 0, r2 at once.
    sh("ip", "-n", r1.host.ns, "link", "set", "t1", "down")
    g.wait_owner(r2, 1 + MARGIN)
    assert wait_for(lambda: r1.last_state() == "FAULT", MARGIN), g.describe()
    sh("ip", "-n", r1.host.ns, "link", "set", "t1", "up")
    g.wait_owner(r1, master_down_interval(ADVERT, HIGH) * 2 + ADVERT + MARGIN)
    # w0 down: the priority falls to 50 instead; r2 takes over without a FAULT.
    sh("ip", "-n", r1.host.ns, "link", "set", "w1", "down")
    g.wait_owner(r2, master_down_interval(ADVERT, LOW) + ADVERT + MARGIN)
    assert r1.last_state() == "BACKUP", g.describe()
    assert instance_status(r1.status())["effective_priority"] == HIGH - DROP


def test_linkbeat_polls_the_tracked_interface(make_group):
    """linkbeat_interfaces: the link state of t0 comes from polling the driver (ethtool GLINK
    on a veth) every second; carrier loss puts the instance in FAULT and keepalived takes
    over."""
    g = make_group(("vigild", "keepalived"))
    r1, r2 = g[0], g[1]
    sh("ip", "-n", r1.host.ns, "link", "add", "t0", "type", "veth", "peer", "name", "t1")
    sh("ip", "-n", r1.host.ns, "link", "set", "t0", "up")
    sh("ip", "-n", r1.host.ns, "link", "set", "t1", "up")
    spec = InstanceSpec(advert_int=ADVERT, extra=("track_interface {", "    t0", "}"))
    r1.configure([(spec, HIGH, g.hosts)], blocks="linkbeat_interfaces {\n    t0 ETHTOOL\n}\n")
    r2.configure([(InstanceSpec(advert_int=ADVERT), LOW, g.hosts)])
    g.start()
    g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
    assert "Linkbeat: t0 is up (ETHTOOL)" in r1.console(200), r1.console()
    sh("ip", "-n", r1.host.ns, "link", "set", "t1", "down")
    g.wait_owner(r2, 1 + 1 + MARGIN)  # the next poll, then priority 0
    assert wait_for(lambda: r1.last_state() == "FAULT", MARGIN), g.describe()
    assert "Linkbeat reports t0 down" in r1.console(200), r1.console()
    sh("ip", "-n", r1.host.ns, "link", "set", "t1", "up")
    g.wait_owner(r1, 1 + master_down_interval(ADVERT, HIGH) * 2 + ADVERT + MARGIN)


def test_track_file_values_and_init_file(make_group, workdir):
    g = make_group(("vigild", "vigild"))
    r1, r2 = g[0], g[1]
    value_file = os.path.join(workdir, "prio")
    fault_file = os.path.join(workdir, "down")
    blocks = ("track_file prio {\n    file %s\n    weight 10\n}\n"
              "track_file down {\n    file %s\n    weight 0\n    init_file 0\n}\n" % (
                  value_file, fault_file))
    spec = InstanceSpec(advert_int=ADVERT, extra=("track_file {", "    prio", "    down", "}"))
    r1.configure([(spec, HIGH, g.hosts)], blocks=blocks)
    r2.configure([(InstanceSpec(advert_int=ADVERT), LOW, g.hosts)])
    g.start()
    g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
    with open(fault_file) as f:
        assert f.read() == "0\n"  # init_file created it

    def effective():
        return instance_status(r1.status())["effective_priority"]

    def write(path, text):
        with open(path, "w") as f:
            f.write(text)

    write(value_file, "3\n")  # value x weight: +30
    assert wait_for(lambda: effective() == HIGH + 30, MARGIN), r1.console()
    write(value_file, "-6\n")  # -60: 90 < 100, r2 takes over
    g.wait_owner(r2, master_down_interval(ADVERT, LOW) + ADVERT + MARGIN)
    write(value_file, "0\n")
    g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
    write(fault_file, "1\n")  # weight 0, not zero: FAULT
    assert wait_for(lambda: r1.last_state() == "FAULT", MARGIN), r1.console()
    g.wait_owner(r2, 1 + MARGIN)


def sleeper(name):
    """A copy of sleep whose process name (comm) is `name`."""
    path = os.path.join("/tmp", name)
    if not os.path.exists(path):
        subprocess.run(["cp", "/bin/sleep", path], check=True)
    return path


def test_track_process_by_name_parameters_and_quorum(make_group):
    g = make_group(("vigild", "vigild"))
    r1, r2 = g[0], g[1]
    prog = sleeper("vgtrackd")
    blocks = ("vrrp_track_process by_name {\n    process vgtrackd\n    weight -%d\n}\n"
              "vrrp_track_process by_args {\n    process %s 3600 7\n    param_match partial\n"
              "    quorum 2\n}\n" % (DROP, prog))
    spec = InstanceSpec(advert_int=ADVERT, extra=("track_process {", "    by_name", "    by_args",
                                                  "}"))
    procs = [subprocess.Popen([prog, "3600", "7", "8"]) for _ in range(2)]
    try:
        r1.configure([(spec, HIGH, g.hosts)], blocks=blocks)
        r2.configure([(InstanceSpec(advert_int=ADVERT), LOW, g.hosts)])
        g.start()
        g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
        # One of the two goes: by_args loses its quorum of 2 (weight 0: FAULT).
        procs[0].kill()
        procs[0].wait()
        assert wait_for(lambda: r1.last_state() == "FAULT", MARGIN), r1.console()
        procs[0] = subprocess.Popen([prog, "3600", "7", "8"])
        g.wait_owner(r1, 2 * master_down_interval(ADVERT, HIGH) + ADVERT + MARGIN)
        # Kill both: by_name falls (weight -DROP) and by_args faults.
        for p in procs:
            p.kill()
            p.wait()
        g.wait_owner(r2, 1 + MARGIN)
        # A process that lives 50 ms is seen: there is no polling, the kernel tells.
        before = r1.console(400).count("Quorum gained for tracked process by_name")
        subprocess.run([prog, "0.05"])
        assert wait_for(lambda: r1.console(400).count(
            "Quorum gained for tracked process by_name") > before, MARGIN), r1.console()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_hung_script_is_killed_with_its_children(make_group, workdir):
    """A script that hangs is killed at its timeout (a failure) with its whole process group:
    a child that ignores SIGTERM is SIGKILLed after the grace period even though the script
    itself died of the SIGTERM, so nothing accumulates run after run."""
    g = make_group(("vigild",))
    r1 = g[0]
    marker = "vgthang%d" % os.getpid()
    script = os.path.join(workdir, "hang.sh")
    with open(script, "w") as f:
        f.write("#!/bin/bash\n(trap '' TERM; exec -a %s sleep 3600) &\n"
                "exec -a %s sleep 3600\n" % (marker, marker))
    os.chmod(script, 0o755)
    blocks = "vrrp_script hang {\n    script %s\n    interval 2\n    timeout 1\n}\n" % script
    spec = InstanceSpec(advert_int=ADVERT, extra=("track_script {", "    hang", "}"))
    r1.configure([(spec, HIGH, g.hosts)], blocks=blocks)
    g.start()
    # The timeout is a failure: FAULT.
    assert wait_for(lambda: r1.last_state() == "FAULT", 5), r1.console()

    def leftovers():
        return [l for l in sh("ps", "-eo", "pid,args").splitlines() if marker in l]

    def timeouts():
        return r1.console(1000).count("VRRP script hang: timed out")

    # Four runs timed out: the first three had all the time to be killed.
    assert wait_for(lambda: timeouts() >= 4, 4 * 2 + MARGIN), r1.console()
    assert len(leftovers()) <= 2, leftovers()  # the run in progress and its child, at most
    r1.terminate()
    assert wait_for(lambda: not leftovers(), 5), leftovers()


def test_shared_scripts_run_once_per_interval(make_group, workdir):
    """1,000 instances tracking the same 3 scripts: each script runs once per interval. The
    instances live on four veth interfaces (250 VRIDs each, two IPv4 and two IPv6)."""
    g = make_group(("vigild",))
    r1 = g[0]
    ns = r1.host.ns
    blocks = ""
    for n in range(3):
        log = os.path.join(workdir, "runs%d" % n)
        # The timeout is long: at start the machine also runs 1,000 notify scripts, and a
        # run that times out then would be a fault, not what this test is about.
        blocks += ("vrrp_script s%d {\n    script \"/bin/sh -c 'echo x >> %s'\"\n"
                   "    interval 1\n    timeout 10\n}\n" % (n, log))
    lans = (("d0", "inet", "198.51.100.%d", "198.51.100.254/32"),
            ("d1", "inet", "203.0.113.%d", "203.0.113.254/32"),
            ("d2", "inet6", "2001:db8:2::%x", None),
            ("d3", "inet6", "2001:db8:3::%x", None))
    specs = []
    for dev, family, vip, own in lans:
        sh("ip", "-n", ns, "link", "add", dev, "type", "veth", "peer", "name", dev + "p")
        sh("ip", "-n", ns, "link", "set", dev + "p", "up")
        sh("ip", "-n", ns, "link", "set", dev, "up")
        if own:
            sh("ip", "-n", ns, "addr", "add", own, "dev", dev)
        specs += [InstanceSpec(name="VI_%s_%d" % (dev, k), vrid=k, advert_int=1, family=family,
                               interface=dev, vips=(vip % k,),
                               extra=("track_script {", "    s0", "    s1", "    s2", "}"))
                  for k in range(1, 251)]
    assert len(specs) == 1000
    r1.configure([(s, 100, g.hosts) for s in specs], blocks=blocks)
    g.start()

    def runs(n):
        try:
            with open(os.path.join(workdir, "runs%d" % n)) as f:
                return len(f.read().splitlines())
        except FileNotFoundError:
            return 0

    assert wait_for(lambda: all(runs(n) >= 1 for n in range(3)), 30), r1.console()
    # Counted once every instance is master and the storm of 1,000 notify scripts is over.
    # 1,000 transitions, each forking a notify script, keep the worker busy for a while on a
    # loaded machine (under ASan a fork costs far more): its status may come late, so an
    # unanswered request is asked again until the budget is spent.
    def masters():
        try:
            return sum(i["state"] == "MASTER" for i in r1.status(30)["vrrp"]["instances"])
        except AssertionError:  # no status within 30 s: still busy
            return 0

    assert wait_for(lambda: masters() == 1000, 240), r1.console(20)
    assert wait_for(lambda: r1.console(5).count("script notify") == 0, 120), r1.console(20)
    first = [runs(n) for n in range(3)]
    t0 = time.monotonic()
    time.sleep(5)  # the window the runs are counted in
    elapsed = time.monotonic() - t0
    for n in range(3):
        count = runs(n) - first[n]
        assert elapsed - 1.5 <= count <= elapsed + 1.5, (n, count, elapsed, r1.console(60))


def test_reload_with_unchanged_trackers_changes_nothing(make_group):
    g = make_group(("vigild", "vigild"))
    r1, r2 = g[0], g[1]
    service = Service(r1.host)
    service.start()
    try:
        spec = InstanceSpec(advert_int=ADVERT, extra=("track_script {", "    chk_service", "}"))
        r1.configure([(spec, HIGH, g.hosts)], blocks=service_check(r1))
        r2.configure([(InstanceSpec(advert_int=ADVERT), LOW, g.hosts)])
        g.start()
        g.wait_owner(r1, master_down_interval(ADVERT, HIGH) + 2 + MARGIN)
        service.stop()
        # Down: 50; the reload must not flap it back to 150 or to FAULT.
        assert wait_for(lambda: instance_status(r1.status())["effective_priority"] == HIGH - DROP,
                        3 + MARGIN), r1.console()
        g.wait_owner(r2, master_down_interval(ADVERT, LOW) + ADVERT + MARGIN)
        before = (r1.states(), r2.states())
        os.kill(r1.proc.pid, signal.SIGHUP)
        assert wait_for(lambda: r1.status()["reloads"] == 1, 10)
        # A change the reload caused would come within the backup's Master_Down_Interval.
        time.sleep(master_down_interval(ADVERT, LOW))
        assert (r1.states(), r2.states()) == before, g.describe()
        assert instance_status(r1.status())["effective_priority"] == HIGH - DROP
    finally:
        service.stop()
