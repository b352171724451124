"""vigild's process model with real processes and real signals: workers, respawn, stop,
reload, dumps, pidfiles, namespaces, daemon mode."""
import json
import os
import signal
import subprocess
import time
import uuid

import pytest

from conftest import LVS_BLOCK, VIGILD, VRRP_BLOCK, alive, read_pid, wait_for

BOTH = VRRP_BLOCK + LVS_BLOCK


def test_starts_one_worker_per_configured_subsystem(make_vigild):
    v = make_vigild(BOTH).start(("vrrp", "checker"))
    sup, vrrp, chk = read_pid(v.pid), read_pid(v.vrrp_pid), read_pid(v.checker_pid)
    assert len({sup, vrrp, chk}) == 3
    for pid in (vrrp, chk):
        with open("/proc/%d/stat" % pid) as f:
            assert int(f.read().rsplit(")", 1)[1].split()[1]) == sup  # parent is the supervisor


def test_only_configured_workers_run(make_vigild, notify_socket):
    v = make_vigild(VRRP_BLOCK).start(("vrrp",), notify_socket=notify_socket)
    # READY=1 comes once the supervisor has started every worker it wants, and names them.
    ready = notify_socket.next()
    assert ready.startswith("READY=1") and ready.endswith("workers: vrrp"), ready
    assert "started the checker worker" not in v.console(), v.console()
    assert read_pid(v.checker_pid) is None


@pytest.mark.parametrize("victim,other", [("vrrp", "checker"), ("checker", "vrrp")])
def test_kill9_of_a_worker_respawns_it_and_leaves_the_other(make_vigild, victim, other):
    v = make_vigild(BOTH).start(("vrrp", "checker"))
    paths = {"vrrp": v.vrrp_pid, "checker": v.checker_pid}
    old, untouched = read_pid(paths[victim]), read_pid(paths[other])
    killed_at = time.monotonic()
    os.kill(old, signal.SIGKILL)
    new = wait_for(lambda: (p := read_pid(paths[victim])) and p != old and alive(p) and p, 5)
    assert new, v.console()
    # The first quick death is respawned after the initial backoff of 1 s.
    assert time.monotonic() - killed_at < 4
    assert read_pid(paths[other]) == untouched and alive(untouched)
    assert "respawning in 1000 ms" in v.console()


def test_sigterm_stops_everything_and_removes_pidfiles(make_vigild):
    v = make_vigild(BOTH).start(("vrrp", "checker"))
    pids = [read_pid(p) for p in (v.pid, v.vrrp_pid, v.checker_pid)]
    v.signal(signal.SIGTERM)
    assert v.proc.wait(10) == 0
    assert wait_for(lambda: not any(alive(p) for p in pids), 5)
    for p in (v.pid, v.vrrp_pid, v.checker_pid):
        assert not os.path.exists(p)


def test_sighup_with_a_broken_config_keeps_the_running_one(make_vigild):
    v = make_vigild(BOTH).start(("vrrp", "checker"))
    pids = [read_pid(p) for p in (v.pid, v.vrrp_pid, v.checker_pid)]
    v.write_config(BOTH + "\nvrrp_instance VI_2 {\n    priority 300\n")
    v.signal(signal.SIGHUP)
    assert wait_for(lambda: "reload refused" in v.console(), 5), v.console()
    assert "keepalived.conf:" in v.console()
    # The refusal is the supervisor's whole answer: the workers were not told.
    assert v.proc.poll() is None
    assert [read_pid(p) for p in (v.pid, v.vrrp_pid, v.checker_pid)] == pids
    assert all(alive(p) for p in pids)
    assert "configuration reloaded" not in v.console(), v.console()
    # A good file is then taken by the workers (each says so), without restarting them.
    v.write_config(BOTH.replace("priority 100", "priority 110"))
    v.signal(signal.SIGHUP)
    assert wait_for(lambda: v.console().count("configuration reloaded") >= 2, 5), v.console()
    assert [read_pid(p) for p in (v.pid, v.vrrp_pid, v.checker_pid)] == pids
    assert all(alive(p) for p in pids) and v.proc.poll() is None


def test_reload_starts_and_stops_workers_as_the_config_changes(make_vigild):
    v = make_vigild(VRRP_BLOCK).start(("vrrp",))
    v.write_config(BOTH)
    v.signal(signal.SIGHUP)
    assert wait_for(lambda: read_pid(v.checker_pid), 5), v.console()
    v.write_config(LVS_BLOCK)
    vrrp = read_pid(v.vrrp_pid)
    v.signal(signal.SIGHUP)
    assert wait_for(lambda: not alive(vrrp), 5), v.console()
    assert "no longer needed" in v.console()
    assert v.proc.poll() is None


def test_permanent_worker_failure_stops_vigild(make_vigild):
    v = make_vigild(BOTH).start(("vrrp", "checker"))
    # The worker re-reads the file when it restarts: an invalid file is a permanent error.
    v.write_config("vrrp_instance {\n")
    os.kill(read_pid(v.vrrp_pid), signal.SIGKILL)
    assert v.proc.wait(10) == 4, v.console()
    assert "respawning cannot help" in v.console()
    assert not os.path.exists(v.pid)


