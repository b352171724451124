"""Scripts around the daemon: startup/shutdown scripts, notify FIFO scripts, and the
script-security verdict of vigild -t."""
import os
import stat
import subprocess

from conftest import VIGILD, VRRP_BLOCK, alive, read_pid, wait_for


def write_script(path, body):
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)
    return path


def test_startup_script_runs_before_workers_and_shutdown_after(make_vigild, workdir):
    trace = os.path.join(workdir, "trace")
    vrrp_pid = os.path.join(workdir, "vrrp.pid")
    up = write_script(os.path.join(workdir, "up.sh"),
                      '[ -e %s ] && echo "up: worker already running" >> %s\n'
                      'echo "up $1" >> %s\n' % (vrrp_pid, trace, trace))
    down = write_script(os.path.join(workdir, "down.sh"),
                        '[ -e %s ] && echo "down: worker still running" >> %s\n'
                        'echo down >> %s\n' % (vrrp_pid, trace, trace))
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    startup_script "%s arg1"\n    shutdown_script %s\n}\n' % (up, down)) + VRRP_BLOCK
    v = make_vigild(conf).start(("vrrp",))
    v.stop()
    with open(trace) as f:
        assert f.read() == "up arg1\ndown\n", v.console()


def test_startup_script_timeout_does_not_hold_up_the_workers(make_vigild, workdir):
    hang = write_script(os.path.join(workdir, "hang.sh"), "sleep 100\n")
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    startup_script %s\n    startup_script_timeout 1\n}\n' % hang) + VRRP_BLOCK
    v = make_vigild(conf).start(("vrrp",))
    assert "timed out" in v.console()


def test_insecure_startup_script_is_refused(make_vigild, workdir):
    os.chmod(workdir, 0o777)
    marker = os.path.join(workdir, "ran")
    up = write_script(os.path.join(workdir, "up.sh"), "touch %s\n" % marker)
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    startup_script %s\n}\n' % up) + VRRP_BLOCK
    v = make_vigild(conf).start(("vrrp",))
    assert "refusing to run '%s' as root" % up in v.console()
    assert "writable by everyone" in v.console()
    assert not os.path.exists(marker)


def test_fifo_script_reads_the_fifo(make_vigild, workdir):
    fifo = os.path.join(workdir, "notify.fifo")
    got = os.path.join(workdir, "got")
    reader = write_script(os.path.join(workdir, "reader.sh"),
                          'echo "$@" > %s\nexec cat "$2" >> %s\n' % (got, got))
    conf = ('global_defs {\n    script_user root\n    enable_script_security\n'
            '    vrrp_notify_fifo %s\n    vrrp_notify_fifo_script "%s first"\n}\n'
            % (fifo, reader)) + VRRP_BLOCK
    v = make_vigild(conf).start(("vrrp",))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert wait_for(lambda: os.path.exists(got) and open(got).read().startswith("first " + fifo))
    # Whatever is written to the FIFO reaches the script.
    with open(fifo, "w") as f:
        f.write('INSTANCE "VI_1" MASTER 100\n')
    assert wait_for(lambda: 'INSTANCE "VI_1" MASTER 100' in open(got).read()), v.console()


def test_fifo_belongs_to_the_user_its_script_reads_it_as(make_vigild, workdir):
    """keepalived gives the FIFO to the FIFO's user (default: the script user): a FIFO script
    running as script_user can read it (it used to get "Permission denied")."""
    os.chmod(workdir, 0o755)
    out = os.path.join(workdir, "out")
    os.mkdir(out)
    os.chmod(out, 0o777)
    fifo = os.path.join(workdir, "notify.fifo")
    got = os.path.join(out, "got")
    reader = write_script(os.path.join(workdir, "reader.sh"), 'exec cat "$1" >> %s\n' % got)
    conf = ('global_defs {\n    script_user nobody\n'
            '    vrrp_notify_fifo %s\n    vrrp_notify_fifo_script %s\n}\n'
            % (fifo, reader)) + VRRP_BLOCK
    v = make_vigild(conf).start(("vrrp",))
    import pwd
    assert os.stat(fifo).st_uid == pwd.getpwnam("nobody").pw_uid
    assert stat.S_IMODE(os.stat(fifo).st_mode) == 0o600
    # The instance's BACKUP line reaches the script that runs as nobody.
    assert wait_for(lambda: os.path.exists(got) and 'INSTANCE "VI_1" BACKUP' in open(got).read(),
                    10), v.console()


# The instance tracks chk: keepalived (and vigil) only run tracked vrrp_scripts.
TRACKING = VRRP_BLOCK.replace("    priority 100\n", "    priority 100\n    track_script {\n        chk\n    }\n")


def run_test_mode(workdir, conf):
    path = os.path.join(workdir, "t.conf")
    with open(path, "w") as f:
        f.write(conf)
    return subprocess.run([VIGILD, "-t", "-f", path], capture_output=True, text=True, timeout=10)


def test_config_test_flags_root_scripts_without_security(workdir):
    r = run_test_mode(workdir, 'global_defs {\n    script_user root\n}\n'
                      'vrrp_script chk {\n    script "/bin/true"\n}\n' + TRACKING)
    assert r.returncode == 6, r.stderr
    assert "t.conf:5:12: error: SECURITY VIOLATION" in r.stderr, r.stderr
    r = run_test_mode(workdir, 'global_defs {\n    script_user root\n    enable_script_security\n}\n'
                      'vrrp_script chk {\n    script "/bin/true"\n}\n' + TRACKING)
    assert r.returncode == 0, r.stderr
    r = run_test_mode(workdir, 'global_defs {\n    script_user nobody\n}\n'
                      'vrrp_script chk {\n    script "/bin/true"\n}\n' + TRACKING)
    assert r.returncode == 0, r.stderr
    # A script that does not exist is not a security matter (keepalived disables it).
    r = run_test_mode(workdir, 'global_defs {\n    script_user root\n}\n'
                      'vrrp_script chk {\n    script "/nonexistent/x"\n}\n' + TRACKING)
    assert r.returncode == 0, r.stderr
    assert "not found" in r.stderr
    # An unknown script_user is a configuration error for keepalived 2.2.7's -t: exit 5.
    r = run_test_mode(workdir, 'global_defs {\n    script_user no-such-user-vigil\n}\n'
                      'vrrp_script chk {\n    script "/bin/true"\n}\n' + TRACKING)
    assert r.returncode == 5, r.stderr
    assert "unknown user 'no-such-user-vigil'" in r.stderr, r.stderr


def test_config_test_warns_about_missing_interfaces(workdir):
    vi = VRRP_BLOCK.replace("interface lo", "interface nosuch0")
    r = run_test_mode(workdir, vi)
    assert r.returncode == 0, r.stderr
    assert "interface nosuch0 for vrrp_instance VI_1 does not exist on this host" in r.stderr
    r = run_test_mode(workdir, "global_defs {\n    dynamic_interfaces\n}\n" + vi)
    assert r.returncode == 0 and "does not exist" not in r.stderr, r.stderr
