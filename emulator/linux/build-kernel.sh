#!/usr/bin/env bash
# Builds Debian's Linux 6.12 for riscv64 once into $BUILD/linux (tinyconfig plus
# kernel.config) and the boot test's initramfs. Reuses what it built before: the kernel
# is rebuilt only when kernel.config or the source package changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/linux
SRC_TAR=/usr/src/linux-source-6.12.tar.xz
CROSS=riscv64-linux-gnu-
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OUT"

key=$( (sha256sum emulator/linux/kernel.config; stat -c %s "$SRC_TAR") | sha256sum | cut -c1-16)
if [ -f "$OUT/Image" ] && [ "$(cat "$OUT/Image.key" 2>/dev/null)" = "$key" ]; then
	echo "linux: $OUT/Image is up to date"
else
	if [ ! -f "$OUT/src/Makefile" ]; then
		echo "linux: unpacking $SRC_TAR (once)"
		rm -rf "$OUT/src" && mkdir -p "$OUT/src"
		tar -xJf "$SRC_TAR" -C "$OUT/src" --strip-components=1
	fi
	echo "linux: configuring (tinyconfig + emulator/linux/kernel.config)"
	make -s -C "$OUT/src" O="$(pwd)/$OUT/obj" ARCH=riscv CROSS_COMPILE=$CROSS tinyconfig >/dev/null
	KCONFIG_CONFIG="$OUT/obj/.config" "$OUT/src/scripts/kconfig/merge_config.sh" -m -O "$OUT/obj" \
		"$OUT/obj/.config" emulator/linux/kernel.config >/dev/null
	make -s -C "$OUT/src" O="$(pwd)/$OUT/obj" ARCH=riscv CROSS_COMPILE=$CROSS olddefconfig >/dev/null
	for opt in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/\1/p' emulator/linux/kernel.config); do
		grep -q "^$opt=y" "$OUT/obj/.config" || { echo "linux: $opt did not stick" >&2; exit 1; }
	done
	echo "linux: building Image with $JOBS jobs (a few minutes on 2 cores)"
	start=$SECONDS
	make -s -C "$OUT/src" O="$(pwd)/$OUT/obj" ARCH=riscv CROSS_COMPILE=$CROSS -j"$JOBS" Image
	cp "$OUT/obj/arch/riscv/boot/Image" "$OUT/Image"
	echo "$key" > "$OUT/Image.key"
	echo "linux: built in $((SECONDS - start)) s"
fi

# the init and its initramfs: cheap, always rebuilt when the source changed
if [ ! -f "$OUT/initramfs.cpio" ] || [ emulator/linux/init.c -nt "$OUT/initramfs.cpio" ] ||
   [ emulator/linux/guest.S -nt "$OUT/initramfs.cpio" ]; then
	rm -rf "$OUT/rootfs" && mkdir -p "$OUT/rootfs/dev" "$OUT/rootfs/proc" "$OUT/rootfs/sys"
	${CROSS}gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/rootfs/init" emulator/linux/init.c emulator/linux/guest.S
	(cd "$OUT/rootfs" && find . | cpio -o -H newc --quiet > ../initramfs.cpio)
	echo "linux: $OUT/initramfs.cpio"
fi
