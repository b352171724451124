"""Regressions for what an adversarial review found: early signals, scripts around start and
stop, FIFO lifetimes, umask, relative paths in daemon mode, memory-bounded reloads."""
import os
import signal
import stat
import subprocess
import time

import pytest

from conftest import LVS_BLOCK, VIGILD, VRRP_BLOCK, alive, read_pid, wait_for

BOTH = VRRP_BLOCK + LVS_BLOCK
# Volleys of signals sent after both workers said they started (a volley every 10 ms).
STORM_AFTER = 20


def write_script(path, body):
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)
    return path


def test_signals_right_after_start_do_not_kill_workers(make_vigild):
    v = make_vigild(BOTH)
    v.proc = subprocess.Popen(v.args, stdout=v.out, stderr=subprocess.STDOUT)
    # From the moment the supervisor holds its pidfile (before that, nothing can handle a
    # signal: the process is still being exec'ed), signals while the workers are starting
    # must be handled, not fatal.
    assert wait_for(lambda: read_pid(v.pid), 10, 0.001), v.console()

    def workers_started():
        # Each worker says so just before it takes the signals it was started with blocked.
        console = v.console()
        return all("%s worker started" % w in console for w in ("vrrp", "checker"))

    # The storm lasts until both workers have started, however long that takes on a busy
    # machine, and STORM_AFTER volleys more.
    deadline = time.monotonic() + 20
    after = None
    while after is None or after < STORM_AFTER:
        for sig in (signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
            v.proc.send_signal(sig)
        if after is not None:
            after += 1
        elif workers_started():
            after = 0
        assert v.proc.poll() is None, v.console()
        assert time.monotonic() < deadline, "the workers did not start:\n" + v.console()
        time.sleep(0.01)
    workers = [read_pid(v.vrrp_pid), read_pid(v.checker_pid)]
    assert all(workers) and all(alive(p) for p in workers), v.console()
    # SIGTERM is a barrier: the kernel delivers the storm's signals still pending before it
    # (lower numbers first) and the supervisor handles them in that order, so a worker that
    # one of them killed is reaped and reported ("killed by signal") before vigild stops.
    v.signal(signal.SIGTERM)
    assert v.proc.wait(10) == 0, v.console()
    console = v.console()
    assert "killed by signal" not in console, console
    for w in ("vrrp", "checker"):
        assert console.count("started the %s worker" % w) == 1, console


def test_reload_during_startup_script_waits_for_it(make_vigild, workdir):
    running = os.path.join(workdir, "startup-running")
    release = os.path.join(workdir, "startup-release")
    done = os.path.join(workdir, "startup-done")
    # The script runs until the test releases it: the reload surely comes while it runs.
    up = write_script(os.path.join(workdir, "up.sh"),
                      "touch %s\nwhile [ ! -e %s ]; do sleep 0.05; done\ntouch %s\n"
                      % (running, release, done))
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    startup_script %s\n    startup_script_timeout 100\n}\n' % up) + VRRP_BLOCK
    v = make_vigild(conf)
    v.proc = subprocess.Popen(v.args, stdout=v.out, stderr=subprocess.STDOUT)
    assert wait_for(lambda: os.path.exists(running), 10), v.console()
    v.signal(signal.SIGHUP)
    # The supervisor has handled the reload: it took the file for later, or started workers.
    assert wait_for(lambda: "reload: configuration taken" in v.console()
                    or "started the" in v.console(), 10), v.console()
    assert "started the" not in v.console() and read_pid(v.vrrp_pid) is None, (
        "a worker started before startup_script ended\n" + v.console())
    open(release, "w").close()
    assert wait_for(lambda: read_pid(v.vrrp_pid), 10), v.console()
    assert os.path.exists(done)


def test_stop_during_startup_script_stops_its_process_group(make_vigild, workdir):
    child = os.path.join(workdir, "child")
    up = write_script(os.path.join(workdir, "up.sh"),
                      "trap 'exit 1' TERM\nsleep 60 &\necho $! > %s\nwait\n" % child)
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    startup_script %s\n    startup_script_timeout 100\n}\n' % up) + VRRP_BLOCK
    v = make_vigild(conf)
    v.proc = subprocess.Popen(v.args, stdout=v.out, stderr=subprocess.STDOUT)
    assert wait_for(lambda: os.path.exists(child) and open(child).read().strip(), 5)
    pid = int(open(child).read())
    v.signal(signal.SIGTERM)
    assert v.proc.wait(10) == 0, v.console()
    assert wait_for(lambda: not alive(pid), 5), "the startup script's child survived the stop"


