#!/usr/bin/env python3
"""Check that the documentation names only things that exist.

usage: docs-check.py [--root DIR] [FILE.md ...]      (default: README.md and docs/*.md)

Every name a document puts in backticks, and every link, must resolve in the repository:

- a path (has a '/' or a file extension: `monitor/core/fsm.c`, `trap.S`, `tests/fi/`)
  exists, taken from the repository root, from the document's folder, or as the tail of
  a path in the tree (docs name `core/trap.c` for monitor/core/trap.c, `pmp_check.c`
  alone); `*` and `?` are globs; a `<placeholder>` part matches any one name.
  `file.c:name` also needs `name` in that file. Under build/ (what the build makes),
  the file name must occur in the sources that make it. A path that leaves the
  repository is an error wherever it points;
- a call, `name()` or `name(args)`: `name(` occurs in the sources (or `name:`, a label);
- an identifier (`run_tvm_vcpu`, `D_EXIT_CLOSES_PMP`, `hgatp`, `struct cvm`,
  `hv_extensions[]`): it occurs as a word in the sources; dotted names (`I.FSM.3`,
  `sstatus.SIE`, `mem.devices`) occur whole, or each part does;
- a hyphenated name (an oracle, an attack id, a fuzz target, a layout:
  `register-leak`, `leak-gprs`): in catalog/ or as a word in the sources, or a make target;
- `make TARGET ...`: every TARGET is a target of the Makefile (`make -pn`);
- a link [text](target): http(s) and mailto are not followed; anything else is a path
  as above (relative to the document), and a #fragment names a heading of its document.

"The sources" are the repository's text files other than Markdown (build/ and .git
left out), so a document cannot vouch for itself. Code blocks are not read, and
neither are spans that are commands or expressions: they hold spaces, operators or
options (`-smp 2`, `h->regs = v->regs`, `sel % 4`), or fuzz-program syntax (`small:N`).

Exit status: 0 when everything resolves, 1 with one line per problem otherwise.
"""
import argparse
import fnmatch
import glob
import os
import re
import subprocess
import sys

SKIP_DIRS = {".git", "build", "__pycache__", "node_modules"}
SOURCE_LIMIT = 2 << 20  # bytes read per file
FILE_EXT = re.compile(
    r"\.(c|h|S|s|py|sh|mk|md|ld|lds|txt|json|csv|def|yml|yaml|zip|bin|pub|elf|dtb|dts|log|"
    r"toml|cfg|conf|patch|diff|svg|png|gp|in)$")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPERATORS = re.compile(r"->|[=&|%~^+]|<<|>>|\s[<>]\s|!|;|\\|\"|'")


