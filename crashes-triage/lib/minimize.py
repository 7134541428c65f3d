"""Shrinks one input per bucket, keeping its signature.

First the engine's own byte-level minimiser (libFuzzer -minimize_crash=1 for libFuzzer
findings, afl-tmin for AFL++ ones, each on the binary of the build that found the input),
then a pass over the decoded program that drops steps one at a time. Both minimisers
keep any crash, not necessarily the same one, so every candidate is replayed on the host
and kept only if its signature is still the bucket's.
"""
import os
import shutil
import subprocess
import tempfile

import backends


class Minimizer:
    def __init__(self, root, fuzzprog, seconds, log):
        self.root = root
        self.fuzzprog = fuzzprog
        self.seconds = seconds
        self.log = log            # function(str) for progress notes

    def same_bug(self, finding, path, signature):
        """The host's verdict on `path` if it has the bucket's signature, else None."""
        r = backends.run(self.root, "host", finding.target, path, finding.build,
                         finding.defences_off)
        if r.status == backends.REPRODUCED and r.verdict.signature == signature:
            return r.verdict
        return None

    def _env(self, finding):
        env = dict(os.environ)
        if finding.defences_off:
            env["TRIAGE_DEFENCES_OFF"] = finding.defences_off
        return env

    def libfuzzer(self, finding, src, out):
        binary = os.path.join(finding.build, "fuzz", "libfuzzer", finding.target)
        if not os.access(binary, os.X_OK):
            return None, f"no {binary}"
        cmd = [binary, "-minimize_crash=1", f"-max_total_time={self.seconds}", "-timeout=10",
               f"-exact_artifact_path={out}", src]
        subprocess.run(cmd, cwd=self.root, env=self._env(finding), capture_output=True,
                       timeout=self.seconds * 3 + 60)
        return (out if os.path.exists(out) else None), "libFuzzer -minimize_crash=1"

    def afl_tmin(self, finding, src, out):
        binary = os.path.join(finding.build, "fuzz", "afl", finding.target)
        if not os.access(binary, os.X_OK) or not shutil.which("afl-tmin"):
            return None, f"no {binary} or no afl-tmin"
        env = self._env(finding)
        # as campaign.sh runs afl-fuzz: a sanitizer report must end in an abort for
        # afl-tmin to see a crash; libAFLDriver takes the input from shared memory
        env.update(ASAN_OPTIONS="abort_on_error=1:symbolize=0:detect_leaks=0",
                   UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:symbolize=0",
                   AFL_SKIP_CPUFREQ="1", AFL_NO_AFFINITY="1", AFL_QUIET="1")
        cmd = ["afl-tmin", "-i", src, "-o", out, "-t", "10000", "--", binary]
        try:
            subprocess.run(cmd, cwd=self.root, env=env, capture_output=True,
                           timeout=self.seconds * 3 + 60)
        except subprocess.TimeoutExpired:
            return None, "afl-tmin did not finish in time"
        return (out if os.path.exists(out) else None), "afl-tmin"

    def decode(self, target, path):
        p = subprocess.run([self.fuzzprog, "decode", target, path], cwd=self.root,
                           capture_output=True, text=True)
        return p.stdout if p.returncode == 0 else None

    def encode(self, target, text, out):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as t:
            t.write(text)
            t.flush()
            p = subprocess.run([self.fuzzprog, "encode", target, t.name, out], cwd=self.root,
                               capture_output=True)
        return p.returncode == 0

    def drop_steps(self, finding, src, out, signature):
        """Steps after the one the oracle fired at go first, then each step in turn."""
        verdict = self.same_bug(finding, src, signature)
        fired_at = verdict.step if verdict else None
        text = self.decode(finding.target, src)
        if text is None:
            return None
        lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
        header, steps = lines[0], lines[1:]
        candidate = out + ".try"

        def still_same(kept):
            return (self.encode(finding.target, "\n".join([header] + kept) + "\n", candidate)
                    and self.same_bug(finding, candidate, signature))

        changed = False
        if fired_at is not None and fired_at + 1 < len(steps) and still_same(steps[:fired_at + 1]):
            steps, changed = steps[:fired_at + 1], True
        progress = True
        while progress and len(steps) > 1:
            progress = False
            for i in reversed(range(len(steps))):
                if len(steps) > 1 and still_same(steps[:i] + steps[i + 1:]):
                    steps = steps[:i] + steps[i + 1:]
                    progress = changed = True
        if os.path.exists(candidate):
            os.unlink(candidate)
        if not changed:
            return None
        self.encode(finding.target, "\n".join([header] + steps) + "\n", out)
        return out

    def minimize(self, finding, signature, workdir):
        """Returns (path of the smallest input that keeps the signature, how it was made)."""
        best, how = finding.path, ["original"]
        first = (self.afl_tmin, self.libfuzzer) if finding.engine == "afl" \
            else (self.libfuzzer, self.afl_tmin)
        for tool in first:
            out = os.path.join(workdir, "bytes-min")
            path, name = tool(finding, best, out)
            if path and os.path.getsize(path) < os.path.getsize(best) and \
                    self.same_bug(finding, path, signature):
                best, how = path, [name]
                break
            if path:
                self.log(f"      {name} gave nothing smaller with the same signature")
        out = os.path.join(workdir, "steps-min")
        if self.drop_steps(finding, best, out, signature) and \
                self.same_bug(finding, out, signature):
            best = out
            how.append("step removal")
        return best, " + ".join(h for h in how if h != "original" or len(how) == 1)
