"""vigild's checker worker against a real kernel's IPVS table (run inside the qemu VM by
tests/vm/run.sh: this machine's own kernel has no IPVS). Real servers are socat listeners in
the VM; the table is read with ipvsadm."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

import pytest

VIGILD = os.environ.get("VIGILD", os.path.join(os.path.dirname(__file__),
                                               "../../build/release/src/vigild"))
VIP = "192.0.2.100"
SERVERS = ["198.51.100.11", "198.51.100.12", "198.51.100.13"]
# An ASan build in an emulated VM is slow: wider deadlines.
SLOW = 3 if os.environ.get("VIGIL_SANITIZED") == "1" else 1


def wait_for(predicate, timeout, interval=0.1):
    end = time.monotonic() + timeout * SLOW
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


def accepts(address, port):
    try:
        socket.create_connection((address, port), timeout=1).close()
        return True
    except OSError:
        return False


class Server:
    def __init__(self, address, port=8080):
        self.address, self.port = address, port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["socat", "TCP-LISTEN:%d,bind=%s,fork,reuseaddr" % (self.port, self.address),
             "SYSTEM:echo ok"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: accepts(self.address, self.port), 10), "socat does not listen"

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None


class Vigild:
    def __init__(self, conf_text, extra=(), subsystem="-C"):
        self.dir = tempfile.mkdtemp(prefix="vigil-vm-")
        self.conf = os.path.join(self.dir, "keepalived.conf")
        with open(self.conf, "w") as f:
            f.write(conf_text)
        self.log = os.path.join(self.dir, "vigild.log")
        args = [VIGILD, "-n", "-l", "-G", subsystem, "-f", self.conf,
                "-p", self.dir + "/p.pid", "-r", self.dir + "/r.pid", "-c", self.dir + "/c.pid",
                *extra]
        self.proc = subprocess.Popen(args, stdout=open(self.log, "w"), stderr=subprocess.STDOUT)

    def write(self, conf_text):
        with open(self.conf, "w") as f:
            f.write(conf_text)

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)

    def reload_and_settle(self):
        """SIGHUP, then waits until the checker worker has reloaded and finished handling the
        reload (it handles signals in order: its SIGUSR2 dump comes after the reload)."""
        done = self.output().count("configuration reloaded")
        self.hup()
        assert wait_for(lambda: self.output().count("configuration reloaded") > done, 10), (
            self.output())
        self.settle()

    def settle(self):
        """Returns once the checker worker has handled everything signalled before."""
        stats = "/tmp/vigil_checker.stats"
        if os.path.exists(stats):
            os.unlink(stats)
        self.proc.send_signal(signal.SIGUSR2)
        assert wait_for(lambda: os.path.exists(stats), 10), self.output()

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
            connect_timeout 5
            retry 1
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
            connect_timeout 5
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
        d.settle()
        before = len(d.ipvs_lines())
        d.reload_and_settle()
        assert len(d.ipvs_lines()) == before, "\n".join(d.ipvs_lines()[before:])
        d.write(config(weights=(1, 2, 7)))
        d.hup()
        assert wait_for(
            lambda: table().get(svc, {}).get("%s:8080" % SERVERS[2]) == ("Masq", 7), 10), (
            ipvsadm("-Ln") + d.output())
        d.settle()
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


KINDS = """
global_defs {
    lvs_timeouts tcp 900 tcpfin 60 udp 120
}
virtual_server 2001:db8::100 443 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 2001:db8::11 8443 {
        weight 4
    }
}
virtual_server 192.0.2.100 53 {
    lb_algo wlc
    lb_kind DR
    protocol UDP
    real_server 198.51.100.11 53 {
        weight 2
    }
}
virtual_server 192.0.2.100 3868 {
    lb_algo mh
    mh-port
    lb_kind TUN
    protocol SCTP
    real_server 198.51.100.12 3868 {
        weight 3
    }
}
virtual_server_group WEB {
    192.0.2.110-111 80
    fwmark 9
}
virtual_server group WEB {
    lb_algo lc
    lb_kind NAT
    protocol TCP
    persistence_timeout 300
    real_server 198.51.100.13 80 {
        weight 6
        uthreshold 100
        lthreshold 10
    }
}
"""


def test_every_kind_of_virtual_server_matches_the_configuration(servers):
    d = Vigild(KINDS)
    try:
        want = {
            "TCP [2001:db8::100]:443 rr": {"[2001:db8::11]:8443": ("Masq", 4)},
            "UDP 192.0.2.100:53 wlc": {"198.51.100.11:53": ("Route", 2)},
            "SCTP 192.0.2.100:3868 mh": {"198.51.100.12:3868": ("Tunnel", 3)},
            "TCP 192.0.2.110:80 lc": {"198.51.100.13:80": ("Masq", 6)},
            "TCP 192.0.2.111:80 lc": {"198.51.100.13:80": ("Masq", 6)},
            "FWM 9 lc": {"198.51.100.13:80": ("Masq", 6)},
        }
        assert wait_for(lambda: table() == want, 10), ipvsadm("-Ln") + d.output()
        text = ipvsadm("-Ln")
        assert "mh (mh-port)" in text, text
        assert "persistent 300" in text, text
        assert "900 60 120" in ipvsadm("-L", "--timeout"), ipvsadm("-L", "--timeout")
        thresholds = ipvsadm("-Ln", "--thresholds")
        assert re.search(r"198\.51\.100\.13:80\s+100\s+10", thresholds), thresholds
    finally:
        d.stop()
    assert table() == {}, ipvsadm("-Ln")


def sh(*args):
    subprocess.run(list(args), check=True)


def listening(ns, port):
    """Whether something in namespace `ns` accepts TCP connections on `port` (127.0.0.1)."""
    return subprocess.run(["ip", "netns", "exec", ns, "socat", "-T1", "/dev/null",
                           "TCP:127.0.0.1:%d,connect-timeout=1" % port],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


class Lab:
    """Hosts in network namespaces on bridges of the VM's own namespace (where the director,
    vigild and IPVS are), and socat servers in them; close() removes everything."""

    def __init__(self):
        self.namespaces, self.bridges, self.servers = [], [], []

    def bridge(self, name, *addresses):
        sh("ip", "link", "add", name, "type", "bridge")
        self.bridges.append(name)
        for a in addresses:
            sh("ip", "addr", "add", a, "dev", name)
        sh("ip", "link", "set", name, "up")

    def host(self, name, bridge, address, default_via=None, vip_on_lo=None):
        """A namespace `name` with eth0 (`address`/24) on `bridge`; `vip_on_lo`: a DR real
        server holding the VIP on lo without answering ARP for it."""
        sh("ip", "netns", "add", name)
        self.namespaces.append(name)
        sh("ip", "link", "add", "v" + name, "type", "veth", "peer", "name", "eth0", "netns", name)
        sh("ip", "link", "set", "v" + name, "master", bridge)
        sh("ip", "link", "set", "v" + name, "up")
        sh("ip", "-n", name, "addr", "add", address + "/24", "dev", "eth0")
        sh("ip", "-n", name, "link", "set", "eth0", "up")
        sh("ip", "-n", name, "link", "set", "lo", "up")
        if default_via:
            sh("ip", "-n", name, "route", "add", "default", "via", default_via)
        if vip_on_lo:
            sh("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1")
            sh("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2")
            sh("ip", "-n", name, "addr", "add", vip_on_lo + "/32", "dev", "lo")

    def serve(self, name, port=80):
        """A TCP server in namespace `name` answering its own name; returns once it listens."""
        p = subprocess.Popen(["ip", "netns", "exec", name, "socat",
                              "TCP-LISTEN:%d,fork,reuseaddr" % port, "SYSTEM:echo " + name],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.servers.append(p)
        assert wait_for(lambda: listening(name, port), 10), "%s: socat does not listen" % name
        return p

    def close(self):
        for p in self.servers:
            if p.poll() is None:
                p.terminate()
                p.wait()
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns])
        for b in self.bridges:
            subprocess.run(["ip", "link", "del", b])


@pytest.fixture
def lab():
    network = Lab()
    yield network
    network.close()


@pytest.fixture
def nat_network(lab):
    """client (192.0.2.50) -- [br0] -- director (this namespace: 192.0.2.1 and the VIP
    192.0.2.100, 198.51.100.1) -- [br1] -- rs1, rs2 (198.51.100.21/.22, default route via the
    director)."""
    sh("sysctl", "-qw", "net.ipv4.ip_forward=1")
    lab.bridge("br0", "192.0.2.1/24", VIP + "/32")
    lab.host("client", "br0", "192.0.2.50")
    lab.bridge("br1", "198.51.100.1/24")
    servers = []
    for i, name in ((21, "rs1"), (22, "rs2")):
        lab.host(name, "br1", "198.51.100.%d" % i, default_via="198.51.100.1")
        servers.append(lab.serve(name))
    return servers


def conn_counters():
    """{destination: connections} from ipvsadm -Ln --stats --exact."""
    out = {}
    for line in ipvsadm("-Ln", "--stats", "--exact").splitlines():
        m = re.match(r"^\s+->\s+(\d\S+)\s+(\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def request(client="client", vip=VIP, log=None):
    """One request from namespace `client` to `vip`:80: the answering server's name, or None
    (each attempt is described in `log`)."""
    t0 = time.monotonic()
    # -t5: after its own end of input, socat waits 0.5 s by default for the answer, which a
    # loaded machine's fork + exec of the server's echo can take longer than.
    r = subprocess.run(["ip", "netns", "exec", client, "socat", "-T5", "-t5", "-",
                        "TCP:%s:80,connect-timeout=5" % vip],
                       input="", capture_output=True, text=True)
    if log is not None:
        log.append("%.3fs rc=%d out=%r err=%r" % (time.monotonic() - t0, r.returncode,
                                                 r.stdout, r.stderr[-300:]))
    return r.stdout.strip() if r.returncode == 0 else None


NAT_CONFIG = """
virtual_server %s 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.21 80 {
        TCP_CHECK {
            connect_timeout 5
            retry 1
            delay_before_retry 1
            warmup 0
        }
    }
    real_server 198.51.100.22 80 {
        TCP_CHECK {
            connect_timeout 5
            retry 1
            delay_before_retry 1
            warmup 0
        }
    }
}
""" % VIP


def test_client_traffic_through_ipvs_nat_survives_a_server_stop(nat_network):
    d = Vigild(NAT_CONFIG)
    try:
        svc = "TCP %s:80 rr" % VIP
        assert wait_for(lambda: len(table().get(svc, {})) == 2, 10), ipvsadm("-Ln") + d.output()
        log = []
        answers = {request(log=log) for _ in range(6)}
        assert answers == {"rs1", "rs2"}, "\n".join(log) + ipvsadm("-Lnc") + d.output()
        # A reload with the same configuration touches nothing: an independent proof is the
        # kernel's own per-destination connection counters, which a delete+add would reset.
        # (The kernel folds its counters into the table every two seconds.)
        assert wait_for(lambda: sum(conn_counters().values()) >= 6, 6), (
            ipvsadm("-Ln", "--stats", "--exact"))
        before = conn_counters()
        d.reload_and_settle()
        assert conn_counters() == before, ipvsadm("-Ln", "--stats", "--exact") + d.output()
        # rs2 stops: its destination goes, and every request still succeeds through rs1.
        nat_network[1].terminate()
        nat_network[1].wait()
        assert wait_for(lambda: len(table().get(svc, {})) == 1, 10), ipvsadm("-Ln") + d.output()
        log = []
        answers = [request(log=log) for _ in range(6)]
        assert answers == ["rs1"] * 6, "\n".join(log) + ipvsadm("-Lnc") + d.output()
    finally:
        d.stop()


SYNC_CONFIG = """
global_defs {
    lvs_sync_daemon vs0 VI_1 maxlen 1400
}
vrrp_instance VI_1 {
    interface vs0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.200/24
    }
}
"""


def daemons():
    return subprocess.run(["ipvsadm", "-L", "--daemon"], capture_output=True, text=True).stdout


def test_sync_daemon_follows_the_vrrp_instance():
    sh("ip", "link", "add", "vs0", "type", "veth", "peer", "name", "vs1")
    sh("ip", "addr", "add", "192.0.2.1/24", "dev", "vs0")
    sh("ip", "link", "set", "vs0", "up")
    sh("ip", "link", "set", "vs1", "up")
    d = Vigild(SYNC_CONFIG, subsystem="-P")
    try:
        # BACKUP first: the backup daemon receives the connection table.
        assert wait_for(lambda: "backup sync daemon" in daemons(), 5), daemons() + d.output()
        assert "master sync daemon" not in daemons()
        # Alone on the link it becomes MASTER: the master daemon sends, the backup one stops.
        assert wait_for(lambda: "master sync daemon" in daemons(), 10), daemons() + d.output()
        assert "backup sync daemon" not in daemons(), daemons()
        assert "syncid=51" in daemons(), daemons()
    finally:
        d.stop()
        subprocess.run(["ip", "link", "del", "vs0"])
    assert "sync daemon" not in daemons(), daemons()


DR_VIP = "203.0.113.100"


@pytest.fixture
def dr_network(lab):
    """One LAN (br2 in this namespace: the director, 203.0.113.1 and the VIP): a client (.50)
    and two real servers (.21, .22) holding the VIP on lo without answering ARP for it,
    replying to the client directly."""
    lab.bridge("br2", "203.0.113.1/24", DR_VIP + "/32")
    lab.host("drc", "br2", "203.0.113.50")
    servers = []
    for i, name in ((21, "dr1"), (22, "dr2")):
        lab.host(name, "br2", "203.0.113.%d" % i, vip_on_lo=DR_VIP)
        servers.append(lab.serve(name))
    return servers


DR_CONFIG = """
virtual_server %s 80 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.21 80 {
        MISC_CHECK {
            misc_path "/usr/bin/ip netns exec dr1 /usr/bin/socat -T5 - TCP:127.0.0.1:80"
            misc_timeout 10
            retry 1
            delay_before_retry 1
            warmup 0
        }
    }
    real_server 203.0.113.22 80 {
        MISC_CHECK {
            misc_path "/usr/bin/ip netns exec dr2 /usr/bin/socat -T5 - TCP:127.0.0.1:80"
            misc_timeout 10
            retry 1
            delay_before_retry 1
            warmup 0
        }
    }
}
""" % DR_VIP


def test_client_traffic_through_ipvs_dr_survives_a_server_stop(dr_network):
    # The real servers hold the VIP themselves: the checks run inside their namespaces.
    d = Vigild(DR_CONFIG)
    try:
        svc = "TCP %s:80 rr" % DR_VIP
        assert wait_for(lambda: len(table().get(svc, {})) == 2, 10), ipvsadm("-Ln") + d.output()
        assert all(m == "Route" for m, _ in table()[svc].values()), ipvsadm("-Ln")
        log = []
        answers = {request("drc", DR_VIP, log) for _ in range(6)}
        assert answers == {"dr1", "dr2"}, "\n".join(log) + ipvsadm("-Lnc") + d.output()
        dr_network[1].terminate()
        dr_network[1].wait()
        assert wait_for(lambda: len(table().get(svc, {})) == 1, 10), ipvsadm("-Ln") + d.output()
        log = []
        answers = [request("drc", DR_VIP, log) for _ in range(6)]
        assert answers == ["dr1"] * 6, "\n".join(log) + ipvsadm("-Lnc") + d.output()
    finally:
        d.stop()
