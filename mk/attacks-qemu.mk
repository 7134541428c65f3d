# The attack suite's QEMU backend (attacks/README.md, docs/emulator.md): the hostile
# hypervisor's attack mode against the real firmware.
#   make attacks-qemu   the firmware with every defence on, booted with 1, 2 and 4 harts,
#                       then one -smp 2 boot per defence of a firmware built with that
#                       defence off, running the attacks that target it; results and
#                       console logs in $(ATKQ_DIR)
# `make attacks` runs it and passes the results to the runner.
ATKQ_DIR := $(BUILD)/attacks-qemu
ATKQ_SEED := $(BUILD)/attest/seed.bin # mk/attest.mk's test seed: attestation works
ATKQ_RUN = python3 emulator/hypervisor/attacks/run-attacks.py --seed $(ATKQ_SEED)
ATKQ_SMP ?= 2
ATKQ_SMP_ON ?= 1,2,4
ATKQ_TIMEOUT ?= 30

# Defence-off firmware: the monitor built for fault injection, with one defence.o per
# switch of defence.h giving defences_off its value at build time (test-only binaries).
ATKQ_FW_DIR := $(BUILD)/firmware-defence-off
ATKQ_DEFENCES := $(shell sed -n 's/^[[:space:]]*\(D_[A-Z_]*\) = .*/\1/p' monitor/inc/defence.h)
ATKQ_FW_SRCS := $(filter-out monitor/core/defence.c,$(FW_C_SRCS))
ATKQ_FW_OBJS := $(patsubst %.c,$(ATKQ_FW_DIR)/obj/%.o,$(ATKQ_FW_SRCS)) \
	$(patsubst %.S,$(ATKQ_FW_DIR)/obj/%.o,$(FW_S_SRCS))
ATKQ_FW_BINS := $(foreach d,$(ATKQ_DEFENCES),$(ATKQ_FW_DIR)/$(d)/monitor.bin)

$(ATKQ_FW_DIR)/obj/%.o: %.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_CFLAGS) $(DEPFLAGS) -DMONITOR_FAULT_INJECTION -c $< -o $@
$(ATKQ_FW_DIR)/obj/%.o: %.S | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_ASFLAGS) $(DEPFLAGS) -DMONITOR_FAULT_INJECTION -c $< -o $@
$(ATKQ_FW_DIR)/%/defence.o: monitor/core/defence.c monitor/inc/defence.h | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FW_CC) $(FW_CFLAGS) -DMONITOR_FAULT_INJECTION -DMONITOR_DEFENCES_OFF=$* -c $< -o $@
$(ATKQ_FW_DIR)/%/monitor.elf: $(ATKQ_FW_DIR)/%/defence.o $(ATKQ_FW_OBJS) $(FW_LDS)
	$(Q)$(FW_LD) $(FW_LDFLAGS) -T $(FW_LDS) $(ATKQ_FW_OBJS) $< $(PICOLIBC_LIB)/libc.a -o $@
$(ATKQ_FW_DIR)/%/monitor.bin: $(ATKQ_FW_DIR)/%/monitor.elf
	$(Q)$(FW_OBJCOPY) -O binary $< $@
.PRECIOUS: $(ATKQ_FW_DIR)/%/defence.o $(ATKQ_FW_DIR)/%/monitor.elf
.SECONDARY: $(ATKQ_FW_OBJS)

# The defences-on boot must see every attack blocked (or not applicable); each
# defence-off boot must see its attacks succeed. The runner judges both; this only
# collects. The attack ids per defence come from the runner's own table.
.PHONY: attacks-qemu
attacks-qemu: $(ATTACK_RUNNER) $(FW_DIR)/monitor.bin $(HV_DIR)/hypervisor.elf $(ATKQ_FW_BINS) $(ATKQ_SEED)
	$(Q)mkdir -p $(ATKQ_DIR) && rm -f $(ATKQ_DIR)/*.log $(ATKQ_DIR)/*.txt
	$(Q)$(ATKQ_RUN) --firmware $(FW_DIR)/monitor.bin --kernel $(HV_DIR)/hypervisor.elf \
		--smp $(ATKQ_SMP_ON) --timeout $(ATKQ_TIMEOUT) --ids all \
		--log $(ATKQ_DIR)/defences-on.log --out $(ATKQ_DIR)/defences-on.txt >/dev/null
	$(Q)$(ATTACK_RUNNER) --list-defences | while read -r d ids; do \
		$(ATKQ_RUN) --firmware $(ATKQ_FW_DIR)/$$d/monitor.bin --kernel $(HV_DIR)/hypervisor.elf \
			--smp $(ATKQ_SMP) --timeout $(ATKQ_TIMEOUT) --ids $$ids \
			--log $(ATKQ_DIR)/off-$$d.log --out $(ATKQ_DIR)/off-$$d.txt >/dev/null || exit 1; \
	done
	$(Q)cat $(ATKQ_DIR)/off-*.txt > $(ATKQ_DIR)/defences-off.txt
	$(Q)echo "attacks-qemu: $$(grep -c . $(ATKQ_DIR)/defences-on.txt) results with every defence on," \
		"$$(grep -c . $(ATKQ_DIR)/defences-off.txt) from $$(ls $(ATKQ_DIR)/off-*.txt | wc -l) defence-off boots"
