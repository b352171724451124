"""The health-checker laboratory behind tests/net/test_checkers_*.py: a director namespace
running vigild's checker worker (-C) and a server namespace running real servers (nginx,
dnsmasq, aiosmtpd, socat, and the hostile servers of this file), on one bridged LAN.

Topology (netlab.Lan): host `d` (the director, 192.0.2.1 and 198.51.100.1/24) and host `s`
(the servers, 192.0.2.2, plus one 198.51.100.N address per real server, added on demand).
A real server is "stopped" by killing its process, "firewalled" by an nftables drop rule in
the server namespace, "slow" by a toy server whose reply delay is read from a file.

Run as a script, this file is the toy and hostile servers (asyncio, one process, any number
of addresses and ports):
  python3 checklab.py serve MODE ADDR:PORT [ADDR:PORT...] [--delay-file F] [--body TEXT]
MODE: http (valid HTTP reply after the delay in --delay-file), silent (accepts, reads, never
answers), trickle (an endless HTTP header, one byte every 0.1 s), flood (100 MB without a
line end, as fast as the peer reads), floodbody (a valid HTTP header, then a 100 MB body),
garbage (4 KiB of random bytes with line ends, then
close), udp-garbage (answers every datagram with random bytes).
"""
import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import netlab  # noqa: E402
from netlab import sh, wait_for  # noqa: E402

try:
    import pytest
except ImportError:  # run as a server script by a python without pytest
    pytest = None

SANITIZED = netlab.SANITIZED
# The allowance on top of every checker deadline (scheduling, status polling).
MARGIN = 3.0 if SANITIZED else 1.5

# Every test runs its checkers at these settings (seconds).
DELAY_LOOP = 1
CONNECT_TIMEOUT = 1
RETRY = 1
DELAY_BEFORE_RETRY = 1
# An up checker of a server that breaks goes down within this (the policy's worst case is
# delay_loop + (retry + 1) * connect_timeout + retry * delay_before_retry); a down checker of
# a repaired server comes up within the same (a failing round may be under way).
DOWN_BOUND = DELAY_LOOP + (RETRY + 1) * (CONNECT_TIMEOUT + DELAY_BEFORE_RETRY) + MARGIN
UP_BOUND = DOWN_BOUND
# The longest time from the start of one probe of a checker to the start of its next: the probe
# (bounded by connect_timeout; MISC_CHECK's misc_timeout is the delay_loop, FILE_CHECK reads the
# file every second) and the wait after it (delay_loop, or delay_before_retry after a failure).
PROBE_INTERVAL = max(CONNECT_TIMEOUT, DELAY_LOOP) + max(DELAY_LOOP, DELAY_BEFORE_RETRY)
# A checker runs one probe at a time and `probes` (status) counts those started: once it shows
# ROUND_PROBES, RETRY + 1 probes have ended, which always includes the end of a whole round (a
# success, or retry + 1 failures in a row): its verdict on the server is in.
ROUND_PROBES = RETRY + 2

# Notify scripts run asynchronously, after the state change they report: a script's line is in
# its log within this (a deadline for a condition, generous for a busy machine).
SCRIPT_BOUND = 10.0


def probes_bound(n):
    """The time within which every checker starts n more probes (its first n from the start)."""
    return n * PROBE_INTERVAL + MARGIN


TIMING = ("delay_loop %d" % DELAY_LOOP, "connect_timeout %d" % CONNECT_TIMEOUT,
          "retry %d" % RETRY, "delay_before_retry %d" % DELAY_BEFORE_RETRY, "warmup 0")

VIP = "192.0.2.100"
DIRECTOR_IP = "198.51.100.1"
FLOOD_BYTES = 100 * 1024 * 1024


def rs_ip(n):
    return "198.51.100.%d" % n


# Configuration text ---------------------------------------------------------------------------
def block(keyword, lines):
    """`keyword { lines }`, the lines (and nested blocks' lines) indented."""
    return [keyword + " {"] + ["    " + line for line in lines] + ["}"]


def checker(kind, *lines, timing=True):
    """A checker block; `lines` are its own keywords (or nested blocks from block())."""
    body = list(TIMING if timing and kind not in ("FILE_CHECK", "MISC_CHECK") else ())
    if kind == "MISC_CHECK" and timing:
        body += [t for t in TIMING if not t.startswith("connect_timeout")]
    body += list(lines)
    return block(kind, body)


