"""Logging: syslog with the -S facility and an ident per process, a file per process with -g."""
import os
import socket
import time

import pytest

from conftest import LVS_BLOCK, VRRP_BLOCK, wait_for


@pytest.fixture
def dev_log():
    """A syslog receiver at /dev/log, when no syslog daemon owns it (as on a bare machine)."""
    if os.path.exists("/dev/log"):
        pytest.skip("a system syslog owns /dev/log")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("/dev/log")
    s.settimeout(0.2)
    try:
        yield s
    finally:
        s.close()
        os.unlink("/dev/log")


def collect(sock, seconds):
    out = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            out.append(sock.recv(65536).decode(errors="replace"))
        except socket.timeout:
            pass
    return out


def test_syslog_facility_and_process_idents(make_vigild, dev_log, workdir):
    # Not -G: syslog on; -S local3.
    v = make_vigild(VRRP_BLOCK + LVS_BLOCK)
    v.args = [a for a in v.args if a != "-G"] + ["-S", "local3"]
    v.start(("vrrp", "checker"))
    msgs = collect(dev_log, 1.5)
    local3_info = "<%d>" % (19 * 8 + 6)
    assert any(m.startswith(local3_info) and "vigild[" in m and "starting" in m for m in msgs), msgs
    assert any(m.startswith(local3_info) and "vigild_vrrp[" in m for m in msgs), msgs
    assert any(m.startswith(local3_info) and "vigild_checker[" in m for m in msgs), msgs


def test_log_file_per_process(make_vigild, workdir):
    base = os.path.join(workdir, "vigil.log")
    v = make_vigild(VRRP_BLOCK + LVS_BLOCK, ["-g" + base])
    v.start(("vrrp", "checker"))
    v.stop()
    files = {
        base: "vigild[",
        os.path.join(workdir, "vigil_vrrp.log"): "vigild_vrrp[",
        os.path.join(workdir, "vigil_checker.log"): "vigild_checker[",
    }
    for path, ident in files.items():
        assert wait_for(lambda: os.path.exists(path)), path
        with open(path) as f:
            text = f.read()
        assert ident in text, (path, text)
        assert "stopped" in text, (path, text)
