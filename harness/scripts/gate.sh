#!/usr/bin/env bash
# A time-boxed campaign per engine over every target, failing on any finding with a
# triage summary: the input, its decoded text and the start of the sanitizer report.
# `make gate` (pull requests) and `make fuzz-smoke` (part of `make test`) run it after
# building; runs are kept in $BUILD/fuzz-runs for CI to upload.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: gate.sh [--seconds N per engine] [--label NAME] [--engines 'libfuzzer afl'] [--quiet]" >&2
	exit 2
}

seconds=120 label=gate quiet=0 engines=("${FUZZ_ENGINES[@]}")
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	--engines) read -r -a engines <<<"${2:?}"; shift 2 ;;
	--quiet) quiet=1; shift ;;
	*) usage ;;
	esac
done
prepare_runs

# The replay build reproduces with symbolized stacks; its first lines name the bug.
triage() {
	local engine=$1 t=$2 f=$3 report rc=0
	echo
	echo "=== $label: $engine found a problem in $t"
	echo "input:   $f"
	echo "--- decoded ($BUILD/tools/fuzzprog decode $t $f):"
	{ timeout 60 "$BUILD/tools/fuzzprog" decode "$t" "$f" 2>&1 || echo "(fuzzprog decode failed)"; } |
		head -n 40 | sed 's/^/    /'
	echo "--- replay ($BUILD/fuzz/replay/$t $f):"
	report=$(ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} timeout 120 "$BUILD/fuzz/replay/$t" "$f" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "    does not reproduce in the replay build (a timeout, an out-of-memory or a flaky input)"
	else
		# the replay names the input before running it; the report follows
		report=${report#"$f "}
		head -n 20 <<<"$report" | sed 's/^/    /'
		[ "$rc" -ne 124 ] || echo "    (the replay timed out)"
	fi
}

failed=0
summary=()
for engine in "${engines[@]}"; do
	[ "$interrupted" = 1 ] && break
	dir=$runs/$stamp-$label-$engine
	args=(--target all --engine "$engine" --seconds "$seconds" --jobs 1 --dir "$dir")
	if [ "$quiet" = 1 ]; then
		args+=(--quiet)
		echo "$label: $engine, ${#targets[@]} targets, $((seconds / ${#targets[@]})) s each..."
	else
		echo "=== $label: $engine campaign, $seconds s over ${#targets[@]} targets"
	fi
	rc=0
	bash harness/scripts/campaign.sh "${args[@]}" || rc=$?
	[ "$rc" -ne 130 ] || interrupted=1

	execs=0 secs=0 found=0
	for t in "${targets[@]}"; do
		env=$dir/$t/result.env
		if [ ! -f "$env" ]; then
			summary+=("$(printf '%-10s %-12s %s' "$engine" "$t" "did not run")")
			failed=1
			continue
		fi
		# shellcheck disable=SC1090
		. "$env"
		execs=$((execs + EXECS))
		secs=$((secs + SECONDS_RUN))
		found=$((found + FINDINGS))
		summary+=("$(printf '%-10s %-12s %10d %9d %8d  %s' "$engine" "$t" "$EXEC_PER_S" "$COVERAGE" \
			"$FINDINGS" "$STATUS")")
		case $STATUS in
		findings)
			failed=1
			while read -r f; do
				[ -n "$f" ] && triage "$engine" "$t" "$f"
			done < <(list_findings "$dir/$t/crashes")
			;;
		error) failed=1 ;;
		esac
	done
	[ "$secs" -gt 0 ] || secs=1
	summary+=("$(printf '%-10s %-12s %10d %9s %8d' "$engine" "(all)" $((execs / secs)) "" "$found")")
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 130 ]; then
		failed=1
	fi
done

echo
printf '%-10s %-12s %10s %9s %8s  %s\n' engine target exec/s coverage findings status
printf '%s\n' "${summary[@]}"
echo "runs kept in $runs/$stamp-$label-*"
if [ "$interrupted" = 1 ]; then
	echo "$label: interrupted"
	exit 130
fi
if [ "$failed" = 1 ]; then
	echo "$label: FAILED"
	exit 1
fi
echo "$label: passed, no findings"
