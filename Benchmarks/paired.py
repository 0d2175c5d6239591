#!/usr/bin/env python3
"""Runs a reference command and the collector's command alternately and prints per-round ratios.

The benchmark kit runs every run of one client before the next client's, so on a shared VM a
slow few minutes can fall on one side only and move its ratio either way. Here each round runs
the reference, then the collector, both on CPU 1, and the ratios compare the two runs of a
round; the medians of those ratios are the figures to read.

    paired.py --rounds 5 --units 100000 --reference CMD --collector CMD [--server NGINX_DIR]

With --server, the kit's nginx is started from NGINX_DIR (as the kit's poll command left it
configured) on CPU 0 for the rounds. Commands run under bash; a non-zero exit stops the script.
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def run(command):
    """Wall seconds and user + system CPU seconds of one run of `command` on CPU 1."""
    start = time.perf_counter()
    process = subprocess.Popen(["taskset", "-c", "1", "bash", "-c", command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("paired.py: %r exited with %d" % (command, os.waitstatus_to_exitcode(status)))
    return wall, usage.ru_utime + usage.ru_stime


def start_server(folder):
    server = subprocess.Popen(["taskset", "-c", "0", "nginx", "-p", folder.rstrip("/") + "/",
                               "-c", "nginx.conf", "-e", "error.log"], start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", 18080), 0.1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("paired.py: nginx did not start; see %s/error.log" % folder)


def spread(values, format):
    return "%s (%s–%s)" % (format % statistics.median(values), format % min(values), format % max(values))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--units", type=int, required=True, help="requests or records per run")
    parser.add_argument("--reference", required=True)
    parser.add_argument("--collector", required=True)
    parser.add_argument("--server", help="start the kit's nginx from this folder")
    args = parser.parse_args()

    server = start_server(args.server) if args.server else None
    try:
        reference, collector = [], []
        for _ in range(args.rounds):
            reference.append(run(args.reference))
            collector.append(run(args.collector))
    finally:
        if server:
            server.send_signal(signal.SIGQUIT)
            server.wait(10)

    per_unit = lambda runs: [cpu / args.units * 1e6 for _, cpu in runs]
    cpu_ratios = [c[1] / r[1] for r, c in zip(reference, collector)]
    speed_ratios = [r[0] / c[0] for r, c in zip(reference, collector)]
    print("paired, %d rounds: CPU µs per unit, reference %s, collector %s" % (
        args.rounds, spread(per_unit(reference), "%.1f"), spread(per_unit(collector), "%.1f")))
    print("  collector / reference CPU per round: %s" % spread(cpu_ratios, "%.2f×"))
    print("  reference / collector wall time per round (speed): %s" % spread(speed_ratios, "%.2f×"))


if __name__ == "__main__":
    main()
