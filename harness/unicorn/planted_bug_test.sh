#!/usr/bin/env bash
# The Unicorn campaign must find a bug planted in the firmware (harness/unicorn/README.md):
#  1. the benign seed finds nothing on either firmware (so the campaign starts clean);
#  2. libFuzzer on the planted firmware reports a finding within 60 s;
#  3. the same campaign on the intact fuzzing firmware finds nothing in 20 s;
#  4. each oracle fires on the seeds with the defence it guards switched off, the hang
#     oracle with a tiny block budget, the monitor-fault one on a store into RAM declared
#     read-only ($UC_READONLY_END=virt_stacks: the monitor's data and bss).
# Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
BUILD=${BUILD:-build}
fuzzer=$BUILD/fuzz/unicorn/hv_calls
replay=$BUILD/fuzz/unicorn-replay/hv_calls
planted=$BUILD/firmware-fuzz-planted/monitor.elf
intact=$BUILD/firmware-fuzz/monitor.elf
work=$BUILD/unicorn-test
rm -rf "$work" && mkdir -p "$work/seeds"
$BUILD/tools/fuzzprog encode hv_calls harness/unicorn/seeds/hv_calls_benign.txt "$work/seeds/benign.bin" || exit 2

pass=0 fail=0
check() { # name, command...
	local name=$1
	shift
	if "$@"; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		fail=$((fail + 1))
	fi
}

seed_clean() {
	UC_FIRMWARE=$1 "$replay" -q "$work/seeds" >"$work/seed-$2.log" 2>&1
}
check "benign seed is clean on the planted firmware" seed_clean "$planted" planted
check "benign seed is clean on the intact firmware" seed_clean "$intact" intact

# $1 firmware, $2 seconds, $3 label; leaves crash-* in $work/$3/
campaign() {
	local dir=$work/$3
	mkdir -p "$dir/corpus" "$dir/crashes"
	cp "$work/seeds/"* "$dir/corpus/"
	local start=$SECONDS
	UC_FIRMWARE=$1 timeout $(($2 + 30)) "$fuzzer" "$dir/corpus" -max_total_time="$2" -seed=1 \
		-artifact_prefix="$dir/crashes/" -print_final_stats=1 >"$dir/fuzz.log" 2>&1
	echo "$3: $((SECONDS - start)) s, $(grep -o 'stat::number_of_executed_units: [0-9]*' "$dir/fuzz.log" | tail -1 | cut -d' ' -f2) execs"
}

found_planted() {
	campaign "$planted" 60 planted
	local crash
	crash=$(ls "$work/planted/crashes/"crash-* 2>/dev/null | head -1)
	[ -n "$crash" ] || return 1
	grep -m1 '==ORACLE==' "$work/planted/fuzz.log"
	# the finding is the planted bug: the intact firmware does not reproduce it
	UC_FIRMWARE=$intact "$replay" -q "$crash" >"$work/planted/replay-intact.log" 2>&1
}
check "a 60 s campaign finds the planted bug (${UC_PLANTED_DEFENCE:-D_ARGS_IN_HV_MEMORY} off)" found_planted

nothing_on_intact() {
	campaign "$intact" 20 intact
	[ -z "$(ls "$work/intact/crashes/" 2>/dev/null)" ] || { grep -m3 '==ORACLE==' "$work/intact/fuzz.log"; return 1; }
}
check "the same campaign on the intact firmware finds nothing" nothing_on_intact

# Each oracle fires on the seed corpus when the defence it guards is off, and only then.
declare -A expect=([D_EXIT_RESTORES_GPRS]=register-leak [D_EXIT_CLOSES_PMP]=memory-reach
	[D_RELEASE_ZEROES]=invariants)
oracle_fires() { # defence oracle
	local log=$work/fi-$1.log
	# a finding aborts: the subshell keeps bash's "Aborted" notice out of the output
	(UC_FIRMWARE=$BUILD/firmware-fuzz-fi/$1/monitor.elf "$replay" -q "$BUILD/corpora/hv_calls" >"$log" 2>&1; true) 2>/dev/null
	grep -m1 '==ORACLE==' "$log"
	grep -q "==ORACLE== $2 " "$log"
}
for d in ${UC_FI_DEFENCES:-}; do
	check "oracle ${expect[$d]:-?} fires with $d off" oracle_fires "$d" "${expect[$d]:-?}"
done
seeds_clean() {
	"$replay" -q "$BUILD/corpora/hv_calls" >"$work/seeds-intact.log" 2>&1
}
check "the seeds find nothing on the intact firmware" seeds_clean
hang_fires() { # a budget of 20 blocks per trap makes every monitor call a "hang"
	(UC_BLOCK_BUDGET=20 "$replay" -q "$work/seeds" >"$work/hang.log" 2>&1; true) 2>/dev/null
	grep -q '==ORACLE== hang ' "$work/hang.log"
}
check "the hang oracle fires when the block budget is too small" hang_fires

code_write_fires() { # stores are performed by the harness's hook: one into read-only RAM must fault
	(UC_READONLY_END=virt_stacks "$replay" -q "$work/seeds" >"$work/code-write.log" 2>&1; true) 2>/dev/null
	grep -m1 '==ORACLE== monitor-fault .*wrote read-only memory' "$work/code-write.log"
}
check "the monitor-fault oracle fires on a store into read-only memory" code_write_fires

echo "unicorn-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
