/*
 * The hypervisor tampering with what a CVM finds when it resumes: registers other than
 * the answer to its exit, its own S-mode trap CSRs (sepc and the rest of the vs* file),
 * interrupts it never allowed, and an MMIO load "answered" for an address the CVM never
 * registered as MMIO.
 */
#include "host_attacks.h"

#include "cove.h"
#include "csr.h"
#include "hart.h"
#include "sbi.h"

/* A victim on hart 0 with its GPRs set to secrets, stopped at a hypercall. */
static bool victim_at_hypercall(struct attack_run *run, struct victim *v)
{
	if (!victim_promote(run, 0, v, 4, 1, 0x7E) || !victim_enter(run, 0, v, 0, 0, 0, 0))
		return false;
	struct model_hart *mh = model_hart(0);
	for (unsigned i = 1; i < 32; i++)
		mh->x[i] = CVM_SECRET | i;
	cvm_ecall(0, VENDOR_EID, 0, CVM_SECRET | REG_A0, CVM_SECRET | REG_A1, CVM_SECRET | REG_A2,
		  CVM_SECRET | REG_A3, CVM_SECRET | REG_A4, CVM_SECRET | REG_A5);
	if (hart_in_guest(0) || hv_exit_reason(0) != TVM_EXIT_HYPERCALL) {
		attack_note(run, "the victim's hypercall did not reach the hypervisor");
		return false;
	}
	return true;
}

enum attack_result attack_resume_registers(struct attack_run *run)
{
	struct victim v;
	if (!victim_at_hypercall(run, &v))
		return AR_ERROR;
	for (unsigned i = 1; i < 32; i++)
		model_hart(0)->x[i] = ATTACKER_VALUE ^ i;
	if (!victim_enter(run, 0, &v, 0, 0x600D, 0x601D, 0))
		return AR_ERROR;
	const struct model_hart *mh = model_hart(0);
	unsigned changed = 0;
	for (unsigned i = 1; i < 32; i++) {
		if (i == REG_A0 || i == REG_A1 || i == REG_A6 || i == REG_A7)
			continue; /* the answer, and the call's own FID and EID */
		if (mh->x[i] != (CVM_SECRET | i) && changed++ < 4)
			attack_note(run, "x%u = 0x%llx", i, (unsigned long long)mh->x[i]);
	}
	bool answered = mh->x[REG_A0] == 0x600D && mh->x[REG_A1] == 0x601D;
	attack_note(run, "registers changed besides the answer: %u; answer %s", changed,
		    answered ? "delivered" : "lost");
	if (!answered)
		return AR_ERROR;
	return changed ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_resume_sepc(struct attack_run *run)
{
	static const unsigned csrs[] = { CSR_VSEPC, CSR_VSTVEC, CSR_VSSCRATCH, CSR_VSCAUSE };
	static const char *const names[] = { "sepc (vsepc)", "stvec (vstvec)", "sscratch", "scause" };
	const uint64_t own[] = { VM_GPA_BASE + 0x40, VM_GPA_BASE + 0x800, CVM_SECRET | 0xB2, 9 };
	struct victim v;
	if (!victim_promote(run, 0, &v, 4, 1, 0x7F) || !victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	for (unsigned i = 0; i < 4; i++)
		model_set_csr(0, csrs[i], own[i]);
	uint64_t resume_pc = model_hart(0)->pc + 4;
	if (!cvm_yield(0, 0))
		return AR_ERROR;
	for (unsigned i = 0; i < 4; i++)
		model_set_csr(0, csrs[i], ATTACKER_VALUE & ~3ULL);
	if (!victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	unsigned changed = 0;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t now = model_csr(0, csrs[i]);
		if (now != own[i]) {
			changed++;
			attack_note(run, "%s = 0x%llx", names[i], (unsigned long long)now);
		}
	}
	if (model_hart(0)->pc != resume_pc) {
		changed++;
		attack_note(run, "pc = 0x%llx", (unsigned long long)model_hart(0)->pc);
	}
	if (!changed)
		attack_note(run, "pc and every vs* CSR are the victim's own");
	return changed ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_inject_interrupt(struct attack_run *run)
{
	struct victim v;
	if (!victim_promote(run, 0, &v, 4, 1, 0x80) || !victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	/* interrupts on in the victim, so one that gets through is taken at once; it allowed
	 * none through COVG */
	model_set_csr(0, CSR_VSIE, ~0ULL);
	model_set_csr(0, CSR_VSSTATUS, model_csr(0, CSR_VSSTATUS) | MSTATUS_SIE);
	if (!cvm_yield(0, 0) || !victim_enter(run, 0, &v, 0, 0, 0, TVM_IRQ_ALL))
		return AR_ERROR;
	uint64_t pending = model_csr(0, CSR_HVIP) & TVM_IRQ_ALL, vscause = model_csr(0, CSR_VSCAUSE);
	bool taken = (vscause >> 63) != 0;
	attack_note(run, "hvip pending 0x%llx, victim vscause 0x%llx", (unsigned long long)pending,
		    (unsigned long long)vscause);
	return pending || taken ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_mmio_outside_region(struct attack_run *run)
{
	struct victim v;
	if (!victim_promote(run, 0, &v, 4, 1, 0x81) || !victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	cvm_ecall(0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE_SIZE, 0, 0, 0, 0);
	if (!hart_in_guest(0) || model_hart(0)->x[REG_A0] != 0) {
		attack_note(run, "the victim could not register its MMIO region");
		return AR_ERROR;
	}
	/* a load from a GPA it never registered (nor mapped): a bug in the victim, which must
	 * fault, never become an MMIO load the hypervisor answers */
	const uint64_t stray = 0x20000000ULL;
	model_hart(0)->x[REG_S3] = CVM_SECRET | REG_S3;
	model_load(0, stray, 8, false, REG_S3);
	uint64_t reason = hv_exit_reason(0);
	attack_note(run, "exit reason %llu", (unsigned long long)reason);
	if (reason != TVM_EXIT_MMIO_LOAD)
		return AR_BLOCKED;
	hv_run(0, v.id, 0, ATTACKER_VALUE, 0, 0);
	uint64_t s3 = model_hart(0)->x[REG_S3];
	attack_note(run, "victim's s3 = 0x%llx", (unsigned long long)s3);
	return hart_in_guest(0) && s3 == ATTACKER_VALUE ? AR_SUCCEEDED : AR_BLOCKED;
}
