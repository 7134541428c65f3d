/*
 * Leaks of a CVM's architectural state across an exit, by the state classes a world
 * switch must handle (Sailor, Kalani et al. 2025): general-purpose registers, FP
 * registers and fcsr, the VS CSRs the CVM uses as its own S-mode CSRs, and the HS trap
 * CSRs (sepc, scause, stval, htval, htinst) a trap of the CVM would fill if it reached
 * HS. The victim fills every register with secrets, then makes an ordinary hypercall
 * whose arguments carry nothing secret; the hypervisor then looks at everything it can.
 */
#include "host_attacks.h"

#include "cove.h"
#include "csr.h"
#include "hart.h"

#define FCSR_CVM 0xE5 /* frm 7, fflags 5 */
#define FCSR_HV 0x01

static const unsigned vs_csrs[] = { CSR_VSSCRATCH, CSR_VSEPC, CSR_VSCAUSE, CSR_VSTVAL, CSR_VSTVEC };
static const char *const vs_names[] = { "vsscratch", "vsepc", "vscause", "vstval", "vstvec" };
static const unsigned trap_csrs[] = { CSR_SEPC, CSR_SCAUSE, CSR_STVAL, CSR_HTVAL, CSR_HTINST };
static const char *const trap_names[] = { "sepc", "scause", "stval", "htval", "htinst" };

static uint64_t trap_mark(unsigned i) { return HV_MARK | 0x300 | i; }

/* The hypervisor's own values, so what it sees afterwards can be told apart. */
static void hypervisor_marks(unsigned h)
{
	struct model_hart *mh = model_hart(h);
	for (unsigned i = 1; i < 32; i++)
		mh->x[i] = HV_MARK | i;
	for (unsigned i = 0; i < 32; i++)
		mh->f[i] = HV_MARK | 0x100 | i;
	mh->fcsr = FCSR_HV;
	model_set_csr(h, CSR_SSTATUS, model_csr(h, CSR_SSTATUS) | MSTATUS_FS); /* its FP unit is on */
	for (unsigned i = 0; i < sizeof(vs_csrs) / sizeof(vs_csrs[0]); i++)
		model_set_csr(h, vs_csrs[i], HV_MARK | 0x200 | (i << 4));
	for (unsigned i = 0; i < sizeof(trap_csrs) / sizeof(trap_csrs[0]); i++)
		model_set_csr(h, trap_csrs[i], trap_mark(i));
}

/* Promotes a victim and runs it on hart 0 with every register holding a secret. */
static bool victim_full_of_secrets(struct attack_run *run, struct victim *v)
{
	if (!victim_promote(run, 0, v, 4, 1, 0x5A))
		return false;
	hypervisor_marks(0);
	if (!victim_enter(run, 0, v, 0, 0, 0, 0))
		return false;
	struct model_hart *mh = model_hart(0);
	uint64_t f[CVM_FP_REGS];
	for (unsigned i = 0; i < 32; i++)
		f[i] = CVM_SECRET | 0x100 | i;
	f[32] = FCSR_CVM;
	if (!cvm_fp_write_all(0, f)) {
		attack_note(run, "the victim's FP instructions did not run");
		return false;
	}
	for (unsigned i = 1; i < 32; i++)
		mh->x[i] = CVM_SECRET | i;
	for (unsigned i = 0; i < sizeof(vs_csrs) / sizeof(vs_csrs[0]); i++)
		model_set_csr(0, vs_csrs[i], CVM_SECRET | 0x200 | (i << 4));
	return true;
}

/* Victim with secrets everywhere, then a hypercall whose arguments are all public. */
static bool exit_after_secrets(struct attack_run *run)
{
	struct victim v;
	if (!victim_full_of_secrets(run, &v))
		return false;
	cvm_ecall(0, VENDOR_EID, 0, 0, 0, 0, 0, 0, 0);
	if (hart_in_guest(0) || hv_exit_reason(0) != TVM_EXIT_HYPERCALL) {
		attack_note(run, "the victim's hypercall did not reach the hypervisor");
		return false;
	}
	return true;
}

