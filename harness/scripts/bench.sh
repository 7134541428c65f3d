#!/usr/bin/env bash
# Fuzzing throughput: a short single-process run per target per engine, as a table of
# executions per second. The runs are kept in $BUILD/fuzz-runs.
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

for engine in "${FUZZ_ENGINES[@]}"; do
	[ "$interrupted" = 1 ] && break
	echo "bench-fuzz: $engine, ${#targets[@]} targets x ${seconds} s, 1 job..."
	rc=0
	bash harness/scripts/campaign.sh --target all --engine "$engine" --jobs 1 --quiet \
		--seconds $((seconds * ${#targets[@]})) --dir "$runs/$stamp-bench-$engine" || rc=$?
	case $rc in
	0) ;;
	1) note "$engine found something while benchmarking: see $runs/$stamp-bench-$engine/summary.txt" ;;
	130) interrupted=1 ;;
	*) note "$engine: a fuzzer failed, its numbers are missing" ;;
	esac
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

echo
printf '%-14s' "exec/s"
printf '%12s' "${FUZZ_ENGINES[@]}"
echo
for t in "${targets[@]}"; do
	printf '%-14s' "$t"
	for engine in "${FUZZ_ENGINES[@]}"; do
		printf '%12s' "$(cell "$engine" "$t")"
	done
	echo
done
echo "(${seconds} s per cell, one process, ASan+UBSan; * = with findings: libFuzzer stops at the first)"
echo "runs kept in $runs/$stamp-bench-*"
[ "$interrupted" = 0 ] || exit 130
