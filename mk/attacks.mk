# The threat-model attack suite (attacks/README.md). It links the fault-injection build
# so each attack can also run with the defence it targets switched off.
#   make attacks        every attack on every backend, writes attacks/REPORT.md
#   make attacks-host   the host-library backend alone (same report)
# ATTACK_QEMU_RESULTS=FILE feeds in the QEMU backend's "ATTACK <id> <result>" lines.
ATTACK_SRCS := $(wildcard attacks/*.c)
ATTACK_OBJS := $(patsubst %.c,$(FI_DIR)/%.o,$(ATTACK_SRCS))
ATTACK_RUNNER := $(FI_DIR)/attacks/attacks
ATTACK_QEMU_RESULTS ?=

$(ATTACK_OBJS): $(wildcard attacks/*.h)
$(ATTACK_RUNNER): $(ATTACK_OBJS) $(FI_DIR)/libmonitor-fi.a
	$(Q)clang-19 $(HOST_LDFLAGS) $^ -o $@

.PHONY: attacks attacks-host
# The last line shows the gate can fail: with one defence off in every run, the suite
# must report its attack as not blocked and exit non-zero.
attacks-host: $(ATTACK_RUNNER)
	$(Q)$(ATTACK_RUNNER) --report attacks/REPORT.md $(if $(ATTACK_QEMU_RESULTS),--qemu $(ATTACK_QEMU_RESULTS))
	$(Q)if $(ATTACK_RUNNER) --only leak-gprs --weaken D_EXIT_RESTORES_GPRS >/dev/null; then \
		echo "attacks: the suite passed with D_EXIT_RESTORES_GPRS off in every run"; exit 1; \
	else echo "attacks: gate self-check ok (fails when a defence is off)"; fi
attacks: attacks-host
