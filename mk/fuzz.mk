# Fuzzing the host library. Each harness/targets/<T>.c is built four ways:
#   $(BUILD)/fuzz/libfuzzer/T  libFuzzer + ASan + UBSan (clang-19)
#   $(BUILD)/fuzz/afl/T        AFL++ persistent mode through libAFLDriver + ASan + UBSan
#                              (afl-clang-fast, which drives clang-14)
#   $(BUILD)/fuzz/replay/T     no engine: replays files and directories (ASan + UBSan)
#   $(BUILD)/fuzz/cov/T        the replay driver with source-based coverage (llvm-cov-19)
# Text seeds corpora/T/*.txt are encoded by fuzzprog into $(BUILD)/corpora/T/*.bin;
# corpora/regressions/T/ holds every input that once crashed, replayed forever.

FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard harness/targets/*.c))))
FUZZ_DIR := $(BUILD)/fuzz
FUZZPROG := $(BUILD)/tools/fuzzprog
# AFL++ as Debian ships it; the path is fixed because the package may not be installed yet
# when make reads this file (the $(DEPS) stamp installs it)
AFL_DRIVER ?= /usr/lib/afl/libAFLDriver.a
$(AFL_DRIVER): | $(DEPS)
	$(Q)test -f $@ || { echo "$@ is missing: is afl++ installed?" >&2; exit 1; }

FUZZ_COMMON_SRCS := $(wildcard harness/lib/*.c) $(HVSIM_SRCS) \
	$(CORE_SRCS) $(MODEL_SRCS) $(REFHW_SRCS)
FUZZ_CPPFLAGS := -std=c11 $(WARNINGS) -D_GNU_SOURCE \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(MON_INC) $(MODEL_INC) $(REFHW_INC) $(HVSIM_INC) -Iharness/lib
FUZZ_SAN := -fsanitize=address,undefined

# Coverage feedback from the monitor only (harness/coverage-*list.txt, sancov syntax: a
# function is instrumented when its file and its name are both allowed, and neither is
# ignored).
FUZZ_ALLOWLIST := $(wildcard harness/coverage-allowlist.txt)
FUZZ_IGNORELIST := $(wildcard harness/coverage-ignorelist.txt)
FUZZ_COV_LISTS := $(if $(FUZZ_ALLOWLIST),-fsanitize-coverage-allowlist=$(FUZZ_ALLOWLIST)) \
	$(if $(FUZZ_IGNORELIST),-fsanitize-coverage-ignorelist=$(FUZZ_IGNORELIST))
# AFL++ 4.04c takes one list only, through its environment, with other matching rules:
# the script turns both into a denylist of everything else.
FUZZ_AFL_DENYLIST := $(if $(FUZZ_ALLOWLIST)$(FUZZ_IGNORELIST),$(FUZZ_DIR)/afl-denylist.txt)
FUZZ_AFL_LISTS := $(if $(FUZZ_AFL_DENYLIST),AFL_LLVM_DENYLIST=$(FUZZ_AFL_DENYLIST))
$(FUZZ_DIR)/afl-denylist.txt: $(FUZZ_ALLOWLIST) $(FUZZ_IGNORELIST) harness/scripts/afl_denylist.sh
	$(Q)mkdir -p $(dir $@)
	$(Q)bash harness/scripts/afl_denylist.sh $(or $(FUZZ_ALLOWLIST),--) $(or $(FUZZ_IGNORELIST),--) \
		$(FUZZ_COMMON_SRCS) $(wildcard harness/targets/*.c) >$@.tmp && mv $@.tmp $@

FUZZ_CC_libfuzzer := clang-19
FUZZ_CFLAGS_libfuzzer := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
	-fno-sanitize-recover=undefined $(FUZZ_COV_LISTS)
FUZZ_LISTS_libfuzzer := $(FUZZ_ALLOWLIST) $(FUZZ_IGNORELIST)
FUZZ_LDFLAGS_libfuzzer := -fsanitize=fuzzer $(FUZZ_SAN)
FUZZ_MAIN_libfuzzer :=

FUZZ_CC_afl := AFL_QUIET=1 $(FUZZ_AFL_LISTS) afl-clang-fast
FUZZ_LISTS_afl := $(FUZZ_AFL_DENYLIST)
FUZZ_CFLAGS_afl := -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -fno-sanitize-recover=undefined
FUZZ_LDFLAGS_afl := $(FUZZ_SAN)
FUZZ_MAIN_afl := $(AFL_DRIVER)

FUZZ_CC_replay := clang-19
FUZZ_CFLAGS_replay := -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -fno-sanitize-recover=all
FUZZ_LDFLAGS_replay := $(FUZZ_SAN)
FUZZ_MAIN_replay := $(FUZZ_DIR)/obj/replay/harness/replay_main.o

FUZZ_CC_cov := clang-19
FUZZ_CFLAGS_cov := -g -O0 -fprofile-instr-generate -fcoverage-mapping
FUZZ_LDFLAGS_cov := -fprofile-instr-generate
FUZZ_MAIN_cov := $(FUZZ_DIR)/obj/cov/harness/replay_main.o

FUZZ_VARIANTS := libfuzzer afl replay cov

define fuzz_variant_rules
$(FUZZ_DIR)/obj/$(1)/%.o: %.c $$(FUZZ_LISTS_$(1)) | $(DEPS)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(FUZZ_CC_$(1)) $$(FUZZ_CPPFLAGS) $$(FUZZ_CFLAGS_$(1)) $(DEPFLAGS) -c $$< -o $$@
FUZZ_OBJS_$(1) := $$(patsubst %.c,$(FUZZ_DIR)/obj/$(1)/%.o,$$(FUZZ_COMMON_SRCS))
FUZZ_BINS_$(1) := $$(addprefix $(FUZZ_DIR)/$(1)/,$$(FUZZ_TARGETS))
$$(FUZZ_BINS_$(1)): $(FUZZ_DIR)/$(1)/%: $(FUZZ_DIR)/obj/$(1)/harness/targets/%.o \
		$$(FUZZ_OBJS_$(1)) $$(FUZZ_MAIN_$(1))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$$(FUZZ_CC_$(1)) $$(FUZZ_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach v,$(FUZZ_VARIANTS),$(eval $(call fuzz_variant_rules,$(v))))

# The text <-> binary converter shares the replay build's objects.
$(FUZZPROG): $(FUZZ_DIR)/obj/replay/harness/tools/fuzzprog.o $(FUZZ_OBJS_replay)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC_replay) $(FUZZ_LDFLAGS_replay) $^ -o $@

# Seeds: re-encoded whenever the encoder changes; a stamp per target drops the encodings
# of text seeds that were deleted (the directory's mtime changes when a file goes).
define fuzz_seed_rules
FUZZ_SEEDS_$(1) := $$(patsubst corpora/$(1)/%.txt,$(BUILD)/corpora/$(1)/%.bin,$$(wildcard corpora/$(1)/*.txt))
$(BUILD)/corpora/$(1)/%.bin: corpora/$(1)/%.txt $(FUZZPROG)
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(FUZZPROG) encode $(1) $$< $$@.tmp && mv $$@.tmp $$@
$(BUILD)/corpora/$(1)/.stamp: $$(FUZZ_SEEDS_$(1)) $$(wildcard corpora/$(1))
	$(Q)mkdir -p $$(dir $$@)
	$(Q)for f in $(BUILD)/corpora/$(1)/*.bin; do \
		[ ! -e "$$$$f" ] || [ -e "corpora/$(1)/$$$$(basename "$$$$f" .bin).txt" ] || rm -f "$$$$f"; \
	done; touch $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_seed_rules,$(t))))
FUZZ_SEED_STAMPS := $(foreach t,$(FUZZ_TARGETS),$(BUILD)/corpora/$(t)/.stamp)

# Campaign knobs (see harness/scripts/campaign.sh).
TARGET ?= all
ENGINE ?= libfuzzer
SECONDS ?= 600
JOBS ?= 1
GATE_SECONDS ?= 120
FUZZ_SCRIPTS := harness/scripts
FUZZ_ENV := BUILD=$(BUILD)

.PHONY: fuzz-build fuzz-seeds fuzz-replay fuzz coverage coverage-build gate bench-fuzz fuzz-smoke
fuzz-build: $(FUZZ_BINS_libfuzzer) $(FUZZ_BINS_afl) $(FUZZ_BINS_replay) $(FUZZPROG) $(FUZZ_SEED_STAMPS)
fuzz-seeds: $(FUZZ_SEED_STAMPS)
coverage-build: $(FUZZ_BINS_cov) $(FUZZ_SEED_STAMPS)

# Every seed and every past crash through the sanitizer build: part of `make test`.
fuzz-replay: $(FUZZ_BINS_replay) $(FUZZ_SEED_STAMPS)
	$(Q)[ -n "$(FUZZ_TARGETS)" ] || { echo "fuzz-replay: no targets in harness/targets" >&2; exit 1; }
	$(Q)for layout in default unaligned tight; do for t in $(FUZZ_TARGETS); do \
		dirs="$(BUILD)/corpora/$$t"; [ ! -d corpora/regressions/$$t ] || dirs="$$dirs corpora/regressions/$$t"; \
		printf 'fuzz-replay %-12s %-10s ' "$$t" "$$layout"; \
		HARNESS_LAYOUT=$$layout $(FUZZ_DIR)/replay/$$t -q $$dirs || exit 1; \
	done; done

fuzz: $(FUZZ_BINS_$(ENGINE)) $(FUZZ_BINS_replay) $(FUZZPROG) $(FUZZ_SEED_STAMPS)
	$(Q)$(FUZZ_ENV) bash $(FUZZ_SCRIPTS)/campaign.sh --target $(TARGET) --engine $(ENGINE) \
		--seconds $(SECONDS) --jobs $(JOBS)

coverage: coverage-build
	$(Q)$(FUZZ_ENV) bash $(FUZZ_SCRIPTS)/coverage.sh

bench-fuzz: $(FUZZ_BINS_libfuzzer) $(FUZZ_BINS_afl) $(FUZZ_BINS_replay) $(FUZZPROG) $(FUZZ_SEED_STAMPS)
	$(Q)$(FUZZ_ENV) bash $(FUZZ_SCRIPTS)/bench.sh --seconds 30

# The pull-request gate: everything builds, every known input replays, and a short
# campaign per engine finds nothing.
gate: host fuzz-build coverage-build
	$(Q)$(MAKE) --no-print-directory fuzz-replay
	$(Q)$(FUZZ_ENV) bash $(FUZZ_SCRIPTS)/gate.sh --seconds $(GATE_SECONDS) --label gate

fuzz-smoke: fuzz-build
	$(Q)$(FUZZ_ENV) bash $(FUZZ_SCRIPTS)/gate.sh --seconds 60 --label smoke --quiet

# One input on every backend (crashes-triage/backends: host replay build, Unicorn, QEMU),
# with its decoded program: make repro CRASH=file [TARGET=t]. TARGET defaults to the
# target named in the crash's path; exit status 1 when a backend reproduces it.
.PHONY: repro
repro: $(FUZZ_BINS_replay) $(FUZZPROG)
	$(Q)[ -n "$(CRASH)" ] || { echo "usage: make repro CRASH=<file> [TARGET=<target>]" >&2; exit 2; }
	$(Q)TRIAGE_BUILD=$(BUILD) python3 crashes-triage/triage.py repro \
		$(if $(filter $(FUZZ_TARGETS),$(TARGET)),--target $(TARGET)) "$(CRASH)"
