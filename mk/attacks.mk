# The threat-model attack suite (attacks/README.md). It links the fault-injection build
# so each attack can also run with the defence it targets switched off.
#   make attacks        every attack on every backend, writes attacks/REPORT.md
#   make attacks-host   the host-library backend alone (same report)
#   make attacks-qemu   the QEMU backend alone (mk/attacks-qemu.mk), results in build/
# ATTACK_QEMU_RESULTS=FILE feeds in the QEMU backend's "ATTACK <id> <result>" lines
# (ATTACK_QEMU_OFF_RESULTS=FILE those of the defence-off firmware builds).
# The attestation attacks judge evidence with the relying party's own check (libsodium).
ATTACK_SRCS := $(wildcard attacks/*.c) tools/attest-verify/evidence.c
ATTACK_OBJS := $(patsubst %.c,$(FI_DIR)/%.o,$(ATTACK_SRCS))
ATTACK_RUNNER := $(FI_DIR)/attacks/attacks
ATTACK_QEMU_RESULTS ?=
ATTACK_QEMU_OFF_RESULTS ?=

$(FI_DIR)/attacks/attestation.o: FI_CFLAGS += -Itools/attest-verify
$(ATTACK_RUNNER): $(ATTACK_OBJS) $(FI_DIR)/libmonitor-fi.a
	$(Q)clang-19 $(HOST_LDFLAGS) $^ -lsodium -o $@

-include mk/attacks-qemu.mk

.PHONY: attacks attacks-host
# The self-checks show the gate can fail: with one defence off in every host run, and
# with the QEMU defence-off results given as if every defence were on, the suite must
# report the attack as not blocked and exit non-zero.
attacks-host: $(ATTACK_RUNNER)
	$(Q)$(ATTACK_RUNNER) --report attacks/REPORT.md $(if $(ATTACK_QEMU_RESULTS),--qemu $(ATTACK_QEMU_RESULTS)) \
		$(if $(ATTACK_QEMU_OFF_RESULTS),--qemu-off $(ATTACK_QEMU_OFF_RESULTS))
	$(Q)if $(ATTACK_RUNNER) --only leak-gprs --weaken D_EXIT_RESTORES_GPRS >/dev/null; then \
		echo "attacks: the suite passed with D_EXIT_RESTORES_GPRS off in every run"; exit 1; \
	else echo "attacks: gate self-check ok (fails when a defence is off)"; fi
	$(Q)if [ -n "$(ATTACK_QEMU_OFF_RESULTS)" ]; then \
		if $(ATTACK_RUNNER) --only leak-gprs --qemu $(ATTACK_QEMU_OFF_RESULTS) >/dev/null; then \
			echo "attacks: the suite passed with QEMU results from a defence-off firmware"; exit 1; \
		else echo "attacks: QEMU gate self-check ok (fails when the firmware lets an attack through)"; fi; \
	fi
# Without results given on the command line, `make attacks` runs the QEMU backend first.
ifeq ($(ATTACK_QEMU_RESULTS),)
attacks: attacks-qemu
	$(Q)$(MAKE) --no-print-directory attacks-host ATTACK_QEMU_RESULTS=$(ATKQ_DIR)/defences-on.txt \
		ATTACK_QEMU_OFF_RESULTS=$(ATKQ_DIR)/defences-off.txt
else
attacks: attacks-host
endif
