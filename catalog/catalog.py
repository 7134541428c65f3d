"""The attack and oracle catalogs (attacks.def, oracles.def) for Python scripts.

The .def files are C X-macro lists; this reads their rows so that the scripts never keep
a list of their own:

    import catalog
    catalog.attacks()   # [Attack(sym, id, name, goal, policy, defence, backends, down_is_success)]
    catalog.oracles()   # [Oracle(sym, name, what, backend)]

`python3 catalog/catalog.py` checks both files (every row complete, ids unique, each
attack's sym its id with '-' as '_') and prints one line per row.
"""
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

Attack = collections.namedtuple(
    "Attack", "sym id name goal policy defence backends down_is_success")
Oracle = collections.namedtuple("Oracle", "sym name what backend")

BACKENDS = {"HOST_QEMU": ("host", "qemu"), "HOST": ("host",), "QEMU": ("qemu",)}

_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\d+|[(),])')


def _strip_c(text):
    """The text without comments and preprocessor lines (string literals kept)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _unquote(literal):
    return bytes(literal[1:-1], "utf-8").decode("unicode_escape")


def rows(path, macros):
    """(macro, [argument, ...]) for each use of one of `macros` in `path`. Adjacent
    string literals in an argument are joined; other arguments are their tokens."""
    text, pos, out = _strip_c(open(path, encoding="utf-8").read()), 0, []
    while True:
        m = re.compile(r"\b(%s)\s*\(" % "|".join(macros)).search(text, pos)
        if not m:
            return out
        pos, depth, args, cur = m.end(), 1, [], []
        while depth:
            t = _TOKEN.match(text, pos)
            if not t:
                raise ValueError(f"{path}: cannot read the {m.group(1)} row at offset {m.start()}")
            pos, tok = t.end(), t.group(1)
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
                if depth == 0:
                    break
            elif tok == "," and depth == 1:
                args.append(cur)
                cur = []
                continue
            cur.append(tok)
        args.append(cur)
        values = []
        for a in args:
            if a and all(t.startswith('"') for t in a):
                values.append("".join(_unquote(t) for t in a))
            else:
                values.append(" ".join(a))
        out.append((m.group(1), values))


def attacks(path=os.path.join(HERE, "attacks.def")):
    out = []
    for _, v in rows(path, ["ATTACK"]):
        if len(v) != 8:
            raise ValueError(f"{path}: an ATTACK row has {len(v)} arguments, not 8: {v[:2]}")
        a = Attack(*v[:7], v[7] == "true")
        if a.backends not in BACKENDS or v[7] not in ("true", "false"):
            raise ValueError(f"{path}: attack {a.id}: backends {a.backends}, down {v[7]}")
        out.append(a)
    return out


def oracles(path=os.path.join(HERE, "oracles.def")):
    out = []
    for macro, v in rows(path, ["ORACLE", "BACKEND_ORACLE"]):
        if len(v) != 3:
            raise ValueError(f"{path}: a {macro} row has {len(v)} arguments, not 3")
        out.append(Oracle(*v, macro == "BACKEND_ORACLE"))
    return out


def attack_ids():
    return [a.id for a in attacks()]


def oracle_names():
    return [o.name for o in oracles()]


def check():
    """Problems in the catalogs, as sentences (none: an empty list)."""
    problems = []
    a, o = attacks(), oracles()
    for kind, names in (("attack id", [x.id for x in a]), ("attack sym", [x.sym for x in a]),
                        ("oracle name", [x.name for x in o]), ("oracle sym", [x.sym for x in o])):
        for n, count in collections.Counter(names).items():
            if count > 1:
                problems.append(f"{kind} {n} appears {count} times")
    for x in a:
        if x.sym != x.id.replace("-", "_"):
            problems.append(f"attack {x.id}: sym {x.sym} is not its id with '-' as '_'")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", x.id):
            problems.append(f"attack id {x.id!r} is not lower-case words joined by '-'")
    for x in o:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", x.name):
            problems.append(f"oracle name {x.name!r} is not lower-case words joined by '-'")
    return problems


def main():
    for x in attacks():
        print(f"attack {x.id:24} {'+'.join(BACKENDS[x.backends]):10} {x.defence}")
    for x in oracles():
        print(f"oracle {x.name:24} {'backend' if x.backend else 'executor'}")
    problems = check()
    for p in problems:
        print(f"catalog: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
