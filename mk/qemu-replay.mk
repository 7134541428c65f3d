# The crash-triage QEMU backend (crashes-triage/backends/qemu.sh): a host fuzz program
# replayed by the hypervisor's replay mode on the real firmware (emulator/hypervisor/replay).
#   make qemu-replay TARGET=hv_calls CRASH=<file> [DEFENCES_OFF=<one defence bit>]
#        prints the QEMU log; exit 0 clean, 1 with an ==ORACLE== line, 2 cannot play it
#   make qemu-replay-test  every corpora/hv_calls seed clean, and one seed finding
#        memory-reach on a firmware built with D_PMP_GUARDS_MONITOR off
QR_DIR := $(BUILD)/qemu-replay
QR_CONVERT := $(QR_DIR)/replay-convert
QR_RUN := bash $(HV_SRC)/replay/qemu-replay.sh
QR_TIMEOUT ?= 20
DEFENCES_OFF ?= 0
# one defence bit -> its name in defence.h; empty if the mask is not exactly one switch
QR_DEFENCE := $(shell m=$$(($(DEFENCES_OFF))) 2>/dev/null; sed -n 's/^[[:space:]]*\(D_[A-Z_]*\) = 1U << \([0-9]*\),.*/\1 \2/p' \
	monitor/inc/defence.h | while read -r n b; do [ "$$m" = "$$((1 << b))" ] && echo "$$n"; done)
QR_FW := $(if $(filter 0,$(DEFENCES_OFF)),$(FW_DIR)/monitor.bin,$(if $(QR_DEFENCE),$(ATKQ_FW_DIR)/$(QR_DEFENCE)/monitor.bin))

$(QR_CONVERT): $(HV_SRC)/replay/host/replay-convert.c $(HV_SRC)/replay/replay_abi.h harness/lib/prog.c \
		harness/lib/prog_text.c harness/lib/prog.h $(GUEST_SRC)/guest_abi.h | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -std=c11 $(WARNINGS) -D_GNU_SOURCE -O2 -Iharness/lib -Imonitor/inc -I$(GUEST_SRC) \
		-I$(HV_SRC)/replay $(HV_SRC)/replay/host/replay-convert.c harness/lib/prog.c \
		harness/lib/prog_text.c -o $@

.PHONY: qemu-replay qemu-replay-test
ifeq ($(QR_FW),)
qemu-replay:
	@echo "qemu-replay: DEFENCES_OFF=$(DEFENCES_OFF) is not one defence switch this backend can build"; exit 2
else
qemu-replay: $(QR_CONVERT) $(HV_DIR)/hypervisor.elf $(QR_FW)
	@[ -n "$(CRASH)" ] || { echo "qemu-replay: give CRASH=<file>"; exit 2; }
	$(Q)$(QR_RUN) $(QR_CONVERT) $(HV_DIR)/hypervisor.elf $(QR_FW) "$(TARGET)" "$(CRASH)" \
		$(QR_DIR)/run $(QR_TIMEOUT)
endif

QR_PLANTED_SEED := corpora/hv_calls/promote_run_destroy.txt
qemu-replay-test: $(QR_CONVERT) $(HV_DIR)/hypervisor.elf $(FW_DIR)/monitor.bin \
		$(ATKQ_FW_DIR)/D_PMP_GUARDS_MONITOR/monitor.bin
	$(Q)clean=0; other=0; skipped=0; played=0; for f in corpora/hv_calls/*.txt; do \
		out=$$($(QR_RUN) $(QR_CONVERT) $(HV_DIR)/hypervisor.elf $(FW_DIR)/monitor.bin hv_calls $$f \
			$(QR_DIR)/test $(QR_TIMEOUT) 2>&1); rc=$$?; \
		if [ $$rc -eq 0 ]; then clean=$$((clean + 1)); else other=$$((other + 1)); \
			echo "qemu-replay-test: $$f: exit $$rc: $$(echo "$$out" | grep -m1 -e '==ORACLE==' -e '^qemu-replay:' -e 'hv: FAIL')"; fi; \
		played=$$((played + $$(echo "$$out" | sed -n 's/^convert: .* \([0-9]*\) to play, \([0-9]*\) skipped/\1/p'))); \
		skipped=$$((skipped + $$(echo "$$out" | sed -n 's/^convert: .* to play, \([0-9]*\) skipped/\1/p'))); \
	done; \
	echo "qemu-replay-test: $$clean seeds clean, $$other not; $$played steps played, $$skipped skipped"; \
	[ $$other -eq 0 ] || exit 1
	$(Q)out=$$($(QR_RUN) $(QR_CONVERT) $(HV_DIR)/hypervisor.elf \
		$(ATKQ_FW_DIR)/D_PMP_GUARDS_MONITOR/monitor.bin hv_calls $(QR_PLANTED_SEED) \
		$(QR_DIR)/planted $(QR_TIMEOUT) 2>&1); rc=$$?; \
	line=$$(echo "$$out" | grep -m1 '^==ORACLE== memory-reach'); \
	if [ $$rc -eq 1 ] && [ -n "$$line" ]; then echo "qemu-replay-test: planted D_PMP_GUARDS_MONITOR off: $$line"; \
	else echo "qemu-replay-test: FAIL planted D_PMP_GUARDS_MONITOR off gave exit $$rc and no memory-reach"; exit 1; fi
