# Fuzzing the real firmware binary in Unicorn (harness/unicorn/README.md).
#   $(BUILD)/firmware-fuzz/monitor.elf          the firmware with the self-check entry
#                                               (monitor/platform/virt/selfcheck.c) and a
#                                               1 MiB confidential region
#   $(BUILD)/firmware-fuzz-planted/monitor.elf  the same with one defence switched off at
#                                               build time (UC_PLANTED_DEFENCE): the bug
#                                               `make unicorn-test` must find
#   $(BUILD)/fuzz/unicorn/T        libFuzzer, coverage from emulated block edges only
#   $(BUILD)/fuzz/unicorn-afl/T    AFL++ persistent mode (AFL_LLVM_INSTRUMENT=CLASSIC map)
#   $(BUILD)/fuzz/unicorn-replay/T replay, --coverage (block share) and --bench
UC_TARGETS := hv_calls cvm_calls promote
UC_FW_SIZES := -DCONF_SIZE=0x100000 -DMAX_CONF_PAGES=256
UC_PLANTED_DEFENCE ?= D_ARGS_IN_HV_MEMORY

UC_FW_BASE_CFLAGS := $(filter-out -DCONF_SIZE=% -DMAX_CONF_PAGES=%,$(FW_CFLAGS)) $(UC_FW_SIZES)
UC_FW_BASE_ASFLAGS := $(filter-out -DCONF_SIZE=% -DMAX_CONF_PAGES=%,$(FW_ASFLAGS)) $(UC_FW_SIZES)
UC_FW_FLAGS_fuzz := -DMONITOR_FUZZ_SELFCHECK
UC_FW_FLAGS_planted := -DMONITOR_FUZZ_SELFCHECK -DMONITOR_FAULT_INJECTION \
	-DMONITOR_DEFENCES_OFF=$(UC_PLANTED_DEFENCE)
UC_FW_DIR_fuzz := $(BUILD)/firmware-fuzz
UC_FW_DIR_planted := $(BUILD)/firmware-fuzz-planted

