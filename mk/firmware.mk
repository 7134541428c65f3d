# The monitor as QEMU virt firmware (-bios), cross-built with clang-19 and ld.lld-19,
# and the S-mode SBI conformance payload that runs under it and under OpenSBI.
FW_DIR := $(BUILD)/firmware
FW_CC := clang-19
FW_LD := ld.lld-19
FW_OBJCOPY := llvm-objcopy-19
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
# the rv64imac/lp64 multilib: same base ISA and ABI as the monitor (the H extension
# only adds instructions the library never uses)
PICOLIBC_LIB := $(PICOLIBC)/lib/rv64imac/lp64
CONF_SIZE ?= 0x4000000

FW_ARCH := --target=riscv64-unknown-elf -march=rv64imac_zicsr_zifencei_h -mabi=lp64 -mcmodel=medany
# C and assembly must agree on these (MAX_HARTS sizes the stacks in entry.S)
FW_DEFS := -DMAX_HARTS=8 -DMAX_CVMS=8 -DMAX_CONF_PAGES=16384 -DMAX_CVM_PAGES=4096 \
	-DCONF_SIZE=$(CONF_SIZE) -Imonitor/inc -Imonitor/hart/inc -Imonitor/platform/virt
FW_CFLAGS := $(FW_ARCH) -std=c11 $(WARNINGS) -O2 -g -ffreestanding -fno-builtin -nostdlib \
	-fno-pic -fno-stack-protector -fno-common -ffunction-sections -fdata-sections \
	-isystem $(PICOLIBC)/include $(FW_DEFS)
FW_ASFLAGS := $(FW_ARCH) $(FW_DEFS)
FW_LDFLAGS := --no-relax -static -nostdlib --gc-sections

FW_C_SRCS := $(wildcard monitor/core/*.c) $(wildcard monitor/crypto/*.c) $(wildcard monitor/arch/riscv/*.c) \
	$(wildcard monitor/hart/*.c) $(wildcard monitor/platform/virt/*.c)
FW_S_SRCS := $(wildcard monitor/hart/*.S)
FW_OBJS := $(patsubst %.c,$(FW_DIR)/%.o,$(FW_C_SRCS)) $(patsubst %.S,$(FW_DIR)/%.o,$(FW_S_SRCS))
FW_LDS := monitor/platform/virt/monitor.ld

$(FW_DIR)/%.o: %.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(FW_DIR)/%.o: %.S | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_ASFLAGS) $(DEPFLAGS) -c $< -o $@

# picolibc provides memcpy, memset, memmove and memcmp; nothing else is pulled in
$(FW_DIR)/monitor.elf: $(FW_OBJS) $(FW_LDS)
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(FW_LDS) -Map $(FW_DIR)/monitor.map $(FW_OBJS) \
		$(PICOLIBC_LIB)/libc.a -o $@
$(FW_DIR)/monitor.bin: $(FW_DIR)/monitor.elf
	$(Q)$(FW_OBJCOPY) -O binary $< $@

# --- S-mode SBI conformance payload (emulator/sbi-conformance) ---
SBIC_DIR := $(BUILD)/sbi-conformance
SBIC_SRC := emulator/sbi-conformance
SBIC_CFLAGS := $(FW_ARCH) -std=c11 $(WARNINGS) -O2 -g -ffreestanding -fno-builtin -nostdlib \
	-fno-pic -fno-stack-protector -fno-common -Imonitor/inc -Iemulator/common
SBIC_OBJS := $(patsubst $(SBIC_SRC)/%.c,$(SBIC_DIR)/%.o,$(wildcard $(SBIC_SRC)/*.c)) \
	$(patsubst $(SBIC_SRC)/%.S,$(SBIC_DIR)/%.o,$(wildcard $(SBIC_SRC)/*.S))

$(SBIC_DIR)/%.o: $(SBIC_SRC)/%.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(SBIC_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(SBIC_DIR)/%.o: $(SBIC_SRC)/%.S | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_ARCH) -c $< -o $@
$(SBIC_DIR)/sbi-conformance.elf: $(SBIC_OBJS) $(SBIC_SRC)/payload.ld
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(SBIC_SRC)/payload.ld $(SBIC_OBJS) -o $@

.PHONY: firmware sbi-conformance qemu-boot-test
firmware: $(FW_DIR)/monitor.elf $(FW_DIR)/monitor.bin
sbi-conformance: $(SBIC_DIR)/sbi-conformance.elf
qemu-boot-test: firmware sbi-conformance
	$(Q)BUILD=$(BUILD) bash ci/qemu-boot-tests.sh
