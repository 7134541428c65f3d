"""report.md for people and report.json for scripts, from the same data."""
import json
import os
import time

from backends import BACKENDS, REPRODUCED


def utc(seconds):
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def bucket_json(b, out_dir):
    first = b.findings[0]
    engines = {}
    for f in b.findings:
        engines[f.engine] = engines.get(f.engine, 0) + 1
    return {
        "number": b.number,
        "id": b.verdict.bucket_id,
        "signature": b.verdict.signature,
        "kind": b.verdict.kind,
        "oracle": b.verdict.oracle,
        "oracle_words": b.verdict.line,
        "frames": b.frames,
        "first_seen": {"time": utc(first.seen), "file": first.path, "engine": first.engine,
                       "target": first.target, "campaign": first.campaign},
        "count": len(b.findings),
        "unique_inputs": len({f.sha1 for f in b.findings}),
        "engines": engines,
        "targets": sorted({f.target for f in b.findings}),
        "defences_off": first.defences_off or None,
        "minimized": {
            "file": os.path.relpath(b.minimized_path, out_dir) if b.minimized_path else None,
            "bytes": b.minimized_size,
            "original_bytes": len(b.representative.data),
            "original_file": b.representative.path,
            "how": b.minimized_how,
            "steps": b.steps.splitlines() if b.steps else [],
        },
        "backends": {name: b.backends[name].as_json() | ({"input": b.backend_input[name]}
                                                         if name in b.backend_input else {})
                     for name in BACKENDS if name in b.backends},
        "reproduced_on": [n for n in BACKENDS if n in b.backends and b.backends[n].status == REPRODUCED],
        "regression_file": b.regression_file,
        "findings": [f.path for f in b.findings],
    }


def write(out_dir, inputs, findings, buckets, unreproduced, problems, elapsed):
    data = {
        "generated": utc(time.time()),
        "inputs": inputs,
        "seconds": round(elapsed, 1),
        "findings": len(findings),
        "unique_inputs": len({f.sha1 for f in findings}),
        "buckets": [bucket_json(b, out_dir) for b in buckets],
        "not_reproduced": [{"file": f.path, "target": f.target, "engine": f.engine,
                            "backends": {n: r.as_json() for n, r in results.items()}}
                           for f, results in unreproduced],
        "problems": problems,
    }
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(markdown(data))
    return data


def fence(text):
    return "```\n" + text.rstrip("\n") + "\n```\n"


def markdown(d):
    out = ["# Crash triage\n",
           f"{d['generated']}: {d['findings']} findings ({d['unique_inputs']} distinct inputs) from "
           + ", ".join(f"`{i}`" for i in d["inputs"])
           + f" in {len(d['buckets'])} bucket(s); {len(d['not_reproduced'])} did not reproduce. "
           f"Triage took {d['seconds']} s.\n\n"]
    if d["buckets"]:
        out.append("| # | signature | count | reproduced on | first seen |\n|---|---|---|---|---|\n")
        for b in d["buckets"]:
            out.append(f"| {b['number']} | `{b['signature']}` | {b['count']} | "
                       f"{', '.join(b['reproduced_on']) or 'nowhere'} | {b['first_seen']['time']} |\n")
    for b in d["buckets"]:
        m = b["minimized"]
        out.append(f"\n## Bucket {b['number']}: {b['kind']}"
                   + (f" ({b['oracle']})" if b["oracle"] else "") + "\n\n")
        out.append(f"- signature: `{b['signature']}` (id `{b['id']}`)\n")
        fs = b["first_seen"]
        out.append(f"- first seen: {fs['time']}, `{fs['file']}` ({fs['engine']}, {fs['target']})\n")
        engines = ", ".join(f"{n} {e}" for e, n in sorted(b["engines"].items()))
        out.append(f"- count: {b['count']} findings, {b['unique_inputs']} distinct inputs "
                   f"({engines}); targets: {', '.join(b['targets'])}\n")
        if b["defences_off"]:
            out.append(f"- planted bug: found on a build with defences {b['defences_off']} off\n")
        out.append(f"- minimised: {m['bytes']} bytes from {m['original_bytes']} "
                   f"(`{m['original_file']}`) by {m['how']}: `{m['file']}`\n")
        if b["frames"]:
            out.append(f"- top frames: {' < '.join(b['frames'])}\n")
        if b["regression_file"]:
            out.append(f"- filed as regression: `{b['regression_file']}`\n")
        words = "The oracle's words" if b["kind"] == "oracle" else "The report's words"
        out.append(f"\n{words}:\n\n" + fence(b["oracle_words"]))
        out.append("\nMinimised steps:\n\n" + fence("\n".join(m["steps"]) or "(could not decode)"))
        out.append("\n| backend | result | says |\n|---|---|---|\n")
        for name, r in b["backends"].items():
            note = " (original input)" if r.get("input") == "original" else ""
            out.append(f"| {name} | {r['status']}{note} | {r['line'].replace('|', '/')} |\n")
        if len(b["findings"]) > 1:
            shown = b["findings"][:20]
            out.append("\nFindings:\n\n" + "".join(f"- `{p}`\n" for p in shown))
            if len(b["findings"]) > len(shown):
                out.append(f"- ... and {len(b['findings']) - len(shown)} more (report.json)\n")
    if d["not_reproduced"]:
        out.append("\n## Not reproduced\n\nThese findings ran clean on every backend that "
                   "could run them (fixed since, or depending on state outside the input):\n\n")
        for n in d["not_reproduced"]:
            says = "; ".join(f"{k}: {v['status']}" for k, v in n["backends"].items())
            out.append(f"- `{n['file']}` ({n['engine']}, {n['target']}): {says}\n")
    if d["problems"]:
        out.append("\n## Problems\n\n" + "".join(f"- {p}\n" for p in d["problems"]))
    return "".join(out)
