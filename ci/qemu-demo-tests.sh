#!/usr/bin/env bash
# The CVM demo on QEMU virt: the monitor as -bios, the demo hypervisor as -kernel, its
# test guest promoted to a CVM (emulator/hypervisor, emulator/guest, docs/emulator.md).
#   - the full scenario with -smp 1 and -smp 4 must end in "hv: PASS" and exit status 0,
#     every step in its log in order;
#   - the oracles must be able to fail: a planted secret in the shared page (the
#     hypervisor's leak scan) and a wrong device answer (the guest's checks) must each
#     end the run with a FAIL line and exit status 1.
# Every QEMU run has a deadline. Logs: $BUILD/qemu-demo-tests/.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FW=${MONITOR_BIN:-$BUILD/firmware/monitor.bin}
HV=$BUILD/hypervisor/hypervisor.elf
EXPECT=(python3 emulator/scripts/qemu-expect.py)
LOGS=$BUILD/qemu-demo-tests
TIMEOUT=${QEMU_TIMEOUT:-120}
mkdir -p "$LOGS"
for f in "$FW" "$HV"; do
  [ -f "$f" ] || { echo "FAIL setup: $f is missing (make firmware hypervisor)"; exit 1; }
done

failures=0
pass() { echo "PASS $1"; }
fail() {
  echo "FAIL $1: $2"
  failures=$((failures + 1))
}

# options for the hypervisor, through the block it reads at HV_CONFIG_ADDR (hv.h)
loader() { echo "-device loader,addr=0x80f00000,data=$(printf '0x%08x46435648' "$1"),data-len=8"; }

# scenario NAME SMP RC OPTIONS STEP...
scenario() {
  local name=$1 smp=$2 rc=$3 opts=$4
  shift 4
  local log="$LOGS/$name.log" extra=()
  [ "$opts" != 0 ] && read -r -a extra <<<"$(loader "$opts")"
  if "${EXPECT[@]}" --timeout "$TIMEOUT" --log "$log" --rc "$rc" "$@" -- \
    qemu-system-riscv64 -M virt -m 256M -smp "$smp" -nographic -bios "$FW" -kernel "$HV" \
    "${extra[@]}" 2>"$log.err"; then
    pass "$name"
  else
    fail "$name" "$(head -1 "$log.err") (log $log)"
  fi
}

boot_steps=('expect=hv: demo hypervisor on hart [0-9]' 'expect=tsm_info: error 0, state 2')
full_steps=(
  'expect=promote_to_tvm: error 0, TVM id [1-9][0-9]* \(promote ok\)'
  'expect=control\)'
  'expect=read  0x80000000 \(monitor image\): load access fault, as it must'
  'expect=write 0x80000000 \(monitor image\): store access fault, as it must'
  'expect=\(first byte past my RAM: confidential memory\): load access fault, as it must'
  'expect=overwrote every original page'
  'expect=guest: checker self-test ok'
  'expect=guest: device magic 0x74726976 version 2 id 0x2a config "echo-rev"'
  'expect=3 device requests answered through the shared page'
  'expect=took 3 injected timer interrupts'
  'expect=vcpu 1\] guest: vCPU 1 done'
  'expect=guest: vCPU 1 finished'
  'expect=guest: integrity ok, 0 failed checks'
  'expect=the guest shut down, reason 0'
  'expect=secrets found in the VM.s original pages: 0'
  'expect=destroy_tvm: error 0 \(destroy ok\)'
  'expect=isolation probes after destroy'
  'expect=exits by reason: hypercall=[1-9][0-9]* mmio-load=[1-9][0-9]* mmio-store=[1-9][0-9]* interrupt=[0-9]+ share=1 unshare=1 fault=0 halt=1'
  'expect=timer interrupts injected 3, acknowledged 3'
)
# one hart: vCPU 1 shares it with vCPU 0, preempted by the tick
scenario demo-smp1 1 0 0 "${boot_steps[@]}" "${full_steps[@]}" \
  'expect=vCPU 1: [0-9]+ runs on harts 0\r?\n' 'expect=hv: PASS \(0 failures\)'
# four harts: the other three start through HSM; vCPU 1 runs on a hart other than the
# boot hart (the summary fails the run otherwise), in parallel with vCPU 0
scenario demo-smp4 4 0 0 "${boot_steps[@]}" \
  'expect=hart [0-9] up through HSM' 'expect=hart [0-9] up through HSM' 'expect=hart [0-9] up through HSM' \
  "${full_steps[@]}" 'expect=vCPU 1: [0-9]+ runs on harts [0-9]\r?\n' 'expect=hv: PASS \(0 failures\)'
scenario selftest-planted-leak 1 1 2 'expect=hv: FAIL LEAK: a guest secret in the shared page' \
  'expect=hv: FAIL \([1-9][0-9]* failures\)'
scenario selftest-wrong-device-answer 2 1 4 'expect=guest: FAIL device identification registers' \
  'expect=guest: integrity FAIL' 'expect=the guest reported failed integrity checks' \
  'expect=hv: FAIL \([1-9][0-9]* failures\)'

if [ "$failures" -ne 0 ]; then
  echo "qemu-demo-tests: $failures scenario(s) failed"
  exit 1
fi
echo "qemu-demo-tests: all scenarios passed"
