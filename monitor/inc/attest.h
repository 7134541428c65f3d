/*
 * Measured boot, CVM measurement registers and attestation evidence (docs/abi.md,
 * "Attestation"). The layouts here are the ABI a CVM and a verifier rely on; the
 * host tool tools/attest-verify includes this header for the same offsets.
 */
#ifndef MONITOR_ATTEST_H
#define MONITOR_ATTEST_H

#include "crypto.h"
#include "types.h"

/* Measurement registers, laid out as the CoVE spec's six-register example plus
 * runtime registers: every register is a SHA-384 digest. */
#define ATTEST_MR_SIZE SHA384_DIGEST_SIZE
#define ATTEST_MR_INITIAL 6
#define ATTEST_MR_RUNTIME 4
#define ATTEST_MR_COUNT (ATTEST_MR_INITIAL + ATTEST_MR_RUNTIME)
#define ATTEST_MR_PLATFORM_FW 0  /* zero: nothing runs in M-mode before the monitor */
#define ATTEST_MR_PLATFORM_CFG 1 /* zero: no platform manifest */
#define ATTEST_MR_TSM 2          /* SHA-384 of the monitor image */
#define ATTEST_MR_TSM_CFG 3      /* zero: no monitor manifest */
#define ATTEST_MR_TVM_PAGES 4    /* the CVM's initial pages, by GPA */
#define ATTEST_MR_TVM_CONFIG 5   /* the boot vCPU state and vCPU count */
#define ATTEST_MR_RUNTIME_FIRST 6

/* get_attcaps values (CoVE HashAlgorithm, MeasurementType) */
#define ATTEST_HASH_SHA384 0
#define ATTEST_MR_TYPE_INITIAL 0
#define ATTEST_MR_TYPE_RUNTIME 1
#define ATTEST_TCG_PCR_UNMAPPED 0xff
#define ATTEST_MAX_MR_DESCRIPTORS 26 /* the spec's 8 initial + 18 runtime */
/* This monitor's evidence format: a vendor bit, clear of the spec's CBOR (0) and X.509 (1). */
#define ATTEST_FORMAT_CSEV1 (1U << 31)

struct attest_mr_desc {
	uint32_t hash_algorithm;
	uint32_t measurement_type;
	uint8_t tcg_pcr_index;
	uint8_t reserved[3];
};

struct attest_caps {
	uint64_t tcb_svn;
	uint32_t hash_algorithm;
	uint32_t certificate_formats; /* 0 when no endorsement seed was provisioned */
	uint8_t initial_measurements;
	uint8_t runtime_measurements;
	uint8_t reserved[2];
	struct attest_mr_desc msmt_regs[ATTEST_MAX_MR_DESCRIPTORS];
	uint8_t reserved_tail[4];
};
_Static_assert(sizeof(struct attest_caps) == 336, "attcaps layout is ABI");

/* The endorsement seed: ATTEST_SEED_SIZE bytes at the start of a locked page. */
#define ATTEST_SEED_SIZE 32
#define ATTEST_SEED_REGION PAGE_SIZE

/* Evidence (format CSEV1): fixed size, little-endian, offsets below. */
#define EVID_MAGIC "CSEVIDv1"
#define EVID_PLATFORM_MAGIC "CSPLATv1"
#define EVID_TOKEN_MAGIC "CSTOKNv1"
#define EVID_CHALLENGE_SIZE 64
#define EVID_TVM_KEY_MAX 32

#define EVID_OFF_MAGIC 0          /* 8  "CSEVIDv1" */
#define EVID_OFF_SIZE 8           /* 4  total size */
#define EVID_OFF_FORMAT 12        /* 4  ATTEST_FORMAT_CSEV1 */
#define EVID_OFF_PLATFORM 16      /* platform block, signed by the platform key: */
#define EVID_OFF_PLAT_MAGIC 16    /* 8  "CSPLATv1" */
#define EVID_OFF_PLATFORM_KEY 24  /* 32 platform public key */
#define EVID_OFF_MONITOR_MR 56    /* 48 SHA-384 of the monitor image */
#define EVID_OFF_ATTEST_KEY 104   /* 32 attestation public key */
#define EVID_OFF_PLATFORM_SIG 136 /* 64 Ed25519 over [16, 136) by the platform key */
#define EVID_OFF_TOKEN 200        /* CVM token: */
#define EVID_OFF_TOKEN_MAGIC 200  /* 8  "CSTOKNv1" */
#define EVID_OFF_HASH_ALG 208     /* 4  ATTEST_HASH_SHA384 */
#define EVID_OFF_MR_COUNT 212     /* 4  ATTEST_MR_COUNT */
#define EVID_OFF_MRS 216          /* 480 MR0..MR9 */
#define EVID_OFF_CHALLENGE 696    /* 64 the CVM's challenge */
#define EVID_OFF_TVM_KEY_LEN 760  /* 4  0 or 32 */
#define EVID_OFF_RESERVED 764     /* 4  0 */
#define EVID_OFF_TVM_KEY 768      /* 32 the CVM's public key, zero-padded */
#define EVID_OFF_SIGNATURE 800    /* 64 Ed25519 over [0, 800) by the attestation key */
#define EVID_SIZE 864
_Static_assert(EVID_OFF_MRS + ATTEST_MR_COUNT * ATTEST_MR_SIZE == EVID_OFF_CHALLENGE, "MR block");

/* Derivation labels (HMAC-SHA-512 messages); see docs/abi.md. */
#define ATTEST_LABEL_PLATFORM "cs-monitor platform key v1"
#define ATTEST_LABEL_CDI "cs-monitor cdi v1"
#define ATTEST_LABEL_ATTEST "cs-monitor attestation key v1"

struct cvm;
struct hart;

/*
 * Boot: measure the monitor image and, if the seed is not all zero, derive the platform
 * and attestation keys and endorse the latter. The caller locks the seed afterwards.
 * Returns whether attestation keys exist.
 */
bool attest_boot(const void *image, size_t image_len, const uint8_t seed[ATTEST_SEED_SIZE]);
bool attest_provisioned(void);
const uint8_t *attest_monitor_measurement(void);
/* The platform public key (32 bytes), or NULL when not provisioned. */
const uint8_t *attest_platform_key(void);

/* promote: MR4 accumulates page by page, then every initial register is set. */
void measure_tvm_begin(struct sha512_ctx *pages);
void measure_tvm_page(struct sha512_ctx *pages, gpaddr_t gpa, uint64_t pte_rwx, const void *page);
void measure_tvm_finish(struct cvm *c, struct sha512_ctx *pages);


#endif
