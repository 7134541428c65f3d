#!/usr/bin/env bash
# Installs the Debian packages the project needs, once. Quiet when everything is there.
# Each entry: package name and a file or command that proves it is installed.
set -euo pipefail
need=(
  "clang-19:/usr/bin/clang-19"
  "lld-19:/usr/bin/ld.lld-19"
  "llvm-19:/usr/bin/llvm-cov-19"
  "libclang-rt-19-dev:/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.fuzzer-x86_64.a"
  "libcmocka-dev:/usr/include/cmocka.h"
  "afl++:/usr/bin/afl-fuzz"
  "libunicorn-dev:/usr/include/unicorn/unicorn.h"
  "qemu-system-misc:/usr/bin/qemu-system-riscv64"
  "picolibc-riscv64-unknown-elf:/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs"
  "opensbi:/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
  "u-boot-qemu:/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
  "libsodium-dev:/usr/include/sodium.h"
  "libssl-dev:/usr/include/openssl/evp.h"
  "cppcheck:/usr/bin/cppcheck"
  "clang-tidy:/usr/bin/clang-tidy"
  "gnuplot-nox:/usr/bin/gnuplot"
  "linux-source-6.12:/usr/src/linux-source-6.12.tar.xz"
  "gcc-riscv64-linux-gnu:/usr/bin/riscv64-linux-gnu-gcc"
  "libc6-dev-riscv64-cross:/usr/riscv64-linux-gnu/lib/libc.a"
  "flex:/usr/bin/flex"
  "bison:/usr/bin/bison"
  "bc:/usr/bin/bc"
  "cpio:/usr/bin/cpio"
  "xz-utils:/usr/bin/xz"
  "frama-c-base:/usr/bin/frama-c"
  "why3:/usr/bin/why3"
  "z3:/usr/bin/z3"
  "cvc4:/usr/bin/cvc4"
  "python3:/usr/bin/python3"
  "gcc:/usr/bin/gcc"
  "make:/usr/bin/make"
)
missing=()
for entry in "${need[@]}"; do
  pkg=${entry%%:*}; path=${entry#*:}
  [ -e "$path" ] || missing+=("$pkg")
done
# Why3 finds its provers once per user (make prove runs WP through Why3 with Z3 and CVC4);
# detected again whenever the configuration lacks one of them.
why3_provers() {
  local conf=${WHY3CONFIG:-$HOME/.why3.conf}
  { [ -e "$conf" ] && grep -q '^name = "Z3"' "$conf" && grep -q '^name = "CVC4"' "$conf"; } ||
    why3 config detect >/dev/null 2>&1
}
if [ ${#missing[@]} -eq 0 ]; then why3_provers; exit 0; fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
why3_provers
echo "deps: done" >&2
