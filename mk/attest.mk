# Measured boot and attestation: the crypto's tests against libsodium and OpenSSL, the
# attestation tests on the host library, the relying party's tool, the differential
# crypto fuzzer, and a test endorsement seed for QEMU (docs/abi.md, "Attestation").
ATT_DIR := $(BUILD)/attest
CRYPTO_SRCS := $(wildcard monitor/crypto/*.c)
CRYPTO_HDRS := monitor/inc/crypto.h monitor/inc/attest.h $(wildcard monitor/crypto/*.h)
AV_SRCS := $(wildcard tools/attest-verify/*.c)
AV_HDRS := $(wildcard tools/attest-verify/*.h) $(CRYPTO_HDRS)
# libsodium and OpenSSL are the references the crypto is checked against
REF_LIBS := -lsodium -lcrypto
ATT_SAN := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ATT_CFLAGS := -std=c11 $(WARNINGS) -D_GNU_SOURCE -Imonitor/inc

# --- crypto-test: KATs and random differential rounds, gcc and clang-19 ---
$(ATT_DIR)/crypto-test-%: tests/crypto/test_crypto.c $(CRYPTO_SRCS) $(CRYPTO_HDRS) | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOST_CC_$*) $(ATT_CFLAGS) $(ATT_SAN) tests/crypto/test_crypto.c $(CRYPTO_SRCS) $(REF_LIBS) -o $@

# --- the relying party's tool ---
$(ATT_DIR)/attest-verify: $(AV_SRCS) $(AV_HDRS) | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(ATT_CFLAGS) -O2 -g $(AV_SRCS) $(REF_LIBS) -o $@

# --- attest-test: evidence from the monitor on the host model, judged by attest-verify ---
$(ATT_DIR)/attest-test-%: tests/crypto/test_attest_verify.c tools/attest-verify/evidence.c $(AV_HDRS) \
		$(BUILD)/host-%/libmonitor.a $(BUILD)/host-%/tests/support/fixture.o \
		$(BUILD)/host-%/hvsim/scenario.o | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOST_CC_$*) $(HOST_CFLAGS) $(MODEL_INC) $(REFHW_INC) $(HVSIM_INC) -Itests/support -Itools/attest-verify tests/crypto/test_attest_verify.c \
		tools/attest-verify/evidence.c $(BUILD)/host-$*/tests/support/fixture.o \
		$(BUILD)/host-$*/hvsim/scenario.o \
		$(BUILD)/host-$*/libmonitor.a $(HOST_LDFLAGS) -lcmocka $(REF_LIBS) -o $@

# --- a test endorsement seed (fixed, so expected keys are reproducible) ---
$(ATT_DIR)/seed.bin: | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)python3 -c 'import hashlib,sys; sys.stdout.buffer.write(hashlib.sha256(b"cs-monitor qemu test seed").digest())' >$@

# Expected MR2 of the firmware: SHA-384 of the image bytes before .data (text, rodata)
$(ATT_DIR)/monitor.mr: $(FW_DIR)/monitor.elf $(FW_DIR)/monitor.bin $(ATT_DIR)/attest-verify
	$(Q)start=$$(nm $(FW_DIR)/monitor.elf | awk '$$3 == "__monitor_start" { print $$1 }'); \
	 data=$$(nm $(FW_DIR)/monitor.elf | awk '$$3 == "__data_start" { print $$1 }'); \
	 $(ATT_DIR)/attest-verify mr-monitor $(FW_DIR)/monitor.bin $$((0x$$data - 0x$$start)) >$@
$(ATT_DIR)/platform.pub: $(ATT_DIR)/seed.bin $(ATT_DIR)/attest-verify
	$(Q)$(ATT_DIR)/attest-verify platform-key $< >$@

.PHONY: crypto-test attest-test attest-verify attest-seed fuzz-crypto attest-qemu-boot
crypto-test: $(foreach c,$(HOST_COMPILERS),$(ATT_DIR)/crypto-test-$(c))
	$(Q)for t in $^; do $$t 2000 || exit 1; done

attest-verify: $(ATT_DIR)/attest-verify
attest-seed: $(ATT_DIR)/seed.bin $(ATT_DIR)/platform.pub

attest-test: $(foreach c,$(HOST_COMPILERS),$(ATT_DIR)/attest-test-$(c)) $(ATT_DIR)/attest-verify
	$(Q)for c in $(HOST_COMPILERS); do \
		ATTEST_OUT=$(ATT_DIR)/case-$$c $(ATT_DIR)/attest-test-$$c || exit 1; \
		BUILD=$(BUILD) bash tests/crypto/attest-verify-cli.sh $(ATT_DIR)/attest-verify $(ATT_DIR)/case-$$c || exit 1; \
	done

# The firmware with the test seed loaded: boot derives the key and locks the seed.
attest-qemu-boot: firmware sbi-conformance $(ATT_DIR)/seed.bin $(ATT_DIR)/monitor.mr $(ATT_DIR)/platform.pub
	$(Q)BUILD=$(BUILD) bash tests/crypto/qemu-seed-boot.sh $(FW_DIR)/monitor.bin $(ATT_DIR)/seed.bin $(ATT_DIR) \
		$(ATT_DIR)/monitor.mr $(ATT_DIR)/platform.pub

# --- differential fuzzing of the crypto (libFuzzer, clang-19) ---
SECONDS ?= 60
$(ATT_DIR)/fuzz-crypto: harness/crypto/fuzz_crypto.c $(CRYPTO_SRCS) $(CRYPTO_HDRS) | $(DEPS)
	$(Q)mkdir -p $(dir $@)
	$(Q)clang-19 $(ATT_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		harness/crypto/fuzz_crypto.c $(CRYPTO_SRCS) $(REF_LIBS) -o $@
fuzz-crypto: $(ATT_DIR)/fuzz-crypto
	$(Q)mkdir -p $(ATT_DIR)/fuzz-crypto-corpus
	$(Q)$< -max_total_time=$(SECONDS) -max_len=4096 -print_final_stats=1 \
		-artifact_prefix=$(ATT_DIR)/ $(ATT_DIR)/fuzz-crypto-corpus
