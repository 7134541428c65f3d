# Crash triage (crashes-triage/README.md).
#   make triage [DIR="<campaign folders or crash files>"] [ADD=1] [OUT=dir] [TARGET=t]
#   make triage-test   planted bugs -> short campaigns -> triage -> exactly the expected buckets
# `make repro CRASH=<file>` (mk/fuzz.mk) runs one input on every backend.
TRIAGE := python3 crashes-triage/triage.py
TRIAGE_ENV := TRIAGE_BUILD=$(BUILD)
DIR ?=
ADD ?=
OUT ?=
MINIMIZE_SECONDS ?= 10

.PHONY: triage triage-test triage-test-build
triage: $(FUZZ_BINS_replay) $(FUZZ_BINS_libfuzzer) $(FUZZ_BINS_afl) $(FUZZPROG)
	$(Q)$(TRIAGE_ENV) $(TRIAGE) triage $(if $(filter 1 yes true,$(ADD)),--add) \
		$(if $(OUT),--out $(OUT)) $(if $(filter-out all,$(TARGET)),--target $(TARGET)) \
		--minimize-seconds $(MINIMIZE_SECONDS) $(DIR)

# --- the planted-bug build: the fuzz sources compiled with fault injection, plus
# crashes-triage/planted/plant_defences.c, which switches defences off at start-up from
# TRIAGE_DEFENCES_OFF; every target, for the triage self-test (hv_calls) and for
# `make bench-bugs`. Laid out like $(BUILD) (fuzz/<engine>/T, corpora/T) so that
# campaign.sh runs on it unchanged with BUILD=$(TT_BUILD).
TT_BUILD := $(BUILD)/triage-test
TT_TARGET := hv_calls
TT_VARIANTS := replay libfuzzer afl
TT_SRCS := $(FUZZ_COMMON_SRCS) crashes-triage/planted/plant_defences.c
TT_SEEDS := $(patsubst crashes-triage/tests/seeds/%.txt,$(TT_BUILD)/corpora/$(TT_TARGET)/%.bin,\
	$(wildcard crashes-triage/tests/seeds/*.txt))

define triage_test_variant
$(TT_BUILD)/obj/$(1)/%.o: %.c $$(FUZZ_LISTS_$(1)) | $(DEPS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(FUZZ_CC_$(1)) $$(FUZZ_CPPFLAGS) -DMONITOR_FAULT_INJECTION $$(FUZZ_CFLAGS_$(1)) $(DEPFLAGS) -c $$< -o $$@
$(TT_BUILD)/fuzz/$(1)/%: $(TT_BUILD)/obj/$(1)/harness/targets/%.o $$(patsubst %.c,$(TT_BUILD)/obj/$(1)/%.o,$(TT_SRCS)) \
		$$(subst $(FUZZ_DIR)/obj/,$(TT_BUILD)/obj/,$$(FUZZ_MAIN_$(1)))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(FUZZ_CC_$(1)) $$(FUZZ_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach v,$(TT_VARIANTS),$(eval $(call triage_test_variant,$(v))))

$(TT_BUILD)/corpora/$(TT_TARGET)/%.bin: crashes-triage/tests/seeds/%.txt $(FUZZPROG)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZPROG) encode $(TT_TARGET) $< $@.tmp && mv $@.tmp $@

triage-test-build: $(foreach v,$(TT_VARIANTS),$(TT_BUILD)/fuzz/$(v)/$(TT_TARGET)) $(TT_SEEDS) \
	$(FUZZ_BINS_replay) $(FUZZPROG)

# time to bug (harness/scripts/bench-bugs.sh): TRIALS=, CAP= seconds, ENGINES=, BUGS=
.PHONY: bench-bugs
bench-bugs: $(foreach v,libfuzzer afl,$(foreach t,$(FUZZ_TARGETS),$(TT_BUILD)/fuzz/$(v)/$(t)))
	$(Q)BUILD=$(BUILD) PLANTED=$(TT_BUILD) bash harness/scripts/bench-bugs.sh

TRIAGE_TEST_SECONDS ?= 30
# bug A's firmware twin (mk/unicorn.mk builds the fuzz firmware with D_RELEASE_ZEROES off)
TT_FIRMWARE_A := $(BUILD)/firmware-fuzz-fi/D_RELEASE_ZEROES/monitor.elf
triage-test: triage-test-build $(TT_FIRMWARE_A) $(UC_REPLAY_BINS)
	$(Q)BUILD=$(BUILD) TT_BUILD=$(TT_BUILD) TT_TARGET=$(TT_TARGET) TT_FIRMWARE_A=$(TT_FIRMWARE_A) \
		SECONDS_PER_CAMPAIGN=$(TRIAGE_TEST_SECONDS) bash crashes-triage/tests/triage_test.sh
