# The host library: monitor core + arch logic over the hardware model, built with gcc
# and clang-19, always with ASan and UBSan; cmocka unit tests on top.
CORE_SRCS := $(wildcard monitor/core/*.c) $(wildcard monitor/crypto/*.c) $(wildcard monitor/arch/riscv/*.c)
MODEL_SRCS := $(wildcard model/*.c)
SUPPORT_SRCS := $(wildcard tests/support/*.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
HOST_CFLAGS := -std=c11 $(WARNINGS) -D_GNU_SOURCE $(MON_INC) \
	-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_LDFLAGS := -fsanitize=address,undefined
# What drives the model (the model itself, tests, harness) sees its headers; monitor/
# compiles against monitor/inc and the hart interface only, as in the firmware.
driver_inc = $(if $(filter monitor/%,$(1)),,$(MODEL_INC) $(REFHW_INC) $(HVSIM_INC) -Itests/support)

HOST_CC_gcc := gcc
HOST_CC_clang := clang-19
HOST_COMPILERS := gcc clang

define host_rules
$(BUILD)/host-$(1)/%.o: %.c $$(DEPS)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(HOST_CC_$(1)) $$(HOST_CFLAGS) $$(call driver_inc,$$<) $$(DEPFLAGS) -c $$< -o $$@
$(BUILD)/host-$(1)/libmonitor.a: $$(patsubst %.c,$(BUILD)/host-$(1)/%.o,$$(CORE_SRCS) $$(MODEL_SRCS) $$(REFHW_SRCS))
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
$(BUILD)/host-$(1)/tests/%: $(BUILD)/host-$(1)/tests/unit/%.o $$(patsubst %.c,$(BUILD)/host-$(1)/%.o,$$(SUPPORT_SRCS) $$(HVSIM_SRCS)) $(BUILD)/host-$(1)/libmonitor.a
	$$(Q)$$(HOST_CC_$(1)) $$(HOST_LDFLAGS) $$^ -lcmocka -o $$@
HOST_TESTS_$(1) := $$(patsubst tests/unit/%.c,$(BUILD)/host-$(1)/tests/%,$$(UNIT_SRCS))
endef
$(foreach c,$(HOST_COMPILERS),$(eval $(call host_rules,$(c))))

.PHONY: host unit
host: $(foreach c,$(HOST_COMPILERS),$(BUILD)/host-$(c)/libmonitor.a)
unit: $(foreach c,$(HOST_COMPILERS),$(HOST_TESTS_$(c)))
	$(Q)fail=0; for t in $^; do $$t || fail=1; done; exit $$fail

lint: $(DEPS)
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --std=c11 $(MON_INC) --suppress=missingIncludeSystem \
		monitor/
	$(Q)clang-tidy -quiet $(sort $(CORE_SRCS) $(MODEL_SRCS) $(REFHW_SRCS)) -- -std=c11 -D_GNU_SOURCE \
		$(MON_INC) $(MODEL_INC) $(REFHW_INC) 2>/dev/null
	$(Q)bad=; for f in $$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' $(REFHW_SRCS) \
		$(wildcard refhw/*.h) | sort -u); do [ -f refhw/$$f ] || bad="$$bad $$f"; done; \
	[ -z "$$bad" ] || { echo "lint: refhw/ includes what is not its own:$$bad" >&2; exit 1; }

# The fault-injection build: the same sources with -DMONITOR_FAULT_INJECTION, so tests
# can switch one defence off and show the oracle or attack that guards it notices.
FI_DIR := $(BUILD)/host-fi
FI_CFLAGS := $(HOST_CFLAGS) -DMONITOR_FAULT_INJECTION
# (tests/support is linked by the tests alone: the attacks and harness/lib take the
# library without it)
FI_SRCS := $(CORE_SRCS) $(MODEL_SRCS) $(REFHW_SRCS) $(HVSIM_SRCS) $(wildcard harness/lib/*.c)
FI_TEST_SRCS := $(wildcard tests/fi/test_*.c)
$(FI_DIR)/%.o: %.c $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)clang-19 $(FI_CFLAGS) $(if $(filter monitor/%,$<),,$(MODEL_INC) $(REFHW_INC) $(HVSIM_INC) -Iharness/lib $(if $(filter tests/%,$<),-Itests/support)) $(DEPFLAGS) -c $< -o $@
$(FI_DIR)/libmonitor-fi.a: $(patsubst %.c,$(FI_DIR)/%.o,$(FI_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^
$(FI_DIR)/tests/%: $(FI_DIR)/tests/fi/%.o $(patsubst %.c,$(FI_DIR)/%.o,$(SUPPORT_SRCS)) $(FI_DIR)/libmonitor-fi.a
	$(Q)clang-19 $(HOST_LDFLAGS) $^ -lcmocka -o $@
FI_TESTS := $(patsubst tests/fi/%.c,$(FI_DIR)/tests/%,$(FI_TEST_SRCS))

.PHONY: unit-fi
unit-fi: $(FI_TESTS)
	$(Q)fail=0; for t in $^; do $$t || fail=1; done; exit $$fail
