/*
 * COVH promote_to_tvm: turn the VM the hypervisor describes (its G-stage tables from
 * hgatp, its device tree, its entry point) into a CVM whose memory is a private copy.
 *
 * Hostile inputs: every table pointer and leaf is checked to lie in hypervisor memory
 * (gstage_walk_foreign), the walk is bounded, the page count is bounded, and the device
 * tree is read from the CVM's *copied* pages, so the hypervisor cannot change what was
 * validated. Any failure releases everything (zeroed) and leaves no CVM behind.
 */
#include <string.h>

#include "attest.h"
#include "csr.h"
#include "cvm_ops.h"
#include "fdt.h"
#include "gstage.h"
#include "platform.h"
#include "sbi.h"

struct copy_ctx {
	unsigned idx;
	paddr_t root;
	unsigned pages;
	struct sha512_ctx *msmt; /* MR4, over the copies in walk (ascending GPA) order */
};

static int copy_page(void *arg, gpaddr_t gpa, paddr_t hpa, uint64_t perms)
{
	struct copy_ctx *cc = arg;
	if (gpa >> SV39X4_GPA_BITS_CVM || ++cc->pages > MAX_CVM_PAGES)
		return SBI_ERR_INVALID_PARAM;
	paddr_t page = mt_alloc(&sm.mt, MT_CVM(cc->idx), 1);
	if (!page)
		return SBI_ERR_FAILED;
	void *copy = phys_ptr(page, PAGE_SIZE);
	memcpy(copy, phys_ptr(hpa, PAGE_SIZE), PAGE_SIZE);
	measure_tvm_page(cc->msmt, gpa, perms, copy);
	return gstage_map(&sm.mt, MT_CVM(cc->idx), cc->root, gpa, page, perms);
}

/* Copies [gpa, gpa+len) of the CVM's (now private) memory into buf. */
static bool read_guest(paddr_t root, gpaddr_t gpa, void *buf, uint64_t len)
{
	uint8_t *out = buf;
	while (len) {
		paddr_t page = gstage_lookup(root, gpa, NULL);
		if (!page)
			return false;
		uint64_t off = gpa & PAGE_MASK, n = PAGE_SIZE - off;
		if (n > len)
			n = len;
		memcpy(out, phys_ptr(page + off, n), n);
		out += n;
		gpa += n;
		len -= n;
	}
	return true;
}

/* Number of harts the guest's device tree declares, ids exactly 0..n-1; 0 if invalid. */
static unsigned guest_vcpus(paddr_t root, gpaddr_t fdt_gpa)
{
	static uint8_t fdt_buf[MAX_GUEST_FDT]; /* under the monitor lock */
	uint64_t ids[MAX_VCPUS];
	struct fdt f;
	if (fdt_gpa >> SV39X4_GPA_BITS_CVM || !read_guest(root, fdt_gpa, fdt_buf, 40))
		return 0;
	uint32_t size = fdt_header_totalsize(fdt_buf);
	if (size < 40 || size > sizeof(fdt_buf) || !read_guest(root, fdt_gpa, fdt_buf, size) ||
	    fdt_open(&f, fdt_buf, size) != 0)
		return 0;
	int n = fdt_get_cpus(&f, ids, MAX_VCPUS);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (ids[i] >= (uint64_t)n) /* duplicates are rejected by fdt_get_cpus */
			return 0;
	return (unsigned)n;
}

static int build_cvm(unsigned idx, const ureg_t *a)
{
	struct cvm *cvm = &sm.cvms[idx];
	gpaddr_t fdt_gpa = a[0], entry = a[2];
	struct sha512_ctx msmt;
	struct copy_ctx cc = { .idx = idx, .msmt = &msmt };
	measure_tvm_begin(&msmt);

	cvm->root = cc.root = mt_alloc(&sm.mt, MT_CVM(idx), GSTAGE_ROOT_PAGES);
	if (!cc.root)
		return SBI_ERR_FAILED;
	int rc = gstage_walk_foreign(csr_read(CSR_HGATP), MAX_PROMOTE_PTES, copy_page, &cc);
	if (rc)
		return rc;
	unsigned n = guest_vcpus(cc.root, fdt_gpa);
	if (n == 0)
		return SBI_ERR_INVALID_PARAM;
	uint64_t perms = 0;
	ureg_t vsatp = csr_read(CSR_VSATP);
	/* with guest paging off the entry point is a GPA and must be executable memory */
	if (vsatp == 0 && (!gstage_lookup(cc.root, entry, &perms) || !(perms & PTE_X)))
		return SBI_ERR_INVALID_ADDRESS;

	cvm->nr_vcpus = n;
	struct vcpu *boot = &cvm->vcpu[0];
	boot->state = VCPU_RUNNABLE;
	boot->pc = entry;
	boot->regs.x[REG_A0] = 0;
	boot->regs.x[REG_A1] = fdt_gpa;
	boot->csrs.vsatp = vsatp;
	boot->csrs.vsstatus = csr_read(CSR_VSSTATUS);
	boot->csrs.vstvec = csr_read(CSR_VSTVEC);
	boot->csrs.vsscratch = csr_read(CSR_VSSCRATCH);
	boot->csrs.vsie = csr_read(CSR_VSIE);
	measure_tvm_finish(cvm, &msmt);
	cvm->gstage_gen = 1;
	cvm->state = CVM_ACTIVE;
	return SBI_SUCCESS;
}

void covh_promote(struct sbi_call *c)
{
	if (c->a[1] != 0 || c->a[3] != 0) { /* TAP and identity: attestation is not here yet */
		c->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	unsigned idx = 0;
	while (idx < MAX_CVMS && sm.cvms[idx].state != CVM_FREE)
		idx++;
	if (idx == MAX_CVMS) {
		c->error = SBI_ERR_FAILED;
		return;
	}
	int rc = build_cvm(idx, c->a);
	if (rc) {
		cvm_teardown(idx);
		c->error = rc;
		return;
	}
	c->error = SBI_SUCCESS;
	c->value = cvm_id(idx);
}
