#!/usr/bin/env bash
# The host backend: the monitor core over the hardware model, in the ASan + UBSan replay
# build $TRIAGE_BUILD/fuzz/replay/TARGET (harness/replay_main.c). See common.sh for the
# contract.
set -u
# shellcheck source=crashes-triage/backends/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bin=$build/fuzz/replay/$target
[ -x "$bin" ] || unavailable "not built: $bin (make fuzz-build)"

symbolizer=$(command -v llvm-symbolizer-19 || command -v llvm-symbolizer || true)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
export ASAN_OPTIONS=symbolize=1:detect_leaks=1:abort_on_error=0${symbolizer:+:external_symbolizer_path=$symbolizer}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:symbolize=1${symbolizer:+:external_symbolizer_path=$symbolizer}
{ timeout --signal=KILL "$limit" "$bin" "$input" >"$out" 2>&1; } 2>/dev/null
rc=$?
cat "$out" >"$log"
case $rc in
0) echo "ran $bin: no finding"; exit 1 ;;
124 | 137) echo "hang: no result within ${limit}s"; exit 0 ;;
esac
if line=$(finding_line "$out"); then
	echo "$line"
	exit 0
fi
if grep -q '^replay: CRASH on' "$out"; then
	echo "crashed (exit $rc) without a report"
	exit 0
fi
unavailable "replay failed (exit $rc): $(tail -n 1 "$out")"
