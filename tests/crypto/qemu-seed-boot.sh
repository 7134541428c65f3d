#!/usr/bin/env bash
# The firmware on QEMU virt with and without the test endorsement seed: with it, boot
# derives the attestation key and locks the seed; without it, boot goes on without.
# The SBI conformance payload then runs and powers off, so each run ends by itself.
# The measurement and platform key it prints must be what attest-verify computes from
# the image and the seed file: the firmware's crypto, cross-compiled, agrees with OpenSSL
# and libsodium.
set -uo pipefail
fw=$1 seed=$2 out=$3 want_mr=$4 want_pk=$5
payload=${BUILD:-build}/sbi-conformance/sbi-conformance.elf
mkdir -p "$out"
boot() { # log-name extra-args...
  local log=$out/$1; shift
  timeout 30 qemu-system-riscv64 -M virt -m 256M -smp 2 -nographic -bios "$fw" -kernel "$payload" "$@" \
    </dev/null >"$log" 2>&1
}
fails=0
check() { # log pattern description
  if grep -aq "$2" "$out/$1"; then echo "  ok   qemu: $3"; else echo "  FAIL qemu: $3 (see $out/$1)"; fails=1; fi
}
boot qemu-with-seed.log -device loader,file="$seed",addr=0x80100000
check qemu-with-seed.log "attestation key derived, seed locked" "seed at 0x80100000 gives an attestation key"
check qemu-with-seed.log "monitor: measurement $(cat "$want_mr")" "boot measurement = SHA-384 of the image's text and rodata"
check qemu-with-seed.log "monitor: platform key $(cat "$want_pk")" "platform key = attest-verify platform-key seed.bin"
boot qemu-without-seed.log
check qemu-without-seed.log "no endorsement seed, attestation off" "no seed: boot goes on without attestation"
exit $fails
