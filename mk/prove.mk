# Proofs with Frama-C 25 (docs/proofs.md).
#   make prove       WP through Why3 with Z3 and CVC4 over the memory tracker (monitor/core/mt.c,
#                    monitor/inc/mt.h), the range predicates (monitor/inc/types.h,
#                    monitor/core/platform.c) and promote's G-stage walk (gstage_walk_foreign,
#                    monitor/arch/riscv/gstage.c), runtime-error goals included; any unproved
#                    goal fails it. The units are listed in proofs/prove.sh. Then the
#                    planted-bug check: the proof must fail on each bug of
#                    proofs/prove-test.sh. Summary in build/prove/summary.txt.
#   make eva         EVA over monitor/core from proofs/eva_main.c (the hypervisor flow and a trap
#                    from inside a CVM; EVA_FLOW=hv|cvm for one); the alarm count may only go
#                    down from proofs/eva-alarms.txt.
PROVE_TIMEOUT ?= 10
PROVE_JOBS ?= 2

.PHONY: prove prove-only prove-test eva
prove: $(DEPS)
	$(Q)PROVE_TIMEOUT=$(PROVE_TIMEOUT) PROVE_JOBS=$(PROVE_JOBS) bash proofs/prove.sh
	$(Q)PROVE_JOBS=$(PROVE_JOBS) bash proofs/prove-test.sh

prove-only: $(DEPS)
	$(Q)PROVE_TIMEOUT=$(PROVE_TIMEOUT) PROVE_JOBS=$(PROVE_JOBS) bash proofs/prove.sh

prove-test: $(DEPS)
	$(Q)PROVE_JOBS=$(PROVE_JOBS) bash proofs/prove-test.sh

eva: $(DEPS)
	$(Q)bash proofs/eva.sh
