"""The checker worker at scale: N real servers (default 1,000), each with a TCP_CHECK and an
HTTP_GET, at delay_loop 1 s, served by one nginx listening on N ports spread over a few
addresses in a network namespace; vigild -C in another. Reports the checker worker's CPU
time (utime + stime from /proc/PID/stat) over the measured window, its peak RSS (VmHWM),
and how many probes ran and failed. Run by bench/checkers_scale.sh (as root).
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "net"))

import checklab  # noqa: E402
import netlab  # noqa: E402
from checklab import block, config, real_server, virtual_server  # noqa: E402

PORTS_PER_ADDRESS = 250
FIRST_PORT = 10000


def endpoints(n):
    return [(checklab.rs_ip(10 + i // PORTS_PER_ADDRESS), FIRST_PORT + i % PORTS_PER_ADDRESS)
            for i in range(n)]


def bench_config(eps, warmup):
    timing = ["delay_loop 1", "connect_timeout 1", "retry 1", "delay_before_retry 1",
              "warmup %g" % warmup]
    servers = [real_server(ip, port, [block("TCP_CHECK", timing),
                                      block("HTTP_GET", timing + ["url {", "    path /",
                                                                  "    status_code 200",
                                                                  "}"])])
               for ip, port in eps]
    return config(virtual_server(80, servers))


def nginx_servers(eps):
    listens = "\n".join("        listen %s:%d;" % ep for ep in eps)
    return "    server {\n%s\n        location / { return 200 \"ok\\n\"; }\n    }" % listens


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of proc(5), counted after the command name: utime, stime.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def totals(status):
    probes = failures = up = 0
    for vs in status["virtual_servers"]:
        for rs in vs["real_servers"]:
            up += rs["up"]
            for c in rs["checkers"]:
                probes += c["probes"]
                failures += c["failures"]
    return probes, failures, up


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--real-servers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=1, help="checker warmup (s)")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="vigil-bench-")
    lan = netlab.Lan()
    lab = vigild = None
    try:
        lab = checklab.Lab(lan, workdir)
        eps = endpoints(args.real_servers)
        nginx = lab.nginx(sorted({ip for ip, _ in eps}), nginx_servers(eps))
        ip, port = eps[-1]
        lab.wait_listening(nginx, "tcp", ip, port, timeout=30)
        vigild = checklab.Vigild(lab)
        vigild.configure(bench_config(eps, args.warmup))
        vigild.start()
        pid = vigild.checker_pid()
        # Every checker has run at least once before the window opens.
        netlab.wait_for(lambda: totals(vigild.status(timeout=20))[0] >= 2 * len(eps), 30, 0.5)
        probes0, failures0, _ = totals(vigild.status(timeout=20))
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(args.seconds)
        cpu1, t1 = cpu_seconds(pid), time.monotonic()
        status = vigild.status(timeout=20)
        probes1, failures1, up = totals(status)
        hwm, rss = vigild.rss_kb("VmHWM"), vigild.rss_kb("VmRSS")
        window = t1 - t0
        print("real servers: %d (%d checkers), window %.1f s" % (len(eps), 2 * len(eps), window))
        print("checker worker CPU: %.2f s (%.1f%% of one core)" % (
            cpu1 - cpu0, 100 * (cpu1 - cpu0) / window))
        print("checker worker peak RSS (VmHWM): %d KiB, RSS at end: %d KiB" % (hwm, rss))
        print("probes in window: %d (%.0f/s), failed: %d; real servers up at end: %d/%d" % (
            probes1 - probes0, (probes1 - probes0) / window, failures1 - failures0, up,
            len(eps)))
        print("| %d real servers, TCP_CHECK + HTTP_GET, delay_loop 1 s | %.0f s | %.2f s "
              "(%.1f%%) | %s KiB | %d (%.0f/s), %d failed | %d/%d |" % (
                  len(eps), window, cpu1 - cpu0, 100 * (cpu1 - cpu0) / window,
                  format(hwm, ","), probes1 - probes0, (probes1 - probes0) / window,
                  failures1 - failures0, up, len(eps)))
    finally:
        if vigild is not None:
            vigild.close()
        if lab is not None:
            lab.close()
        lan.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