class Repo:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.files, self.dirs, texts = [], set(), []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            rel_dir = os.path.relpath(dirpath, self.root)
            rel_dir = "" if rel_dir == "." else rel_dir
            if rel_dir:
                self.dirs.add(rel_dir)
            for name in sorted(filenames):
                rel = os.path.join(rel_dir, name)
                self.files.append(rel)
                if name.endswith(".md"):
                    continue
                try:
                    with open(os.path.join(dirpath, name), "rb") as f:
                        data = f.read(SOURCE_LIMIT)
                except OSError:
                    continue
                if b"\0" in data[:4096]:
                    continue
                texts.append(data.decode("utf-8", "replace"))
        self.text = "\n".join(texts)
        self.words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", self.text))
        self.suffixes = {w[w.index("_") + 1:] for w in self.words if "_" in w}
        self.suffixes |= {w.split("_", 1)[1] for w in self.words if "_" in w}
        for w in list(self.words):
            parts = w.split("_")
            self.suffixes.update("_".join(parts[i:]) for i in range(1, len(parts)))
        self.hyphen_words = set(re.findall(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)+", self.text))
        self.calls = set(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", self.text))
        self.labels = set(re.findall(r"^([A-Za-z_][A-Za-z0-9_]*):", self.text, re.M))
        self._targets = None

    def make_targets(self):
        if self._targets is None:
            env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
            out = subprocess.run(["make", "-pn", "-C", self.root, "help"], capture_output=True,
                                 text=True, env=env).stdout
            self._targets = set()
            for line in out.splitlines():
                m = re.match(r"^([^#\s=:][^=:]*?)\s*::?(?!=)", line)
                if m:
                    self._targets.update(m.group(1).split())
        return self._targets

    def inside(self, path):
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self.root + os.sep)

    def find(self, path, doc_dir):
        """The repository-relative paths `path` names (empty: none), or None when it
        points outside the repository."""
        path = path.rstrip("/") if path not in ("/", "./") else path
        pattern = re.sub(r"<[^<>/]*>", "*", path)
        left = False  # a reading of the path that leaves the repository
        for base in (self.root, doc_dir):
            candidate = os.path.normpath(os.path.join(base, pattern))
            if not self.inside(candidate):
                left = left or pattern.startswith("..")
                continue
            hits = glob.glob(candidate)
            if hits:
                return [os.path.relpath(h, self.root) for h in hits]
        if left:
            return None
        if pattern.startswith("/") or pattern.startswith("."):
            return []
        tail = "*/" + pattern
        hits = [f for f in self.files if fnmatch.fnmatchcase(f, tail) or fnmatch.fnmatchcase(f, pattern)]
        hits += [d for d in self.dirs if fnmatch.fnmatchcase(d, tail)]
        return hits

    def has_word(self, word):
        """`word` as a word, or as the tail of a constant's name: a CSR field (SPIE for
        SSTATUS_SPIE), an exit (MMIO_LOAD for TVM_EXIT_MMIO_LOAD), a CoVE call
        (deny_external_interrupt for COVG_DENY_EXTERNAL_INTERRUPT)."""
        return word in self.words or word in self.suffixes or word.upper() in self.suffixes

    def has_text(self, text):
        return text in self.text


def slug(heading):
    """GitHub's anchor for a heading."""
    s = re.sub(r"[`*_~]", "", heading.strip().lower())
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def looks_like_path(span):
    return ("/" in span or FILE_EXT.search(span)) and not re.search(r"\s", span)


class Checker:
    def __init__(self, repo):
        self.repo = repo
        self.problems = []

    def problem(self, doc, line, what):
        self.problems.append(f"{os.path.relpath(doc, self.repo.root)}:{line}: {what}")

    # --- spans -----------------------------------------------------------------------
    def check_path(self, doc, line, span):
        m = re.search(r"\{([^{}]*)\}", span)
        if m:  # sbi_{base,time}.c: each one
            for alt in m.group(1).split(","):
                self.check_path(doc, line, span[:m.start()] + alt + span[m.end():])
            return
        path, _, member = span.partition(":")
        if all(re.fullmatch(r"<[^<>]*>", part) for part in path.strip("/").split("/")):
            return  # a format such as <cvm>/<vcpu>, not a path
        if path.startswith("build/") or path.startswith("$(BUILD)/"):
            name = os.path.basename(path.rstrip("/"))
            if "*" not in name and "<" not in name and not self.repo.has_text(name):
                self.problem(doc, line, f"`{span}`: a build output nothing in the sources makes ({name})")
            return
        hits = self.repo.find(path, os.path.dirname(doc))
        if hits is None:
            self.problem(doc, line, f"`{span}` points outside the repository")
        elif not hits:
            name = path.rstrip("/")
            if "/" not in name:  # a file the code writes or reads (summary.txt, fw_dynamic.bin)
                parts = re.split(r"(<[^<>]*>|\*)", name)  # placeholders match any text
                rx = "".join(r"\S*?" if p == "*" or p.startswith("<") else re.escape(p) for p in parts)
                lead = "" if name.startswith(("<", "*")) else r"(?<![\w.-])"
                if re.search(lead + rx + r"(?![\w-])", self.repo.text):
                    return
            self.problem(doc, line, f"`{span}`: no such file or folder")
        elif member:
            name = re.sub(r"\(.*", "", member)
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_*]*", name):
                return
            rx = re.compile(r"\b" + name.replace("*", r"\w*") + r"\b")
            for h in hits:
                full = os.path.join(self.repo.root, h)
                if os.path.isfile(full):
                    with open(full, encoding="utf-8", errors="replace") as f:
                        if rx.search(f.read()):
                            return
            self.problem(doc, line, f"`{span}`: {name} is not in {path}")

    def has_part(self, part):
        if "*" in part:
            rx = re.compile("^" + part.replace("*", r"\w*") + "$")
            return any(rx.match(w) for w in self.repo.words)
        return self.repo.has_word(part)

    def check_identifier(self, doc, line, span, name):
        if "*" in name and "." not in name:  # a family: test_dbcn_*_hostile
            rx = re.compile("^" + name.replace("*", r"\w*") + "$")
            if any(rx.match(w) for w in self.repo.words):
                return
        elif "." in name:
            if self.repo.has_text(name) or all(self.has_part(p) for p in name.split(".") if p):
                return
        elif "-" in name:
            if name in self.repo.hyphen_words or name in self.repo.make_targets():
                return
        elif self.repo.has_word(name):
            return
        self.problem(doc, line, f"`{span}`: {name} is not found in the sources")

    def check_span(self, doc, line, span):
        span = span.strip()
        if not span or span.startswith("-") or "…" in span:
            return
        m = re.fullmatch(r"make\s+(.*)", span)
        if m:
            targets = self.repo.make_targets()
            for word in m.group(1).split():
                if "=" in word or word.startswith("-"):
                    continue
                if word not in targets:
                    self.problem(doc, line, f"`{span}`: {word} is not a make target")
            return
        if span.startswith("/"):
            return  # a device-tree node or a path on the host (/cpus, /dev/kvm), not ours
        if re.match(r"(\.\./|\./)", span) and not re.search(r"\s", span):
            self.check_path(doc, line, span)
            return
        if OPERATORS.search(span):
            return
        m = re.fullmatch(r"(?:struct|enum|union)\s+([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?(?:\s+\w+)?", span)
        if m:
            for name in filter(None, m.groups()):
                self.check_identifier(doc, line, span, name)
            return
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\((.*)\)", span)
        if m:
            name = m.group(1)
            if name not in self.repo.calls and name not in self.repo.labels:
                self.problem(doc, line, f"`{span}`: no {name}( in the sources")
            return
        if looks_like_path(span):
            if re.match(r"[a-z0-9]+:", span) and "/" not in span.split(":")[0] and not FILE_EXT.search(span.split(":")[0]):
                return  # value syntax such as raw:0x…
            self.check_path(doc, line, span)
            return
        if re.search(r"\s|:|\[.+\]|<|>|\(|\)", span):
            return  # commands, program syntax, placeholders
        m = re.fullmatch(r"([A-Za-z_][\w.*-]*?)(\[\])?", span)
        if m and re.search(r"[A-Za-z]", m.group(1)) and not m.group(1).endswith("."):
            self.check_identifier(doc, line, span, m.group(1))

    # --- links -----------------------------------------------------------------------
    def check_link(self, doc, line, target, anchors):
        target = target.strip().split()[0] if target.strip() else ""
        if not target or re.match(r"(https?|mailto):", target):
            return
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            self.problem(doc, line, f"link ({target}): only http(s) links may leave the repository")
            return
        path, _, fragment = target.partition("#")
        if path:
            full = os.path.normpath(os.path.join(os.path.dirname(doc), path))
            if not self.repo.inside(full):
                self.problem(doc, line, f"link ({target}) points outside the repository")
                return
            if not os.path.exists(full):
                self.problem(doc, line, f"link ({target}): no such file")
                return
            if fragment and full.endswith(".md"):
                if slug_fragment(fragment) not in headings(full):
                    self.problem(doc, line, f"link ({target}): no heading #{fragment} there")
        elif fragment and slug_fragment(fragment) not in anchors:
            self.problem(doc, line, f"link (#{fragment}): no such heading in this document")

    def check_doc(self, doc):
        anchors = headings(doc)
        with open(doc, encoding="utf-8") as f:
            lines = f.read().splitlines()
        fence = None
        for number, text in enumerate(lines, 1):
            stripped = text.lstrip()
            m = re.match(r"(`{3,}|~{3,})", stripped)
            if m:
                if fence is None:
                    fence = m.group(1)
                elif stripped.startswith(fence):
                    fence = None
                continue
            if fence is not None:
                continue
            code = re.findall(r"(`+)(.+?)\1", text)
            for _, span in code:
                self.check_span(doc, number, span)
            prose = re.sub(r"(`+).+?\1", "", text)
            for target in re.findall(r"\]\(([^)]*)\)", prose):
                self.check_link(doc, number, target, anchors)
            for target in re.findall(r"^\s*\[[^\]]+\]:\s*(\S+)", prose):
                self.check_link(doc, number, target, anchors)


def slug_fragment(fragment):
    return fragment.lower()


def headings(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        fence = False
        for line in f:
            if line.lstrip().startswith("```"):
                fence = not fence
            elif not fence and line.startswith("#"):
                out.add(slug(line.lstrip("#")))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("docs", nargs="*")
    a = ap.parse_args()
    repo = Repo(a.root)
    docs = a.docs or [os.path.join(repo.root, "README.md")] + sorted(
        glob.glob(os.path.join(repo.root, "docs", "*.md")))
    checker = Checker(repo)
    for doc in docs:
        checker.check_doc(os.path.abspath(doc))
    for p in checker.problems:
        print(p)
    print(f"docs-check: {len(docs)} documents, {len(checker.problems)} problems", file=sys.stderr)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
