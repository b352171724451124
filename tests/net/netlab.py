"""The network laboratory behind tests/net: namespaces, a bridged LAN, VRRP routers run by
vigild or keepalived, and raw packet I/O inside a namespace.

Everything here is created under names with a random suffix and removed by Lan.close(), which
the `lan` fixture calls also when a test fails.
"""
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
VIGILD = os.environ.get("VIGILD", os.path.join(HERE, "../../build/release/src/vigild"))
KEEPALIVED = "/usr/sbin/keepalived"
SANITIZED = os.environ.get("VIGIL_SANITIZED") == "1"
# Allowance on top of every protocol deadline (process scheduling, polling granularity).
MARGIN = 2.0 if SANITIZED else 1.0
# VIGIL_NET_KEEPALIVED_ONLY=1 runs keepalived wherever a test asks for vigild: the harness's
# own check, usable before vigild speaks VRRP.
KEEPALIVED_ONLY = os.environ.get("VIGIL_NET_KEEPALIVED_ONLY") == "1"

VIP4 = "192.0.2.100"
VIP6 = "2001:db8::100"
CLIENT_INDEX = 200
ATTACKER_INDEX = 201

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
_libc = ctypes.CDLL(None, use_errno=True)


def wait_for(predicate, timeout, interval=0.01):
    """Polls `predicate` until it returns a true value or `timeout` seconds pass; returns its
    last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def sh(*args, check=True):
    r = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def master_down_interval(advert_int, priority, version=3):
    """RFC 5798 6.1 (VRRPv3) and RFC 3768 6.1 (VRRPv2) Master_Down_Interval in seconds."""
    if version == 2:
        skew = (256 - priority) / 256.0
    else:
        skew = (256 - priority) * advert_int / 256.0
    return 3 * advert_int + skew


@contextlib.contextmanager
def in_netns(name):
    """Runs the body with this thread in network namespace `name`: sockets created inside
    stay in that namespace after the thread switches back."""
    orig = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + name)
        try:
            yield
        finally:
            if _libc.setns(orig, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(orig)
        os.close(target)


def packet_socket(ns, ifname="eth0"):
    with in_netns(ns):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((ifname, 0))
    return s


class Sniffer:
    """Captures every frame on a namespace's interface in a thread: (time.monotonic(), bytes)."""

    def __init__(self, ns, ifname="eth0"):
        self.sock = packet_socket(ns, ifname)
        self.sock.settimeout(0.05)
        self.frames = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                data = self.sock.recv(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            self.frames.append((time.monotonic(), data))

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.frames


@dataclass
class Host:
    """A namespace with one eth0 on the LAN."""
    name: str  # short name: r1, c, a
    ns: str
    index: int
    mac: str
    veth: str  # its bridge port in the LAN namespace
    lan: object = field(default=None, repr=False, compare=False)
    settled: bool = False  # its IPv6 addresses were seen usable

    def ipv6_ready(self):
        out = sh("ip", "-n", self.ns, "-j", "-6", "addr", "show", "dev", "eth0", check=False)
        try:
            addrs = [a for link in json.loads(out or "[]") for a in link.get("addr_info", [])]
        except ValueError:
            return False
        return (any(a.get("scope") == "link" for a in addrs)
                and not any(a.get("tentative") or a.get("dadfailed") for a in addrs))

    @property
    def ip4(self):
        return "192.0.2.%d" % self.index

    @property
    def ip6(self):
        return "2001:db8::%x" % self.index

    def addresses(self):
        out = sh("ip", "-n", self.ns, "-j", "addr", "show", "dev", "eth0", check=False)
        try:
            links = json.loads(out or "[]")
        except ValueError:
            return set()
        return {a["local"] for link in links for a in link.get("addr_info", [])}

    def link_local(self):
        out = sh("ip", "-n", self.ns, "-j", "-6", "addr", "show", "dev", "eth0", "scope", "link",
                 check=False)
        for link in json.loads(out or "[]"):
            for a in link.get("addr_info", []):
                if a.get("local"):  # iproute2 lists the filtered-out ones as {}
                    return a["local"]
        return None

    def has(self, address):
        return address in self.addresses()

    def neigh_lladdr(self, address):
        out = sh("ip", "-n", self.ns, "-j", "neigh", "show", address, "dev", "eth0",
                 check=False)
        for n in json.loads(out or "[]"):
            if n.get("dst") == address:
                return n.get("lladdr")
        return None

    def ping(self, address, count=1):
        return subprocess.run(["ip", "netns", "exec", self.ns, "ping", "-n", "-q", "-c",
                               str(count), "-W", "1", address],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


class Lan:
    """A bridge in namespace `<prefix>-lan` with hosts attached by veth pairs.

    Routers are 192.0.2.N / 2001:db8::N, the client 192.0.2.200, the attacker 192.0.2.201."""

    def __init__(self):
        self.prefix = "vgt" + uuid.uuid4().hex[:6]
        self.ns = self.prefix + "-lan"
        self.hosts = {}
        self.namespaces = []
        self._filter = False
        self._add_ns(self.ns)
        sh("ip", "-n", self.ns, "link", "add", "br0", "type", "bridge", "stp_state", "0",
           "mcast_snooping", "0")
        sh("ip", "-n", self.ns, "link", "set", "br0", "up")

    def _add_ns(self, ns):
        # The kernel's defaults, duplicate address detection included: IPv6 addresses are
        # tentative for about a second before they can be used (settle() waits for that).
        sh("ip", "netns", "add", ns)
        self.namespaces.append(ns)

    def add_host(self, name, index):
        ns = "%s-%s" % (self.prefix, name)
        self._add_ns(ns)
        mac = "02:00:00:00:%02x:%02x" % (index // 256, index % 256)
        veth = "v" + name
        sh("ip", "-n", self.ns, "link", "add", veth, "type", "veth", "peer", "name", "eth0",
           "address", mac, "netns", ns)
        sh("ip", "-n", self.ns, "link", "set", veth, "master", "br0")
        sh("ip", "-n", self.ns, "link", "set", veth, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "link", "set", "eth0", "up")
        host = Host(name, ns, index, mac, veth, self)
        sh("ip", "-n", ns, "addr", "add", host.ip4 + "/24", "dev", "eth0")
        sh("ip", "-n", ns, "addr", "add", host.ip6 + "/64", "dev", "eth0")
        self.hosts[name] = host
        return host

    def settle(self, timeout=20):
        """Waits until every host's IPv6 addresses are usable: eth0 has its link-local address
        and no address is tentative any more (duplicate address detection is over)."""
        pending = [h for h in self.hosts.values() if not h.settled]
        for h in pending:
            assert wait_for(h.ipv6_ready, timeout, 0.05), (
                "%s: IPv6 addresses still tentative after %ds:\n%s" % (
                    h.name, timeout, sh("ip", "-n", h.ns, "addr", check=False)))
            h.settled = True

    def add_routers(self, n):
        return [self.add_host("r%d" % i, i) for i in range(1, n + 1)]

    def add_client(self):
        c = self.add_host("c", CLIENT_INDEX)
        # The client accepts every gratuitous ARP update at once: the tests check what the
        # routers send, not the kernel's ARP-flux damping (locktime, 1 s by default).
        sh("ip", "netns", "exec", c.ns, "sysctl", "-q", "-w", "net.ipv4.neigh.eth0.locktime=0")
        return c

    def add_attacker(self):
        return self.add_host("a", ATTACKER_INDEX)

    # Partitions -------------------------------------------------------------------------
    def detach(self, host):
        sh("ip", "-n", self.ns, "link", "set", host.veth, "nomaster")

    def attach(self, host):
        sh("ip", "-n", self.ns, "link", "set", host.veth, "master", "br0")

    def block(self, host):
        """Drops everything the bridge would forward to or from `host`."""
        if not self._filter:
            sh("ip", "netns", "exec", self.ns, "nft",
               "add table bridge vigil_test; "
               "add chain bridge vigil_test partition { type filter hook forward priority 0; }")
            self._filter = True
        sh("ip", "netns", "exec", self.ns, "nft",
           'add rule bridge vigil_test partition iifname "%s" drop; '
           'add rule bridge vigil_test partition oifname "%s" drop' % (host.veth, host.veth))

    def unblock_all(self):
        if self._filter:
            sh("ip", "netns", "exec", self.ns, "nft", "flush chain bridge vigil_test partition")

    def port_down(self, host):
        sh("ip", "-n", self.ns, "link", "set", host.veth, "down")

    def port_up(self, host):
        sh("ip", "-n", self.ns, "link", "set", host.veth, "up")

    def close(self):
        for ns in reversed(self.namespaces):
            # Anything still running in a namespace of ours was started by this test.
            for pid in sh("ip", "netns", "pids", ns, check=False).split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            sh("ip", "netns", "del", ns, check=False)
            for path in ("/tmp/vigil_%s_vrrp.json" % ns, "/tmp/vigil_%s_checker.json" % ns):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
        self.namespaces = []


# Configuration ------------------------------------------------------------------------------
@dataclass
class InstanceSpec:
    """One vrrp_instance, identical on every router but for priority and unicast peers."""
    name: str = "VI_1"
    vrid: int = 51
    version: int = 3
    advert_int: float = 0.3
    family: str = "inet"  # or "inet6"
    vips: tuple = ()
    auth_pass: str = None  # VRRPv2 authentication (auth_type below)
    auth_type: str = "PASS"  # or "AH"
    unicast: bool = False
    nopreempt: bool = False
    preempt_delay: int = 0
    extra: tuple = ()  # more lines inside the vrrp_instance block
    interface: str = "eth0"

    def __post_init__(self):
        if not self.vips:
            self.vips = (VIP6,) if self.family == "inet6" else (VIP4,)


def render_instance(spec, router, priority, peers, notify):
    addr = (lambda h: h.ip6) if spec.family == "inet6" else (lambda h: h.ip4)
    adv = ("%d" % spec.advert_int) if spec.version == 2 else ("%g" % spec.advert_int)
    lines = ["vrrp_instance %s {" % spec.name,
             "    state BACKUP",
             "    interface %s" % spec.interface,
             "    version %d" % spec.version,
             "    virtual_router_id %d" % spec.vrid,
             "    priority %d" % priority,
             "    advert_int %s" % adv]
    if spec.nopreempt:
        lines.append("    nopreempt")
    if spec.preempt_delay:
        lines.append("    preempt_delay %d" % spec.preempt_delay)
    if spec.auth_pass:
        lines += ["    authentication {", "        auth_type %s" % spec.auth_type,
                  "        auth_pass %s" % spec.auth_pass, "    }"]
    if spec.unicast:
        lines.append("    unicast_src_ip %s" % addr(router))
        lines.append("    unicast_peer {")
        lines += ["        %s" % addr(p) for p in peers if p is not router]
        lines.append("    }")
    lines.append("    virtual_ipaddress {")
    lines += ["        %s" % v for v in spec.vips]
    lines.append("    }")
    lines += ["    %s" % line for line in spec.extra]
    lines.append("    notify %s" % notify)
    lines.append("}")
    return "\n".join(lines) + "\n"


# Routers ------------------------------------------------------------------------------------
class Router:
    """One VRRP daemon (vigild or keepalived) in a router's namespace, with its configuration,
    notify log and console log in `workdir`."""

    def __init__(self, impl, host, workdir):
        self.requested = impl
        self.impl = "keepalived" if KEEPALIVED_ONLY else impl
        self.host = host
        self.dir = os.path.join(workdir, host.name)
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "keepalived.conf")
        self.notify_log = os.path.join(self.dir, "notify.log")
        self.console_log = os.path.join(self.dir, "console.log")
        # Each instance runs a notify script, but the transitions are read from the notify
        # FIFO: keepalived and vigild run notify scripts without waiting for each other, so
        # two that start close together may finish in either order; the FIFO's lines come in
        # the order of the transitions (keepalived.conf(5) says so too).
        self.notify = os.path.join(self.dir, "notify.sh")
        with open(self.notify, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(self.notify, 0o755)
        self.fifo = os.path.join(self.dir, "notify.fifo")
        self.fifo_reader = os.path.join(self.dir, "fifo_reader.sh")
        with open(self.fifo_reader, "w") as f:
            f.write('#!/bin/sh\n'
                    '# INSTANCE "VI_1" MASTER 200 -> <time> VI_1 MASTER 200\n'
                    'while read -r kind name state prio rest; do\n'
                    '    [ "$kind" = INSTANCE ] || continue\n'
                    '    name=${name#\\"}\n'
                    '    echo "$(date +%%s.%%N) ${name%%\\"} $state $prio" >> %s\n'
                    'done < "$1"\n' % self.notify_log)
        os.chmod(self.fifo_reader, 0o755)
        self.pidfiles = [os.path.join(self.dir, n) for n in ("main.pid", "vrrp.pid",
                                                             "checker.pid")]
        self.proc = None
        self.started_at = None

    @property
    def is_vigil(self):
        return self.impl == "vigild"

    def __repr__(self):
        return "%s(%s)" % (self.host.name, self.impl)

    def configure(self, instances, extra_globals=(), blocks=""):
        """`instances`: list of (InstanceSpec, priority, peers); `extra_globals`: more
        global_defs lines; `blocks`: more top-level text (vrrp_script...)."""
        extra = "".join("    %s\n" % line for line in extra_globals)
        text = ("global_defs {\n    router_id %s\n    script_user root\n"
                "    vrrp_notify_fifo %s\n    vrrp_notify_fifo_script %s\n%s}\n" % (
                    self.host.name, self.fifo, self.fifo_reader, extra)) + blocks
        for spec, priority, peers in instances:
            text += render_instance(spec, self.host, priority, peers, self.notify)
        with open(self.conf, "w") as f:
            f.write(text)

    def start(self, extra_args=()):
        self.host.lan.settle()
        for p in self.pidfiles:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(p)
        binary = VIGILD if self.is_vigil else KEEPALIVED
        args = [binary, "-n", "-l", "-D", "-G", "-s", self.host.ns, "-f", self.conf,
                "-p", self.pidfiles[0], "-r", self.pidfiles[1], "-c", self.pidfiles[2]]
        if not self.is_vigil:
            args.insert(1, "-P")  # keepalived: VRRP only, no checker process
        args += list(extra_args)
        out = open(self.console_log, "a")
        out.write("=== %s\n" % " ".join(args))
        out.flush()
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        if not wait_for(lambda: self._read_pid(1) or self.proc.poll() is not None, 10):
            raise AssertionError("%r: VRRP process did not start\n%s" % (self, self.console()))
        if self.proc.poll() is not None:
            raise AssertionError("%r exited with %s\n%s" % (self, self.proc.returncode,
                                                            self.console()))
        return self

    def _read_pid(self, i):
        try:
            with open(self.pidfiles[i]) as f:
                return int(f.read().strip())
        except (FileNotFoundError, ValueError):
            return None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def _kill_group(self, sig):
        # The daemon leads its own session: its workers share its process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def kill9(self):
        """A crash: the whole process group dies at once and nothing is cleaned up."""
        pids = [self._read_pid(1), self._read_pid(2)]
        self._kill_group(signal.SIGKILL)
        for pid in pids:
            if pid and self._ours(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.proc.wait()

    def _ours(self, pid):
        """Whether `pid` (from a pidfile) is still one of this daemon's processes."""
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                return self.conf.encode() in f.read()
        except OSError:
            return False

    def terminate(self, wait=True):
        """SIGTERM: the daemon sends priority 0 and removes its VIPs."""
        self.proc.send_signal(signal.SIGTERM)
        if wait:
            self.wait_exit()

    def wait_exit(self, timeout=10):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._kill_group(signal.SIGKILL)
            self.proc.wait()
        # Workers that outlive the parent would keep the namespace busy.
        self._kill_group(signal.SIGKILL)

    def close(self):
        """Teardown: SIGKILL, as the namespace goes away with whatever the daemon left (a
        graceful stop costs keepalived a second; the tests that need one ask for it)."""
        if self.proc is not None and self.proc.poll() is None:
            self.kill9()
        elif self.proc is not None:
            self._kill_group(signal.SIGKILL)

    def console(self, tail=60):
        try:
            with open(self.console_log, errors="replace") as f:
                lines = f.readlines()
        except FileNotFoundError:
            return ""
        return "".join(lines[-tail:])

    def events(self, instance="VI_1", words=("MASTER", "BACKUP", "FAULT", "STOP")):
        """[(wall time, word)] of the notify FIFO's lines about `instance`, oldest first."""
        try:
            with open(self.notify_log) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            parts = line.split()
            if len(parts) >= 3 and parts[1] == instance and parts[2] in words:
                out.append((float(parts[0]), parts[2]))
        return out

    def transitions(self, instance="VI_1"):
        """[(wall time, state)] from the notify FIFO, oldest first."""
        return self.events(instance)

    def states(self, instance="VI_1"):
        return [s for _, s in self.transitions(instance)]

    def last_state(self, instance="VI_1"):
        s = self.states(instance)
        return s[-1] if s else None

    def status(self, timeout=5):
        return vigil_status(self.host.ns, self.proc.pid, timeout)

    def describe(self):
        return "--- %r: addresses %s, notify %s\n%s" % (
            self, sorted(self.host.addresses()), self.states(), self.console(25))


def vigil_status(ns, pid, timeout=5):
    """Asks vigild (supervisor `pid`, started with -s `ns`) for its VRRP worker's JSON status
    (SIGRTMIN+2) and returns it parsed."""
    path = "/tmp/vigil_%s_vrrp.json" % ns
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    os.kill(pid, signal.SIGRTMIN + 2)

    def load():
        try:
            with open(path) as f:
                return json.load(f)
        except (FileNotFoundError, ValueError):
            return None

    status = wait_for(load, timeout, 0.02)
    if status is None:
        raise AssertionError("vigild in %s wrote no %s" % (ns, path))
    return status


def instance_status(status, name="VI_1"):
    for inst in status.get("vrrp", {}).get("instances", []):
        if inst.get("name") == name:
            return inst
    raise AssertionError("no instance %s in %s" % (name, json.dumps(status)))


def rx_error_count(status, reason, name="VI_1"):
    """A reject reason's count for an instance plus the worker-wide count (a key may be
    absent when zero)."""
    inst = instance_status(status, name)
    return (inst.get("counters", {}).get("rx_errors", {}).get(reason, 0)
            + status.get("vrrp", {}).get("rx_errors", {}).get(reason, 0))


class Group:
    """The routers of one test, sharing one VRRP configuration."""

    def __init__(self, lan, impls, workdir):
        self.lan = lan
        self.hosts = lan.add_routers(len(impls))
        self.routers = [Router(impl, h, workdir) for impl, h in zip(impls, self.hosts)]

    def __iter__(self):
        return iter(self.routers)

    def __getitem__(self, i):
        return self.routers[i]

    def configure(self, specs, priorities, extra_globals=()):
        """`specs`: InstanceSpecs run by every router; `priorities[i]`: router i's priority."""
        for r, prio in zip(self.routers, priorities):
            r.configure([(s, prio, self.hosts) for s in specs], extra_globals)

    def start(self):
        for r in self.routers:
            r.start()

    def wait_settled(self, master, backup, timeout=10, instance="VI_1"):
        """Waits until `backup` has heard `master`'s adverts as BACKUP (it has learnt the
        master's interval): asked of whichever of the two is vigild."""
        if backup.is_vigil:
            def heard():
                inst = instance_status(backup.status(), instance)
                return (inst.get("state") == "BACKUP" and
                        inst.get("master_address") in (master.host.ip4, master.host.ip6,
                                                       master.host.link_local()) and
                        inst["counters"]["adverts_received"] >= 2)
            ok = wait_for(heard, timeout, 0.05)
        elif master.is_vigil:
            def sent():
                return instance_status(master.status(), instance)["counters"]["adverts_sent"]
            ok = wait_for(lambda: backup.last_state(instance) == "BACKUP", timeout)
            first = sent()
            ok = ok and wait_for(lambda: sent() >= first + 2, timeout, 0.05)
        else:
            # keepalived against itself (VIGIL_NET_REFERENCE): two of its adverts, at most.
            ok = wait_for(lambda: backup.last_state(instance) == "BACKUP", timeout)
        assert ok, "%r never settled as backup of %r\n%s" % (backup, master, self.describe())

    def owners(self, vip=VIP4, alive_only=True):
        return [r for r in self.routers
                if (r.running() or not alive_only) and r.host.has(vip)]

    def wait_owner(self, router, timeout, vip=VIP4):
        """Waits until `router` is the only live router holding `vip`."""
        ok = wait_for(lambda: self.owners(vip) == [router], timeout)
        assert ok, "expected %r alone to own %s within %.1fs\n%s" % (
            router, vip, timeout, self.describe())

    def describe(self):
        return "\n".join(r.describe() for r in self.routers)

    def close(self):
        for r in self.routers:
            r.close()
