/* COVG: MMIO regions, shared memory, interrupt filtering and attestation, requested by the CVM. */
#include "defence.h"
#include "attest.h"
#include "cove.h"
#include "covg.h"
#include "csr.h"
#include "cvm_ops.h"
#include "fsm.h"
#include "gstage.h"
#include "sbi.h"
#include "sbi_ext.h"

void covg_complete(struct hart *h, long err, ureg_t val)
{
	h->regs.x[REG_A0] = (ureg_t)err;
	h->regs.x[REG_A1] = val;
	csr_write(CSR_MEPC, csr_read(CSR_MEPC) + 4);
}

static struct gregion *free_slot(struct gregion *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i].len == 0)
			return &r[i];
	return NULL;
}

static struct gregion *find_exact(struct gregion *r, unsigned n, gpaddr_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i].len && r[i].gpa == gpa && r[i].len == len)
			return &r[i];
	return NULL;
}

static bool any_page_mapped(const struct cvm *c, gpaddr_t gpa, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (gstage_lookup(c->root, gpa + off, NULL))
			return true;
	return false;
}

static long add_mmio(struct cvm *c, gpaddr_t gpa, uint64_t len)
{
	if (!cvm_gpa_range_ok(gpa, len))
		return SBI_ERR_INVALID_PARAM;
	if (cvm_region_overlaps(c, gpa, len))
		return SBI_ERR_INVALID_ADDRESS;
	struct gregion *r = free_slot(c->mmio, MAX_MMIO_REGIONS);
	if (!r)
		return SBI_ERR_FAILED;
	*r = (struct gregion){ .gpa = gpa, .len = len };
	return SBI_SUCCESS;
}

static long remove_mmio(struct cvm *c, gpaddr_t gpa, uint64_t len)
{
	struct gregion *r = find_exact(c->mmio, MAX_MMIO_REGIONS, gpa, len);
	if (!r)
		return SBI_ERR_INVALID_PARAM;
	*r = (struct gregion){ 0 };
	return SBI_SUCCESS;
}

/* Returns an error for the CVM, or SUCCESS after ending its turn with a SHARE exit. */
static long share(struct hart *h, struct cvm *c, struct vcpu *v, gpaddr_t gpa, uint64_t len)
{
	if (!cvm_gpa_range_ok(gpa, len) || len > MAX_SHARE_LEN)
		return SBI_ERR_INVALID_PARAM;
	if (cvm_region_overlaps(c, gpa, len) || any_page_mapped(c, gpa, len))
		return SBI_ERR_INVALID_ADDRESS;
	if (!free_slot(c->shared, MAX_SHARED_REGIONS))
		return SBI_ERR_FAILED;
	v->pending = PEND_SHARE;
	v->req_gpa = gpa;
	v->req_len = len;
	v->pc = csr_read(CSR_MEPC) + 4;
	ureg_t payload[2] = { gpa, len };
	fsm_exit_to_hypervisor(h, TVM_EXIT_SHARE, payload, 2);
	return SBI_SUCCESS;
}

/*
 * The pages leave the CVM's tables and every translation of them is fenced before the
 * hypervisor hears about it, so it cannot reuse a page the CVM still reaches.
 */
static long unshare(struct hart *h, struct cvm *c, struct vcpu *v, gpaddr_t gpa, uint64_t len)
{
	struct gregion *r = find_exact(c->shared, MAX_SHARED_REGIONS, gpa, len);
	if (!r)
		return SBI_ERR_INVALID_PARAM;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		gstage_unmap(c->root, gpa + off);
	*r = (struct gregion){ 0 };
	arch_hfence_gvma_all();
	/* other vCPUs of this CVM on other harts drop their translations too; they take
	 * the IPI as an interrupt exit (see docs/architecture.md on the remaining window) */
	for (unsigned i = 0; i < c->nr_vcpus; i++)
		if (c->vcpu[i].running_on >= 0 && (unsigned)c->vcpu[i].running_on != h->id &&
		    DEFENCE(D_UNSHARE_FENCES_REMOTE))
			sbi_send_work(h, (unsigned)c->vcpu[i].running_on, IPI_FENCE);
	v->pending = PEND_UNSHARE;
	v->pc = csr_read(CSR_MEPC) + 4;
	ureg_t payload[2] = { gpa, len };
	fsm_exit_to_hypervisor(h, TVM_EXIT_UNSHARE, payload, 2);
	return SBI_SUCCESS;
}

static long irq_bit(ureg_t id, ureg_t *bits)
{
	if (id == ~0UL)
		*bits = TVM_IRQ_ALL;
	else if (id == TVM_IRQ_VSSI || id == TVM_IRQ_VSTI || id == TVM_IRQ_VSEI)
		*bits = 1UL << id;
	else
		return SBI_ERR_INVALID_PARAM;
	return SBI_SUCCESS;
}

void covg_handle(struct hart *h, struct cvm *c, unsigned idx, struct vcpu *v)
{
	ureg_t a0 = h->regs.x[REG_A0], a1 = h->regs.x[REG_A1], bits = 0;
	long err;
	switch (h->regs.x[REG_A6]) {
	case COVG_ADD_MMIO_REGION: err = add_mmio(c, a0, a1); break;
	case COVG_REMOVE_MMIO_REGION: err = remove_mmio(c, a0, a1); break;
	case COVG_SHARE_MEMORY_REGION:
		err = share(h, c, v, a0, a1);
		if (err == SBI_SUCCESS)
			return; /* the exit already happened */
		break;
	case COVG_UNSHARE_MEMORY_REGION:
		err = unshare(h, c, v, a0, a1);
		if (err == SBI_SUCCESS)
			return;
		break;
	case COVG_ALLOW_EXTERNAL_INTERRUPT:
		err = irq_bit(a0, &bits);
		if (err == SBI_SUCCESS)
			c->allowed_irqs |= bits;
		break;
	case COVG_DENY_EXTERNAL_INTERRUPT:
		err = irq_bit(a0, &bits);
		if (err == SBI_SUCCESS) {
			c->allowed_irqs &= ~bits;
			for (unsigned i = 0; i < c->nr_vcpus; i++)
				c->vcpu[i].injected &= ~bits;
			csr_clear(CSR_HVIP, bits);
		}
		break;
	case COVG_GET_ATTCAPS:
	case COVG_EXTEND_MEASUREMENT:
	case COVG_GET_EVIDENCE:
	case COVG_READ_MEASUREMENT: {
		ureg_t val;
		err = attest_covg(c, idx, h->regs.x[REG_A6], &h->regs.x[REG_A0], &val);
		covg_complete(h, err, val);
		return;
	}
	default: err = SBI_ERR_NOT_SUPPORTED; break;
	}
	covg_complete(h, err, 0);
}
