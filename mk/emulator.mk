# The demo: a bare-metal hostile hypervisor (HS-mode) with a test guest (VS-mode) it
# promotes to a CVM, run on QEMU virt with the monitor as -bios. See docs/emulator.md.
#   make hypervisor     build both (the guest and the attack agent are embedded in the
#                       hypervisor image)
#   make qemu           the demo on the terminal (SMP=4 by default; Ctrl-A X quits)
#   make qemu-test      the demo headless with -smp 1 and 4, plus the self-tests
#   make bench-switch   M-mode instructions per CVM round trip vs a plain SBI call
HV_DIR := $(BUILD)/hypervisor
HV_SRC := emulator/hypervisor
GUEST_DIR := $(BUILD)/guest
GUEST_SRC := emulator/guest
SMP ?= 4

EMU_CFLAGS := -std=c11 $(WARNINGS) -O2 -g -ffreestanding -fno-builtin -nostdlib -fno-pic \
	-fno-stack-protector -fno-common -ffunction-sections -fdata-sections \
	-isystem $(PICOLIBC)/include -Imonitor/inc -Iemulator/common -I$(GUEST_SRC) -I$(HV_SRC)
GUEST_ARCH := --target=riscv64-unknown-elf -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany

GUEST_OBJS := $(patsubst $(GUEST_SRC)/%,$(GUEST_DIR)/%.o,$(wildcard $(GUEST_SRC)/*.c $(GUEST_SRC)/*.S))
$(GUEST_DIR)/%.c.o: $(GUEST_SRC)/%.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(GUEST_ARCH) $(DEPFLAGS) $(EMU_CFLAGS) -c $< -o $@
$(GUEST_DIR)/%.S.o: $(GUEST_SRC)/%.S | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(GUEST_ARCH) $(DEPFLAGS) -I$(GUEST_SRC) -c $< -o $@
$(GUEST_DIR)/guest.elf: $(GUEST_OBJS) $(GUEST_SRC)/guest.ld
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(GUEST_SRC)/guest.ld $(GUEST_OBJS) $(PICOLIBC_LIB)/libc.a -o $@
$(GUEST_DIR)/guest.bin: $(GUEST_DIR)/guest.elf
	$(Q)$(FW_OBJCOPY) -O binary $< $@

# The attack agent (attack mode's CVM, emulator/hypervisor/attacks/agent): the test
# guest's entry, trap vector and probes around its own command loop.
AGENT_DIR := $(BUILD)/attack-agent
AGENT_SRC := $(HV_SRC)/attacks/agent
AGENT_OBJS := $(AGENT_DIR)/agent.c.o $(AGENT_DIR)/crt0.S.o $(AGENT_DIR)/probe.S.o
$(AGENT_DIR)/agent.c.o: $(AGENT_SRC)/agent.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(GUEST_ARCH) $(DEPFLAGS) $(EMU_CFLAGS) -c $< -o $@
$(AGENT_DIR)/%.S.o: $(GUEST_SRC)/%.S | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(GUEST_ARCH) $(DEPFLAGS) -I$(GUEST_SRC) -c $< -o $@
$(AGENT_DIR)/agent.elf: $(AGENT_OBJS) $(AGENT_SRC)/agent.ld
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(AGENT_SRC)/agent.ld $(AGENT_OBJS) $(PICOLIBC_LIB)/libc.a -o $@
$(AGENT_DIR)/agent.bin: $(AGENT_DIR)/agent.elf
	$(Q)$(FW_OBJCOPY) -O binary $< $@

HV_OBJS := $(patsubst $(HV_SRC)/%,$(HV_DIR)/%.o,$(wildcard $(HV_SRC)/*.c $(HV_SRC)/*.S \
	$(HV_SRC)/attacks/*.c $(HV_SRC)/attacks/*.S $(HV_SRC)/replay/*.c $(HV_SRC)/replay/*.S)) $(HV_DIR)/fdt.c.o
$(HV_DIR)/%.c.o: $(HV_SRC)/%.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_ARCH) $(DEPFLAGS) $(EMU_CFLAGS) -c $< -o $@
# the monitor's hostile-input FDT reader serves the hypervisor as well
$(HV_DIR)/fdt.c.o: monitor/core/fdt.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_ARCH) $(DEPFLAGS) $(EMU_CFLAGS) -c $< -o $@
$(HV_DIR)/crt0.S.o: $(GUEST_DIR)/guest.bin
$(HV_DIR)/attacks/entry.S.o: $(AGENT_DIR)/agent.bin
$(HV_DIR)/%.S.o: $(HV_SRC)/%.S | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_ARCH) $(DEPFLAGS) -I$(HV_SRC) -DGUEST_BIN='"$(GUEST_DIR)/guest.bin"' \
		-DAGENT_BIN='"$(AGENT_DIR)/agent.bin"' -c $< -o $@
$(HV_DIR)/hypervisor.elf: $(HV_OBJS) $(HV_SRC)/hypervisor.ld
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(HV_SRC)/hypervisor.ld $(HV_OBJS) $(PICOLIBC_LIB)/libc.a -o $@

# The instruction-counting QEMU plugin (host code): counts instructions by address.
MCOUNT_SO := $(HV_DIR)/mcount.so
$(MCOUNT_SO): $(HV_SRC)/bench/mcount.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -std=c11 $(WARNINGS) -O2 -fPIC -shared -fvisibility=hidden $< -o $@

# Attestation at the end of the demo: the relying party's inputs. The guest's memory as
# promote sees it (host tool), from which attest-verify computes the expected MR4; the
# seed, monitor measurement and platform key come from mk/attest.mk.
$(GUEST_DIR)/guest-mem-image: $(GUEST_SRC)/host/guest-mem-image.c $(HV_SRC)/fdt_write.c \
		$(HV_SRC)/fdt_write.h $(GUEST_SRC)/guest_abi.h | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -std=c11 $(WARNINGS) -O2 -I$(GUEST_SRC) -I$(HV_SRC) $(GUEST_SRC)/host/guest-mem-image.c \
		$(HV_SRC)/fdt_write.c -o $@
$(GUEST_DIR)/guest-mem.bin: $(GUEST_DIR)/guest-mem-image $(GUEST_DIR)/guest.bin
	$(Q)$^ $@
DEMO_ATTEST_INPUTS := $(GUEST_DIR)/guest-mem.bin $(BUILD)/attest/attest-verify $(BUILD)/attest/seed.bin \
	$(BUILD)/attest/monitor.mr $(BUILD)/attest/platform.pub

.PHONY: hypervisor qemu qemu-test bench-switch
hypervisor: $(HV_DIR)/hypervisor.elf
qemu: firmware hypervisor
	$(Q)qemu-system-riscv64 -M virt -m 256M -smp $(SMP) -nographic \
		-bios $(FW_DIR)/monitor.bin -kernel $(HV_DIR)/hypervisor.elf
qemu-test: firmware hypervisor $(DEMO_ATTEST_INPUTS)
	$(Q)BUILD=$(BUILD) bash ci/qemu-demo-tests.sh
bench-switch: firmware hypervisor $(MCOUNT_SO)
	$(Q)BUILD=$(BUILD) bash $(HV_SRC)/bench/bench-switch.sh
# `make test` runs the demo scenarios inside the QEMU boot tests
qemu-boot-test: hypervisor $(DEMO_ATTEST_INPUTS)

# make qemu-replay / qemu-replay-test: host fuzz programs replayed on the firmware
-include mk/qemu-replay.mk
