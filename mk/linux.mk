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

# make linux-seeds: the SBI calls Linux makes while it boots, hotplugs CPUs, runs its KVM
# guest and powers off, recorded by a tracing build of the firmware (only boot.c differs)
# and turned into hv_calls and multi_hart seeds under corpora/ (committed).
LINUX_TRACE_DIR := $(LINUX_DIR)/trace-firmware
LINUX_TRACE_OBJS := $(filter-out $(FW_DIR)/monitor/platform/virt/boot.o,$(FW_OBJS)) $(LINUX_TRACE_DIR)/boot.o
$(LINUX_TRACE_DIR)/boot.o: monitor/platform/virt/boot.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_CFLAGS) $(DEPFLAGS) -DMONITOR_SBI_TRACE -c $< -o $@
$(LINUX_TRACE_DIR)/monitor.bin: $(LINUX_TRACE_OBJS) $(FW_LDS)
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(FW_LDS) $(LINUX_TRACE_OBJS) $(PICOLIBC_LIB)/libc.a -o $(LINUX_TRACE_DIR)/monitor.elf
	$(Q)$(FW_OBJCOPY) -O binary $(LINUX_TRACE_DIR)/monitor.elf $@

.PHONY: linux-seeds
linux-seeds: linux $(LINUX_TRACE_DIR)/monitor.bin
	$(Q)python3 emulator/linux/boot-test.py --monitor $(LINUX_TRACE_DIR)/monitor.bin \
		--kernel $(LINUX_DIR)/Image --initrd $(LINUX_DIR)/initramfs.cpio --smp 2 --cpu 'rv64;rv64,sstc=off' \
		--logs $(LINUX_TRACE_DIR)/logs >/dev/null || true
	$(Q)rm -f corpora/hv_calls/linux-*.txt corpora/multi_hart/linux-*.txt
	$(Q)python3 emulator/linux/trace-to-seeds.py $(LINUX_TRACE_DIR)/logs/monitor-*.log --out-dir corpora --prefix linux
