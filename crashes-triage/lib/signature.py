"""What a run's output says went wrong, and the stable signature that buckets it.

A signature must come out the same for every input that hits the same bug, whichever
engine found the input and however long it is, and differ between bugs:

- an oracle finding: the oracle's name and its message with the numbers taken out
  ("invariants: I.MT.3: free page # is not zero"). The stack of an oracle finding is the
  checker's, the same for every bug that oracle catches, and the Unicorn harness has no
  host stack at all, so frames would split one bug by backend without telling bugs apart;
- a sanitizer report: the error kind and the top three symbolized frames of project code
  (function names only, so that an edit elsewhere in a file does not move the bucket);
- a hardware-model fatal error: its message with the numbers taken out;
- a hang: the target (nothing better is known without a stack).
"""
import hashlib
import re

ORACLE_RE = re.compile(r"==ORACLE== (\S+) at step (\d+)(?: \(([^)]*)\))?: (.*)$")
ASAN_RE = re.compile(r"==\d+==ERROR: AddressSanitizer: (\S+)")
ACCESS_RE = re.compile(r"^(READ|WRITE) of size \d+")
SEGV_ACCESS_RE = re.compile(r"The signal is caused by a (READ|WRITE) memory access")
UBSAN_RE = re.compile(r"^(\S+?):(\d+):(\d+): runtime error: (.*)$")
LSAN_RE = re.compile(r"==\d+==ERROR: LeakSanitizer: detected memory leaks")
FRAME_RE = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (\S+)(?: (\S+))?")
MODEL_RE = re.compile(r"hardware model: (.*)$")
INVARIANT_ID_RE = re.compile(r"^([A-Z][A-Za-z]*(?:\.[A-Za-z0-9]+)+): (.*)$")

# Frames that are the reporting machinery, not the code under test.
NOISE_FUNCTIONS = re.compile(
    r"^(__asan|__ubsan|__sanitizer|__interceptor|__lsan|__libc_|__GI_|_start$|abort$|raise$|"
    r"malloc$|calloc$|realloc$|free$|harness_finding$|model_fatal$|fuzzer::)")
TOP_FRAMES = 3


def template(message):
    """The message with addresses, counts and register numbers replaced by '#'.

    An invariant's name (I.MT.3) leads an invariants message and is kept as it is."""
    prefix = ""
    m = INVARIANT_ID_RE.match(message)
    if m:
        prefix, message = m.group(1) + ": ", m.group(2)
    message = re.sub(r"0x[0-9a-fA-F]+", "#", message)
    message = re.sub(r"\b[0-9a-fA-F]{6,}\b", "#", message)
    message = re.sub(r"\d+", "#", message)
    return prefix + " ".join(message.split())


def project_frames(lines, start):
    """Function names of the first stack after line `start`, reporting machinery and
    frames without a source file (libc, the sanitizer runtime) left out."""
    frames, seen_stack = [], False
    for line in lines[start:]:
        m = FRAME_RE.match(line)
        if not m:
            if seen_stack:
                break
            continue
        seen_stack = True
        func, where = m.group(2), m.group(3) or ""
        if NOISE_FUNCTIONS.match(func) or where.startswith("(") or not where:
            continue
        if "compiler-rt" in where or where.startswith(("csu/", "../sysdeps")):
            continue
        frames.append(func)
    return frames


class Verdict:
    """One run's finding, or its absence (kind None)."""

    def __init__(self, kind=None, detail="", frames=(), line="", oracle=None, step=None,
                 message=""):
        self.kind = kind            # oracle | asan | ubsan | leak | model | hang | crash | None
        self.detail = detail        # the part of the signature after the kind
        self.frames = list(frames)
        self.line = line            # the report's one line, as printed
        self.oracle = oracle        # the oracle's name, for oracle findings
        self.step = step            # the step after which the oracle fired
        self.message = message      # the oracle's (or sanitizer's) own words

    @property
    def found(self):
        return self.kind is not None

    @property
    def signature(self):
        if not self.found:
            return ""
        s = f"{self.kind} {self.detail}".strip()
        if self.kind in ("asan", "ubsan", "leak", "crash") and self.frames:
            s += " in " + " < ".join(self.frames[:TOP_FRAMES])
        return s

    @property
    def bucket_id(self):
        return hashlib.sha1(self.signature.encode()).hexdigest()[:10]

    @property
    def label(self):
        """Short words for progress lines: 'oracle: invariants', 'asan: SEGV'."""
        if self.kind == "oracle":
            return f"oracle: {self.oracle}"
        return f"{self.kind}: {self.detail.split(' ')[0]}" if self.detail else self.kind or "none"


def parse(log, rc=0, timed_out=False):
    """The finding in a run's combined output; `rc` is its exit status (negative for a
    signal, as subprocess reports it)."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        m = ORACLE_RE.search(line)
        if m:
            oracle, step, _, message = m.groups()
            return Verdict("oracle", f"{oracle}: {template(message)}", (),
                           m.group(0), oracle, int(step), message)
    for i, line in enumerate(lines):
        m = ASAN_RE.search(line)
        if m:
            kind, access = m.group(1), ""
            for follow in lines[i + 1:i + 4]:
                a = ACCESS_RE.match(follow) or SEGV_ACCESS_RE.search(follow)
                if a:
                    access = " " + a.group(1)
                    break
            return Verdict("asan", kind + access, project_frames(lines, i + 1),
                           line[line.index("ERROR"):], message=line)
        m = UBSAN_RE.match(line)
        if m:
            return Verdict("ubsan", template(m.group(4)), project_frames(lines, i + 1),
                           line, message=m.group(4))
        if LSAN_RE.search(line):
            return Verdict("leak", "", project_frames(lines, i + 1),
                           "LeakSanitizer: detected memory leaks", message=line)
        m = MODEL_RE.search(line)
        if m:
            return Verdict("model", template(m.group(1)), (), m.group(0), message=m.group(1))
    if timed_out:
        return Verdict("hang", "", (), "no result within the time limit")
    if rc != 0:
        how = f"signal {-rc}" if rc < 0 else f"exit {rc}"
        return Verdict("crash", how, (), f"ended with {how} and no report")
    return Verdict()