def test_fifo_script_keeps_reading_and_fifos_are_removed(make_vigild, workdir):
    fifo = os.path.join(workdir, "n.fifo")
    trace = os.path.join(workdir, "trace")
    reader = write_script(os.path.join(workdir, "fs.sh"),
                          'echo start >> %s\nwhile read l; do echo "got $l" >> %s; done < "$1"\n'
                          'echo eof >> %s\n' % (trace, trace, trace))
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    notify_fifo %s\n    notify_fifo_script %s\n}\n' % (fifo, reader)) + VRRP_BLOCK
    v = make_vigild(conf).start(("vrrp",))
    # The VRRP worker has written its first event (the instance starts as BACKUP) ...
    assert wait_for(lambda: os.path.exists(trace)
                    and 'got INSTANCE "VI_1" BACKUP 100' in open(trace).read()), v.console()
    # ... and a line written after it reaches the script too: the script never saw an
    # end-of-file, neither while vigild started nor since.
    with open(fifo, "w") as f:
        f.write('INSTANCE "VI_TEST" MASTER 100\n')
    assert wait_for(lambda: 'got INSTANCE "VI_TEST" MASTER 100' in open(trace).read())
    assert "eof" not in open(trace).read(), "the FIFO script saw end-of-file while vigild runs"
    v.stop()
    assert not os.path.exists(fifo)


def test_configured_umask_applies_to_scripts(make_vigild, workdir):
    out = os.path.join(workdir, "umask")
    up = write_script(os.path.join(workdir, "um.sh"), "umask > %s\n" % out)
    old = os.umask(0)
    try:
        for conf_umask, expected in (("    umask 0077\n", "0077"), ("", "0022")):
            if os.path.exists(out):
                os.unlink(out)
            conf = ('global_defs {\n    script_user root\n    enable_script_security\n%s'
                    '    startup_script %s\n}\n' % (conf_umask, up)) + VRRP_BLOCK
            v = make_vigild(conf).start(("vrrp",))
            v.stop()
            assert open(out).read().strip() == expected
    finally:
        os.umask(old)


def test_relative_paths_in_daemon_mode(workdir):
    conf = os.path.join(workdir, "k.conf")
    with open(conf, "w") as f:
        f.write(VRRP_BLOCK)
    r = subprocess.run([VIGILD, "-G", "-f", "k.conf", "-p", "p.pid", "-r", "v.pid",
                        "-c", "c.pid", "-g", "v.log"], cwd=workdir, timeout=10)
    assert r.returncode == 0
    pidfile = os.path.join(workdir, "p.pid")
    assert wait_for(lambda: read_pid(pidfile) and read_pid(os.path.join(workdir, "v.pid")), 5)
    os.kill(read_pid(pidfile), signal.SIGTERM)
    assert wait_for(lambda: not os.path.exists(pidfile), 10)
    assert os.path.exists(os.path.join(workdir, "v_vrrp.log"))
    assert not os.path.exists("/p.pid")


@pytest.mark.skipif(os.environ.get("VIGIL_SANITIZED") == "1",
                    reason="an address-space limit cannot constrain an ASan process: its own "
                           "shadow mappings fail first")
def test_reload_that_runs_out_of_memory_is_refused(make_vigild):
    v = make_vigild(VRRP_BLOCK).start(("vrrp",))
    sup = read_pid(v.pid)
    # Give the supervisor little memory, then ask it to read a configuration that expands
    # to millions of lines: the reload must fail cleanly, the daemon must live on.
    subprocess.run(["prlimit", "--pid", str(sup), "--as=600000000"], check=True)
    v.write_config(VRRP_BLOCK + "~SEQ(a,1,3000) ~SEQ(b,1,3000) global_defs { router_id x }\n")
    v.signal(signal.SIGHUP)
    assert wait_for(lambda: "reload refused" in v.console(), 30), v.console()
    assert v.proc.poll() is None and alive(read_pid(v.vrrp_pid))


def test_log_file_that_cannot_be_opened_is_reported(make_vigild):
    v = make_vigild(VRRP_BLOCK, ["-g", "/proc/vigil-cannot.log"]).start(("vrrp",))
    assert wait_for(lambda: "cannot log to /proc/vigil-cannot_vrrp.log" in v.console()), v.console()
