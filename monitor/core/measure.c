/*
 * Measurement: the monitor image at boot, and a CVM's initial state at promote, into
 * the registers of attest.h. Hashing the confidential copy (never the hypervisor's
 * page) means the measured bytes are exactly the bytes the CVM starts with.
 */
#include <string.h>

#include "attest.h"
#include "cvm.h"
#include "gstage.h"

static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void measure_tvm_begin(struct sha512_ctx *pages)
{
	sha384_init(pages);
}

/* MR4 input per page: GPA (u64) || permissions (u64: R 1, W 2, X 4) || the 4 KiB page */
void measure_tvm_page(struct sha512_ctx *pages, gpaddr_t gpa, uint64_t pte_rwx, const void *page)
{
	uint8_t head[16];
	uint64_t perms = ((pte_rwx & PTE_R) ? 1 : 0) | ((pte_rwx & PTE_W) ? 2 : 0) | ((pte_rwx & PTE_X) ? 4 : 0);
	put_le64(head, gpa);
	put_le64(head + 8, perms);
	sha512_update(pages, head, sizeof(head));
	sha512_update(pages, page, PAGE_SIZE);
}

/*
 * MR5: the boot vCPU as promote left it, nine u64: pc, a0, a1, vsatp, vsstatus, vstvec,
 * vsscratch, vsie and the vCPU count. Runtime registers start at zero.
 */
void measure_tvm_finish(struct cvm *c, struct sha512_ctx *pages)
{
	const struct vcpu *boot = &c->vcpu[0];
	const uint64_t config[9] = {
		boot->pc, boot->regs.x[REG_A0], boot->regs.x[REG_A1], boot->csrs.vsatp,
		boot->csrs.vsstatus, boot->csrs.vstvec, boot->csrs.vsscratch, boot->csrs.vsie,
		c->nr_vcpus,
	};
	uint8_t bytes[sizeof(config)];
	for (unsigned i = 0; i < 9; i++)
		put_le64(bytes + (size_t)8 * i, config[i]);

	memset(c->mr, 0, sizeof(c->mr));
	memcpy(c->mr[ATTEST_MR_TSM], attest_monitor_measurement(), ATTEST_MR_SIZE);
	sha512_final(pages, c->mr[ATTEST_MR_TVM_PAGES]);
	sha384(bytes, sizeof(bytes), c->mr[ATTEST_MR_TVM_CONFIG]);
}
