#!/usr/bin/env python3
"""Drive a QEMU console: wait for patterns, type commands, enforce a deadline.

usage: qemu-expect.py [--timeout S] [--log FILE] [--rc N | --kill] [STEP ...] -- COMMAND ...
  STEP is  expect=REGEX  (wait until the output so far, after the previous match,
           matches REGEX) or  send=TEXT  (type TEXT; \\n, \\r and \\t are escapes).
After the last step the command must exit on its own before the deadline, with exit
status N (default 0), or with --kill it is stopped there (for a payload that hangs by
design once the steps have seen what they wanted). Exits 0 on success; on failure prints why and the output's tail.
"""
import os
import re
import select
import subprocess
import sys
import time


def parse(argv):
    opts = {"timeout": 30.0, "log": None, "rc": 0, "kill": False}
    steps = []
    i = 0
    while i < len(argv) and argv[i] != "--":
        a = argv[i]
        if a == "--kill":
            opts["kill"] = True
            i += 1
            continue
        if a in ("--timeout", "--log", "--rc"):
            if i + 1 >= len(argv):
                sys.exit(f"qemu-expect: {a} needs a value")
            val = argv[i + 1]
            opts[a[2:]] = float(val) if a == "--timeout" else int(val) if a == "--rc" else val
            i += 2
            continue
        kind, sep, text = a.partition("=")
        if not sep or kind not in ("expect", "send"):
            sys.exit(f"qemu-expect: bad step {a!r}")
        if kind == "send":
            text = text.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")
        steps.append((kind, text))
        i += 1
    if i + 1 >= len(argv):
        sys.exit("qemu-expect: no command after --")
    return opts, steps, argv[i + 1:]


def main():
    opts, steps, cmd = parse(sys.argv[1:])
    deadline = time.monotonic() + opts["timeout"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = bytearray()
    pos = 0  # where the next expectation starts looking
    failure = None

    def pump(wait):
        ready, _, _ = select.select([proc.stdout], [], [], wait)
        if not ready:
            return True
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            return False
        out.extend(chunk)
        return True

    alive = True
    for kind, text in steps:
        if kind == "send":
            try:
                proc.stdin.write(text.encode())
                proc.stdin.flush()
            except BrokenPipeError:
                failure = f"could not send {text!r}: QEMU is gone"
                break
            continue
        pattern = re.compile(text.encode())
        while True:
            m = pattern.search(out, pos)
            if m:
                pos = m.end()
                break
            left = deadline - time.monotonic()
            if left <= 0:
                failure = f"timed out waiting for {text!r}"
                break
            if alive:
                alive = pump(min(left, 0.2))
            elif proc.poll() is not None:
                failure = f"QEMU exited (status {proc.returncode}) before {text!r}"
                break
            else:
                time.sleep(0.05)
        if failure:
            break

    if not failure and not opts["kill"]:
        while proc.poll() is None or alive:
            left = deadline - time.monotonic()
            if left <= 0:
                failure = "timed out waiting for QEMU to exit"
                break
            if alive:
                alive = pump(min(left, 0.2))
            else:
                time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    if not failure and not opts["kill"] and proc.returncode != opts["rc"]:
        failure = f"QEMU exit status {proc.returncode}, expected {opts['rc']}"

    text = out.decode(errors="replace")
    if opts["log"]:
        with open(opts["log"], "w") as f:
            f.write(text)
    if failure:
        print(f"qemu-expect: {failure}", file=sys.stderr)
        tail = text.splitlines()[-40:]
        print("---- last output ----", file=sys.stderr)
        print("\n".join(tail), file=sys.stderr)
        print("---------------------", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
