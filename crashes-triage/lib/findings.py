"""The findings named on the command line: campaign folders, crash directories, files.

A campaign folder (harness/scripts/campaign.sh) holds <target>/crashes/ with libFuzzer's
crash-*, leak-*, timeout-*, oom-* artifacts and campaign.sh's copies of AFL++'s crashes
(afl-<instance>-<id>-sig<N>, afl-...-hang). A raw AFL++ output directory's crashes/id:*
files are taken too. For each finding this works out the target, the engine, the build
tree whose binaries found it, the defences a planted-bug build had off, and when it was
first seen.
"""
import glob
import hashlib
import os
import re

FINDING_PATTERNS = ("crash-*", "leak-*", "timeout-*", "oom-*", "afl-*", "id:*")


class Finding:
    def __init__(self, path, target, engine, campaign, build, defences_off, seen):
        self.path = path
        self.target = target
        self.engine = engine
        self.campaign = campaign      # the campaign folder, or None for a loose file
        self.build = build            # build tree with fuzz/<engine>/<target>
        self.defences_off = defences_off  # "0x10" on a planted-bug build, "" otherwise
        self.seen = seen              # seconds since the epoch
        with open(path, "rb") as f:
            self.data = f.read()
        self.sha1 = hashlib.sha1(self.data).hexdigest()

    @property
    def name(self):
        return os.path.basename(self.path)


def known_targets(root):
    return sorted(os.path.splitext(os.path.basename(p))[0]
                  for p in glob.glob(os.path.join(root, "harness/targets/*.c")))


def read_env(path):
    """KEY=VALUE lines (result.env, triage.env); missing file: empty."""
    values = {}
    try:
        with open(path) as f:
            for line in f:
                key, eq, value = line.strip().partition("=")
                if eq and not key.startswith("#"):
                    values[key.strip()] = value.strip().strip('"')
    except OSError:
        pass
    return values


def engine_of(path, target_dir):
    env = read_env(os.path.join(target_dir, "result.env")) if target_dir else {}
    if env.get("ENGINE"):
        return env["ENGINE"]
    name = os.path.basename(path)
    if name.startswith(("afl-", "id:")):
        return "afl"
    if name.startswith(("crash-", "leak-", "timeout-", "oom-")):
        return "libfuzzer"
    return "unknown"


def build_of(target_dir, default_build):
    """The build tree named in the campaign's command file ("<build>/fuzz/<engine>/<t> ..."
    or "afl-fuzz ... -- <build>/fuzz/afl/<t>")."""
    try:
        with open(os.path.join(target_dir, "command")) as f:
            text = f.read()
    except OSError:
        return default_build
    m = re.search(r"(\S+)/fuzz/[\w-]+/\w+(\s|$)", text)
    return m.group(1) if m else default_build


def first_seen(path):
    """When the engine wrote the finding: for campaign.sh's copy of an AFL++ crash, the
    original's time, since the copy was made when the campaign ended."""
    m = re.match(r"afl-(.+)-(\d{6})-(sig\d+|hang)$", os.path.basename(path))
    if m:
        kind = "hangs" if m.group(3) == "hang" else "crashes"
        tdir = os.path.dirname(os.path.dirname(path))
        originals = glob.glob(os.path.join(tdir, "afl", m.group(1), kind, f"id:{m.group(2)},*"))
        if originals:
            return os.path.getmtime(originals[0])
    return os.path.getmtime(path)


def target_from_path(path, targets):
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    for part in reversed(parts):
        if part in targets:
            return part
    for t in targets:
        if t in path:
            return t
    return None


def campaign_of(target_dir):
    """The campaign folder above <target>/crashes, when it looks like one."""
    if not target_dir:
        return None
    parent = os.path.dirname(target_dir)
    if os.path.exists(os.path.join(parent, "summary.json")) or \
            os.path.exists(os.path.join(parent, "stats.csv")) or \
            os.path.exists(os.path.join(parent, "triage.env")):
        return parent
    return None


def finding_files(directory):
    files = []
    for pattern in FINDING_PATTERNS:
        files += [p for p in glob.glob(os.path.join(directory, pattern)) if os.path.isfile(p)]
    return sorted(files)


def expand(path):
    """Finding files under a path: a file is itself; a folder is searched for crashes/
    directories (a campaign, a target folder, AFL++ output) or taken as a crash folder."""
    if os.path.isfile(path):
        return [path]
    files = []
    for dirpath, dirnames, _ in os.walk(path):
        dirnames.sort()
        if os.path.basename(dirpath) == "crashes":
            # AFL++'s own crashes/ under afl/<instance>/ are copied by campaign.sh
            # into <target>/crashes: take the copies only
            if os.sep + "afl" + os.sep in dirpath and \
                    os.path.isdir(os.path.join(dirpath, "..", "..", "..", "crashes")):
                continue
            files += finding_files(dirpath)
    if not files:
        files = finding_files(path)
    return files


def collect(paths, root, default_build, target_override=None):
    """Findings under `paths`, oldest first; unusable paths are reported, not fatal."""
    targets = known_targets(root)
    findings, problems = [], []
    for p in paths:
        if not os.path.exists(p):
            problems.append(f"{p}: no such file or folder")
            continue
        files = expand(p)
        if not files:
            problems.append(f"{p}: no findings in it")
        for f in files:
            crashes_dir = os.path.dirname(f)
            target_dir = os.path.dirname(crashes_dir) if os.path.basename(crashes_dir) == "crashes" else None
            if target_dir and os.path.basename(os.path.dirname(target_dir)) == "afl":
                target_dir = None
            target = target_override or target_from_path(f, targets)
            if not target:
                problems.append(f"{f}: cannot tell the target (pass TARGET=)")
                continue
            campaign = campaign_of(target_dir)
            overrides = read_env(os.path.join(campaign, "triage.env")) if campaign else {}
            build = overrides.get("BUILD") or (build_of(target_dir, default_build)
                                               if target_dir else default_build)
            findings.append(Finding(f, target, engine_of(f, target_dir), campaign, build,
                                    overrides.get("TRIAGE_DEFENCES_OFF", ""), first_seen(f)))
    findings.sort(key=lambda x: (x.seen, x.path))
    return findings, problems
