# Top-level build. `make help` lists the targets; each sub-area keeps its rules in mk/.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BUILD ?= build
Q ?= @

# Every target that needs a tool depends on this stamp; it installs what is missing.
DEPS := $(BUILD)/.deps-ok
$(DEPS): ci/deps.sh
	$(Q)mkdir -p $(BUILD) && bash ci/deps.sh && touch $@
.PHONY: deps
deps:
	$(Q)bash ci/deps.sh

# Header dependencies come from the compiler: every object rule passes $(DEPFLAGS), and
# the .d files it writes beside the objects are read back below.
DEPFLAGS := -MMD -MP
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wvla
# The monitor's headers and the build's hart behind arch.h and csr.h: the model here
# (host builds), monitor/hart/inc in the firmware (mk/firmware.mk). MODEL_INC is the
# model's own interface, for what drives it (tests, harness, attacks), never for monitor/.
MON_INC := -Imonitor/inc -Imodel/inc
MODEL_INC := -Imodel
# Reference hardware from the privileged spec (refhw/): its own headers and the C library
# only, never monitor/ or model/; linked by the model, the harnesses, attacks and tests.
REFHW_SRCS := $(wildcard refhw/*.c)
REFHW_INC := -Irefhw
# The hypervisor simulated over the model (hvsim/): VM images and hypervisor/CVM calls,
# for the tests, the fuzz targets and the attacks (which never link tests/support).
HVSIM_SRCS := $(wildcard hvsim/*.c)
HVSIM_INC := -Ihvsim

include mk/host.mk
include mk/firmware.mk
include mk/fuzz.mk
include mk/emulator.mk
include mk/unicorn.mk
include mk/attacks.mk
include mk/attest.mk
include mk/triage.mk
include mk/linux.mk
include mk/prove.mk
include mk/docs.mk

.PHONY: help test lint clean bench
bench: bench-fuzz bench-switch bench-unicorn
help:
	@echo "make fuzz      run a fuzz campaign against the monitor (TARGET= ENGINE=libfuzzer|afl|unicorn|unicorn-afl SECONDS= JOBS=)"
	@echo "make test      build everything and run every test (installs packages if missing)"
	@echo "make triage    reproduce, bucket, minimise and report findings (DIR= ADD=1); make repro CRASH=file"
	@echo "make attacks   the threat-model attack suite on the host library and in QEMU"
	@echo "make linux-test  Debian's Linux 6.12 with KVM on the monitor and on OpenSBI, compared"
	@echo "make qemu      the demo: hostile hypervisor + confidential VM on the monitor (make qemu-test: headless)"
	@echo "make coverage  line and branch coverage of monitor/ from the corpora"
	@echo "make gate      the pull-request gate"
	@echo "make bench     exec/s per fuzz target and engine from the seeds (prefix cache on and off), M-mode instructions per world switch, and the synthetic Unicorn executor speed"
	@echo "make bench-bugs  time to bug: each engine from empty corpora against each planted defence (TRIALS= CAP= ENGINES= BUGS=), medians and survival curves"
	@echo "make lint      cppcheck and clang-tidy on monitor/"
	@echo "make prove     Frama-C WP proofs of the memory tracker and range checks (make eva: EVA over monitor/core)"
	@echo "make docs-check  every file, function and identifier the docs name exists"
	@echo "make deps      install the Debian packages the project needs"

test: $(DEPS)
	$(Q)bash ci/test.sh

clean:
	rm -rf $(BUILD)

# Generated header dependencies (absent before the first build, hence -include); the
# kernel tree keeps its own.
-include $(shell find $(BUILD) -path $(BUILD)/linux -prune -o -name '*.d' -print 2>/dev/null)
