#!/usr/bin/env bash
# Coverage over time, one line per target, from a campaign's stats.csv.
# usage: plot.sh stats.csv out.png title ylabel
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: plot.sh stats.csv out.png title ylabel" >&2; exit 2; }
stats=$1 png=$2 title=$3 ylabel=$4
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot is not installed" >&2; exit 1; }
mapfile -t targets < <(tail -n +2 "$stats" | cut -d, -f1 | awk '!seen[$0]++')
[ ${#targets[@]} -gt 0 ] || { echo "plot.sh: $stats has no samples" >&2; exit 1; }

# noenhanced: target names have underscores, which would turn into subscripts
terminal="png noenhanced size 900,540"
if gnuplot -e 'set terminal' 2>&1 | grep -qw pngcairo; then
	terminal="pngcairo noenhanced size 900,540 font 'sans,10'"
fi
gnuplot <<GP
set terminal $terminal
set output '$png'
set datafile separator ','
set title '$title'
set xlabel 'seconds since the target started'
set ylabel '$ylabel'
set key left top
set grid
targets = '${targets[*]}'
# samples taken before the engine's first report have no coverage yet
plot for [t in targets] '$stats' using (strcol(1) eq t ? column(2) : 1/0):(column(5) > 0 ? column(5) : 1/0) \
	every ::1 with lines linewidth 2 title t
GP