def test_no_respawn_with_R(make_vigild):
    v = make_vigild(VRRP_BLOCK, ["-R"]).start(("vrrp",))
    os.kill(read_pid(v.vrrp_pid), signal.SIGKILL)
    assert v.proc.wait(10) == 3, v.console()
    assert "respawn is disabled (-R)" in v.console()


def test_workers_die_with_the_supervisor(make_vigild):
    v = make_vigild(BOTH).start(("vrrp", "checker"))
    workers = [read_pid(v.vrrp_pid), read_pid(v.checker_pid)]
    v.proc.kill()
    v.proc.wait()
    assert wait_for(lambda: not any(alive(p) for p in workers), 5)
    # They stop in order (SIGTERM from the parent-death signal) and remove their pidfiles.
    assert wait_for(lambda: not os.path.exists(v.vrrp_pid) and not os.path.exists(v.checker_pid))


def test_second_vigild_with_the_same_pidfile_is_refused(make_vigild, workdir):
    v = make_vigild(VRRP_BLOCK).start(("vrrp",))
    r = subprocess.run([VIGILD, "-n", "-l", "-G", "-f", v.config, "-p", v.pid,
                        "-r", v.vrrp_pid + "2", "-c", v.checker_pid + "2"],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 7
    assert "held by a running process (pid %d)" % read_pid(v.pid) in r.stderr
    assert v.proc.poll() is None


def test_dumps_on_signals(make_vigild):
    ns = "dump" + uuid.uuid4().hex[:6]
    v = make_vigild(BOTH, ["-s", ns])
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        v.start(("vrrp", "checker"))
        files = {
            "/tmp/vigil_%s_parent.data" % ns: "process: parent",
            "/tmp/vigil_%s_vrrp.data" % ns: "vrrp_instance",
            "/tmp/vigil_%s_checker.data" % ns: "virtual_server",
            "/tmp/vigil_%s_vrrp.stats" % ns: "reloads: 0",
            "/tmp/vigil_%s_checker.json" % ns: None,
        }
        for f in files:
            if os.path.exists(f):
                os.unlink(f)
        v.signal(signal.SIGUSR1)
        v.signal(signal.SIGUSR2)
        v.signal(signal.SIGRTMIN + 2)
        for f, needle in files.items():
            assert wait_for(lambda: os.path.exists(f), 5), f
            with open(f) as fh:
                text = fh.read()
            if needle:
                assert needle in text, (f, text)
            else:
                doc = json.loads(text)
                assert doc["process"] == "checker"
                assert doc["config"]["lvs"]["virtual_server"][0]["protocol"] == "TCP"
            os.unlink(f)
    finally:
        v.stop()
        subprocess.run(["ip", "netns", "del", ns])


def test_runs_inside_the_named_network_namespace(make_vigild):
    ns = "vigil" + uuid.uuid4().hex[:6]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        v = make_vigild(VRRP_BLOCK, ["-s", ns]).start(("vrrp",))
        want = os.stat("/run/netns/" + ns).st_ino
        for pid in (read_pid(v.pid), read_pid(v.vrrp_pid)):
            assert os.stat("/proc/%d/ns/net" % pid).st_ino == want
        v.stop()
    finally:
        subprocess.run(["ip", "netns", "del", ns])


def test_daemon_mode_detaches_and_stops_on_sigterm(workdir):
    conf = os.path.join(workdir, "k.conf")
    with open(conf, "w") as f:
        f.write(VRRP_BLOCK)
    pidfile = os.path.join(workdir, "d.pid")
    vrrp_pid = os.path.join(workdir, "dv.pid")
    started = time.monotonic()
    r = subprocess.run([VIGILD, "-G", "-f", conf, "-p", pidfile, "-r", vrrp_pid, "-c",
                        os.path.join(workdir, "dc.pid")], timeout=10)
    assert r.returncode == 0
    assert time.monotonic() - started < 5
    sup = wait_for(lambda: read_pid(pidfile), 5)
    worker = wait_for(lambda: read_pid(vrrp_pid), 5)
    assert sup and worker and alive(sup)
    with open("/proc/%d/stat" % sup) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    assert int(fields[3]) != os.getpid()  # its own session, not ours
    os.kill(sup, signal.SIGTERM)
    assert wait_for(lambda: not alive(sup) and not alive(worker), 10)
    assert not os.path.exists(pidfile)


def test_systemd_notifications(make_vigild, notify_socket):
    v = make_vigild(VRRP_BLOCK).start(("vrrp",), notify_socket=notify_socket)
    next_msg = notify_socket.next
    ready = next_msg()
    assert ready.startswith("READY=1") and "workers: vrrp" in ready, ready
    v.signal(signal.SIGHUP)
    assert next_msg() == "RELOADING=1"
    assert next_msg().startswith("READY=1")
    v.signal(signal.SIGTERM)
    assert next_msg() == "STOPPING=1"
    assert v.proc.wait(10) == 0
