#!/usr/bin/env python3
"""Folds mcount's per-pc profile into functions of the firmware ELF, per round trip.

usage: profile-by-function.py monitor.elf PROFILE RUNS
"""
import bisect
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(["llvm-nm-19", "-n", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW" and not parts[2].startswith(".L"):
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def main():
    elf, profile, runs = sys.argv[1], sys.argv[2], max(1, int(sys.argv[3]))
    syms = symbols(elf)
    starts = [a for a, _ in syms]
    per_fn = {}
    for line in open(profile):
        pc, count = (int(x, 0) for x in line.split())
        i = bisect.bisect_right(starts, pc) - 1
        name = syms[i][1] if i >= 0 else "?"
        per_fn[name] = per_fn.get(name, 0) + count
    total = sum(per_fn.values())
    for name, count in sorted(per_fn.items(), key=lambda kv: -kv[1]):
        print(f"{count / runs:10.1f}  {name}")
    print(f"{total / runs:10.1f}  total")


if __name__ == "__main__":
    main()
