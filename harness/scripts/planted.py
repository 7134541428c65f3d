#!/usr/bin/env python3
"""The planted bugs a campaign must find: every (defence, target, oracle) the oracle
self-tests (tests/fi/test_oracles.c) expect a fuzz oracle to catch, read from their
expect_oracle(program, D_..., ORACLE_...) calls and the programs' "target" lines, with
each defence's bit from monitor/inc/defence.h. One line per pair:
    D_NAME 0xBIT target oracle
"""
import re
import sys

def main():
    defs = open("monitor/inc/defence.h").read()
    bits = {m.group(1): 1 << int(m.group(2))
            for m in re.finditer(r"^\s*(D_[A-Z_]+)\s*=\s*1U\s*<<\s*(\d+)", defs, re.M)}
    src = open("tests/fi/test_oracles.c").read()
    # static const char name[] = "target T\n" ...; a call uses the nearest one above it
    programs = [(m.start(), m.group(1), m.group(2))
                for m in re.finditer(r'char\s+(\w+)\[\]\s*=\s*"target (\w+)', src)]
    seen = set()
    for m in re.finditer(r"expect_oracle\(\s*(\w+)\s*,\s*(D_[A-Z_]+)\s*,\s*ORACLE_([A-Z_]+)\s*\)", src):
        prog, defence, oracle = m.groups()
        above = [t for pos, name, t in programs if name == prog and pos < m.start()]
        if not above or defence not in bits or defence in seen:
            continue
        target = above[-1]
        seen.add(defence)  # the first program that shows a defence is where to look for it
        print(f"{defence} {bits[defence]:#x} {target} {oracle.lower().replace('_', '-')}")
    if not seen:
        sys.exit("planted.py: no expect_oracle calls found in tests/fi/test_oracles.c")

main()
