#!/usr/bin/env bash
# The attest-verify command line on the cases test_attest_verify wrote: it must accept
# the genuine evidence and reject each altered expectation with exit status 1.
set -uo pipefail
tool=$1 dir=$2
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
pk=$(hex "$dir/platform.pub")
mr4=$(hex "$dir/mr4.bin")
fails=0
expect() { # expected-status description args...
  local want=$1 what=$2; shift 2
  "$tool" verify "$@" >/dev/null 2>"$dir/last.err"; local got=$?
  if [ "$got" -eq "$want" ]; then echo "  ok   attest-verify: $what"
  else echo "  FAIL attest-verify: $what (exit $got, want $want): $(cat "$dir/last.err")"; fails=1; fi
}
expect 0 "accepts the CVM's evidence" "$dir/evidence.bin" --platform-key "$pk" --challenge "@$dir/challenge.bin" --mr "4=$mr4"
expect 1 "rejects it for another challenge" "$dir/evidence.bin" --platform-key "$pk" --challenge "@$dir/other-challenge.bin" --mr "4=$mr4"
expect 1 "rejects another CVM's evidence" "$dir/other-cvm-evidence.bin" --platform-key "$pk" --challenge "@$dir/challenge.bin" --mr "4=$mr4"
expect 1 "rejects another platform key" "$dir/evidence.bin" --platform-key "$(printf '%064d' 0)" --challenge "@$dir/challenge.bin"
cp "$dir/evidence.bin" "$dir/tampered.bin"
printf '\x01' | dd of="$dir/tampered.bin" bs=1 seek=300 conv=notrunc status=none
expect 1 "rejects tampered evidence" "$dir/tampered.bin" --platform-key "$pk" --challenge "@$dir/challenge.bin"
expect 2 "refuses to run without a challenge" "$dir/evidence.bin" --platform-key "$pk"
exit $fails
