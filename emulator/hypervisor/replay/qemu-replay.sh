#!/usr/bin/env bash
# One host fuzz program replayed on QEMU virt: convert it against the hypervisor's real
# layout, boot the firmware with the hypervisor in replay mode, and answer as
# crashes-triage/backends/qemu.sh expects: the ==ORACLE== line and exit 1 on a finding,
# exit 0 when clean, exit 2 with a one-line reason when the input cannot be played.
#   qemu-replay.sh CONVERT HYPERVISOR_ELF FIRMWARE_BIN TARGET FILE WORKDIR [TIMEOUT]
set -u
convert=$1 elf=$2 firmware=$3 target=$4 input=$5 work=$6 limit=${7:-20}
[ -f "$input" ] || { echo "qemu-replay: no such input: $input"; exit 2; }
[ -f "$firmware" ] || { echo "qemu-replay: no firmware at $firmware"; exit 2; }
mkdir -p "$work"
addr() { llvm-nm-19 "$elf" | awk -v s="$1" '$3 == s { print "0x" $1; exit }'; }
list=$work/list.bin opts=$work/options.bin log=$work/qemu.log
"$convert" "$target" "$input" "$list" pool="$(addr replay_pool)" img0_root="$(addr gstage_root)" \
	img0_l1="$(addr gstage_l1)" img0_l0="$(addr gstage_l0)" img0_mem="$(addr vm_mem)" ||
	exit 2
# option block (hv.h): magic "HVCF", options = HV_OPT_REPLAY (replay_abi.h)
printf 'HVCF\x20\x00\x00\x00' >"$opts"
timeout --signal=KILL "$limit" qemu-system-riscv64 -M virt -m 256M -smp 1 -nographic \
	-bios "$firmware" -kernel "$elf" \
	-device loader,file="$opts",addr=0x80f00000,force-raw=on \
	-device loader,file="$list",addr=0x80f01000,force-raw=on </dev/null >"$log" 2>&1
rc=$?
tr -d '\000' <"$log" # the console may carry NULs
if grep -q '^==ORACLE==' "$log"; then
	exit 1
fi
if [ $rc -eq 137 ] || [ $rc -eq 124 ]; then
	step=$(grep -o '^replay: step [0-9]*' "$log" | tail -n 1 | awk '{ print $3 }')
	echo "==ORACLE== hang at step ${step:-0} (qemu): no answer within ${limit}s"
	exit 1
fi
if [ $rc -eq 0 ] && grep -q '^replay: .* steps, clean' "$log"; then
	exit 0
fi
echo "qemu-replay: the run ended without a verdict (qemu exit $rc)"
exit 2
