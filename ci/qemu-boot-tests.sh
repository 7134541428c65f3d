#!/usr/bin/env bash
# Boots the monitor firmware on QEMU virt and checks it against real S-mode software:
#  - the project's SBI conformance payload under the monitor and under Debian's OpenSBI
#    (fw_jump), with -smp 1 and 4; both must print ALLPASS, and their CHECK lines must
#    match for every extension both implement;
#  - Debian's S-mode u-boot with the monitor as -bios (-smp 1 and 4): prompt, commands,
#    RAM size without confidential memory, a read of monitor memory that PMP refuses,
#    reset and poweroff; u-boot on OpenSBI as the reference;
#  - the CVM demo (demo hypervisor and test guest, -smp 1 and 4, and its oracle
#    self-tests): ci/qemu-demo-tests.sh.
# Every QEMU run has a deadline and its exit status checked. Logs: $BUILD/qemu-boot-tests/.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FW=${MONITOR_BIN:-$BUILD/firmware/monitor.bin} # MONITOR_BIN: try another build
PAYLOAD=$BUILD/sbi-conformance/sbi-conformance.elf
OPENSBI=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
EXPECT=(python3 emulator/scripts/qemu-expect.py)
LOGS=$BUILD/qemu-boot-tests
TIMEOUT=${QEMU_TIMEOUT:-30}
MEM=256M
mkdir -p "$LOGS"

for f in "$FW" "$PAYLOAD" "$OPENSBI" "$UBOOT"; do
  [ -f "$f" ] || { echo "FAIL setup: $f is missing (make firmware sbi-conformance; make deps)"; exit 1; }
done

failures=0
pass() { echo "PASS $1"; }
fail() {
  echo "FAIL $1: $2"
  failures=$((failures + 1))
}

qemu() { # bios smp mem kernel
  echo qemu-system-riscv64 -M virt -m "$3" -smp "$2" -nographic -bios "$1" -kernel "$4"
}

firmware_path() {
  case $1 in
    monitor) echo "$FW" ;;
    opensbi) echo "$OPENSBI" ;;
  esac
}

# conformance FIRMWARE SMP [MEM]: ALLPASS, no BAD line, clean SRST exit
conformance() {
  local fw=$1 smp=$2 mem=${3:-$MEM}
  local name="conformance/$fw/smp$smp/$mem" log="$LOGS/conformance-$fw-smp$smp-$mem.log"
  local checks="$LOGS/checks-$fw-smp$smp-$mem.txt"
  rm -f "$checks"
  local ok=1
  if ! "${EXPECT[@]}" --timeout "$TIMEOUT" --log "$log" 'expect=\nALLPASS' -- \
    $(qemu "$(firmware_path "$fw")" "$smp" "$mem" "$PAYLOAD") 2>"$log.err"; then
    fail "$name" "$(head -1 "$log.err") (log $log)"
    ok=0
  elif grep -a -q ' BAD' "$log"; then
    fail "$name" "a check failed (log $log)"
    ok=0
  fi
  [ -f "$log" ] && grep -a '^CHECK ' "$log" | tr -d '\r' >"$checks"
  if [ "$ok" = 0 ]; then
    grep -a -E '^(CHECK .* BAD|FAIL)' "$log" | head -5 | sed 's/^/    /'
    return
  fi
  pass "$name ($(grep -c . "$checks") checks)"
}

# compare SMP: CHECK lines of extensions both firmwares implement must be identical
compare() {
  local smp=$1 a="$LOGS/checks-monitor-smp$1-$MEM.txt" b="$LOGS/checks-opensbi-smp$1-$MEM.txt"
  local name="conformance/compare-with-opensbi/smp$smp"
  if [ ! -s "$a" ] || [ ! -s "$b" ]; then
    fail "$name" "no CHECK lines from one of the runs above"
    return
  fi
  local skip
  skip=$(cat "$a" "$b" | awk '$3 == "unsupported" { print $2 }' | sort -u | paste -sd'|')
  local filter='^$'
  [ -n "$skip" ] && filter="^CHECK ($skip) "
  if diff -u --label "monitor smp$smp" --label "opensbi smp$smp" <(grep -Ev "$filter" "$a") <(grep -Ev "$filter" "$b") >"$LOGS/compare-smp$smp.diff"; then
    pass "$name ($(grep -Evc "$filter" "$a") lines equal; not compared: ${skip:-none})"
  else
    fail "$name" "results differ (diff in $LOGS/compare-smp$smp.diff)"
    sed 's/^/    /' "$LOGS/compare-smp$smp.diff" | head -20
  fi
}

