"""Hostile servers: one that accepts and never answers, one that trickles an endless header a
byte at a time, one that floods 100 MB without a line end (and one that sends a valid header
then a 100 MB body), one that sends random bytes. Every check goes down in bounded time, the
checker worker's memory stays bounded (its peak RSS grows by less than 64 MB although each
flood offers 100 MB per connection) and it keeps answering status requests."""
import time

import checklab

from checklab import (DOWN_BOUND, checker, config, md5, real_server, rs_ip, rs_name, virtual_server)
from checklab import lab, make_vigild  # noqa: F401,F811 (pytest fixtures)

MAX_GROWTH_KB = 64 * 1024
# Probes each hostile server gets to fight before the checker worker is judged.
HOSTILE_PROBES = 3


def url(path, *lines):
    return ["url {", "    path %s" % path] + ["    " + line for line in lines] + ["}"]


# (address index, port, toy mode, checker kind, checker lines)
CASES = [
    (90, 80, "silent", "HTTP_GET", url("/")),
    (91, 80, "trickle", "HTTP_GET", url("/")),
    (92, 80, "flood", "HTTP_GET", url("/")),
    (93, 80, "garbage", "HTTP_GET", url("/")),
    (94, 80, "floodbody", "HTTP_GET", url("/", "digest %s" % md5("something else"))),
    (95, 80, "floodbody", "HTTP_GET", url("/", 'regex "never there"')),
    (96, 443, "silent", "SSL_GET", url("/")),
    (97, 443, "flood", "SSL_GET", url("/")),
    (98, 25, "flood", "SMTP_CHECK", []),
    (99, 25, "trickle", "SMTP_CHECK", []),
    (100, 25, "silent", "SMTP_CHECK", []),
    (101, 25, "garbage", "SMTP_CHECK", []),
]


def test_hostile_servers_bounded(lab, make_vigild):
    by_mode = {}
    for n, port, mode, _, _ in CASES:
        by_mode.setdefault(mode, []).append((rs_ip(n), port))
    for mode, endpoints in by_mode.items():
        lab.toy(mode, endpoints)
    servers = [real_server(rs_ip(n), port, [checker(kind, *lines)])
               for n, port, _, kind, lines in CASES]
    v = make_vigild(config(virtual_server(80, servers)))
    worker = v.checker_pid()
    v.status()
    baseline = v.rss_kb()

    names = [rs_name(rs_ip(n), port) for n, port, *_ in CASES]
    v.wait_states({n: False for n in names}, DOWN_BOUND)
    # More rounds of hostility: each checker keeps probing its server; the memory and the
    # status are judged once every one has ended HOSTILE_PROBES probes.
    v.wait_probes(HOSTILE_PROBES + 1)
    started = time.monotonic()
    status = v.status()
    assert time.monotonic() - started < 1.0, "status took %.2fs" % (time.monotonic() - started)
    assert v.checker_pid() == worker, "the checker worker was restarted\n" + v.console()
    for vs in status["virtual_servers"]:
        for rs in vs["real_servers"]:
            assert not rs["up"], rs
            assert rs["checkers"][0]["probes"] >= HOSTILE_PROBES + 1, rs
    peak = v.rss_kb("VmHWM")
    assert peak - baseline < MAX_GROWTH_KB, "RSS %d kB -> peak %d kB\n%s" % (
        baseline, peak, v.console())
    # The 100 MB body streamed through the digest: either all of it in time (the digest of
    # the whole flood) or the deadline ended the fetch.
    digest_failure = status["virtual_servers"][0]["real_servers"][4]["checkers"][0]
    assert (md5("B" * checklab.FLOOD_BYTES) in digest_failure["last_failure"]
            or "timed out" in digest_failure["last_failure"]), digest_failure
