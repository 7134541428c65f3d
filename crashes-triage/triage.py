#!/usr/bin/env python3
"""Crash triage for the fuzzing campaigns (crashes-triage/README.md).

  triage.py triage [--add] [--out DIR] [--target T] [--minimize-seconds N] [PATH...]
  triage.py repro [--target T] FILE

triage: reproduces every finding under PATH (campaign folders, crash folders or files;
default: the newest campaign) on the host replay build, buckets them by signature,
minimises one input per bucket, decodes it, replays it on every backend and writes
report.md and report.json. repro: one input on every backend.
"""
import argparse
import glob
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "crashes-triage", "lib"))

import backends  # noqa: E402
import findings as findings_mod  # noqa: E402
import report  # noqa: E402
from minimize import Minimizer  # noqa: E402

BUILD = os.environ.get("TRIAGE_BUILD", "build")


def say(msg):
    print(msg, flush=True)


class Bucket:
    def __init__(self, number, verdict, host_result):
        self.number = number
        self.verdict = verdict
        self.findings = []
        self.frames = verdict.frames
        self.first_result = host_result
        self.representative = None
        self.minimized_path = None
        self.minimized_size = None
        self.minimized_how = ""
        self.steps = ""
        self.backends = {}
        self.backend_input = {}
        self.regression_file = None


def out_dir_for(paths, all_findings, explicit):
    if explicit:
        return explicit
    campaigns = {f.campaign for f in all_findings}
    if len(paths) == 1 and os.path.isdir(paths[0]) and len(campaigns) == 1 and None not in campaigns:
        name = os.path.basename(os.path.normpath(campaigns.pop()))
    elif len(paths) == 1 and not all_findings and \
            os.path.exists(os.path.join(paths[0], "summary.json")):
        name = os.path.basename(os.path.normpath(paths[0]))
    else:
        name = "triage-" + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return os.path.join(ROOT, "crashes-triage", "reports", name)


def reproduce(finding, order):
    """Host first; a finding the host does not reproduce (a firmware-only bug from the
    Unicorn harness, say) gets its signature from the first firmware backend that does."""
    results = {}
    for name in order:
        r = backends.run(ROOT, name, finding.target, finding.path, finding.build,
                         finding.defences_off)
        results[name] = r
        if r.status == backends.REPRODUCED:
            return r, results
    return None, results