# RAM u-boot must report with the monitor: everything below confidential memory
expected_dram() {
  local conf_hex
  conf_hex=$(grep -a -o 'confidential 0x[0-9a-f]*' "$1" | head -1 | awk '{ print $2 }')
  [ -n "$conf_hex" ] && echo $(((conf_hex - 0x80000000) >> 20))
}

# uboot FIRMWARE SMP: prompt, version, sbi, poweroff
uboot() {
  local fw=$1 smp=$2
  local name="u-boot/$fw/smp$smp" log="$LOGS/uboot-$fw-smp$smp.log"
  local sbi_re='SBI 2\.0' steps=()
  [ "$fw" = opensbi ] && sbi_re='OpenSBI 1\.'
  [ "$fw" = monitor ] && steps+=('expect=monitor: ram [^\n]*harts '"$smp")
  steps+=('expect=DRAM: +[0-9]+ MiB' 'expect=Hit any key to stop autoboot' 'send= '
    'expect=\n=> ' 'send=version\n' 'expect=U-Boot 20[0-9][0-9]' 'expect=\n=> '
    'send=sbi\n' "expect=$sbi_re" 'expect=Hart State Management Extension'
    'expect=System Reset Extension' 'expect=\n=> ' 'send=poweroff\n' 'expect=poweroff')
  if ! "${EXPECT[@]}" --timeout "$TIMEOUT" --log "$log" "${steps[@]}" -- \
    $(qemu "$(firmware_path "$fw")" "$smp" "$MEM" "$UBOOT") 2>"$log.err"; then
    fail "$name" "$(head -1 "$log.err") (log $log)"
    return
  fi
  if [ "$fw" = monitor ]; then
    local want got
    want=$(expected_dram "$log")
    got=$(grep -a -o -E 'DRAM: +[0-9]+ MiB' "$log" | grep -o -E '[0-9]+')
    if [ -z "$want" ] || [ "$got" != "$want" ]; then
      fail "$name" "u-boot sees ${got:-?} MiB of RAM, expected ${want:-?} (confidential memory must be hidden)"
      return
    fi
  fi
  pass "$name"
}

# u-boot reads monitor memory: PMP must refuse (u-boot reports the fault and hangs)
uboot_pmp() {
  local name="u-boot/monitor/pmp-denies-monitor-memory" log="$LOGS/uboot-monitor-pmp.log"
  if "${EXPECT[@]}" --timeout "$TIMEOUT" --log "$log" --kill \
    'expect=Hit any key to stop autoboot' 'send= ' 'expect=\n=> ' 'send=md.q 0x80000000 2\n' \
    'expect=Unhandled exception: Load access fault' -- \
    $(qemu "$FW" 1 "$MEM" "$UBOOT") 2>"$log.err"; then
    pass "$name"
  else
    fail "$name" "$(head -1 "$log.err") (log $log)"
  fi
}

# u-boot "reset": SRST reboot, the monitor boots again from the start, then poweroff
uboot_reset() {
  local name="u-boot/monitor/reset-then-poweroff" log="$LOGS/uboot-monitor-reset.log"
  if "${EXPECT[@]}" --timeout "$((TIMEOUT * 2))" --log "$log" \
    'expect=monitor: ram' 'expect=Hit any key to stop autoboot' 'send= ' 'expect=\n=> ' \
    'send=reset\n' 'expect=monitor: ram' 'expect=Hit any key to stop autoboot' 'send= ' \
    'expect=\n=> ' 'send=poweroff\n' 'expect=poweroff' -- \
    $(qemu "$FW" 2 "$MEM" "$UBOOT") 2>"$log.err"; then
    pass "$name"
  else
    fail "$name" "$(head -1 "$log.err") (log $log)"
  fi
}

for smp in 1 4; do
  conformance monitor "$smp"
  conformance opensbi "$smp"
  compare "$smp"
done
# with 4 GiB QEMU's tree lies below confidential memory and is patched in place
conformance monitor 2 4G
for smp in 1 4; do
  uboot monitor "$smp"
done
uboot opensbi 1
uboot_pmp
uboot_reset
if [ -f "$BUILD/hypervisor/hypervisor.elf" ]; then
  BUILD=$BUILD bash ci/qemu-demo-tests.sh || failures=$((failures + 1))
else
  fail "cvm-demo" "$BUILD/hypervisor/hypervisor.elf is missing (make hypervisor)"
fi

if [ "$failures" -ne 0 ]; then
  echo "qemu-boot-tests: $failures scenario(s) failed"
  exit 1
fi
echo "qemu-boot-tests: all scenarios passed"
