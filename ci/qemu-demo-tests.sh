#!/usr/bin/env bash
# The CVM demo on QEMU virt: the monitor as -bios, the demo hypervisor as -kernel, its
# test guest promoted to a CVM (emulator/hypervisor, emulator/guest, docs/emulator.md).
#   - the full scenario with -smp 1 and -smp 4 must end in "hv: PASS" and exit status 0,
#     every step in its log in order;
#   - without an endorsement seed the guest finds no evidence format and skips
#     attestation; with the test seed loaded (mk/attest.mk) and a fresh challenge in the
#     option block, the evidence the guest hands out must satisfy attest-verify against
#     the platform key, the monitor measurement and every CVM register a relying party
#     can compute (MR4 from the guest's memory image, MR5 from its boot state, MR6 from
#     the extension the guest makes), and must be refused for another challenge or
#     another image;
#   - the oracles must be able to fail: a planted secret in the shared page (the
#     hypervisor's leak scan) and a wrong device answer (the guest's checks) must each
#     end the run with a FAIL line and exit status 1.
# Every QEMU run has a deadline. Logs: $BUILD/qemu-demo-tests/.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FW=${MONITOR_BIN:-$BUILD/firmware/monitor.bin}
HV=$BUILD/hypervisor/hypervisor.elf
ATT=$BUILD/attest
AV=$ATT/attest-verify
GUEST_MEM=$BUILD/guest/guest-mem.bin
EXPECT=(python3 emulator/scripts/qemu-expect.py)
LOGS=$BUILD/qemu-demo-tests
TIMEOUT=${QEMU_TIMEOUT:-120}
mkdir -p "$LOGS"
for f in "$FW" "$HV" "$AV" "$ATT/seed.bin" "$ATT/platform.pub" "$ATT/monitor.mr" "$GUEST_MEM"; do
  [ -f "$f" ] || { echo "FAIL setup: $f is missing (make firmware hypervisor attest-seed)"; exit 1; }
done

failures=0
pass() { echo "PASS $1"; }
fail() {
  echo "FAIL $1: $2"
  failures=$((failures + 1))
}

# options for the hypervisor, through the block it reads at HV_CONFIG_ADDR (hv.h)
loader() { echo "-device loader,addr=0x80f00000,data=$(printf '0x%08x46435648' "$1"),data-len=8"; }

# more -device arguments for the next scenario only (the seed, a challenge)
MORE_DEVICES=()

# scenario NAME SMP RC OPTIONS STEP...
scenario() {
  local name=$1 smp=$2 rc=$3 opts=$4
  shift 4
  local log="$LOGS/$name.log" extra=()
  [ "$opts" != 0 ] && read -r -a extra <<<"$(loader "$opts")"
  extra+=("${MORE_DEVICES[@]}")
  MORE_DEVICES=()
  if "${EXPECT[@]}" --timeout "$TIMEOUT" --log "$log" --rc "$rc" "$@" -- \
    qemu-system-riscv64 -M virt -m 256M -smp "$smp" -nographic -bios "$FW" -kernel "$HV" \
    "${extra[@]}" 2>"$log.err"; then
    pass "$name"
  else
    fail "$name" "$(head -1 "$log.err") (log $log)"
  fi
}

boot_steps=('expect=hv: demo hypervisor on hart [0-9]' 'expect=tsm_info: error 0, state 2')
full_head=(
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
)
full_tail=(
  'expect=guest: integrity ok, 0 failed checks'
  'expect=the guest shut down, reason 0'
  'expect=secrets found in the VM.s original pages: 0'
  'expect=destroy_tvm: error 0 \(destroy ok\)'
  'expect=isolation probes after destroy'
  'expect=exits by reason: hypercall=[1-9][0-9]* mmio-load=[1-9][0-9]* mmio-store=[1-9][0-9]* interrupt=[0-9]+ share=1 unshare=1 fault=0 halt=1'
  'expect=timer interrupts injected 3, acknowledged 3'
)
no_seed='expect=guest: attestation: no evidence format offered \(no endorsement seed\), skipped'
full_steps=("${full_head[@]}" "$no_seed" "${full_tail[@]}")
# one hart: vCPU 1 shares it with vCPU 0, preempted by the tick
scenario demo-smp1 1 0 0 "${boot_steps[@]}" "${full_steps[@]}" \
  'expect=vCPU 1: [0-9]+ runs on harts 0\r?\n' 'expect=hv: PASS \(0 failures\)'
