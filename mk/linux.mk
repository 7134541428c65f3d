# Linux on the monitor (emulator/linux, docs/linux.md).
#   make linux        Debian's linux-source-6.12 for riscv64, built once into $(BUILD)/linux,
#                     and the boot test's initramfs
#   make linux-test   boots it under the monitor and under Debian's OpenSBI at -smp 2 and 4,
#                     with QEMU's default CPU and with sstc=off, and compares them
LINUX_DIR := $(BUILD)/linux

.PHONY: linux linux-test
linux: | $(DEPS)
	$(Q)BUILD=$(BUILD) bash emulator/linux/build-kernel.sh
linux-test: linux firmware
	$(Q)python3 emulator/linux/boot-test.py --monitor $(FW_DIR)/monitor.bin \
		--kernel $(LINUX_DIR)/Image --initrd $(LINUX_DIR)/initramfs.cpio --logs $(LINUX_DIR)/logs
