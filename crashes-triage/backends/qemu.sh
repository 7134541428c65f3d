#!/usr/bin/env bash
# The QEMU backend: the firmware as QEMU virt's -bios, with the hostile hypervisor payload
# (emulator/hypervisor/) playing the input's steps. Entry point:
#   make qemu-replay TARGET=<target> CRASH=<file> BUILD=<build> [DEFENCES_OFF=<mask>]
# which must print "==ORACLE== <oracle> at step N (qemu): ..." and exit non-zero on a
# finding, exit 0 when the program ran clean, and exit 2 with a one-line reason when it
# cannot play that input (a target it does not support, DEFENCES_OFF it cannot build).
# Until mk/ has such a rule the backend answers "not built". See common.sh.
set -u
# shellcheck source=crashes-triage/backends/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

grep -qE '^qemu-replay[[:space:]]*:' mk/*.mk 2>/dev/null ||
	unavailable "not built: no 'make qemu-replay' rule yet"
args=(TARGET="$target" CRASH="$input" BUILD="$firmware_build")
planted && args+=(DEFENCES_OFF="$defences_off")

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# generous: the rule may have to build the firmware and the payload first
timeout --signal=KILL "$((limit * 10))" make -s --no-print-directory qemu-replay "${args[@]}" >"$out" 2>&1
rc=$?
cat "$out" >"$log"
if line=$(grep -m1 -o '==ORACLE==.*' "$out"); then
	echo "$line"
	exit 0
fi
case $rc in
0) echo "ran make qemu-replay: no finding"; exit 1 ;;
2) unavailable "$(tail -n 1 "$out")" ;;
124 | 137) unavailable "make qemu-replay did not finish within $((limit * 10))s" ;;
esac
unavailable "make qemu-replay failed (exit $rc): $(tail -n 1 "$out")"
