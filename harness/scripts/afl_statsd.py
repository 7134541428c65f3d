#!/usr/bin/env python3
"""Live AFL++ numbers for the campaign's status line.

AFL++ 4.04c rewrites fuzzer_stats only once a minute and plot_data not at all during the
first minute, but with AFL_STATSD=1 it sends its counters every second over UDP. This
listens on a free local port (written to PORT_FILE), keeps the latest value of each
counter per instance (the -T banner, via AFL_STATSD_TAGS_FLAVOR=dogstatsd) and rewrites
LIVE_FILE as "instance execs_done execs_per_sec edges_found corpus_count saved_crashes
saved_hangs" lines. Runs until killed.

usage: afl_statsd.py PORT_FILE LIVE_FILE
"""
import os
import socket
import sys
import time

FIELDS = ("execs_done", "execs_per_sec", "edges_found", "corpus_count",
          "saved_crashes", "saved_hangs")


def parse(datagram, instances):
    # lines look like "fuzzing.execs_done:12226|g|#banner:main,afl_version:++4.04c"
    for line in datagram.decode(errors="replace").splitlines():
        name, _, rest = line.partition(":")
        value, _, tags = rest.partition("|g")
        name = name.rpartition(".")[2]
        if name not in FIELDS:
            continue
        banner = "default"
        for tag in tags.lstrip("|#").split(","):
            if tag.startswith("banner:"):
                banner = tag[len("banner:"):]
        try:
            number = float(value)
        except ValueError:
            continue
        if number != number or number in (float("inf"), float("-inf")):
            number = 0.0
        instances.setdefault(banner, dict.fromkeys(FIELDS, 0.0))[name] = number


def write_live(path, instances):
    tmp = path + ".tmp"
    with open(tmp, "w") as out:
        for banner in sorted(instances):
            values = instances[banner]
            out.write(banner + " " + " ".join("%d" % values[f] for f in FIELDS) + "\n")
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    port_file, live_file = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    with open(port_file + ".tmp", "w") as out:
        out.write("%d\n" % sock.getsockname()[1])
    os.replace(port_file + ".tmp", port_file)

    instances = {}
    last_write = 0.0
    sock.settimeout(1.0)
    while True:
        try:
            parse(sock.recv(65536), instances)
        except socket.timeout:
            pass
        now = time.monotonic()
        if instances and now - last_write >= 0.5:
            write_live(live_file, instances)
            last_write = now


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