def oracle_stack(finding, path):
    """Where an oracle fired, from gdb when it is installed: the replay driver catches
    SIGABRT itself, so the sanitizers print no stack for an oracle's abort."""
    gdb = shutil.which("gdb")
    if not gdb:
        return []
    import subprocess
    env = dict(os.environ, TRIAGE_DEFENCES_OFF=finding.defences_off or "0")
    binary = os.path.join(finding.build, "fuzz", "replay", finding.target)
    try:
        p = subprocess.run([gdb, "-batch", "-nx", "-ex", "handle SIGABRT stop nopass",
                            "-ex", "run", "-ex", "bt 12", "--args", binary, path],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return []
    frames = []
    for line in p.stdout.splitlines():
        if line.startswith("#") and " in " in line:
            func = line.split(" in ", 1)[1].split(" ", 1)[0]
        elif line.startswith("#"):
            func = line.split()[1]
        else:
            continue
        if func in ("abort", "raise", "harness_finding") or func.startswith(("__", "??")):
            continue
        frames.append(func)
    return frames[:4]


def triage(args):
    start = time.time()
    paths = args.paths
    if not paths:
        campaigns = sorted(glob.glob(os.path.join(ROOT, "campaigns", "*", "")))
        if not campaigns:
            say("triage: no campaigns/ folder to triage; pass DIR=")
            return 2
        paths = [os.path.relpath(campaigns[-1].rstrip("/"), ROOT)]
    all_findings, problems = findings_mod.collect(paths, ROOT, BUILD, args.target)
    for p in problems:
        say(f"triage: {p}")
    if not all_findings and len(problems) == len(paths) and \
            all(": no such file" in p for p in problems):
        return 2
    out_dir = out_dir_for(paths, all_findings, args.out)
    os.makedirs(out_dir, exist_ok=True)
    say(f"triage: {len(all_findings)} findings in {' '.join(paths)} -> {os.path.relpath(out_dir, ROOT)}")

    order = [b for b in backends.BACKENDS]
    buckets, by_signature, by_content, unreproduced = [], {}, {}, []
    total = len(all_findings)
    for i, f in enumerate(all_findings, 1):
        prefix = f"[{i}/{total}] {f.name}"
        if f.sha1 in by_content:
            b = by_content[f.sha1]
            if b is None:
                say(f"{prefix}: same input as an earlier one, not reproduced")
                unreproduced.append((f, {}))
            else:
                b.findings.append(f)
                say(f"{prefix}: same input as an earlier one, bucket {b.number}")
            continue
        print(f"[{i}/{total}] reproducing {f.name}... ", end="", flush=True)
        hit, results = reproduce(f, order)
        if not hit:
            by_content[f.sha1] = None
            unreproduced.append((f, results))
            says = ", ".join(f"{n} {r.status}" for n, r in results.items())
            say(f"not reproduced ({says})")
            continue
        sig = hit.verdict.signature
        b = by_signature.get(sig)
        new = b is None
        if new:
            b = Bucket(len(buckets) + 1, hit.verdict, hit)
            buckets.append(b)
            by_signature[sig] = b
        b.findings.append(f)
        by_content[f.sha1] = b
        where = "" if hit.backend == "host" else f" on {hit.backend}"
        say(f"bucket {b.number}{' (new)' if new else ''}{where} ({hit.verdict.label})")

    minimizer = Minimizer(ROOT, os.path.join(BUILD, "tools", "fuzzprog"), args.minimize_seconds,
                          say)
    for b in buckets:
        b.representative = min(b.findings, key=lambda x: (len(x.data), x.seen))
        bdir = os.path.join(out_dir, f"bucket-{b.number}-{b.verdict.bucket_id}")
        os.makedirs(bdir, exist_ok=True)
        rep = b.representative
        say(f"bucket {b.number}: minimising {rep.name} ({len(rep.data)} bytes, {rep.engine})...")
        if b.first_result.backend == "host":
            path, how = minimizer.minimize(rep, b.verdict.signature, bdir)
        else:
            path, how = rep.path, "not minimised (does not reproduce on the host)"
        b.minimized_path = os.path.join(bdir, "minimized.bin")
        shutil.copyfile(path, b.minimized_path)
        for leftover in ("bytes-min", "steps-min"):
            if os.path.exists(os.path.join(bdir, leftover)):
                os.unlink(os.path.join(bdir, leftover))
        b.minimized_size = os.path.getsize(b.minimized_path)
        b.minimized_how = how
        b.steps = minimizer.decode(rep.target, b.minimized_path) or ""
        with open(os.path.join(bdir, "steps.txt"), "w") as f:
            f.write(b.steps)
        say(f"bucket {b.number}: {b.minimized_size} bytes, "
            f"{len([l for l in b.steps.splitlines()[1:] if l.strip()])} steps ({how})")
        for name in order:
            r = backends.run(ROOT, name, rep.target, b.minimized_path, rep.build, rep.defences_off)
            if r.status == backends.NOT_REPRODUCED and name != "host":
                again = backends.run(ROOT, name, rep.target, rep.path, rep.build, rep.defences_off)
                if again.status == backends.REPRODUCED:
                    r = again
                    b.backend_input[name] = "original"
            b.backends[name] = r
            if r.log:
                with open(os.path.join(bdir, f"{name}.log"), "w") as f:
                    f.write(r.log)
            say(f"bucket {b.number}: {name}: {r.status}: {r.line}")
        if b.verdict.kind == "oracle" and not b.frames and b.first_result.backend == "host":
            b.frames = oracle_stack(rep, b.minimized_path)
        if args.add:
            b.regression_file = file_regression(b, args.regressions)

    data = report.write(out_dir, paths, all_findings, buckets, unreproduced, problems,
                        time.time() - start)
    summary(data, out_dir)
    return 0


def file_regression(b, root):
    rep = b.representative
    if rep.defences_off and int(rep.defences_off, 0):
        say(f"bucket {b.number}: not filed: found on a planted-bug build")
        return None
    host = b.backends.get("host")
    if not host or host.status != backends.REPRODUCED:
        say(f"bucket {b.number}: not filed: does not reproduce on the host")
        return None
    tdir = os.path.join(root, rep.target)
    os.makedirs(tdir, exist_ok=True)
    with open(b.minimized_path, "rb") as f:
        data = f.read()
    for existing in sorted(glob.glob(os.path.join(tdir, "*"))):
        with open(existing, "rb") as f:
            if f.read() == data:
                say(f"bucket {b.number}: already filed as {existing}")
                return existing
    dest = os.path.join(tdir, f"triage-{b.verdict.bucket_id}")
    shutil.copyfile(b.minimized_path, dest)
    say(f"bucket {b.number}: filed as {os.path.relpath(dest, ROOT)}")
    return os.path.relpath(dest, ROOT)


def summary(data, out_dir):
    say("")
    say(f"{data['findings']} findings, {data['unique_inputs']} distinct inputs, "
        f"{len(data['buckets'])} bucket(s), {len(data['not_reproduced'])} not reproduced "
        f"({data['seconds']} s)")
    for b in data["buckets"]:
        where = "  ".join(f"{n}:{r['status'].replace(' ', '-')}" for n, r in b["backends"].items())
        say(f"  bucket {b['number']}  {b['count']:>4} found  {b['minimized']['bytes']:>4} B  {where}")
        say(f"      {b['signature']}")
    rel = os.path.relpath(out_dir, ROOT)
    say(f"report: {rel}/report.md, {rel}/report.json")


def repro(args):
    if not os.path.isfile(args.file):
        say(f"repro: no such file: {args.file}")
        return 2
    found, problems = findings_mod.collect([args.file], ROOT, BUILD, args.target)
    if not found:
        say("repro: " + "; ".join(problems))
        return 2
    f = found[0]
    say(f"== {f.target}: {f.path}" + (f" (defences {f.defences_off} off)" if f.defences_off else ""))
    m = Minimizer(ROOT, os.path.join(BUILD, "tools", "fuzzprog"), 0, say)
    sys.stdout.write(m.decode(f.target, f.path) or "(cannot decode)\n")
    anywhere = False
    for name in backends.BACKENDS:
        r = backends.run(ROOT, name, f.target, f.path, f.build, f.defences_off)
        say(f"{name:8} {r.status}: {r.line}")
        if name == "host" and r.log and r.status == backends.REPRODUCED:
            sys.stderr.write(r.log)
        anywhere |= r.status == backends.REPRODUCED
    return 1 if anywhere else 0


def main():
    p = argparse.ArgumentParser(prog="triage.py")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("triage")
    t.add_argument("paths", nargs="*")
    t.add_argument("--add", action="store_true", help="file minimised inputs as regressions")
    t.add_argument("--regressions", default=os.path.join(ROOT, "corpora", "regressions"))
    t.add_argument("--out")
    t.add_argument("--target")
    t.add_argument("--minimize-seconds", type=int, default=10)
    r = sub.add_parser("repro")
    r.add_argument("file")
    r.add_argument("--target")
    args = p.parse_args()
    os.chdir(ROOT)
    return triage(args) if args.command == "triage" else repro(args)


if __name__ == "__main__":
    sys.exit(main())
