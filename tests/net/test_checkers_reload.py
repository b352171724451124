"""Reload (SIGHUP to vigild) of the checker worker: with an unchanged file every checker keeps
its state (a down server stays down with no "Adding service", an up one stays up with no
"Removing service", no notify script runs); a real server added by the new file is checked."""
from checklab import (DOWN_BOUND, RETRY, SCRIPT_BOUND, checker, config, find_rs, notified,
                      real_server, rs_ip, rs_name, virtual_server)
from checklab import lab, make_vigild  # noqa: F401,F811 (pytest fixtures)
from netlab import wait_for

# Whole check rounds (a failing round is retry + 1 probes) that every checker ends after a
# reload while nothing may change.
QUIET_ROUNDS = 2


def reloaded(v, mark, count=1):
    return wait_for(lambda: len(v.lines_since(mark, "checkers: reloaded")) >= count, 10)


def test_reload_keeps_state_and_checks_new_servers(lab, make_vigild):
    script, log = lab.notify_script()
    lab.socat_tcp(rs_ip(120), 9000)
    lab.socat_tcp(rs_ip(122), 9000)
    lab.add_ip(rs_ip(121))  # nothing listens: refused

    def servers(numbers):
        return [real_server(rs_ip(n), 9000, [checker("TCP_CHECK")], notify=script)
                for n in numbers]

    v = make_vigild(config(virtual_server(80, servers((120, 121)))))
    up, down = rs_name(rs_ip(120), 9000), rs_name(rs_ip(121), 9000)
    v.wait_states({down: False}, DOWN_BOUND)
    # notify_down runs asynchronously: its line comes a moment after the state.
    assert wait_for(lambda: notified(log, "down %s:9000" % rs_ip(121)), SCRIPT_BOUND), lab.dir
    before = notified(log, "down %s:9000" % rs_ip(121))
    assert len(before) == 1

    # The same file again: nothing changes.
    mark = v.mark()
    v.hup()
    assert reloaded(v, mark), v.console()
    assert v.lines_since(mark, "checkers: reloaded (2 kept their state)"), v.console()
    # The reload rebuilt the checkers (their counters start again). A state lost in it would
    # show within a round: the up server wrongly down comes up at its first success (Adding
    # service), the down one wrongly up goes down after retry + 1 failures (Removing service).
    # Nothing may change while every checker ends QUIET_ROUNDS whole rounds.
    status = v.wait_probes(QUIET_ROUNDS * (RETRY + 1) + 1)
    assert find_rs(status, up)["up"] and not find_rs(status, down)["up"], status
    assert v.lines_since(mark, "Adding service") == [], v.console()
    assert v.lines_since(mark, "Removing service") == [], v.console()
    assert notified(log, "down %s:9000" % rs_ip(121)) == before
    assert notified(log, "up %s:9000" % rs_ip(121)) == []
    assert notified(log, "down %s:9000" % rs_ip(120)) == []
    assert "198.51.100.121" not in status["desired_ipvs"], status["desired_ipvs"]

    # Two more real servers: one that answers and one that does not; the others keep state.
    mark = v.mark()
    v.configure(config(virtual_server(80, servers((120, 121, 122, 123)))))
    v.hup()
    assert reloaded(v, mark), v.console()
    added, missing = rs_name(rs_ip(122), 9000), rs_name(rs_ip(123), 9000)
    v.wait_states({missing: False}, DOWN_BOUND)
    status = v.status()
    assert find_rs(status, added)["up"], status
    assert find_rs(status, added)["checkers"][0]["probes"] >= 1, status
    assert find_rs(status, up)["up"] and not find_rs(status, down)["up"], status
    assert "198.51.100.122:9000" in status["desired_ipvs"], status["desired_ipvs"]
    assert v.lines_since(mark, "Removing service %s " % up) == [], v.console()
    assert v.lines_since(mark, "Adding service %s " % down) == [], v.console()
    assert len(v.lines_since(mark, "Removing service %s " % missing)) == 1, v.console()


# keepalived carries quorum_state_up over a reload and notifies nothing: a reload that rebuilds
# a virtual server whose quorum was already down must not run quorum_down (nor log "quorum
# down" and "sorry server in use") again.
def test_reload_with_quorum_down_notifies_nothing(lab, make_vigild):
    script, log = lab.notify_script()
    lab.add_ip(rs_ip(121))
    v = make_vigild(config(virtual_server(80, [
        real_server(rs_ip(121), 9000, [checker("TCP_CHECK")], notify=script)], extra=[
        'quorum_up "%s quorum up"' % script, 'quorum_down "%s quorum down"' % script,
        "sorry_server %s 9000" % rs_ip(119)])))
    v.wait_states({rs_name(rs_ip(121), 9000): False}, DOWN_BOUND)
    assert wait_for(lambda: notified(log, "quorum down"), SCRIPT_BOUND), lab.dir
    mark = v.mark()
    v.hup()
    assert reloaded(v, mark), v.console()
    # The rebuilt virtual server's quorum comes from its servers' kept states at once; were a
    # state lost, the first whole round after the reload would change the quorum again.
    status = v.wait_probes(QUIET_ROUNDS * (RETRY + 1) + 1)
    assert not status["virtual_servers"][0]["quorum_up"]
    assert status["virtual_servers"][0]["sorry_server_active"]
    assert v.lines_since(mark, "quorum") == [], v.console()
    assert v.lines_since(mark, "sorry server") == [], v.console()
    assert len(notified(log, "quorum down")) == 1