# the self-check entry is reached only by the harness: keep it through --gc-sections
define uc_firmware_rules
$(UC_FW_DIR_$(1))/%.o: %.c | $(DEPS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(FW_CC) $(UC_FW_BASE_CFLAGS) $(UC_FW_FLAGS_$(1)) $(DEPFLAGS) -c $$< -o $$@
$(UC_FW_DIR_$(1))/%.o: %.S | $(DEPS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(FW_CC) $(UC_FW_BASE_ASFLAGS) $(UC_FW_FLAGS_$(1)) $(DEPFLAGS) -c $$< -o $$@
UC_FW_OBJS_$(1) := $$(patsubst %.c,$(UC_FW_DIR_$(1))/%.o,$(FW_C_SRCS)) \
	$$(patsubst %.S,$(UC_FW_DIR_$(1))/%.o,$(FW_S_SRCS))
$(UC_FW_DIR_$(1))/monitor.elf: $$(UC_FW_OBJS_$(1)) $(FW_LDS)
	$(Q)$(FW_LD) $(FW_LDFLAGS) -u virt_fuzz_selfcheck_entry -T $(FW_LDS) $$(UC_FW_OBJS_$(1)) \
		$(PICOLIBC_LIB)/libc.a -o $$@
endef
# one more variant per defence whose oracle unicorn-test shows firing on the seeds
UC_FI_DEFENCES := D_EXIT_RESTORES_GPRS D_EXIT_CLOSES_PMP D_RELEASE_ZEROES
$(foreach d,$(UC_FI_DEFENCES),$(eval UC_FW_DIR_fi-$(d) := $(BUILD)/firmware-fuzz-fi/$(d)) \
	$(eval UC_FW_FLAGS_fi-$(d) := -DMONITOR_FUZZ_SELFCHECK -DMONITOR_FAULT_INJECTION -DMONITOR_DEFENCES_OFF=$(d)))
$(foreach v,fuzz planted $(addprefix fi-,$(UC_FI_DEFENCES)),$(eval $(call uc_firmware_rules,$(v))))
UC_FW_FI := $(foreach d,$(UC_FI_DEFENCES),$(UC_FW_DIR_fi-$(d))/monitor.elf)
UC_FW := $(UC_FW_DIR_fuzz)/monitor.elf
UC_FW_PLANTED := $(UC_FW_DIR_planted)/monitor.elf

# The harness is host code: not instrumented (its own edges would drown the firmware's),
# built against the firmware's struct layouts (checked against the ELF at start-up).
UC_DIR := $(BUILD)/fuzz
UC_OBJ := $(UC_DIR)/obj/unicorn
UC_CC := clang-19
UC_CFLAGS := -std=c11 $(WARNINGS) -D_GNU_SOURCE -g -O2 \
	-DMAX_HARTS=8 -DMAX_CVMS=8 -DMAX_CONF_PAGES=256 -DMAX_CVM_PAGES=4096 \
	-DUC_DEFAULT_FIRMWARE='"$(abspath $(UC_FW))"' \
	$(MON_INC) -Iharness/lib -Iharness/unicorn $(REFHW_INC)
UC_SRCS := harness/unicorn/uc_elf.c harness/unicorn/uc_machine.c harness/unicorn/uc_exec.c harness/lib/values.c \
	harness/lib/prog.c harness/lib/prog_text.c $(REFHW_SRCS)
UC_OBJS := $(patsubst %.c,$(UC_OBJ)/%.o,$(UC_SRCS))
UC_LIBS := -lunicorn -lpthread

$(UC_OBJ)/%.o: %.c mk/unicorn.mk | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(UC_CC) $(UC_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(UC_OBJ)/target-%.o: harness/unicorn/uc_fuzz_target.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(UC_CC) $(UC_CFLAGS) $(DEPFLAGS) -DUC_TARGET_NAME='"$*"' -c $< -o $@
# AFL++: the target file is compiled by afl-clang-fast (CLASSIC) so that the binary
# carries AFL++'s runtime and its "instrumented" marker; the map itself is written by
# the harness's block hook (uc_cov_afl.c, plain clang: the pass owns __afl_area_ptr
# inside the files it instruments)
$(UC_OBJ)/afl-target-%.o: harness/unicorn/uc_fuzz_target.c | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)AFL_QUIET=1 AFL_LLVM_INSTRUMENT=CLASSIC afl-clang-fast $(UC_CFLAGS) $(DEPFLAGS) -DUC_TARGET_NAME='"$*"' \
		-c $< -o $@

$(UC_DIR)/unicorn/%: $(UC_OBJ)/target-%.o $(UC_OBJ)/harness/unicorn/uc_cov_libfuzzer.o $(UC_OBJS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(UC_CC) -fsanitize=fuzzer $^ $(UC_LIBS) -o $@
$(UC_DIR)/unicorn-afl/%: $(UC_OBJ)/afl-target-%.o $(UC_OBJ)/harness/unicorn/uc_cov_afl.o $(UC_OBJS) $(AFL_DRIVER)
	$(Q)mkdir -p $(dir $@)
	$(Q)AFL_QUIET=1 AFL_LLVM_INSTRUMENT=CLASSIC afl-clang-fast $^ $(UC_LIBS) -o $@
$(UC_DIR)/unicorn-replay/%: $(UC_OBJ)/harness/unicorn/uc_replay_main.o \
		$(UC_OBJ)/harness/unicorn/uc_cov_none.o $(UC_OBJS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(UC_CC) $^ $(UC_LIBS) -o $@

FUZZ_BINS_unicorn := $(addprefix $(UC_DIR)/unicorn/,$(UC_TARGETS))
FUZZ_BINS_unicorn-afl := $(addprefix $(UC_DIR)/unicorn-afl/,$(UC_TARGETS))
UC_REPLAY_BINS := $(addprefix $(UC_DIR)/unicorn-replay/,$(UC_TARGETS))
# `make fuzz ENGINE=unicorn[-afl]` (mk/fuzz.mk) builds FUZZ_BINS_$(ENGINE): these also
# need the firmware they load and the replay build the summary points at
$(FUZZ_BINS_unicorn) $(FUZZ_BINS_unicorn-afl): | $(UC_FW) $(UC_REPLAY_BINS)

.PHONY: unicorn-build unicorn-replay unicorn-test bench-unicorn unicorn-coverage
unicorn-build: $(UC_FW) $(UC_FW_PLANTED) $(FUZZ_BINS_unicorn) $(FUZZ_BINS_unicorn-afl) $(UC_REPLAY_BINS)

# every seed and regression input of the Unicorn targets on the firmware binary
unicorn-replay: $(UC_FW) $(UC_REPLAY_BINS) $(FUZZ_SEED_STAMPS)
	$(Q)for t in $(UC_TARGETS); do \
		dirs="$(BUILD)/corpora/$$t"; [ ! -d corpora/regressions/$$t ] || dirs="$$dirs corpora/regressions/$$t"; \
		printf 'unicorn-replay %-10s ' "$$t"; \
		$(UC_DIR)/unicorn-replay/$$t -q $$dirs || exit 1; \
	done

# The planted bug (UC_PLANTED_DEFENCE off) must be found by a libFuzzer campaign on the
# firmware within 60 s, from seeds that do not already find it; the same campaign on
# the intact fuzzing firmware must find nothing. Each oracle is shown firing on a
# firmware with the defence it guards switched off.
unicorn-test: $(UC_FW) $(UC_FW_PLANTED) $(UC_FW_FI) $(UC_DIR)/unicorn/hv_calls $(UC_DIR)/unicorn-replay/hv_calls $(FUZZPROG) \
		$(FUZZ_SEED_STAMPS)
	$(Q)BUILD=$(BUILD) UC_FI_DEFENCES="$(UC_FI_DEFENCES)" UC_PLANTED_DEFENCE=$(UC_PLANTED_DEFENCE) \
		bash harness/unicorn/planted_bug_test.sh

bench-unicorn: $(UC_FW) $(UC_DIR)/unicorn-replay/hv_calls $(FUZZ_SEED_STAMPS)
	$(Q)$(UC_DIR)/unicorn-replay/hv_calls --bench 10
	$(Q)UC_CHECK_EVERY_STEP=1 $(UC_DIR)/unicorn-replay/hv_calls --bench 5

# share of the firmware's basic blocks that a corpus runs: make unicorn-coverage CORPUS=dir
unicorn-coverage: $(UC_FW) $(UC_DIR)/unicorn-replay/hv_calls $(FUZZ_SEED_STAMPS)
	$(Q)$(UC_DIR)/unicorn-replay/hv_calls --coverage $(BUILD)/corpora/hv_calls $(CORPUS)

# pattern-built objects are kept between builds
.SECONDARY: $(UC_OBJS) $(addprefix $(UC_OBJ)/target-,$(addsuffix .o,$(UC_TARGETS))) \
	$(addprefix $(UC_OBJ)/afl-target-,$(addsuffix .o,$(UC_TARGETS))) \
	$(UC_OBJ)/harness/unicorn/uc_cov_afl.o $(UC_OBJ)/harness/unicorn/uc_cov_libfuzzer.o \
	$(UC_OBJ)/harness/unicorn/uc_cov_none.o $(UC_OBJ)/harness/unicorn/uc_replay_main.o

# `make fuzz ENGINE=unicorn[-afl]`: mk/fuzz.mk's rule was read before this file defined
# the binaries, so they are added here
ifneq ($(filter unicorn unicorn-afl,$(ENGINE)),)
fuzz: $(FUZZ_BINS_$(ENGINE)) $(UC_FW) $(UC_REPLAY_BINS)
endif
