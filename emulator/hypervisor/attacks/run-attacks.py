#!/usr/bin/env python3
"""Run the hostile hypervisor's attack mode on QEMU and collect its verdicts.

usage: run-attacks.py --firmware BIN --kernel ELF --out RESULTS [--log LOG] [--smp N,N...]
                      [--ids all|ID,ID...] [--timeout S] [--seed SEED]

Writes the option block that selects attack mode (emulator/hypervisor/hv.h,
attacks/atk.h), boots QEMU with a deadline and keeps the console in LOG. RESULTS gets
the "ATTACK <id> <result> <evidence>" lines for attacks/runner.c. An attack that asks
for the machine owner's view (attack-inspect) gets it through QEMU's monitor. SEED, an endorsement
seed, is loaded where the monitor looks for one (0x80100000) so attestation works. An attack that
started ("attack-start <id> down=<result>") without a verdict is given one here: the
machine went down in its middle, which is <result> (a crash, or the success of an
attack whose goal is taking the machine down), or QEMU hung and was stopped, a crash.
With several hart counts, one boot each; an attack keeps the most telling of its
results (anything but blocked, then blocked, then not-applicable), marked with its -smp.
Exits 1 if attack mode did not run to its end or to such a judged stop, or reported an
attack that catalog/attacks.def does not list; 2 if --ids names one it does not list.
"""
import argparse
import hashlib
import hmac
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "catalog"))
import catalog  # noqa: E402  (the attack ids: catalog/attacks.def)

CONFIG_ADDR = 0x80F00000
SEED_ADDR = 0x80100000
RAM_MIB = 256
RAM_END = 0x80000000 + (RAM_MIB << 20)
# the attack whose success run-attacks.py confirms by finding the key in its console output
KEY_ATTACK = "dma-monitor-secret"
CONFIG_MAGIC = 0x46435648  # "HVCF"
OPT_ATTACKS = 1 << 3


def firmware_symbols(firmware):
    """Where the firmware keeps its memory map and keys (its ELF beside the .bin), for
    the bus-master attack: "monitor-mem=.. monitor-keys=..", or "" without an ELF."""
    elf = os.path.splitext(firmware)[0] + ".elf"
    nm = shutil.which("llvm-nm-19") or shutil.which("nm")
    if not nm or not os.path.exists(elf):
        return ""
    syms = {}
    for line in subprocess.run([nm, elf], capture_output=True, text=True).stdout.splitlines():
        words = line.split()
        if len(words) == 3 and words[2] in ("mem", "keys"):
            syms[words[2]] = int(words[0], 16)
    if len(syms) != 2:
        return ""
    return f" monitor-mem={syms['mem']:#x} monitor-keys={syms['keys']:#x}"


def attestation_key(seed_path, log):
    """The attestation key seed the monitor derives (docs/abi.md): from the endorsement
    seed and the measurement the monitor prints at boot."""
    if not seed_path:
        return None
    with open(seed_path, "rb") as f:
        seed = f.read(32)
    for line in log.splitlines():
        if line.startswith("monitor: measurement "):
            mr = bytes.fromhex(line.split()[2])
            cdi = hmac.new(seed, b"cs-monitor cdi v1" + mr, hashlib.sha512).digest()
            return hmac.new(cdi, b"cs-monitor attestation key v1", hashlib.sha512).digest()[:32]
    return None


def printed_key(raw, key):
    """Did a console_write between the attack's markers print the key?"""
    begin = raw.find(b"attack-console-begin")
    end = raw.find(b"attack-console-end", begin)
    return key is not None and begin >= 0 and key in raw[begin:end]


def monitor_word(firmware):
    with open(firmware, "rb") as f:
        head = f.read(8)
    return struct.unpack("<Q", head)[0] if len(head) == 8 else 0


def inspect(sock, workdir, lo, hi, tag):
    """The machine owner's look at physical memory [lo, hi) through QEMU's monitor, for
    an attack that asks (attack-inspect LO TAG: from LO to the end of RAM): b"L" when the little-endian TAG is
    there (data a destroyed CVM left behind), b"Z" when it is not, b"E" on failure."""
    dump = os.path.join(workdir, "inspect.bin")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as m:
            m.settimeout(30)
            m.connect(sock)
            replies = m.makefile("r")
            replies.readline()  # the greeting
            for command in ({"execute": "qmp_capabilities"},
                            {"execute": "pmemsave",
                             "arguments": {"val": lo, "size": hi - lo, "filename": dump}}):
                m.sendall(json.dumps(command).encode() + b"\n")
                while True:  # skip events up to the command's own answer
                    reply = json.loads(replies.readline() or "{}")
                    if "return" in reply or "error" in reply or not reply:
                        break
                if "return" not in reply:
                    return b"E"
        with open(dump, "rb") as f:
            data = f.read()
    except (OSError, ValueError):
        return b"E"
    if len(data) != hi - lo:
        return b"E"
    needle, at = struct.pack("<Q", tag), data.find(struct.pack("<Q", tag))
    while at >= 0 and at % 8:
        at = data.find(needle, at + 1)
    return b"L" if at >= 0 else b"Z"


