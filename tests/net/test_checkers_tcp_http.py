"""TCP_CHECK, HTTP_GET and SSL_GET against real servers (nginx with a certificate made at test
time, socat, the toy HTTP server of checklab): every verdict keepalived.conf(5) describes
(status code, digest, regex, virtual host, SNI), and servers that stop, are firewalled or
become slow go down within the policy's bound and come back up, calling notify_up/down."""
from checklab import (DOWN_BOUND, ROUND_PROBES, SCRIPT_BOUND, UP_BOUND, checker, config, md5,
                      notified, real_server, rs_ip, rs_name, virtual_server)
from checklab import lab, make_vigild  # noqa: F401,F811 (pytest fixtures)
from netlab import wait_for

PAGE = "<html><body>vigil page 42</body></html>\n"
OK = "vigil ok\n"

NGINX_SERVERS = """
    server {
        listen 80 default_server;
        listen 443 ssl default_server;
        location = /ok { return 200 "%(ok)s"; }
        location = /err { return 500 "broken\\n"; }
        location = /page { return 200 "%(page)s"; }
        location = /vhost { return 404 "no such host\\n"; }
    }
    server {
        listen 80;
        server_name vhost.example.test;
        location = /vhost { return 200 "vhost\\n"; }
    }
    server {
        listen 8443 ssl default_server;
        ssl_reject_handshake on;
    }
    server {
        listen 8443 ssl;
        server_name sni.example.test;
        location / { return 200 "sni\\n"; }
    }
""" % {"ok": OK.replace("\n", "\\n"), "page": PAGE.replace("\n", "\\n")}


def url(path, *lines):
    return ["url {", "    path %s" % path] + ["    " + line for line in lines] + ["}"]


# (address index, port, checker kind, checker lines, expected up)
VERDICTS = [
    (10, 80, "HTTP_GET", url("/ok"), True),
    (11, 80, "HTTP_GET", url("/err"), False),  # 500, default status_code 200-299
    (12, 80, "HTTP_GET", url("/err", "status_code 500"), True),
    (13, 80, "HTTP_GET", url("/page", "digest %s" % md5(PAGE)), True),
    (14, 80, "HTTP_GET", url("/page", "digest %s" % md5("another page")), False),
    (15, 80, "HTTP_GET", url("/page", 'regex "page [0-9]+"'), True),
    (16, 80, "HTTP_GET", url("/page", 'regex "page [a-z]+<"'), False),
    (17, 80, "HTTP_GET", url("/page", 'regex "broken"', "regex_no_match"), True),
    (18, 80, "HTTP_GET", url("/page", 'regex "vigil"', "regex_no_match"), False),
    (19, 80, "HTTP_GET", url("/vhost", "virtualhost vhost.example.test"), True),
    (20, 80, "HTTP_GET", url("/vhost"), False),  # the default server: 404
    (21, 80, "HTTP_GET", url("/ok", "digest %s" % md5(OK)) + url("/page", "status_code 200"),
     True),
    (22, 80, "HTTP_GET", url("/ok") + url("/err"), False),  # every url must pass
    (23, 443, "SSL_GET", url("/ok", "digest %s" % md5(OK)), True),
    (24, 443, "SSL_GET", url("/err"), False),
    (25, 8443, "SSL_GET", ["enable_sni"] + url("/", "virtualhost sni.example.test"), True),
    # Without SNI the handshake is rejected (ssl_reject_handshake).
    (26, 8443, "SSL_GET", url("/", "virtualhost sni.example.test"), False),
    (27, 80, "SSL_GET", url("/ok"), False),  # TLS to a plain HTTP server
]


def test_http_and_ssl_verdicts(lab, make_vigild):
    nginx = lab.nginx([rs_ip(n) for n, *_ in VERDICTS], NGINX_SERVERS)
    for port in (80, 443, 8443):
        lab.wait_listening(nginx, "tcp", rs_ip(10), port)
    servers = [real_server(rs_ip(n), port, [checker(kind, *lines)])
               for n, port, kind, lines, _ in VERDICTS]
    v = make_vigild(config(virtual_server(80, servers)))
    expected = {rs_name(rs_ip(n), port): up for n, port, _, _, up in VERDICTS}
    v.wait_states({k: False for k, up in expected.items() if not up}, DOWN_BOUND)
    # Every checker's verdict is in (a whole round ended): the healthy ones were probed and
    # never went down.
    status = v.wait_probes(ROUND_PROBES)
    for vs in status["virtual_servers"]:
        for rs in vs["real_servers"]:
            assert rs["up"] == expected[rs["name"]], (rs, v.console())
            assert rs["checkers"][0]["probes"] >= 2, rs
    for name, up in expected.items():
        removed = [line for line in v.log() if "Removing service %s " % name in line]
        assert bool(removed) == (not up), (name, removed)
    # Failures say why.
    reasons = {rs["name"]: rs["checkers"][0].get("last_failure", "")
               for rs in status["virtual_servers"][0]["real_servers"]}
    assert "500" in reasons[rs_name(rs_ip(11), 80)], reasons
    assert "digest" in reasons[rs_name(rs_ip(14), 80)].lower(), reasons
    assert "regex" in reasons[rs_name(rs_ip(16), 80)].lower(), reasons
    assert "404" in reasons[rs_name(rs_ip(20), 80)], reasons


