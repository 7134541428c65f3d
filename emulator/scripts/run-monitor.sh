#!/usr/bin/env bash
# Boot an S-mode payload on QEMU virt with the monitor (or another firmware) as -bios.
#   emulator/scripts/run-monitor.sh [options] PAYLOAD [-- extra qemu args]
#   -b FIRMWARE  default build/firmware/monitor.bin; "opensbi" = Debian's fw_jump
#   -s SMP       default 1
#   -m MEM       default 256M
#   -t SECONDS   timeout, default none (interactive); the exit status is QEMU's
set -euo pipefail
BUILD=${BUILD:-build}
bios=$BUILD/firmware/monitor.bin
smp=1
mem=256M
secs=
while getopts "b:s:m:t:" opt; do
  case $opt in
    b) bios=$OPTARG ;;
    s) smp=$OPTARG ;;
    m) mem=$OPTARG ;;
    t) secs=$OPTARG ;;
    *) sed -n '2,8p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
payload=$1
shift
[ "${1:-}" = "--" ] && shift
[ "$bios" = opensbi ] && bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
cmd=(qemu-system-riscv64 -M virt -m "$mem" -smp "$smp" -nographic -bios "$bios" -kernel "$payload" "$@")
if [ -n "$secs" ]; then
  exec timeout --foreground -k 5 "$secs" "${cmd[@]}"
fi
exec "${cmd[@]}"
