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
  "python3:/usr/bin/python3"
  "gcc:/usr/bin/gcc"
  "make:/usr/bin/make"
)
missing=()
for entry in "${need[@]}"; do
  pkg=${entry%%:*}; path=${entry#*:}
  [ -e "$path" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2