def test_servers_break_and_recover(lab, make_vigild):
    script, log = lab.notify_script()
    delay_file = lab.dir + "/delay"
    with open(delay_file, "w") as f:
        f.write("0")
    stopped_socat = lab.socat_tcp(rs_ip(30), 9000)
    lab.socat_tcp(rs_ip(31), 9000)  # firewalled
    lab.toy("http", [(rs_ip(32), 8080)], delay_file=delay_file)  # slow
    stopped_nginx = lab.nginx([rs_ip(33)], "server { listen %s:80; location / { return 200; } }"
                              % rs_ip(33), name="nginx33")
    lab.wait_listening(stopped_nginx, "tcp", rs_ip(33), 80)
    tls = lab.nginx([rs_ip(34)], "server { listen %s:443 ssl; location / { return 200; } }"
                    % rs_ip(34), name="nginx34")  # firewalled
    lab.wait_listening(tls, "tcp", rs_ip(34), 443)
    lab.socat_tcp(rs_ip(35), 9000)  # stays healthy
    cases = [(30, 9000, "TCP_CHECK", []), (31, 9000, "TCP_CHECK", []),
             (32, 8080, "HTTP_GET", url("/")), (33, 80, "HTTP_GET", url("/")),
             (34, 443, "SSL_GET", url("/")), (35, 9000, "TCP_CHECK", [])]
    servers = [real_server(rs_ip(n), port, [checker(kind, *lines)], notify=script)
               for n, port, kind, lines in cases]
    v = make_vigild(config(virtual_server(80, servers)))
    names = [rs_name(rs_ip(n), port) for n, port, *_ in cases]
    status = v.wait_probes(ROUND_PROBES)  # every checker's verdict is in
    assert all(rs["up"] for rs in status["virtual_servers"][0]["real_servers"]), status

    mark = v.mark()
    stopped_socat.stop()
    lab.block(rs_ip(31), 9000)
    with open(delay_file, "w") as f:
        f.write("3")
    stopped_nginx.stop()
    lab.block(rs_ip(34), 443)
    broken = names[:5]
    v.wait_states({n: False for n in broken}, DOWN_BOUND)
    assert v.lines_since(mark, "Removing service %s " % names[5]) == [], v.console()
    assert wait_for(lambda: all(notified(log, "down %s:%d" % (rs_ip(n), port))
                                for n, port, *_ in cases[:5]), SCRIPT_BOUND), lab.dir
    for n, port, *_ in cases[:5]:
        assert len(notified(log, "down %s:%d" % (rs_ip(n), port))) == 1, (n, lab.dir)
    assert notified(log, "down %s:9000" % rs_ip(35)) == []
    reasons = {rs["name"]: rs["checkers"][0]["last_failure"]
               for rs in v.status()["virtual_servers"][0]["real_servers"][:5]}
    assert "refused" in reasons[names[0]].lower(), reasons
    assert "timed out" in reasons[names[1]].lower(), reasons

    mark = v.mark()
    lab.socat_tcp(rs_ip(30), 9000)
    lab.unblock(rs_ip(31), 9000)
    with open(delay_file, "w") as f:
        f.write("0")
    lab.wait_listening(lab.nginx([rs_ip(33)], "server { listen %s:80; location / { return 200; } }"
                                 % rs_ip(33), name="nginx33"), "tcp", rs_ip(33), 80)
    lab.unblock(rs_ip(34), 443)
    v.wait_states({n: True for n in broken}, UP_BOUND)
    for name in broken:
        assert len(v.lines_since(mark, "Adding service %s " % name)) == 1, v.console()
    # The notify scripts run asynchronously: their lines come a moment after the state.
    assert wait_for(lambda: all(notified(log, "up %s:%d" % (rs_ip(n), port))
                                for n, port, *_ in cases[:5]), SCRIPT_BOUND), lab.dir
    for n, port, *_ in cases[:5]:
        downs = notified(log, "down %s:%d" % (rs_ip(n), port))
        ups = notified(log, "up %s:%d" % (rs_ip(n), port))
        assert len(ups) == 1 and ups[0] > downs[0], (n, downs, ups)