enum attack_result attack_leak_gprs(struct attack_run *run)
{
	if (!exit_after_secrets(run))
		return AR_ERROR;
	unsigned leaked = 0;
	for (unsigned i = 1; i < 32; i++) {
		uint64_t x = model_hart(0)->x[i];
		if (looks_cvm_secret(x) && leaked++ < 4)
			attack_note(run, "x%u = 0x%llx", i, (unsigned long long)x);
	}
	attack_note(run, "%u of 31 GPRs hold the victim's values", leaked);
	return leaked ? AR_SUCCEEDED : AR_BLOCKED;
}

static enum attack_result fp_left_behind(struct attack_run *run)
{
	if (!exit_after_secrets(run))
		return AR_ERROR;
	unsigned leaked = 0;
	for (unsigned i = 0; i < 32; i++)
		leaked += looks_cvm_secret(model_hart(0)->f[i]);
	uint64_t fcsr = model_hart(0)->fcsr;
	attack_note(run, "%u of 32 FP registers hold the victim's values; fcsr = 0x%llx (victim's 0x%x)",
		    leaked, (unsigned long long)fcsr, FCSR_CVM);
	return leaked || fcsr == FCSR_CVM ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_leak_fp(struct attack_run *run) { return fp_left_behind(run); }

/* The same victim against the lazy switch: with mstatus.FS left on under the CVM its FP
 * instructions never trap, and the exit, which switches FP back only after such a trap,
 * leaves the victim's values in the hypervisor's registers. */
enum attack_result attack_leak_fp_unswitched(struct attack_run *run) { return fp_left_behind(run); }

enum attack_result attack_leak_vs_csrs(struct attack_run *run)
{
	if (!exit_after_secrets(run))
		return AR_ERROR;
	unsigned leaked = 0;
	for (unsigned i = 0; i < sizeof(vs_csrs) / sizeof(vs_csrs[0]); i++) {
		uint64_t v = model_csr(0, vs_csrs[i]);
		if (looks_cvm_secret(v)) {
			leaked++;
			attack_note(run, "%s = 0x%llx", vs_names[i], (unsigned long long)v);
		}
	}
	if (!leaked)
		attack_note(run, "every vs* CSR holds the hypervisor's own value");
	return leaked ? AR_SUCCEEDED : AR_BLOCKED;
}

/*
 * Where the victim was and what it touched are secrets too (a controlled channel): its
 * pc and the address of an access the monitor answers with a FAULT exit, whose payload
 * is the cause alone. Nothing else of the trap may reach the hypervisor.
 */
enum attack_result attack_leak_trap_csrs(struct attack_run *run)
{
	const uint64_t secret_pc = VM_GPA_BASE + 0x5EC, secret_gpa = 0x40000000ULL + 0x5E000;
	struct victim v;
	if (!victim_full_of_secrets(run, &v))
		return AR_ERROR;
	model_hart(0)->pc = secret_pc;
	uint64_t ignored;
	dom_load64(0, secret_gpa, &ignored);
	unsigned leaked = 0;
	for (unsigned i = 0; i < sizeof(trap_csrs) / sizeof(trap_csrs[0]); i++) {
		uint64_t now = model_csr(0, trap_csrs[i]);
		if (now != trap_mark(i)) {
			leaked++;
			attack_note(run, "%s = 0x%llx", trap_names[i], (unsigned long long)now);
		}
	}
	if (leaked)
		attack_note(run, "the trap reached HS-mode");
	else
		attack_note(run, "HS trap CSRs untouched; the hypervisor got exit reason %llu",
			    (unsigned long long)hv_exit_reason(0));
	return leaked ? AR_SUCCEEDED : AR_BLOCKED;
}
