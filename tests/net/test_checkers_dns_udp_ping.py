"""DNS_CHECK against dnsmasq (A, AAAA, MX, TXT records; NXDOMAIN; a server answering garbage),
UDP_CHECK against socat (echo, a fixed wrong reply, nothing listening; require_reply with and
without data, reply length limits) and PING_CHECK (an address that answers, one whose host
is down); then the servers fail (dnsmasq stopped, the UDP server firewalled, the pinged
address removed) and come back, with notify_up/down."""
from checklab import (DOWN_BOUND, ROUND_PROBES, SCRIPT_BOUND, UP_BOUND, checker, config,
                      notified, real_server, rs_ip, rs_name, virtual_server)
from checklab import lab, make_vigild  # noqa: F401,F811 (pytest fixtures)
from netlab import wait_for

DNS_RECORDS = ["--host-record=www.example.test,198.51.100.80,2001:db8::80",
               "--mx-host=example.test,mail.example.test,10",
               "--txt-record=example.test,vigil"]

# (address index, DNS_CHECK lines, expected up); every address is one dnsmasq but .45.
DNS_CASES = [
    (40, ["type A", "name www.example.test"], True),
    (41, ["type AAAA", "name www.example.test"], True),
    (42, ["type MX", "name example.test"], True),
    (43, ["type TXT", "name example.test"], True),
    (44, ["type A", "name nosuch.example.test"], False),  # NXDOMAIN
    (45, ["type A", "name www.example.test"], False),  # random bytes for answers
]

VIGIL = "76 69 67 69 6c"  # "vigil"
# (address index, server, UDP_CHECK lines, expected up)
UDP_CASES = [
    (50, "echo", ["payload %s" % VIGIL, "require_reply 7669 6769"], True),
    (51, "nope", ["payload %s" % VIGIL, "require_reply 7669 6769"], False),
    (52, "echo", ["require_reply"], True),
    (53, None, ["require_reply"], False),  # port unreachable
    (54, None, ["payload %s" % VIGIL], False),  # port unreachable, even without a reply
    (55, "echo", ["payload %s" % VIGIL, "require_reply", "max_reply_length 3"], False),
    (56, "echo", ["payload %s" % VIGIL, "require_reply 76xx67", "min_reply_length 5"], True),
]

PING_CASES = [(60, True), (61, False), (62, True)]  # .61 does not exist


def test_dns_udp_ping(lab, make_vigild):
    script, log = lab.notify_script()
    dns_ips = [rs_ip(n) for n, _, _ in DNS_CASES[:5]]
    for ip in dns_ips[1:]:
        lab.add_ip(ip)
    dnsmasq_args = DNS_RECORDS + ["--listen-address=%s" % ip for ip in dns_ips[1:]]
    dnsmasq = lab.dnsmasq(dns_ips[0], dnsmasq_args)
    lab.toy("udp-garbage", [(rs_ip(45), 53)])
    for n, server, _, _ in UDP_CASES:
        if server == "echo":
            lab.socat_udp(rs_ip(n), 7000)
        elif server == "nope":
            lab.socat_udp(rs_ip(n), 7000, reply="nope")
        else:
            lab.add_ip(rs_ip(n))
    for n, _ in PING_CASES:
        if n != 61:
            lab.add_ip(rs_ip(n))

    dns_vs = virtual_server(53, [
        real_server(rs_ip(n), 53, [checker("DNS_CHECK", *lines)], notify=script)
        for n, lines, _ in DNS_CASES], protocol="UDP")
    udp_vs = virtual_server(7000, [
        real_server(rs_ip(n), 7000, [checker("UDP_CHECK", *lines)], notify=script)
        for n, _, lines, _ in UDP_CASES], protocol="UDP")
    ping_vs = virtual_server(80, [
        real_server(rs_ip(n), 80, [checker("PING_CHECK")], notify=script)
        for n, _ in PING_CASES])
    v = make_vigild(config(dns_vs, udp_vs, ping_vs))

    expected = {rs_name(rs_ip(n), 53, "udp"): up for n, _, up in DNS_CASES}
    expected.update({rs_name(rs_ip(n), 7000, "udp"): up for n, _, _, up in UDP_CASES})
    expected.update({rs_name(rs_ip(n), 80): up for n, up in PING_CASES})
    v.wait_states({k: False for k, up in expected.items() if not up}, DOWN_BOUND)
    # Every checker's verdict is in (a whole round ended): the healthy ones were probed and
    # stayed up.
    status = v.wait_probes(ROUND_PROBES)
    actual = {rs["name"]: rs["up"] for vs in status["virtual_servers"]
              for rs in vs["real_servers"]}
    assert actual == expected, v.console()
    reasons = {rs["name"]: rs["checkers"][0].get("last_failure", "")
               for vs in status["virtual_servers"] for rs in vs["real_servers"]}
    assert "NXDOMAIN" in reasons[rs_name(rs_ip(44), 53, "udp")].upper(), reasons

    # Failures: dnsmasq stops, the echo server .50 is firewalled, .62 disappears.
    mark = v.mark()
    dnsmasq.stop()
    lab.block(rs_ip(50), 7000, "udp")
    lab.del_ip(rs_ip(62))
    broken = ([rs_name(ip, 53, "udp") for ip in dns_ips[:4]]
              + [rs_name(rs_ip(50), 7000, "udp"), rs_name(rs_ip(62), 80)])
    v.wait_states({n: False for n in broken}, DOWN_BOUND)
    for name in (rs_name(rs_ip(52), 7000, "udp"), rs_name(rs_ip(60), 80)):
        assert v.lines_since(mark, "Removing service %s " % name) == [], v.console()

    lab.dnsmasq(dns_ips[0], dnsmasq_args)
    lab.unblock(rs_ip(50), 7000, "udp")
    lab.add_ip(rs_ip(62))
    v.wait_states({n: True for n in broken}, UP_BOUND)
    # The notify scripts run asynchronously: their lines come a moment after the state.
    repaired = [(ip, 53) for ip in dns_ips[:4]] + [(rs_ip(50), 7000), (rs_ip(62), 80)]
    assert wait_for(lambda: all(notified(log, "up %s:%d" % e) for e in repaired),
                    SCRIPT_BOUND), lab.dir
    for ip, port in repaired:
        downs = notified(log, "down %s:%d" % (ip, port))
        ups = notified(log, "up %s:%d" % (ip, port))
        assert len(downs) == 1 and len(ups) == 1 and ups[0] > downs[0], (ip, downs, ups)
