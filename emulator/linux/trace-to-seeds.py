#!/usr/bin/env python3
"""Turn the SBI calls a real hypervisor made into fuzz seeds.

usage: trace-to-seeds.py LOG... --out-dir corpora --prefix linux

LOG is a console log of a firmware built with MONITOR_SBI_TRACE ("sbi-trace h=H eid=E
fid=F a=A0,...,A5" per call). The calls of each log become programs of hv_ecall steps in
their order, cut into chunks the input format holds (48 steps), written in text form to
<out-dir>/hv_calls and <out-dir>/multi_hart. Harts beyond a target's count fold onto its
harts (the decoder does the same); arguments stay raw, as Linux passed them. Chunks
whose calls and pairs of successive calls all stood in earlier chunks are left out.
"""
import argparse
import os
import re
import sys

# harness/lib/prog.c's eid_table, by name (selectors 13 and 14 repeat COVH and COVG)
EIDS = {0x434F5648: "COVH", 0x434F5647: "COVG", 0x10: "BASE", 0x54494D45: "TIME",
        0x735049: "IPI", 0x52464E43: "RFENCE", 0x48534D: "HSM", 0x53525354: "SRST",
        0x4442434E: "DBCN", 0x00: "LEGACY_TIMER", 0x01: "LEGACY_PUTC", 0x02: "LEGACY_GETC",
        0x0A000000: "VENDOR"}
TARGETS = {"hv_calls": 2, "multi_hart": 4}
MAX_STEPS = 48
LINE = re.compile(r"sbi-trace h=(\d+) eid=(0x[0-9a-f]+) fid=(0x[0-9a-f]+) a=([0-9a-fx,]+)")


def step(hart, eid, fid, args, harts):
    name = EIDS.get(eid)
    head = f"hv_ecall h={hart % harts} eid={name}" if name else \
        f"hv_ecall h={hart % harts} eid=RAW raw_eid={eid:#x}"
    vals = " ".join(f"v{i}=raw:{a:#x}" for i, a in enumerate(args))
    return f"{head} fid={fid & 0xff} {vals}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--out-dir", default="corpora")
    ap.add_argument("--prefix", default="linux")
    a = ap.parse_args()
    written, seen = 0, set()
    for log in a.logs:
        calls = []
        with open(log, errors="replace") as f:
            for line in f:
                m = LINE.search(line)
                if m:
                    args = [int(x, 16) for x in m.group(4).split(",")[:6]]
                    calls.append((int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16), args))
        tag = os.path.splitext(os.path.basename(log))[0]
        for target, harts in TARGETS.items():
            os.makedirs(os.path.join(a.out_dir, target), exist_ok=True)
            for n in range(0, len(calls), MAX_STEPS):
                chunk = calls[n:n + MAX_STEPS]
                # a chunk whose calls, and pairs of successive calls, all stood in earlier
                # chunks adds nothing a mutation of those would not reach (Linux's console
                # and timer calls repeat for most of a boot)
                pairs = [(c[1], c[2]) for c in chunk]
                shape = {(target, p) for p in pairs} | {(target, p, q) for p, q in zip(pairs, pairs[1:])}
                if shape <= seen:
                    continue
                seen |= shape
                path = os.path.join(a.out_dir, target, f"{a.prefix}-{tag}-{n // MAX_STEPS:03d}.txt")
                with open(path, "w") as f:
                    f.write(f"target {target}\n")
                    for c in chunk:
                        f.write(step(*c, harts) + "\n")
                written += 1
        print(f"trace-to-seeds: {log}: {len(calls)} calls")
    print(f"trace-to-seeds: {written} seeds in {a.out_dir}/{{{','.join(TARGETS)}}}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
