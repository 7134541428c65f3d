#!/usr/bin/env bash
# `make test`: every test stage, each reported as PASS/FAIL, then one summary line.
# Stages run even after a failure so one report shows everything that is broken.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
LOG_DIR=build/test-logs
mkdir -p "$LOG_DIR"

passed=0 failed=0 failures=()
stage() {
	local name=$1; shift
	local log="$LOG_DIR/$name.log" start=$SECONDS
	printf '== %-28s ' "$name"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1)); printf 'PASS (%ds)\n' $((SECONDS - start))
	else
		failed=$((failed + 1)); failures+=("$name"); printf 'FAIL (%ds), log: %s\n' $((SECONDS - start)) "$log"
		tail -n 30 "$log" | sed 's/^/   | /'
	fi
}

stage docs-check make docs-check
stage host-build-gcc-clang make -j"$JOBS" host
stage unit-tests make -j"$JOBS" unit
stage oracle-self-tests make -j"$JOBS" unit-fi
stage crypto-known-answers make -j"$JOBS" crypto-test
stage attestation make -j"$JOBS" attest-test
stage attack-suite make -j"$JOBS" attacks
stage proofs make prove
stage lint-cppcheck-clang-tidy make lint
stage fuzz-corpora-replay make -j"$JOBS" fuzz-replay
stage fuzz-smoke-campaigns make fuzz-smoke
stage clusterfuzzlite-build bash ci/fuzz-tests.sh
if make -n qemu-boot-test >/dev/null 2>&1; then
	stage firmware-build make -j"$JOBS" firmware
	stage qemu-boot make qemu-boot-test
	stage linux-build make linux
	stage linux-boot make linux-test
	stage qemu-attestation make attest-qemu-boot
	stage unicorn-replay make -j"$JOBS" unicorn-replay
	stage unicorn-planted-bug make unicorn-test
	stage triage-planted-bugs make triage-test
fi

# cmocka's own counts, for the record
grep -h "PASSED\|FAILED" "$LOG_DIR"/unit-tests.log "$LOG_DIR"/oracle-self-tests.log 2>/dev/null |
	sort | uniq -c | sed 's/^/   /'
echo
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || { echo "failed: ${failures[*]}"; exit 1; }
