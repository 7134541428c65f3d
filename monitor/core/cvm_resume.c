/*
 * The hypervisor's answer to a vCPU's last exit, applied on its next run. Only the
 * values the exit asked for reach the CVM, and each is checked: an MMIO load value is
 * cut to the access width, a shared page must be hypervisor memory.
 */
#include "defence.h"
#include "cvm_ops.h"
#include "gstage.h"
#include "platform.h"
#include "sbi.h"

static ureg_t mmio_value(const struct cvm_exit *e, ureg_t raw)
{
	if (e->load.width >= 8)
		return raw;
	unsigned bits = 8 * e->load.width;
	ureg_t val = raw & ((1UL << bits) - 1);
	if (e->load.is_signed && (val >> (bits - 1)) & 1)
		val |= ~0UL << bits;
	return val;
}

OFF_HOT_PATH static long share_complete(struct cvm *c, unsigned idx, struct vcpu *v, paddr_t hpa)
{
	gpaddr_t gpa = v->exit.payload[0]; /* the request the SHARE exit reported */
	uint64_t len = v->exit.payload[1];
	if (hpa == 0)
		return SBI_ERR_FAILED; /* the hypervisor declined */
	if (!IS_ALIGNED(hpa, PAGE_SIZE) || (!mem_is_hypervisor(hpa, len) && DEFENCE(D_SHARE_CHECKS_HPA)))
		return SBI_ERR_INVALID_ADDRESS;
	/* another vCPU may have claimed the range or the last slot since the request */
	struct gregion *slot = NULL;
	for (unsigned i = 0; i < MAX_SHARED_REGIONS && !slot; i++)
		if (c->shared[i].len == 0)
			slot = &c->shared[i];
	if (!slot || cvm_region_overlaps(c, gpa, len))
		return SBI_ERR_FAILED;
	c->gstage_gen++; /* I.MMIO.1 */
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (gstage_map(&sm.mt, MT_CVM(idx), c->root, gpa + off, hpa + off, PTE_R | PTE_W)) {
			while (off) {
				off -= PAGE_SIZE;
				gstage_unmap(c->root, gpa + off);
			}
			return SBI_ERR_FAILED;
		}
	}
	*slot = (struct gregion){ .gpa = gpa, .len = len, .hpa = hpa };
	return SBI_SUCCESS;
}

void cvm_apply_response(struct cvm *c, unsigned idx, struct vcpu *v, ureg_t resp0, ureg_t resp1)
{
	switch (v->exit.reason) {
	case TVM_EXIT_HYPERCALL:
		v->regs.x[REG_A0] = resp0;
		v->regs.x[REG_A1] = resp1;
		break;
	case TVM_EXIT_MMIO_LOAD:
		if (v->exit.load.rd != 0)
			v->regs.x[v->exit.load.rd] = mmio_value(&v->exit, resp0);
		break;
	case TVM_EXIT_SHARE:
		v->regs.x[REG_A0] = (ureg_t)share_complete(c, idx, v, resp0);
		v->regs.x[REG_A1] = 0;
		break;
	case TVM_EXIT_UNSHARE:
		v->regs.x[REG_A0] = SBI_SUCCESS;
		v->regs.x[REG_A1] = 0;
		break;
	default: /* the rest ask nothing of the hypervisor */
		break;
	}
	v->exit.reason = TVM_EXIT_NONE; /* answered once */
}
