"""SMTP_CHECK against aiosmtpd (and servers that answer garbage or nothing), MISC_CHECK with
scripts whose exit status the test sets (0 up, 1 down; misc_dynamic 2+N: weight N) and
FILE_CHECK on track files the test writes numbers into (weight 0: non-zero is down; weight
1 and dynamic: the value is added to the real server's weight)."""
import os

from netlab import wait_for

from checklab import (DOWN_BOUND, ROUND_PROBES, SCRIPT_BOUND, UP_BOUND, block, checker, config,
                      find_rs, notified, real_server, rs_ip, rs_name, virtual_server)
from checklab import lab, make_vigild  # noqa: F401,F811 (pytest fixtures)

MISC_SCRIPT = "#!/bin/sh\nexit $(cat \"$1\")\n"
# Runs of the MISC_CHECK script that must leave the weight alone after its exit status 0.
SCRIPT_RUNS = 2


def write(path, text):
    # Written in place, as an operator's echo would (FILE_CHECK reads whatever is there).
    with open(path, "w") as f:
        f.write(text)


def test_smtp_misc_file(lab, make_vigild):
    script, log = lab.notify_script()
    smtpd = lab.smtpd(rs_ip(70))
    lab.toy("garbage", [(rs_ip(71), 25)])
    lab.toy("silent", [(rs_ip(72), 25)])

    misc = os.path.join(lab.dir, "misc.sh")
    write(misc, MISC_SCRIPT)
    os.chmod(misc, 0o755)
    state75, state76 = os.path.join(lab.dir, "misc75"), os.path.join(lab.dir, "misc76")
    write(state75, "0\n")
    write(state76, "12\n")  # misc_dynamic: weight 10
    file80, file81 = os.path.join(lab.dir, "file80"), os.path.join(lab.dir, "file81")
    write(file80, "0\n")
    write(file81, "0\n")

    smtp_vs = virtual_server(25, [
        real_server(rs_ip(n), 25, [checker("SMTP_CHECK", "helo_name director.example.test")],
                    notify=script) for n in (70, 71, 72)])
    misc_vs = virtual_server(80, [
        real_server(rs_ip(75), 80, [checker("MISC_CHECK", 'misc_path "%s %s"' % (misc, state75))],
                    notify=script),
        real_server(rs_ip(76), 80, [checker("MISC_CHECK", 'misc_path "%s %s"' % (misc, state76),
                                            "misc_dynamic")], notify=script),
        real_server(rs_ip(80), 80, [block("FILE_CHECK", ["track_file tf80"])], notify=script),
        real_server(rs_ip(81), 80, [block("FILE_CHECK", ["track_file tf81", "dynamic"])], weight=5,
                    notify=script),
    ])
    tracks = (block("track_file tf80", ['file "%s"' % file80, "weight 0"])
              + block("track_file tf81", ['file "%s"' % file81, "weight 1"]))
    v = make_vigild(config(smtp_vs, misc_vs, extra_top=tracks))

    smtp = [rs_name(rs_ip(n), 25) for n in (70, 71, 72)]
    misc75, misc76 = rs_name(rs_ip(75), 80), rs_name(rs_ip(76), 80)
    f80, f81 = rs_name(rs_ip(80), 80), rs_name(rs_ip(81), 80)
    v.wait_states({smtp[1]: False, smtp[2]: False}, DOWN_BOUND)
    # Every checker's verdict is in (misc_dynamic's weight comes with the script's first exit,
    # the track files' values with their first reading).
    status = v.wait_probes(ROUND_PROBES)
    assert find_rs(status, smtp[0])["up"], v.console()
    assert find_rs(status, misc75)["up"] and find_rs(status, misc76)["up"], status
    assert find_rs(status, misc76)["weight"] == 10, status
    assert find_rs(status, f80)["up"] and find_rs(status, f81)["up"], status
    assert find_rs(status, f81)["weight"] == 5, status

    # Failures: aiosmtpd stops, the scripts exit 1, tf80 reads non-zero; tf81 adds 3.
    mark = v.mark()
    smtpd.stop()
    write(state75, "1\n")
    write(state76, "1\n")
    write(file80, "7\n")
    write(file81, "3\n")
    v.wait_states({smtp[0]: False, misc75: False, misc76: False, f80: False}, DOWN_BOUND)
    rs81 = find_rs(v.status(), f81)
    assert rs81["up"] and rs81["weight"] == 8, (rs81, v.console())
    assert v.lines_since(mark, "Removing service %s " % f81) == [], v.console()

    # Repair: misc76 comes back with another dynamic weight, tf81 goes negative.
    lab.smtpd(rs_ip(70))
    write(state75, "0\n")
    write(state76, "5\n")  # weight 3
    write(file80, "0\n")
    write(file81, "-2\n")
    v.wait_states({smtp[0]: True, misc75: True, misc76: True, f80: True}, UP_BOUND)
    status = v.status()
    assert find_rs(status, misc76)["weight"] == 3, status
    assert find_rs(status, f81)["weight"] == 3, status
    assert "198.51.100.76:80" in status["desired_ipvs"], status["desired_ipvs"]
    # The notify scripts run asynchronously: their lines come a moment after the state.
    assert wait_for(lambda: all(notified(log, "up %s:%d" % (rs_ip(n), 25 if n == 70 else 80))
                                for n in (70, 75, 76, 80)), SCRIPT_BOUND), lab.dir
    for n in (70, 75, 76, 80):
        port = 25 if n == 70 else 80
        downs = notified(log, "down %s:%d" % (rs_ip(n), port))
        ups = notified(log, "up %s:%d" % (rs_ip(n), port))
        assert len(downs) == 1 and len(ups) == 1 and ups[0] > downs[0], (n, downs, ups)
    assert notified(log, "down %s:80" % rs_ip(81)) == []


# keepalived.conf(5), misc_dynamic: "exit status 0: svc check success, weight unchanged" (and
# keepalived 2.2.7 does not touch the weight on 0): the weight a previous run set stays.
def test_misc_dynamic_exit_zero_keeps_weight(lab, make_vigild):
    misc = os.path.join(lab.dir, "misc.sh")
    write(misc, MISC_SCRIPT)
    os.chmod(misc, 0o755)
    state = os.path.join(lab.dir, "misc77")
    write(state, "12\n")
    v = make_vigild(config(virtual_server(80, [real_server(rs_ip(77), 80, [
        checker("MISC_CHECK", 'misc_path "%s %s"' % (misc, state), "misc_dynamic")],
        weight=3)])))
    name = rs_name(rs_ip(77), 80)
    assert wait_for(lambda: find_rs(v.status(), name)["weight"] == 10, UP_BOUND), v.console()
    mark = v.mark()
    write(state, "0\n")
    # The run under way may have read the old value: the next SCRIPT_RUNS runs read the 0, and
    # the weight must not change while they end.
    status = v.wait_probes(SCRIPT_RUNS + 1, since=v.probe_counts())
    assert v.lines_since(mark, "weight") == [], v.console()
    assert find_rs(status, name)["weight"] == 10, status
