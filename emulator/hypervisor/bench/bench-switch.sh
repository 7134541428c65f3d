#!/usr/bin/env bash
# `make bench-switch`: the cost of one CVM -> hypervisor -> CVM round trip (forwarded
# hypercall, MMIO load) next to a plain SBI call, as instructions executed inside the
# firmware image [0x80000000, 0x80200000): only M-mode code runs there. Counted by the
# mcount QEMU plugin between marker instructions; the same hypervisor binary runs on
# the monitor and on Debian's OpenSBI (which has no COVH: SBI call only). -smp 1.
set -euo pipefail
cd "$(dirname "$0")/../../.."
BUILD=${BUILD:-build}
HV=$BUILD/hypervisor/hypervisor.elf
SO=$BUILD/hypervisor/mcount.so
MONITOR=${MONITOR_BIN:-$BUILD/firmware/monitor.bin}
OPENSBI=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
OUT=$BUILD/bench-switch
# --profile: also where the monitor spends a forwarded hypercall, per function
PROFILE=0
[ "${1:-}" = --profile ] && PROFILE=1
mkdir -p "$OUT"
for f in "$HV" "$SO" "$MONITOR" "$OPENSBI"; do
  [ -f "$f" ] || { echo "bench-switch: $f is missing" >&2; exit 1; }
done

# run NAME FIRMWARE: the hypervisor in benchmark mode (-device loader sets the option)
run() {
  local name=$1 fw=$2 rc=0
  local plugin="$SO,out=$PWD/$OUT/$name.counts"
  [ "$PROFILE" = 1 ] && plugin+=",profile=$PWD/$OUT/$name.profile,pphase=1"
  rm -f "$OUT/$name.counts"
  timeout 300 qemu-system-riscv64 -M virt -m 256M -smp 1 -nographic -bios "$fw" \
    -kernel "$HV" -device loader,addr=0x80f00000,data=0x0000000146435648,data-len=8 \
    -plugin "$plugin" </dev/null >"$OUT/$name.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ] || ! grep -q '^hv: PASS' "$OUT/$name.log"; then
    echo "bench-switch: the run on $name failed (status $rc), log $OUT/$name.log" >&2
    tail -5 "$OUT/$name.log" >&2
    exit 1
  fi
}

# cell NAME PHASE FIELD: per-iteration count, or n/a
cell() {
  local iters count
  iters=$(grep -a -o "^bench: phase $2 = .*, [0-9]* iterations" "$OUT/$1.log" | grep -o '[0-9]* iterations' | grep -o '[0-9]*' || true)
  count=$(awk -v p="$2" -v f="$3" '$1 == "phase" && $2 == p { for (i = 3; i < NF; i++) if ($i == f) print $(i + 1) }' "$OUT/$1.counts")
  if [ -z "$iters" ] || [ -z "$count" ]; then echo "n/a"; return; fi
  echo $((count / iters))
}

run monitor "$MONITOR"
run opensbi "$OPENSBI"
row() { printf '%-44s %10s %10s %12s\n' "$@"; }
echo "Switch cost: instructions retired in M-mode per round trip (QEMU $(qemu-system-riscv64 --version | head -1 | awk '{print $4}') TCG, -smp 1, mean of $(grep -a -o 'phase 0 = [^,]*, [0-9]*' "$OUT/monitor.log" | grep -o '[0-9]*$') iterations)"
row "" "monitor" "OpenSBI" "all modes*"
row "plain SBI call (HS -> M -> HS)" "$(cell monitor 0 in_range)" "$(cell opensbi 0 in_range)" "$(cell monitor 0 all)"
row "CVM hypercall (VS -> M -> HS -> M -> VS)" "$(cell monitor 1 in_range)" "n/a" "$(cell monitor 1 all)"
row "CVM MMIO load (VS -> M -> HS -> M -> VS)" "$(cell monitor 2 in_range)" "n/a" "$(cell monitor 2 all)"
echo "* every mode, on the monitor; the HS share is the demo hypervisor's own exit handling"
echo "  (register capture and leak scans), not a property of the monitor."
echo "Logs and raw counts: $OUT/"
if [ "$PROFILE" = 1 ]; then
  echo
  echo "Forwarded hypercall, M-mode instructions per round trip by function:"
  python3 "$(dirname "$0")/profile-by-function.py" "${MONITOR%.bin}.elf" "$OUT/monitor.profile" \
    "$(grep -a -o '^bench: phase 1 = .*, [0-9]* iterations' "$OUT/monitor.log" | grep -o '[0-9]* iterations' | grep -o '[0-9]*')"
fi
