#!/usr/bin/env bash
# The Unicorn backend: the real firmware binary (monitor.elf) emulated by the harness in
# harness/unicorn/ (mk/unicorn.mk). Entry point, in this order:
#   $TRIAGE_UNICORN_REPLAY FILE                  if set
#   $TRIAGE_FIRMWARE_BUILD/fuzz/unicorn-replay/TARGET -q FILE
# The harness prints "==ORACLE== <oracle> at step N (unicorn): ..." and aborts on a
# finding, exits 0 when the program ran clean. It loads the firmware in $UC_FIRMWARE
# (its own default otherwise); an input found on a planted-bug build is replayed only on
# a firmware with the same defences off, named by TRIAGE_FIRMWARE. See common.sh.
set -u
# shellcheck source=crashes-triage/backends/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bin=${TRIAGE_UNICORN_REPLAY:-$firmware_build/fuzz/unicorn-replay/$target}
[ -x "$bin" ] || unavailable "not built: no $bin (make unicorn-build)"
firmware=()
if planted; then
	fw=${TRIAGE_FIRMWARE:-}
	if [ -z "$fw" ] || [ ! -f "$fw" ]; then
		unavailable "needs a firmware with defences $defences_off off (set TRIAGE_FIRMWARE)"
	fi
	firmware=(UC_FIRMWARE="$fw")
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
{ env "${firmware[@]}" timeout --signal=KILL "$limit" "$bin" -q "$input" >"$out" 2>&1; } 2>/dev/null
rc=$?
cat "$out" >"$log"
if line=$(grep -m1 -o '==ORACLE==.*' "$out"); then
	echo "$line"
	exit 0
fi
case $rc in
0) echo "ran $bin: no finding"; exit 1 ;;
124 | 137) echo "hang: no result within ${limit}s"; exit 0 ;;
esac
unavailable "unicorn harness failed (exit $rc): $(tail -n 1 "$out")"