def boot(a, smp, log_path):
    """One QEMU run; returns (ATTACK lines, ok)."""
    text = (f"ids={a.ids} monitor-word={monitor_word(a.firmware):#x}"
            f"{firmware_symbols(a.firmware)}").encode() + b"\0"
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as opt:
        opt.write(struct.pack("<II", CONFIG_MAGIC, OPT_ATTACKS) + text)
    # a vector unit, so that the vector attack has state to leak (QEMU 7.2: RVV 1.0)
    cmd = ["qemu-system-riscv64", "-M", "virt", "-cpu", "rv64,v=true", "-m", f"{RAM_MIB}M", "-smp", str(smp),
           "-nographic", "-bios", a.firmware, "-kernel", a.kernel,
           "-device", f"loader,file={opt.name},addr={CONFIG_ADDR:#x},force-raw=on"]
    if a.seed:
        cmd += ["-device", f"loader,file={a.seed},addr={SEED_ADDR:#x},force-raw=on"]
    workdir = tempfile.mkdtemp(prefix="run-attacks-")
    sock = os.path.join(workdir, "qmp.sock")
    cmd += ["-qmp", f"unix:{sock},server=on,wait=off"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.PIPE)
    hung = []
    timer = threading.Timer(a.timeout, lambda: (hung.append(True), p.kill()))
    timer.start()
    out = []
    try:
        for raw in p.stdout:
            out.append(raw)
            words = raw.decode("utf-8", "replace").split()
            if len(words) == 3 and words[0] == "attack-inspect":
                answer = inspect(sock, workdir, int(words[1], 0), RAM_END, int(words[2], 0))
                p.stdin.write(answer)
                p.stdin.flush()
        rc = p.wait()
    finally:
        timer.cancel()
        os.unlink(opt.name)
        shutil.rmtree(workdir, ignore_errors=True)
    out, hung = b"".join(out), bool(hung)
    log = out.decode("utf-8", "replace")
    if log_path:
        with open(log_path, "w") as f:
            f.write(log)

    results, started = [], None
    done = failed = False
    for line in log.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "attack-start":
            started = (words[1], words[2].partition("=")[2] or "crashed")
        elif len(words) >= 3 and words[0] == "ATTACK":
            if words[1] == KEY_ATTACK and words[2] == "succeeded":
                key = attestation_key(a.seed, log)
                line += ("; the printed bytes hold the attestation key (derived here from the seed)"
                         if printed_key(out, key) else "; the attestation key was not among them")
            results.append(line.strip())
            started = None
        elif line.startswith("attacks: done"):
            done = True
        elif line.startswith("attacks: FAIL"):
            failed = True
    if started and not done:
        ident, down = started
        if hung:
            results.append(f"ATTACK {ident} crashed QEMU hung during the attack and was stopped "
                           f"after {a.timeout:g} s")
        else:
            verdict = down if down in ("succeeded", "crashed") else "crashed"
            results.append(f"ATTACK {ident} {verdict} the machine went down during the attack "
                           f"(QEMU exit status {rc})")
    if failed:
        print(f"run-attacks: attack mode reported a failure of its own (-smp {smp}, see the log)",
              file=sys.stderr)
        return results, False
    if not done and not started:
        print(f"run-attacks: attack mode did not finish (-smp {smp}, QEMU status {rc}"
              f"{', hung' if hung else ''})", file=sys.stderr)
        return results, False
    return results, True


# When several boots report one attack, the report keeps the most telling result.
RANK = {"not-applicable": 0, "blocked": 1}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--firmware", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--log", help="console log (LOG-smpN.log with several --smp values)")
    ap.add_argument("--smp", default="2", help="hart counts, one boot each: 1,2,4")
    ap.add_argument("--ids", default="all")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--seed", help="endorsement seed to load (attestation)")
    a = ap.parse_args()
    known = catalog.attack_ids()
    assert KEY_ATTACK in known, f"{KEY_ATTACK} is not in catalog/attacks.def"
    unknown = [i for i in a.ids.split(",") if i != "all" and i not in known]
    if unknown:
        print(f"run-attacks: not in catalog/attacks.def: {', '.join(unknown)}", file=sys.stderr)
        return 2

    smps = [int(n) for n in a.smp.split(",")]
    merged, order, ok = {}, [], True
    for smp in smps:
        log = a.log
        if log and len(smps) > 1:
            log = f"{os.path.splitext(log)[0]}-smp{smp}.log"
        results, fine = boot(a, smp, log)
        ok &= fine
        for line in results:
            ident, result = line.split()[1:3]
            if ident not in known:
                print(f"run-attacks: attack mode reported {ident}, which catalog/attacks.def does "
                      f"not list (-smp {smp})", file=sys.stderr)
                ok = False
            if len(smps) > 1:
                line += f" [-smp {smp}]"
            if ident not in merged:
                order.append(ident)
                merged[ident] = line
            elif RANK.get(result, 2) > RANK.get(merged[ident].split()[2], 2):
                merged[ident] = line
    with open(a.out, "w") as f:
        f.write("".join(merged[i] + "\n" for i in order))
    for i in order:
        print(merged[i])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
