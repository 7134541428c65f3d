"""Runs an input through crashes-triage/backends/<name>.sh and reads its answer."""
import os
import subprocess
import tempfile

from signature import parse

BACKENDS = ("host", "unicorn", "qemu")
REPRODUCED, NOT_REPRODUCED, UNAVAILABLE = "reproduced", "not reproduced", "not available"
STATUS_OF_EXIT = {0: REPRODUCED, 1: NOT_REPRODUCED, 2: UNAVAILABLE}


class Result:
    def __init__(self, backend, status, line, log, verdict):
        self.backend = backend
        self.status = status
        self.line = line          # the backend's one line: finding, what ran, or why not
        self.log = log            # the run's complete output
        self.verdict = verdict    # signature.Verdict of the log (found only if reproduced)

    def as_json(self):
        d = {"status": self.status, "line": self.line}
        if self.status == REPRODUCED:
            d["signature"] = self.verdict.signature
        return d


def run(root, backend, target, path, build, defences_off, timeout=30):
    script = os.path.join(root, "crashes-triage", "backends", backend + ".sh")
    env = dict(os.environ)
    env["TRIAGE_BUILD"] = build
    env["TRIAGE_DEFENCES_OFF"] = defences_off or "0"
    env["TRIAGE_TIMEOUT"] = str(timeout)
    # a console may print any bytes: decode what is not UTF-8 as replacement characters
    with tempfile.NamedTemporaryFile("r", suffix=".log", errors="replace") as log:
        env["TRIAGE_LOG"] = log.name
        try:
            p = subprocess.run(["bash", script, target, os.path.abspath(path)], cwd=root,
                               env=env, capture_output=True, text=True, errors="replace",
                               timeout=timeout * 12 + 60)
            rc, out = p.returncode, p.stdout
        except subprocess.TimeoutExpired:
            rc, out = 2, f"{backend} backend did not answer in time"
        text = log.read()
    line = (out.strip().splitlines() or [""])[-1]
    status = STATUS_OF_EXIT.get(rc, UNAVAILABLE)
    if rc not in STATUS_OF_EXIT:
        line = f"backend script failed (exit {rc}): {line}"
    verdict = parse(text, timed_out=line.startswith("hang:")) if status == REPRODUCED else parse("")
    if status == REPRODUCED and not verdict.found:
        # a finding the parser does not know: still a finding, under its own line
        verdict = parse("", rc=134)
        verdict.detail = line
    return Result(backend, status, line, text, verdict)