def real_server(ip, port, checkers, weight=1, notify=None, extra=()):
    """`checkers`: checker() results; `notify`: a Lab.notify_script path, called as
    `notify up|down IP:PORT`."""
    lines = ["weight %d" % weight] + list(extra)
    if notify:
        lines += ['notify_up "%s up %s:%s"' % (notify, ip, port),
                  'notify_down "%s down %s:%s"' % (notify, ip, port)]
    for c in checkers:
        lines += c
    return block("real_server %s %s" % (ip, port), lines)


def virtual_server(port, real_servers, vip=VIP, protocol="TCP", extra=()):
    lines = ["lb_algo rr", "lb_kind NAT", "protocol %s" % protocol] + list(TIMING[:-1])
    lines += list(extra)
    for rs in real_servers:
        lines += rs
    return block("virtual_server %s %s" % (vip, port), lines)


def config(*virtual_servers, extra_top=()):
    out = ["global_defs {", "    router_id director", "    script_user root",
           "    enable_script_security", "}"]
    out += list(extra_top)
    for vs in virtual_servers:
        out += vs
    return "\n".join(out) + "\n"


def vs_name(port, vip=VIP, protocol="tcp"):
    return "[%s]:%s:%d" % (vip, protocol, port)


def rs_name(ip, port, protocol="tcp"):
    return "[%s]:%s:%d" % (ip, protocol, port)


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


