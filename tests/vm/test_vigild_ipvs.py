"""vigild's checker worker against a real kernel's IPVS table (run inside the qemu VM by
tests/vm/run.sh: this machine's own kernel has no IPVS). Real servers are socat listeners in
the VM; the table is read with ipvsadm."""
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

VIGILD = os.environ.get("VIGILD", os.path.join(os.path.dirname(__file__),
                                               "../../build/release/src/vigild"))
VIP = "192.0.2.100"
SERVERS = ["198.51.100.11", "198.51.100.12", "198.51.100.13"]


def wait_for(predicate, timeout, interval=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    return predicate()


def ipvsadm(*args):
    return subprocess.run(["ipvsadm", *args], capture_output=True, text=True,
                          check=True).stdout


def table():
    """{service line: {destination: (method, weight)}} from ipvsadm -Ln."""
    out = {}
    service = None
    for line in ipvsadm("-Ln").splitlines():
        m = re.match(r"^(TCP|UDP|SCTP|FWM)\s+(\S+)\s+(\S+)", line)
        if m:
            service = "%s %s %s" % (m.group(1), m.group(2), m.group(3))
            out[service] = {}
            continue
        m = re.match(r"^\s+->\s+(\S+)\s+(\S+)\s+(\d+)", line)
        if m and service and m.group(1) != "RemoteAddress:Port":
            out[service][m.group(1)] = (m.group(2), int(m.group(3)))
    return out


@pytest.fixture(autouse=True)
def clean_table():
    subprocess.run(["ipvsadm", "-C"], check=True)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    for a in SERVERS:
        subprocess.run(["ip", "addr", "replace", a + "/32", "dev", "lo"], check=True)
    yield
    subprocess.run(["ipvsadm", "-C"], check=False)


class Server:
    def __init__(self, address, port=8080):
        self.address, self.port = address, port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["socat", "TCP-LISTEN:%d,bind=%s,fork,reuseaddr" % (self.port, self.address),
             "SYSTEM:echo ok"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.2)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None


class Vigild:
    def __init__(self, conf_text, extra=()):
        self.dir = tempfile.mkdtemp(prefix="vigil-vm-")
        self.conf = os.path.join(self.dir, "keepalived.conf")
        with open(self.conf, "w") as f:
            f.write(conf_text)
        self.log = os.path.join(self.dir, "vigild.log")
        args = [VIGILD, "-n", "-l", "-G", "-C", "-f", self.conf,
                "-p", self.dir + "/p.pid", "-r", self.dir + "/r.pid", "-c", self.dir + "/c.pid",
                *extra]
        self.proc = subprocess.Popen(args, stdout=open(self.log, "w"), stderr=subprocess.STDOUT)

    def write(self, conf_text):
        with open(self.conf, "w") as f:
            f.write(conf_text)

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)

    def output(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def ipvs_lines(self):
        return [l for l in self.output().splitlines() if "IPVS: " in l]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(20)


def config(weights=(1, 2, 3), inhibit=False, extra_vs=""):
    rs = ""
    for a, w in zip(SERVERS, weights):
        rs += """
    real_server %s 8080 {
        weight %d
        %s
        TCP_CHECK {
            connect_timeout 1
            retry 0
            delay_before_retry 1
            warmup 0
        }
    }""" % (a, w, "inhibit_on_failure" if inhibit else "")
    return """
virtual_server %s 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
%s
}
virtual_server fwmark 7 {
    delay_loop 1
    lb_algo sh
    sh-port
    lb_kind DR
    persistence_timeout 600
    real_server %s 8080 {
        weight 5
        TCP_CHECK {
            connect_timeout 1
            warmup 0
        }
    }
}
%s
""" % (VIP, rs, SERVERS[0], extra_vs)


@pytest.fixture
def servers():
    ss = [Server(a) for a in SERVERS]
    for s in ss:
        s.start()
    yield ss
    for s in ss:
        s.stop()


def test_table_follows_health(servers):
    d = Vigild(config())
    try:
        want = {"%s:8080" % a: ("Masq", w) for a, w in zip(SERVERS, (1, 2, 3))}
        assert wait_for(lambda: table().get("TCP %s:80 wrr" % VIP) == want, 10), (
            ipvsadm("-Ln") + d.output())
        fw = [s for s in table() if s.startswith("FWM  7") or s.startswith("FWM 7")]
        assert fw, ipvsadm("-Ln")
        # A real server stops: its destination goes.
        servers[1].stop()
        want.pop("%s:8080" % SERVERS[1])
        assert wait_for(lambda: table().get("TCP %s:80 wrr" % VIP) == want, 10), (
            ipvsadm("-Ln") + d.output())
        # It comes back.
        servers[1].start()
        want["%s:8080" % SERVERS[1]] = ("Masq", 2)
        assert wait_for(lambda: table().get("TCP %s:80 wrr" % VIP) == want, 10), (
            ipvsadm("-Ln") + d.output())
    finally:
        d.stop()
    # Stop removes vigil's entries.
    assert table() == {}, ipvsadm("-Ln")


def test_inhibit_on_failure_keeps_weight_zero(servers):
    d = Vigild(config(inhibit=True))
    try:
        svc = "TCP %s:80 wrr" % VIP
        assert wait_for(lambda: len(table().get(svc, {})) == 3, 10), ipvsadm("-Ln")
        servers[2].stop()
        assert wait_for(
            lambda: table().get(svc, {}).get("%s:8080" % SERVERS[2]) == ("Masq", 0), 10), (
            ipvsadm("-Ln") + d.output())
    finally:
        d.stop()


def test_reload_unchanged_is_zero_operations_and_weight_change_one_edit(servers):
    d = Vigild(config())
    try:
        svc = "TCP %s:80 wrr" % VIP
        assert wait_for(lambda: len(table().get(svc, {})) == 3, 10), ipvsadm("-Ln")
        time.sleep(2)
        before = len(d.ipvs_lines())
        d.hup()
        time.sleep(3)
        assert len(d.ipvs_lines()) == before, "\n".join(d.ipvs_lines()[before:])
        d.write(config(weights=(1, 2, 7)))
        d.hup()
        assert wait_for(
            lambda: table().get(svc, {}).get("%s:8080" % SERVERS[2]) == ("Masq", 7), 10), (
            ipvsadm("-Ln") + d.output())
        time.sleep(1)
        new = d.ipvs_lines()[before:]
        assert len(new) == 1 and " -e " in " %s " % new[0].split("IPVS: ", 1)[1], new
    finally:
        d.stop()


def test_dont_release_ipvs_keeps_the_table(servers):
    d = Vigild(config(), extra=("-I",))
    svc = "TCP %s:80 wrr" % VIP
    assert wait_for(lambda: len(table().get(svc, {})) == 3, 10), ipvsadm("-Ln")
    d.stop()
    assert len(table().get(svc, {})) == 3, ipvsadm("-Ln")


def test_foreign_entries_are_left_alone(servers):
    ipvsadm("-A", "-t", "203.0.113.9:443", "-s", "rr")
    d = Vigild(config())
    try:
        svc = "TCP %s:80 wrr" % VIP
        assert wait_for(lambda: len(table().get(svc, {})) == 3, 10), ipvsadm("-Ln")
    finally:
        d.stop()
    assert "TCP 203.0.113.9:443 rr" in table(), ipvsadm("-Ln")
