"""Fixtures for vigild process tests: a running vigild in the foreground with its pidfiles,
log and configuration in a temporary directory."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

VIGILD = os.environ.get("VIGILD", os.path.join(os.path.dirname(__file__),
                                               "../../build/release/src/vigild"))

VRRP_BLOCK = """
vrrp_instance VI_1 {
    interface lo
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.100/32
    }
}
"""

LVS_BLOCK = """
virtual_server 192.0.2.100 80 {
    protocol TCP
    delay_loop 5
    real_server 198.51.100.10 80 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
"""


def wait_for(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (FileNotFoundError, ValueError):
        return None


class Vigild:
    def __init__(self, workdir, config_text, extra_args=()):
        self.dir = workdir
        self.config = os.path.join(workdir, "keepalived.conf")
        self.pid = os.path.join(workdir, "vigild.pid")
        self.vrrp_pid = os.path.join(workdir, "vrrp.pid")
        self.checker_pid = os.path.join(workdir, "checker.pid")
        self.log = os.path.join(workdir, "vigild.log")
        self.write_config(config_text)
        self.args = [VIGILD, "-n", "-l", "-G", "-f", self.config, "-p", self.pid,
                     "-r", self.vrrp_pid, "-c", self.checker_pid, *extra_args]
        self.out = open(os.path.join(workdir, "console.log"), "w")
        self.proc = None

    def write_config(self, text):
        with open(self.config + ".tmp", "w") as f:
            f.write(text)
        os.rename(self.config + ".tmp", self.config)

    def start(self, wait_workers=("vrrp",), notify_socket=None):
        """Starts vigild and waits for the pidfiles of the supervisor and `wait_workers`;
        `notify_socket`: a NotifySocket that vigild reports its states to (NOTIFY_SOCKET)."""
        env = None
        if notify_socket is not None:
            env = dict(os.environ, NOTIFY_SOCKET=notify_socket.path)
        self.proc = subprocess.Popen(self.args, stdout=self.out, stderr=subprocess.STDOUT,
                                     env=env)
        paths = {"vrrp": self.vrrp_pid, "checker": self.checker_pid}
        for w in wait_workers:
            assert wait_for(lambda: read_pid(paths[w])), "%s worker did not start:\n%s" % (
                w, self.console())
        assert wait_for(lambda: read_pid(self.pid))
        return self

    def console(self):
        self.out.flush()
        with open(os.path.join(self.dir, "console.log")) as f:
            return f.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


class NotifySocket:
    """A systemd notification socket: vigild sends READY=1 (with the workers it runs) once
    they are started, RELOADING=1, STOPPING=1."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)

    def next(self, timeout=10):
        """The next message (a generous deadline: socket.timeout if none comes)."""
        self.sock.settimeout(timeout)
        return self.sock.recv(4096).decode()

    def close(self):
        self.sock.close()


@pytest.fixture
def notify_socket(workdir):
    s = NotifySocket(os.path.join(workdir, "notify.sock"))
    yield s
    s.close()


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="vigil-rt-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def make_vigild(workdir):
    started = []

    def make(config_text, extra_args=()):
        v = Vigild(workdir, config_text, extra_args)
        started.append(v)
        return v

    yield make
    for v in started:
        v.stop()