# Processes ----------------------------------------------------------------------------------
class Process:
    """A server running in a namespace, in its own process group, its output in `log`."""

    def __init__(self, ns, args, log, cwd=None):
        self.args = args
        self.log = log
        with open(log, "a") as out:
            out.write("=== %s\n" % " ".join(args))
            out.flush()
            self.proc = subprocess.Popen(["ip", "netns", "exec", ns] + list(args), stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True, cwd=cwd)

    def running(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        # Children that left the group (none of ours do) would die with the namespace.

    def output(self):
        with open(self.log, errors="replace") as f:
            return f.read()


def listening(ns, proto, ip, port):
    out = sh("ip", "netns", "exec", ns, "ss", "-H", "-n", "-l", "-t" if proto == "tcp" else "-u",
             check=False)
    want = "%s:%d" % (ip, port)
    wild = ("0.0.0.0:%d" % port, "*:%d" % port, "[::]:%d" % port)
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 4 and (fields[3] == want or fields[3] in wild):
            return True
    return False


class Lab:
    """The director and server namespaces of one test, the servers started in them, and the
    firewall of the server namespace."""

    def __init__(self, lan, workdir):
        self.lan = lan
        self.dir = workdir
        self.director = lan.add_host("d", 1)
        self.servers = lan.add_host("s", 2)
        sh("ip", "-n", self.director.ns, "addr", "add", DIRECTOR_IP + "/24", "dev", "eth0")
        # Every refused UDP probe must get its port unreachable: without a reply, an ICMP
        # error is UDP_CHECK's only failure, and the kernel limits them to one a second.
        sh("ip", "netns", "exec", self.servers.ns, "sysctl", "-q", "-w",
           "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0")
        lan.settle()
        self.server_ips = set()
        self.processes = []
        self.blocked = []
        self._fw = False
        self._cert = None

    # Addresses and firewall
    def add_ip(self, ip):
        if ip not in self.server_ips:
            sh("ip", "-n", self.servers.ns, "addr", "add", ip + "/24", "dev", "eth0")
            self.server_ips.add(ip)

    def del_ip(self, ip):
        if ip in self.server_ips:
            sh("ip", "-n", self.servers.ns, "addr", "del", ip + "/24", "dev", "eth0")
            self.server_ips.discard(ip)

    def block(self, ip, port=None, proto="tcp"):
        """Drops what the server namespace receives for ip (and port): no RST, no ICMP."""
        self.blocked.append((ip, port, proto))
        self._render_firewall()

    def unblock(self, ip, port=None, proto="tcp"):
        self.blocked.remove((ip, port, proto))
        self._render_firewall()

    def _render_firewall(self):
        cmds = []
        if not self._fw:
            cmds.append("add table inet vigil_test; add chain inet vigil_test input "
                        "{ type filter hook input priority 0; }")
            self._fw = True
        cmds.append("flush chain inet vigil_test input")
        for ip, port, proto in self.blocked:
            rule = "add rule inet vigil_test input ip daddr %s" % ip
            if port is not None:
                rule += " %s dport %d" % (proto, port)
            cmds.append(rule + " drop")
        sh("ip", "netns", "exec", self.servers.ns, "nft", "; ".join(cmds))

    # Servers
    def spawn(self, name, args, ns=None):
        p = Process(ns or self.servers.ns, args, os.path.join(self.dir, name + ".log"))
        self.processes.append(p)
        return p

    def wait_listening(self, proc, proto, ip, port, timeout=10):
        ok = wait_for(lambda: listening(self.servers.ns, proto, ip, port) or not proc.running(),
                      timeout, 0.05)
        if not ok or not proc.running():
            raise AssertionError("%s did not listen on %s %s:%d\n%s" % (
                proc.args[0], proto, ip, port, proc.output()))
        return proc

    def socat_tcp(self, ip, port):
        self.add_ip(ip)
        p = self.spawn("socat-tcp-%s-%d" % (ip, port), [
            "socat", "TCP-LISTEN:%d,bind=%s,reuseaddr,fork" % (port, ip), "EXEC:/bin/cat"])
        return self.wait_listening(p, "tcp", ip, port)

    def socat_udp(self, ip, port, reply=None):
        """A UDP echo server, or one answering every datagram with `reply` (text). Each
        datagram forks a child bound to the same port; it must be gone (-T) before the next
        probe, or it may swallow that probe's datagram."""
        self.add_ip(ip)
        target = "EXEC:/bin/cat" if reply is None else "SYSTEM:printf %s" % reply
        p = self.spawn("socat-udp-%s-%d" % (ip, port), [
            "socat", "-T", "0.3", "UDP-RECVFROM:%d,bind=%s,reuseaddr,fork" % (port, ip), target])
        return self.wait_listening(p, "udp", ip, port)

    def toy(self, mode, endpoints, delay_file=None, proto="tcp"):
        """This file's asyncio server in `mode` on [(ip, port)]."""
        for ip, _ in endpoints:
            self.add_ip(ip)
        args = ["/usr/bin/python3", os.path.abspath(__file__), "serve", mode]
        args += ["%s:%d" % e for e in endpoints]
        if delay_file:
            args += ["--delay-file", delay_file]
        p = self.spawn("toy-%s-%s-%d" % (mode, endpoints[0][0], endpoints[0][1]), args)
        for ip, port in endpoints:
            self.wait_listening(p, "udp" if mode.startswith("udp") else proto, ip, port)
        return p

    def smtpd(self, ip, port=25):
        self.add_ip(ip)
        p = self.spawn("aiosmtpd-%s" % ip, ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                                             "%s:%d" % (ip, port)])
        return self.wait_listening(p, "tcp", ip, port)

    def dnsmasq(self, ip, records):
        """dnsmasq answering for example.test only (anything else there is NXDOMAIN);
        `records`: dnsmasq options such as --host-record=..."""
        self.add_ip(ip)
        args = ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--user=root",
                "--pid-file=", "--bind-interfaces", "--listen-address=%s" % ip,
                "--port=53", "--local=/example.test/", "--log-facility=-",
                "--conf-file=/dev/null"] + list(records)
        p = self.spawn("dnsmasq-%s" % ip, args)
        return self.wait_listening(p, "udp", ip, 53)

    def certificate(self):
        """A self-signed certificate made now (EC P-256: quick), for every TLS server."""
        if self._cert is None:
            crt = os.path.join(self.dir, "server.crt")
            key = os.path.join(self.dir, "server.key")
            sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
               "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", crt,
               "-days", "2", "-subj", "/CN=vigil.example.test",
               "-addext", "subjectAltName=DNS:sni.example.test,DNS:vigil.example.test")
            self._cert = (crt, key)
        return self._cert

    def nginx(self, ips, servers_text, name="nginx"):
        """nginx (one process, no master) with the `http` block's servers `servers_text`;
        listens wherever those say. Every address in `ips` is added first."""
        for ip in ips:
            self.add_ip(ip)
        root = os.path.join(self.dir, name)
        os.makedirs(root, exist_ok=True)
        crt, key = self.certificate()
        conf = os.path.join(root, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_TEMPLATE % {"root": root, "crt": crt, "key": key,
                                      "servers": servers_text})
        p = self.spawn(name, ["nginx", "-e", os.path.join(root, "error.log"), "-p", root,
                              "-c", conf])
        return p

    def notify_script(self, name="notify"):
        """A script appending "time WORDS..." to DIR/NAME.log: returns (script, log)."""
        log = os.path.join(self.dir, name + ".log")
        path = os.path.join(self.dir, name + ".sh")
        with open(path, "w") as f:
            f.write('#!/bin/sh\necho "$(date +%%s.%%N) $*" >> %s\n' % log)
        os.chmod(path, 0o755)
        return path, log

    def close(self):
        for p in self.processes:
            p.stop()
        self.processes = []