# four harts: the other three start through HSM; vCPU 1 runs on a hart other than the
# boot hart (the summary fails the run otherwise), in parallel with vCPU 0
scenario demo-smp4 4 0 0 "${boot_steps[@]}" \
  'expect=hart [0-9] up through HSM' 'expect=hart [0-9] up through HSM' 'expect=hart [0-9] up through HSM' \
  "${full_steps[@]}" 'expect=vCPU 1: [0-9]+ runs on harts [0-9]\r?\n' 'expect=hv: PASS \(0 failures\)'
# With the seed: the guest's evidence, printed by the hypervisor, judged as a relying
# party would. HV_OPT_CHALLENGE (hv.h) says a challenge waits at HV_CHALLENGE_ADDR.
hex_of() { od -An -v -tx1 "$1" | tr -d ' \n'; }
hex_to_file() { python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$1"; }
zero_mr=$(printf '0%.0s' $(seq 96))
attest_check() { # NAME LOG CHALLENGE_HEX
  local name=$1 log=$2 want=$3 dir=$LOGS/$1
  mkdir -p "$dir"
  local ev got_ch
  ev=$(tr -d '\r' <"$log" | sed -n 's/^hv: attestation evidence \([0-9a-f]*\)$/\1/p' | head -1)
  got_ch=$(tr -d '\r' <"$log" | sed -n 's/^hv: attestation challenge \([0-9a-f]*\)$/\1/p' | head -1)
  if [ ${#ev} -ne 1728 ]; then fail "$name-evidence" "no 864-byte evidence line in $log"; return; fi
  [ "$got_ch" = "$want" ] || { fail "$name-evidence" "the hypervisor passed on another challenge"; return; }
  hex_to_file "$ev" >"$dir/evidence.bin"
  # what the relying party expects: registers 0, 1, 3, 7-9 zero (docs/abi.md 5.2),
  # MR4 from the memory image promote measured, MR5 from the boot vCPU (vsstatus reads
  # back with UXL = 64-bit), MR6 from the guest's one extension
  local mr4 mr5 mr6 bad_image=$dir/guest-mem-other.bin
  mr4=$("$AV" mr-pages 0x40000000:rwx:"$GUEST_MEM")
  mr5=$("$AV" mr-config 0x40000000 0 0x400ff000 0 0x200000000 0 0 0 2)
  mr6=$(python3 -c 'import hashlib; print(hashlib.sha384(bytes(48) + bytes(i ^ 0x5a for i in range(48))).hexdigest())')
  verify() { # CHALLENGE MR4 OUT
    "$AV" verify "$dir/evidence.bin" --challenge "$1" --platform-key "$(cat "$ATT/platform.pub")" \
      --monitor-mr "$(cat "$ATT/monitor.mr")" --mr 0="$zero_mr" --mr 1="$zero_mr" --mr 3="$zero_mr" \
      --mr 4="$2" --mr 5="$mr5" --mr 6="$mr6" --mr 7="$zero_mr" --mr 8="$zero_mr" --mr 9="$zero_mr" \
      >"$dir/$3" 2>&1
  }
  if verify "$want" "$mr4" verify.out; then
    pass "$name-verify (platform key, monitor and CVM measurements, challenge)"
  else
    fail "$name-verify" "attest-verify rejected the guest's evidence: $(tail -1 "$dir/verify.out")"
  fi
  # the same evidence for another session's challenge: a replay
  local other=${want:0:126}$(printf '%02x' $(( (0x${want:126:2} + 1) & 255 )))
  verify "$other" "$mr4" replay.out
  if [ $? -eq 1 ]; then pass "$name-replay-rejected"; else fail "$name-replay-rejected" "accepted for another challenge"; fi
  # the same evidence against another guest image (one byte of its code changed)
  cp "$GUEST_MEM" "$bad_image"
  printf '\x13' | dd of="$bad_image" bs=1 seek=64 conv=notrunc status=none
  verify "$want" "$("$AV" mr-pages 0x40000000:rwx:"$bad_image")" image.out
  if [ $? -eq 1 ]; then pass "$name-other-image-rejected"; else fail "$name-other-image-rejected" "accepted for another image"; fi
}
challenge=$LOGS/challenge.bin
head -c 64 /dev/urandom >"$challenge"
MORE_DEVICES=(-device loader,file="$ATT/seed.bin",addr=0x80100000
  -device loader,file="$challenge",addr=0x80f00100)
scenario attest-smp2 2 0 16 "${boot_steps[@]}" "${full_head[@]}" \
  'expect=hv: attestation challenge [0-9a-f]{128}\r?\n' 'expect=hv: attestation evidence [0-9a-f]{1728}\r?\n' \
  'expect=guest: attestation: evidence for the relying party.s challenge handed out \(864 bytes\)' \
  "${full_tail[@]}" 'expect=hv: PASS \(0 failures\)'
attest_check attest-smp2 "$LOGS/attest-smp2.log" "$(hex_of "$challenge")"

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
