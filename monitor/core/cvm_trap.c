/*
 * The confidential flow: traps taken while a CVM runs. COVG calls are answered inside
 * the CVM's turn; hypercalls, MMIO accesses to registered regions and faults end it
 * through the exit node, carrying only what the narrow interface allows.
 */
#include "defence.h"
#include "cove.h"
#include "cvm_ext.h"
#include "csr.h"
#include "cvm_ops.h"
#include "fsm.h"
#include "gstage.h"
#include "mmio.h"
#include "platform.h"
#include "sbi.h"

OFF_HOT_PATH static void fault_exit(struct hart *h, ureg_t cause)
{
	/* the fail-stop alternative, kept only so the attack suite can show it matters */
	if (!DEFENCE(D_CVM_FAULT_CONTAINED))
		plat->system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);
	fsm_exit_to_hypervisor(h, &(struct cvm_exit){ .reason = TVM_EXIT_FAULT,
						      .resume_pc = csr_read(CSR_MEPC),
						      .n = 1, .payload = { cause } });
}

/* One table for the CVM's calls, one write-back for those answered in its turn. */
static void cvm_ecall(struct hart *h)
{
	struct cvm_call c = {
		.h = h,
		.cvm = &sm.cvms[h->cvm],
		.idx = (unsigned)h->cvm,
		.v = &sm.cvms[h->cvm].vcpu[h->vcpu],
		.eid = h->regs->x[REG_A7],
		.fid = h->regs->x[REG_A6],
		.a = &h->regs->x[REG_A0],
		.error = SBI_ERR_NOT_SUPPORTED,
	};
	const struct cvm_ext *ext = cvm_find_ext(c.eid);
	if (ext && ext->handle(&c) == CALL_SWITCHED)
		return;
	h->regs->x[REG_A0] = (ureg_t)c.error;
	h->regs->x[REG_A1] = c.value;
	csr_write(CSR_MEPC, csr_read(CSR_MEPC) + 4);
}

/*
 * The instruction at a guest-physical pc, and where its bits are in memory (*pa = 0
 * when it spans two pages).
 */
static bool fetch_guest_insn(const struct cvm *c, ureg_t pc, uint32_t *insn, paddr_t *pa)
{
	uint64_t perms = 0;
	uint16_t half[2];
	paddr_t at[2];
	if (csr_read(CSR_VSATP) != 0 || (pc & 1))
		return false; /* guest-virtual pc: only mtinst can tell */
	for (unsigned i = 0; i < 2; i++) {
		gpaddr_t gpa = pc + 2 * (gpaddr_t)i;
		paddr_t page = gstage_lookup(c->root, gpa, &perms);
		if (!page || !(perms & PTE_X))
			return false;
		at[i] = page + (gpa & PAGE_MASK);
		half[i] = *(const uint16_t *)phys_ptr(at[i], 2);
		if (i == 0 && (half[0] & 3) != 3) {
			*insn = half[0];
			*pa = at[0];
			return true;
		}
	}
	*insn = half[0] | ((uint32_t)half[1] << 16);
	*pa = at[1] == at[0] + 2 ? at[0] : 0;
	return true;
}

/* The vCPU's last site still describes the instruction at pc (I.MMIO.1): same pc, same
 * tables, same bits (read again: the CVM may have rewritten its code). */
static bool site_holds(const struct cvm *c, const struct mmio_site *s, ureg_t pc)
{
	if (s->gen != c->gstage_gen || s->pc != pc || csr_read(CSR_VSATP) != 0)
		return false;
	const uint16_t *text = phys_ptr(s->pa, s->acc.insn_len);
	uint32_t insn = text[0];
	if (s->acc.insn_len == 4)
		insn |= (uint32_t)text[1] << 16;
	return insn == s->insn;
}

/* The instruction read from the CVM's text and decoded into *acc; it becomes the
 * vCPU's site. */
OFF_HOT_PATH static const struct mmio_access *decode_from_text(const struct cvm *c, struct mmio_site *s,
							      ureg_t pc, struct mmio_access *acc)
{
	uint32_t insn;
	paddr_t pa;
	if (!fetch_guest_insn(c, pc, &insn, &pa) || !mmio_decode(insn, true, acc))
		return NULL;
	if (pa)
		*s = (struct mmio_site){ .pc = pc, .pa = pa, .insn = insn, .gen = c->gstage_gen, .acc = *acc };
	return acc;
}

