#!/usr/bin/env python3
"""Summary of a bench-bugs run (bench-bugs.sh): results.tsv -> table, survival curves."""
import collections
import shutil
import statistics
import subprocess
import sys

FIVE_MINUTES = 300.0

def median_or_censored(times, cap):
    """Median seconds to bug, with runs that found nothing counted as never (> cap)."""
    ordered = sorted(t if f else float("inf") for t, f in times)
    m = statistics.median_low(ordered) if len(ordered) % 2 else statistics.median(ordered)
    return f"{m:.1f}" if m != float("inf") else f">{cap:g}"

def main():
    path, cap, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    rows = [l.rstrip("\n").split("\t") for l in open(path)][1:]
    runs = collections.defaultdict(list)
    by_engine = collections.defaultdict(list)
    for bug, engine, _trial, secs, found in rows:
        runs[(bug, engine)].append((float(secs), found == "1"))
        by_engine[engine].append((float(secs), found == "1"))
    engines = sorted(by_engine)
    bugs = list(dict.fromkeys(r[0] for r in rows))
    print()
    print(f"{'seconds to first finding (median)':34}" + "".join(f"{e:>16}" for e in engines))
    for bug in bugs:
        cells = []
        for e in engines:
            t = runs.get((bug, e), [])
            cells.append(f"{median_or_censored(t, cap)} ({sum(f for _, f in t)}/{len(t)})" if t else "-")
        print(f"{bug:34}" + "".join(f"{c:>16}" for c in cells))
    print()
    window = min(cap, FIVE_MINUTES)
    for e in engines:
        t = by_engine[e]
        within = sum(1 for s, f in t if f and s <= window)
        per_bug = [median_or_censored(runs[(b, e)], cap) for b in bugs if (b, e) in runs]
        fast = sum(1 for m in per_bug if not m.startswith(">") and float(m) <= 60)
        print(f"{e}: median {median_or_censored(t, cap)} s over {len(t)} runs; "
              f"{within}/{len(t)} found within {window:g} s; {fast}/{len(per_bug)} bugs with a median <= 60 s")
    # survival: share of runs of an engine still without a finding at time x
    if shutil.which("gnuplot"):
        plot = [f'set terminal pngcairo size 900,560; set output "{out}/survival.png"',
                'set title "Planted bugs: runs still without a finding"',
                'set xlabel "seconds"; set ylabel "share of runs"; set yrange [0:1.02]',
                f'set xrange [0:{cap:g}]; set key top right; set grid']
        curves = []
        for e in engines:
            t = by_engine[e]
            data = f"{out}/survival-{e}.dat"
            with open(data, "w") as f:
                left = len(t)
                f.write(f"0 1\n")
                for s in sorted(s for s, found in t if found):
                    f.write(f"{s} {left / len(t)}\n")
                    left -= 1
                    f.write(f"{s} {left / len(t)}\n")
                f.write(f"{cap} {left / len(t)}\n")
            curves.append(f'"{data}" using 1:2 with lines lw 2 title "{e}"')
        plot.append("plot " + ", ".join(curves))
        try:
            subprocess.run(["gnuplot"], input="\n".join(plot), text=True, check=True,
                           capture_output=True)
            print(f"survival curves: {out}/survival.png")
        except subprocess.CalledProcessError as err:
            print(f"bench-bugs: gnuplot failed: {err.stderr.strip()}", file=sys.stderr)
    print(f"results: {path}")

main()
