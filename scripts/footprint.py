#!/usr/bin/env python3
"""Measures `negotiator serve`: time from start to a ready /readyz with an existing database,
and resident memory once idle. Usage: scripts/footprint.py [path/to/negotiator] [runs]"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/negotiator"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    work = tempfile.mkdtemp(prefix="negotiator-footprint-")
    db = os.path.join(work, "negotiator.db")
    # An existing database with a campaign in it.
    subprocess.run([BINARY, "--db", db, "demo", "--dir", os.path.join(work, "demo"), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    ready_ms, rss = [], []
    for _ in range(RUNS):
        port = free_port()
        config = os.path.join(work, "negotiator.toml")
        with open(config, "w") as f:
            f.write(f'[server]\nbind = "127.0.0.1:{port}"\n[local]\ndata_dir = "{work}/demo"\n')
        env = dict(os.environ, RUST_LOG="warn")
        start = time.perf_counter()
        proc = subprocess.Popen([BINARY, "--db", db, "--config", config, "serve"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not ready(port):
            if proc.poll() is not None:
                sys.exit("serve exited before it was ready")
            time.sleep(0.001)
        ready_ms.append((time.perf_counter() - start) * 1000)
        time.sleep(3)  # idle: workers waiting, scheduler sleeping
        rss.append(rss_kib(proc.pid) / 1024)
        proc.terminate()
        proc.wait(timeout=30)
    print(f"runs: {RUNS}  binary: {BINARY}")
    print(f"start to ready /readyz: median {statistics.median(ready_ms):.1f} ms, "
          f"max {max(ready_ms):.1f} ms (target < 50 ms)")
    print(f"idle resident memory:   median {statistics.median(rss):.1f} MiB, "
          f"max {max(rss):.1f} MiB (target < 15 MiB)")


if __name__ == "__main__":
    main()
