"""Virtual-server logic with real checks: quorum with a sorry server and quorum_up/down
scripts as real servers die one by one and come back, and inhibit_on_failure keeping a dead
server in the desired IPVS table with weight 0."""
import signal
import time

from checklab import (DOWN_BOUND, ROUND_PROBES, SCRIPT_BOUND, UP_BOUND, checker, config,
                      find_rs, find_vs, notified, real_server, rs_ip, rs_name, virtual_server,
                      vs_name)
from checklab import lab, make_vigild  # noqa: F401,F811 (pytest fixtures)


def desired(status):
    """desired_ipvs as {service line: {destination "ip:port": weight}}."""
    out = {}
    service = None
    for line in status["desired_ipvs"].splitlines():
        if not line.startswith(" "):
            service = line.split()[1]
            out[service] = {}
        elif "->" in line:
            fields = line.split()
            out[service][fields[1]] = int(fields[fields.index("weight") + 1])
    return out


def test_quorum_sorry_server_and_inhibit(lab, make_vigild):
    script, log = lab.notify_script()
    socats = {n: lab.socat_tcp(rs_ip(n), 9000) for n in (110, 111, 112, 113, 114)}
    pool = [real_server(rs_ip(n), 9000, [checker("TCP_CHECK")]) for n in (110, 111, 112)]
    quorum_vs = virtual_server(80, pool, extra=[
        "quorum 2", "hysteresis 0", "sorry_server %s 9000" % rs_ip(119),
        'quorum_up "%s quorum up"' % script, 'quorum_down "%s quorum down"' % script])
    inhibit_vs = virtual_server(81, [real_server(rs_ip(n), 9000, [checker("TCP_CHECK")])
                                     for n in (113, 114)], extra=["inhibit_on_failure"])
    v = make_vigild(config(quorum_vs, inhibit_vs))
    vs80, vs81 = vs_name(80), vs_name(81)
    svc80, svc81 = "192.0.2.100:80", "192.0.2.100:81"
    pool_dests = {"%s:9000" % rs_ip(n): 1 for n in (110, 111, 112)}
    sorry = {"%s:9000" % rs_ip(119): 1}

    # Every checker's verdict is in: the servers were probed and stayed up.
    status = v.wait_probes(ROUND_PROBES)
    vs = find_vs(status, vs80)
    assert vs["quorum_up"] and vs["alive_weight"] == 3 and not vs["sorry_server_active"], vs
    assert desired(status)[svc80] == pool_dests, status["desired_ipvs"]
    assert desired(status)[svc81] == {"%s:9000" % rs_ip(113): 1, "%s:9000" % rs_ip(114): 1}

    # One server of three dies: alive weight 2, quorum (2) holds. inhibit: .113 stays at 0.
    mark = v.mark()
    socats[110].stop()
    socats[113].stop()
    v.wait_states({rs_name(rs_ip(110), 9000): False, rs_name(rs_ip(113), 9000): False},
                  DOWN_BOUND)
    status = v.status()
    vs = find_vs(status, vs80)
    assert vs["quorum_up"] and vs["alive_weight"] == 2, vs
    assert desired(status)[svc80] == {"%s:9000" % rs_ip(n): 1 for n in (111, 112)}
    assert desired(status)[svc81] == {"%s:9000" % rs_ip(113): 0, "%s:9000" % rs_ip(114): 1}
    assert find_vs(status, vs81)["alive_weight"] == 1
    assert v.lines_since(mark, "quorum down") == [], v.console()

    # A second one dies: alive weight 1 < quorum 2. The sorry server replaces the pool.
    mark = v.mark()
    socats[111].stop()
    v.wait_states({rs_name(rs_ip(111), 9000): False}, DOWN_BOUND)
    status = v.status()
    vs = find_vs(status, vs80)
    assert not vs["quorum_up"] and vs["alive_weight"] == 1 and vs["sorry_server_active"], vs
    assert desired(status)[svc80] == sorry, status["desired_ipvs"]
    assert len(v.lines_since(mark, "%s: quorum down (alive weight 1)" % vs80)) == 1, v.console()
    assert len(v.lines_since(mark, "%s: sorry server in use" % vs80)) == 1, v.console()
    assert len(wait_notified(log, "quorum down")) == 1, lab.dir

    # It comes back: quorum regained, the sorry server goes.
    mark = v.mark()
    socats[111] = lab.socat_tcp(rs_ip(111), 9000)
    v.wait_states({rs_name(rs_ip(111), 9000): True}, UP_BOUND)
    status = v.status()
    vs = find_vs(status, vs80)
    assert vs["quorum_up"] and vs["alive_weight"] == 2 and not vs["sorry_server_active"], vs
    assert desired(status)[svc80] == {"%s:9000" % rs_ip(n): 1 for n in (111, 112)}
    assert len(v.lines_since(mark, "%s: quorum up (alive weight 2)" % vs80)) == 1, v.console()
    assert len(v.lines_since(mark, "%s: sorry server released" % vs80)) == 1, v.console()
    ups = wait_notified(log, "quorum up")
    assert len(ups) == 1 and ups[0] > notified(log, "quorum down")[0]

    # All back: the full pool, .113 at its weight again; no further quorum change.
    mark = v.mark()
    socats[110] = lab.socat_tcp(rs_ip(110), 9000)
    socats[113] = lab.socat_tcp(rs_ip(113), 9000)
    v.wait_states({rs_name(rs_ip(110), 9000): True, rs_name(rs_ip(113), 9000): True}, UP_BOUND)
    status = v.status()
    assert find_vs(status, vs80)["alive_weight"] == 3
    assert desired(status)[svc80] == pool_dests
    assert desired(status)[svc81] == {"%s:9000" % rs_ip(113): 1, "%s:9000" % rs_ip(114): 1}
    assert v.lines_since(mark, "quorum") == [], v.console()


def wait_notified(log, words, timeout=SCRIPT_BOUND):
    """The script runs asynchronously: its line may come a moment after the log's."""
    deadline = time.monotonic() + timeout
    while not notified(log, words) and time.monotonic() < deadline:
        time.sleep(0.05)
    return notified(log, words)


def test_omega_notifies_at_shutdown(lab, make_vigild):
    """omega: on stop, notify_down of each real server that is up and quorum_down run."""
    script, log = lab.notify_script()
    lab.socat_tcp(rs_ip(120), 9000)
    rs = real_server(rs_ip(120), 9000, [checker("TCP_CHECK")], notify=script)
    vs = virtual_server(82, [rs], extra=["omega", 'quorum_down "%s quorum down"' % script])
    v = make_vigild(config(vs))
    # The check has run and found the server up (a whole round ended).
    status = v.wait_probes(ROUND_PROBES)
    assert find_vs(status, vs_name(82))["quorum_up"], status
    assert find_rs(status, rs_name(rs_ip(120), 9000))["up"], status
    v.proc.send_signal(signal.SIGTERM)  # a clean stop, not close()'s SIGKILL
    v.proc.wait(20)
    assert notified(log, "down %s:9000" % rs_ip(120)), read_log(log)
    assert notified(log, "quorum down"), read_log(log)


def read_log(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""
