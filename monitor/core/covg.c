/*
 * COVG: MMIO regions, shared memory, interrupt filtering and attestation, requested by
 * the CVM, one handler per function in covg_calls[]. Regions and filters are answered
 * inside the CVM's turn; share and unshare end it with an exit the hypervisor answers.
 */
#include "defence.h"
#include "attest.h"
#include "cove.h"
#include "cvm_ext.h"
#include "csr.h"
#include "cvm_ops.h"
#include "fsm.h"
#include "gstage.h"
#include "sbi.h"
#include "sbi_ext.h"

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

static enum call_end add_mmio(struct cvm_call *call)
{
	struct cvm *c = call->cvm;
	gpaddr_t gpa = call->a[0];
	uint64_t len = call->a[1];
	struct gregion *r;
	if (!cvm_gpa_range_ok(gpa, len))
		call->error = SBI_ERR_INVALID_PARAM;
	else if (cvm_region_overlaps(c, gpa, len))
		call->error = SBI_ERR_INVALID_ADDRESS;
	else if (!(r = free_slot(c->mmio, MAX_MMIO_REGIONS)))
		call->error = SBI_ERR_FAILED;
	else {
		*r = (struct gregion){ .gpa = gpa, .len = len };
		call->error = SBI_SUCCESS;
	}
	return CALL_RETURNS;
}

static enum call_end remove_mmio(struct cvm_call *call)
{
	struct gregion *r = find_exact(call->cvm->mmio, MAX_MMIO_REGIONS, call->a[0], call->a[1]);
	if (r)
		*r = (struct gregion){ 0 };
	call->error = r ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM;
	return CALL_RETURNS;
}

/* The request is checked here and completed by the hypervisor's answer (cvm_resume.c). */
static enum call_end share(struct cvm_call *call)
{
	struct cvm *c = call->cvm;
	gpaddr_t gpa = call->a[0];
	uint64_t len = call->a[1];
	if (!cvm_gpa_range_ok(gpa, len) || len > MAX_SHARE_LEN)
		call->error = SBI_ERR_INVALID_PARAM;
	else if (cvm_region_overlaps(c, gpa, len) || any_page_mapped(c, gpa, len))
		call->error = SBI_ERR_INVALID_ADDRESS;
	else if (!free_slot(c->shared, MAX_SHARED_REGIONS))
		call->error = SBI_ERR_FAILED;
	else
		return cvm_call_exit(call, TVM_EXIT_SHARE, call->a, 2);
	return CALL_RETURNS;
}

/*
 * The pages leave the CVM's tables and every translation of them is fenced before the
 * hypervisor hears about it, so it cannot reuse a page the CVM still reaches.
 */
static enum call_end unshare(struct cvm_call *call)
{
	struct cvm *c = call->cvm;
	gpaddr_t gpa = call->a[0];
	uint64_t len = call->a[1];
	struct gregion *r = find_exact(c->shared, MAX_SHARED_REGIONS, gpa, len);
	if (!r) {
		call->error = SBI_ERR_INVALID_PARAM;
		return CALL_RETURNS;
	}
	c->gstage_gen++; /* I.MMIO.1 */
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		gstage_unmap(c->root, gpa + off);
	*r = (struct gregion){ 0 };
	arch_hfence_gvma_all();
	/* other vCPUs of this CVM on other harts drop their translations too; they take
	 * the IPI as an interrupt exit (see docs/architecture.md on the remaining window) */
	for (unsigned i = 0; i < c->nr_vcpus; i++)
		if (c->vcpu[i].running_on >= 0 && (unsigned)c->vcpu[i].running_on != call->h->id &&
		    DEFENCE(D_UNSHARE_FENCES_REMOTE))
			sbi_send_work(call->h, (unsigned)c->vcpu[i].running_on, IPI_FENCE);
	return cvm_call_exit(call, TVM_EXIT_UNSHARE, call->a, 2);
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

static enum call_end allow_irq(struct cvm_call *call)
{
	ureg_t bits = 0;
	call->error = irq_bit(call->a[0], &bits);
	call->cvm->allowed_irqs |= bits;
	return CALL_RETURNS;
}

static enum call_end deny_irq(struct cvm_call *call)
{
	struct cvm *c = call->cvm;
	ureg_t bits = 0;
	call->error = irq_bit(call->a[0], &bits);
	if (call->error != SBI_SUCCESS)
		return CALL_RETURNS;
	c->allowed_irqs &= ~bits;
	for (unsigned i = 0; i < c->nr_vcpus; i++)
		c->vcpu[i].injected &= ~bits;
	csr_clear(CSR_HVIP, bits);
	return CALL_RETURNS;
}

static enum call_end (*const covg_calls[])(struct cvm_call *) = {
	[COVG_ADD_MMIO_REGION] = add_mmio,
	[COVG_REMOVE_MMIO_REGION] = remove_mmio,
	[COVG_SHARE_MEMORY_REGION] = share,
	[COVG_UNSHARE_MEMORY_REGION] = unshare,
	[COVG_ALLOW_EXTERNAL_INTERRUPT] = allow_irq,
	[COVG_DENY_EXTERNAL_INTERRUPT] = deny_irq,
	[COVG_GET_ATTCAPS] = covg_get_attcaps,
	[COVG_EXTEND_MEASUREMENT] = covg_extend_measurement,
	[COVG_GET_EVIDENCE] = covg_get_evidence,
	[COVG_READ_MEASUREMENT] = covg_read_measurement,
};

static enum call_end covg_handle(struct cvm_call *call)
{
	if (call->fid < ARRAY_SIZE(covg_calls) && covg_calls[call->fid])
		return covg_calls[call->fid](call);
	call->error = SBI_ERR_NOT_SUPPORTED;
	return CALL_RETURNS;
}

const struct cvm_ext cvm_ext_covg = {
	.eid_lo = SBI_EXT_COVG,
	.eid_hi = SBI_EXT_COVG,
	.handle = covg_handle,
};