NGINX_TEMPLATE = """
daemon off;
master_process off;
worker_processes 1;
pid %(root)s/nginx.pid;
error_log %(root)s/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path %(root)s/body;
    proxy_temp_path %(root)s/proxy;
    fastcgi_temp_path %(root)s/fastcgi;
    uwsgi_temp_path %(root)s/uwsgi;
    scgi_temp_path %(root)s/scgi;
    default_type text/plain;
    ssl_certificate %(crt)s;
    ssl_certificate_key %(key)s;
    keepalive_timeout 0;
%(servers)s
}
"""


def read_lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def notified(log, words):
    """The times at which the notify script was called with exactly `words`."""
    out = []
    for line in read_lines(log):
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[1] == words:
            out.append(float(parts[0]))
    return out


# vigild's checker worker --------------------------------------------------------------------
class Vigild:
    """vigild with only its checker worker (-C) in the director's namespace."""

    def __init__(self, lab, name="vigild"):
        self.lab = lab
        self.ns = lab.director.ns
        self.dir = os.path.join(lab.dir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "keepalived.conf")
        self.console_log = os.path.join(self.dir, "console.log")
        self.pidfiles = [os.path.join(self.dir, n) for n in ("main.pid", "vrrp.pid",
                                                             "checker.pid")]
        self.status_path = "/tmp/vigil_%s_checker.json" % self.ns
        self.proc = None
        self.started_at = None

    def configure(self, text):
        with open(self.conf, "w") as f:
            f.write(text)

    def start(self):
        args = [netlab.VIGILD, "-n", "-l", "-D", "-G", "-C", "-s", self.ns, "-f", self.conf,
                "-p", self.pidfiles[0], "-r", self.pidfiles[1], "-c", self.pidfiles[2]]
        with open(self.console_log, "a") as out:
            out.write("=== %s\n" % " ".join(args))
            out.flush()
            self.started_at = time.monotonic()
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        if not wait_for(lambda: self.checker_pid() or self.proc.poll() is not None, 10):
            raise AssertionError("vigild: no checker worker\n" + self.console())
        if self.proc.poll() is not None:
            raise AssertionError("vigild exited with %s\n%s" % (self.proc.returncode,
                                                                 self.console()))
        return self

    def _read_pid(self, i):
        try:
            with open(self.pidfiles[i]) as f:
                return int(f.read().strip())
        except (FileNotFoundError, ValueError):
            return None

    def checker_pid(self):
        return self._read_pid(2)

    def hup(self):
        os.kill(self.proc.pid, signal.SIGHUP)

    def close(self):
        if self.proc is None:
            return
        worker = self.checker_pid()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        if worker:
            try:
                with open("/proc/%d/cmdline" % worker, "rb") as f:
                    ours = self.conf.encode() in f.read()
            except OSError:
                ours = False
            if ours:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker, signal.SIGKILL)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.status_path)

    # Observation
    def console(self, tail=80):
        lines = read_lines(self.console_log)
        return "\n".join(lines[-tail:])

    def log(self):
        return read_lines(self.console_log)

    def mark(self):
        """A position in the log: lines_since(mark) are the lines written after it."""
        return len(self.log())

    def lines_since(self, mark, contains=""):
        return [line for line in self.log()[mark:] if contains in line]

    def status(self, timeout=5):
        """The checker worker's JSON status (SIGRTMIN+2), its "checker" object."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.status_path)
        os.kill(self.proc.pid, signal.SIGRTMIN + 2)

        def load():
            try:
                with open(self.status_path) as f:
                    return json.load(f)
            except (FileNotFoundError, ValueError):
                return None

        status = wait_for(load, timeout, 0.02)
        if status is None:
            raise AssertionError("vigild wrote no %s\n%s" % (self.status_path, self.console()))
        return status["checker"]

    def rss_kb(self, field="VmRSS"):
        with open("/proc/%d/status" % self.checker_pid()) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise AssertionError("no %s" % field)

    def checkers(self, status, names=None):
        """(real server name, checker status) of every checker that runs (of the real servers
        in `names`, or all)."""
        return [(rs["name"], c) for vs in status["virtual_servers"] for rs in vs["real_servers"]
                if names is None or rs["name"] in names
                for c in rs["checkers"] if "disabled" not in c]

    def wait_probes(self, n, names=None, timeout=None, since=None):
        """Waits until every checker (of the real servers in `names`, or all) has started n
        probes (n - 1 of them have ended), counted from `since` ({(rs name, checker): probes},
        from probe_counts(), if given); returns the status then."""
        since = since or {}
        timeout = probes_bound(n) if timeout is None else timeout
        last = {}

        def enough():
            last["status"] = status = self.status()
            checkers = self.checkers(status, names)
            return checkers and all(
                c["probes"] - since.get((name, c["checker"]), 0) >= n for name, c in checkers)

        if not wait_for(enough, timeout, 0.1):
            raise AssertionError("not every checker started %d probes within %.1fs\nstatus: %s"
                                 "\n%s" % (n, timeout, json.dumps(last.get("status"), indent=1),
                                            self.console()))
        return last["status"]

    def probe_counts(self, names=None):
        """{(real server name, checker): probes started} now, for wait_probes(since=)."""
        return {(name, c["checker"]): c["probes"]
                for name, c in self.checkers(self.status(), names)}

    def wait_states(self, expected, timeout, poll=0.2):
        """Waits until every real server named in `expected` ({name: up}) has that state;
        returns {name: seconds after the call when it first had it} (absent: never)."""
        start = time.monotonic()
        reached = {}
        last = None
        while True:
            last = self.status()
            now = time.monotonic() - start
            for name, up in expected.items():
                rs = find_rs(last, name)
                if rs is not None and rs["up"] == up and name not in reached:
                    reached[name] = now
            if len(reached) == len(expected) or now >= timeout:
                break
            time.sleep(poll)
        missing = {n: u for n, u in expected.items() if n not in reached}
        assert not missing, "not reached within %.1fs: %s\nstatus: %s\n%s" % (
            timeout, missing, json.dumps(last, indent=1), self.console())
        return reached


def find_vs(status, name):
    for vs in status["virtual_servers"]:
        if vs["name"] == name:
            return vs
    return None


def find_rs(status, name, vs=None):
    """A real server by name (in virtual server `vs`, or the first one that has it)."""
    for v in status["virtual_servers"]:
        if vs is not None and v["name"] != vs:
            continue
        for rs in v["real_servers"]:
            if rs["name"] == name:
                return rs
    return None


# Fixtures (imported by the test modules) ------------------------------------------------------
if pytest is not None:
    @pytest.fixture
    def lab(lan, workdir):
        lab_ = Lab(lan, workdir)
        try:
            yield lab_
        finally:
            lab_.close()

    @pytest.fixture
    def make_vigild(lab):
        """make_vigild(config_text) -> a started Vigild; killed at teardown, before the
        servers and namespaces go."""
        daemons = []

        def make(text, name="vigild"):
            v = Vigild(lab, name)
            daemons.append(v)
            v.configure(text)
            return v.start()

        yield make
        for v in daemons:
            v.close()


# The toy and hostile servers (run as a script) ----------------------------------------------
async def _serve_tcp(mode, delay_file, reader, writer):
    try:
        if mode == "http":
            await reader.readuntil(b"\r\n\r\n")
            delay = 0.0
            if delay_file:
                with contextlib.suppress(OSError, ValueError):
                    with open(delay_file) as f:
                        delay = float(f.read().strip() or 0)
            await asyncio.sleep(delay)
            body = b"vigil toy server\n"
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
        elif mode == "silent":
            while await reader.read(4096):
                pass
        elif mode == "trickle":
            head = b"HTTP/1.1 200 OK\r\nX-Trickle: "
            i = 0
            while True:
                writer.write(head[i:i + 1] if i < len(head) else b"a")
                await writer.drain()
                i += 1
                await asyncio.sleep(0.1)
        elif mode == "flood":
            chunk = b"A" * 65536
            sent = 0
            while sent < FLOOD_BYTES:
                writer.write(chunk)
                await writer.drain()
                sent += len(chunk)
        elif mode == "floodbody":
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % FLOOD_BYTES)
            chunk = b"B" * 65536
            sent = 0
            while sent < FLOOD_BYTES:
                writer.write(chunk)
                await writer.drain()
                sent += len(chunk)
        elif mode == "garbage":
            data = bytearray(os.urandom(4096))
            for i in range(0, len(data), 97):
                data[i:i + 2] = b"\r\n"
            writer.write(bytes(data))
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


class _UdpGarbage(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(os.urandom(random.randint(1, 600)), addr)


async def _serve(args):
    loop = asyncio.get_running_loop()
    servers = []
    for ep in args.endpoints:
        ip, port = ep.rsplit(":", 1)
        if args.mode == "udp-garbage":
            await loop.create_datagram_endpoint(_UdpGarbage, local_addr=(ip, int(port)))
            continue
        servers.append(await asyncio.start_server(
            lambda r, w: _serve_tcp(args.mode, args.delay_file, r, w), ip, int(port),
            reuse_address=True, backlog=1024))
    await asyncio.Event().wait()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("mode", choices=["http", "silent", "trickle", "flood", "floodbody",
                                        "garbage", "udp-garbage"])
    serve.add_argument("endpoints", nargs="+")
    serve.add_argument("--delay-file")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