/*
 * The access a trapped instruction makes when the hart gave no mtinst (QEMU 7.2 never
 * does): read from the CVM's text and decoded, which costs a G-stage walk and a decode,
 * unless it is the vCPU's last MMIO instruction again, as a driver's polling loop is.
 */
static const struct mmio_access *raw_access(const struct cvm *c, struct vcpu *v, ureg_t pc,
					     struct mmio_access *scratch)
{
	struct mmio_site *s = &v->mmio_site;
	return site_holds(c, s, pc) ? &s->acc : decode_from_text(c, s, pc, scratch);
}

/* The access the trapped instruction makes: from mtinst when the hart gives it. */
static const struct mmio_access *trapped_access(const struct cvm *c, struct vcpu *v, ureg_t pc,
						struct mmio_access *scratch)
{
	ureg_t insn = csr_read(CSR_MTINST);
	if (!insn)
		return raw_access(c, v, pc, scratch);
	return mmio_decode((uint32_t)insn, false, scratch) ? scratch : NULL;
}

static const struct gregion *mmio_region(const struct cvm *c, gpaddr_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < MAX_MMIO_REGIONS; i++)
		if (c->mmio[i].len && range_within(gpa, len, c->mmio[i].gpa, c->mmio[i].len))
			return &c->mmio[i];
	return NULL;
}

/* A guest-page fault inside a registered MMIO region becomes an MMIO exit; any other
 * is the CVM's fault. */
OFF_HOT_PATH static void guest_page_fault(struct hart *h, const struct cvm *c, struct vcpu *v, ureg_t cause)
{
	struct mmio_access decoded;
	ureg_t pc = csr_read(CSR_MEPC);
	gpaddr_t gpa = (csr_read(CSR_MTVAL2) << 2) | (csr_read(CSR_MTVAL) & 3);
	const struct mmio_access *acc = trapped_access(c, v, pc, &decoded);
	if (!acc || acc->is_store != (cause == CAUSE_STORE_GUEST_PAGE_FAULT) ||
	    !IS_ALIGNED(gpa, acc->width) || (!mmio_region(c, gpa, acc->width) && DEFENCE(D_MMIO_IN_REGION)))
		goto fault;
	/* built in place: the vCPU's exit holds nothing while it runs */
	struct cvm_exit *e = &v->exit;
	e->resume_pc = pc + acc->insn_len;
	e->payload[0] = gpa;
	e->payload[1] = acc->width;
	if (acc->is_store) {
		ureg_t mask = acc->width == 8 ? ~0UL : (1UL << (8 * acc->width)) - 1;
		e->reason = TVM_EXIT_MMIO_STORE;
		e->n = 3;
		e->payload[2] = h->regs->x[acc->reg] & mask;
	} else {
		e->reason = TVM_EXIT_MMIO_LOAD;
		e->n = 2;
		e->load.rd = acc->reg;
		e->load.width = acc->width;
		e->load.is_signed = acc->is_signed;
	}
	fsm_exit_to_hypervisor(h, e);
	return;
fault:
	fault_exit(h, cause);
}

/*
 * Lazy FP: the vCPU runs with mstatus.FS Off until its first FP instruction, which
 * traps here as illegal. The hypervisor's FP registers go to monitor memory, the
 * vCPU's come in, FP is turned on and the instruction runs again; the exit node swaps
 * back only after such a turn. An illegal instruction with FP already on is the CVM's
 * own fault.
 */
OFF_HOT_PATH static bool cvm_fp_use(struct hart *h)
{
	if (h->cvm_fp_live)
		return false;
	arch_fp_save(&h->hv.fp);
	arch_fp_restore(&sm.cvms[h->cvm].vcpu[h->vcpu].fp);
	csr_set(CSR_MSTATUS, MSTATUS_FS_DIRTY);
	h->cvm_fp_live = true;
	return true;
}

void cvm_trap(struct hart *h, ureg_t cause)
{
	switch (cause) {
	case CAUSE_ILLEGAL_INSTRUCTION:
		if (cvm_fp_use(h))
			return;
		break;
	case CAUSE_VIRTUAL_SUPERVISOR_ECALL:
		cvm_ecall(h);
		return;
	case CAUSE_LOAD_GUEST_PAGE_FAULT:
	case CAUSE_STORE_GUEST_PAGE_FAULT:
		guest_page_fault(h, &sm.cvms[h->cvm], &sm.cvms[h->cvm].vcpu[h->vcpu], cause);
		return;
	default:
		break;
	}
	fault_exit(h, cause);
}
