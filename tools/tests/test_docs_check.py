#!/usr/bin/env python3
"""docs-check.py can fail: a document naming something that does not exist is reported,
one planted stale name at a time, and a document naming only real things passes.

The planted documents live under build/ (inside the repository, so that links resolve
the way they do for docs/), and docs-check.py reads the real tree as its sources.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import uuid

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CHECK = os.path.join(ROOT, "tools", "docs-check.py")

# Names that exist: the clean document must pass, so the stale ones below fail for the
# one thing planted in each, not for the text around it.
CLEAN = """# Planted document

The checker is `tools/docs-check.py`; findings go through `harness_finding()`, whose
oracles are `register-leak` and `memory-reach` (`catalog/oracles.def`), guarded by
`D_EXIT_CLOSES_PMP`; `struct hart` lives in `hart.h` and `I.MT.3` is an invariant.
The attack `leak-gprs` runs in `make attacks`. Commands are not names: `-smp 2`,
`h->regs = v->regs`. See [the readme](../../README.md) and [the ABI](../../docs/abi.md),
or [the spec](https://github.com/riscv-non-isa/riscv-ap-tee).

```sh
make no-such-target-in-a-code-block
```
"""

# Made up at run time, so that no source file (this one included) holds them.
TOKEN = "zq" + uuid.uuid4().hex[:10]
STALE = {
    "a missing file": f"`monitor/core/{TOKEN}.c`",
    "a missing bare file name": f"`{TOKEN}.h`",
    "a missing function": f"`{TOKEN}_function()`",
    "a missing identifier": f"`D_{TOKEN.upper()}`",
    "a missing invariant": f"`I.{TOKEN.upper()}.9`",
    "a missing oracle or attack name": f"`{TOKEN}-leak`",
    "a missing member of a file": f"`harness/lib/exec.c:{TOKEN}_function`",
    "a missing make target": f"`make {TOKEN}-target`",
    "a path leaving the repository": f"`../../../{TOKEN}.md`",
    "a link leaving the repository": f"[x](../../../{TOKEN}.md)",
    "a link to a missing file": f"[x](../../docs/{TOKEN}.md)",
    "a link to a missing heading": f"[x](#{TOKEN})",
}


class DocsCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
        cls.dir = tempfile.mkdtemp(prefix="docs-check-test-", dir=os.path.join(ROOT, "build"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_clean_passes_and_each_stale_name_fails(self):
        docs = {"clean": CLEAN}
        docs.update((what, CLEAN + f"\nIt names {planted} here.\n") for what, planted in STALE.items())
        paths = {}
        for i, (what, text) in enumerate(sorted(docs.items())):
            paths[what] = os.path.join(self.dir, f"doc{i}.md")
            with open(paths[what], "w", encoding="utf-8") as f:
                f.write(text)
        r = subprocess.run([sys.executable, CHECK, "--root", ROOT] + list(paths.values()),
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        for what, path in paths.items():
            rel = os.path.relpath(path, ROOT)
            lines = [line for line in r.stdout.splitlines() if line.startswith(rel + ":")]
            with self.subTest(what):
                if what == "clean":
                    self.assertEqual(lines, [], "the clean document has problems")
                else:
                    self.assertEqual(len(lines), 1, f"{what}: reported {len(lines)} times\n{r.stdout}")
                    self.assertIn(TOKEN, lines[0].lower())


if __name__ == "__main__":
    unittest.main(verbosity=2)
