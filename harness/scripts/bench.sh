#!/usr/bin/env bash
# Fuzzing throughput as a user gets it: a campaign per target per engine from the
# committed seeds, single process, once with the prefix cache (harness/lib/prefix_cache.h)
# and once without, as a table of executions per second and their ratio. The runs are
# kept in $BUILD/fuzz-runs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

seconds=30
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=${2:?}; shift 2 ;;
	*) echo "usage: bench.sh [--seconds N per target per engine]" >&2; exit 2 ;;
	esac
done
prepare_runs

# each engine twice: with the prefix cache (the default) and without (HARNESS_PREFIX_CACHE=0)
for engine in "${FUZZ_ENGINES[@]}"; do
	for cache in 1 0; do
		[ "$interrupted" = 1 ] && break
		run=$engine state=on
		if [ "$cache" = 0 ]; then run=$engine-nocache state=off; fi
		echo "bench-fuzz: $engine, prefix cache $state, ${#targets[@]} targets x ${seconds} s, 1 job..."
		rc=0
		HARNESS_PREFIX_CACHE=$cache bash harness/scripts/campaign.sh --target all --engine "$engine" --jobs 1 --quiet \
			--seconds $((seconds * ${#targets[@]})) --dir "$runs/$stamp-bench-$run" || rc=$?
		case $rc in
		0) ;;
		1) note "$engine found something while benchmarking: see $runs/$stamp-bench-$run/summary.txt" ;;
		130) interrupted=1 ;;
		*) note "$engine: a fuzzer failed, its numbers are missing" ;;
		esac
	done
done

# one cell: exec/s, or why there is no number
cell() {
	local env=$runs/$stamp-bench-$1/$2/result.env
	[ -f "$env" ] || { echo "-"; return; }
	(
		# shellcheck disable=SC1090
		. "$env"
		case $STATUS in
		ok) echo "$EXEC_PER_S" ;;
		findings) echo "$EXEC_PER_S*" ;;
		*) echo "$STATUS" ;;
		esac
	)
}

# cache on / cache off, as a ratio
ratio() {
	case "$1$2" in *[!0-9.*]*|"") echo "-"; return ;; esac
	awk -v a="${1%\*}" -v b="${2%\*}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'
}

echo
printf '%-14s' "exec/s"
for engine in "${FUZZ_ENGINES[@]}"; do
	printf '%12s%12s%8s' "$engine" "no cache" "ratio"
done
echo
for t in "${targets[@]}"; do
	printf '%-14s' "$t"
	for engine in "${FUZZ_ENGINES[@]}"; do
		on=$(cell "$engine" "$t")
		off=$(cell "$engine-nocache" "$t")
		printf '%12s%12s%8s' "$on" "$off" "$(ratio "$on" "$off")"
	done
	echo
done
echo "(${seconds} s per cell, one process, ASan+UBSan; * = with findings: libFuzzer stops at the first)"
echo "runs kept in $runs/$stamp-bench-*"
[ "$interrupted" = 0 ] || exit 130
