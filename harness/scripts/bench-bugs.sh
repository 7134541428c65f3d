#!/usr/bin/env bash
# `make bench-bugs`: time to bug, as Magma and FuzzBench measure it. Each planted bug
# (one defence switched off in a fault-injection build; harness/scripts/planted.py lists
# the ones the fuzz oracles are shown to catch, with the target to fuzz) is fuzzed from
# an empty corpus by each engine, TRIALS times, for at most CAP seconds, one process at a
# time. Printed: per bug and engine the median seconds to the first finding (">CAP" when
# fewer than half of the trials found it) and the trials that found it; per engine the
# median over all runs and the share found within 5 minutes; a PNG of the survival curves
# (share of runs still without a finding over time). Everything lands in
# $BUILD/bench-bugs/<stamp>/.
#   TRIALS=3 CAP=300 ENGINES="libfuzzer afl" BUGS="D_X D_Y" (default: all)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PLANTED=${PLANTED:-$BUILD/triage-test}
TRIALS=${TRIALS:-3}
CAP=${CAP:-300}
ENGINES=${ENGINES:-libfuzzer afl}
BUGS=${BUGS:-}
out=$BUILD/bench-bugs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
results=$out/results.tsv
printf 'bug\tengine\ttrial\tseconds\tfound\n' >"$results"

mapfile -t bugs < <(python3 harness/scripts/planted.py)
[ -n "$BUGS" ] && mapfile -t bugs < <(printf '%s\n' "${bugs[@]}" | grep -wFf <(tr ' ' '\n' <<<"$BUGS"))
[ "${#bugs[@]}" -gt 0 ] || { echo "bench-bugs: no planted bug selected" >&2; exit 2; }
for e in $ENGINES; do
	case $e in libfuzzer|afl) ;; *) echo "bench-bugs: engine $e is not libfuzzer or afl" >&2; exit 2 ;; esac
done
runs=$(( ${#bugs[@]} * $(wc -w <<<"$ENGINES") * TRIALS ))
echo "bench-bugs: ${#bugs[@]} planted bugs x [$ENGINES] x $TRIALS trials, at most $CAP s each ($runs runs), from empty corpora"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# one run: prints "seconds found"
run_libfuzzer() {
	local fz=$1 bit=$2 dir=$3 seed=$4 t0 rc=0
	mkdir -p "$dir/corpus"
	t0=$(now)
	TRIAGE_DEFENCES_OFF=$bit timeout $((CAP + 60)) "$fz" "$dir/corpus" -max_total_time="$CAP" \
		-seed="$seed" -artifact_prefix="$dir/" -timeout=10 -rss_limit_mb=2048 \
		>"$dir/fuzz.log" 2>&1 || rc=$?
	local secs
	secs=$(since "$t0")
	if compgen -G "$dir/crash-*" >/dev/null || compgen -G "$dir/leak-*" >/dev/null; then
		echo "$secs 1 $(grep -a -o -m1 '==ORACLE== [a-z-]*' "$dir/fuzz.log" | cut -d' ' -f2)"
	else
		echo "$CAP 0"
	fi
}

run_afl() {
	local fz=$1 bit=$2 dir=$3 seed=$4 t0
	mkdir -p "$dir/in"
	printf '\0' >"$dir/in/empty"
	t0=$(now)
	TRIAGE_DEFENCES_OFF=$bit AFL_BENCH_UNTIL_CRASH=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
		AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
		UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 \
		timeout $((CAP + 60)) afl-fuzz -i "$dir/in" -o "$dir/afl" -V "$CAP" -t 10000 -s "$seed" \
		-- "$fz" >"$dir/afl.log" 2>&1 || true
	local secs
	secs=$(since "$t0")
	if compgen -G "$dir/afl/default/crashes/id:*" >/dev/null; then
		echo "$secs 1 -"
	else
		echo "$CAP 0"
	fi
}

n=0
for line in "${bugs[@]}"; do
	read -r bug bit target oracle <<<"$line"
	for e in $ENGINES; do
		fz=$PLANTED/fuzz/$e/$target
		[ -x "$fz" ] || { echo "bench-bugs: $fz is missing (make bench-bugs builds it)" >&2; exit 1; }
		for ((trial = 1; trial <= TRIALS; trial++)); do
			n=$((n + 1))
			dir=$out/runs/$bug/$e/$trial
			mkdir -p "$dir"
			read -r secs found by < <("run_$e" "$fz" "$bit" "$dir" "$trial")
			printf '%s\t%s\t%s\t%s\t%s\n' "$bug" "$e" "$trial" "$secs" "$found" >>"$results"
			# the oracle that fired, where the engine's log says (libFuzzer); the expected one
			verdict="not found in $CAP s"
			if [ "$found" = 1 ]; then verdict="found in ${secs} s by ${by:--} (expected: $oracle)"; fi
			printf '[%3d/%d] %-26s %-10s %-10s trial %d: %s\n' "$n" "$runs" "$bug" "$e" "$target" "$trial" "$verdict"
		done
	done
done

python3 harness/scripts/bench-bugs-report.py "$results" "$CAP" "$out"
