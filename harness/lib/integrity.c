/*
 * The integrity oracle: a CVM's state may change between its exit and its next entry
 * only as the narrow interface allows (the answer to its hypercall, the value of its
 * MMIO load, the result of its share request, pc past the instruction). Everything the
 * hypervisor does meanwhile (registers, CSRs, sepc) must not reach it.
 */
#include <string.h>

#include "cove.h"
#include "csr.h"
#include "harness.h"
#include "hart.h"
#include "monitor.h"
#include "sbi.h"
#include "state.h"

/*
 * The CVM reads its FP registers with FP instructions, as it would: the hart may still
 * hold the hypervisor's (the monitor switches FP on first use), and the first read of
 * a turn makes the monitor switch. A read that does not complete is a finding: nothing
 * but the monitor's lazy switch may answer a CVM's FP instruction.
 */
static void cvm_fp_view(unsigned h, struct cpu_view *c)
{
	uint64_t f[CVM_FP_REGS] = { 0 };
	if (!cvm_fp_read_all(h, f))
		harness_finding(ORACLE_CVM_INTEGRITY, "hart %u: the CVM's FP instruction did not run (%s)", h,
				hart_in_guest(h) ? "it trapped" : "the CVM left the hart");
	memcpy(c->f, f, sizeof(c->f));
	c->fcsr = f[32];
}

void cpu_view_read(unsigned h, struct cpu_view *c)
{
	const struct model_hart *mh = model_hart(h);
	memcpy(c->x, mh->x, sizeof(c->x));
	c->pc = mh->pc;
	cvm_fp_view(h, c);
	c->vsscratch = model_csr(h, CSR_VSSCRATCH);
	c->vsepc = model_csr(h, CSR_VSEPC);
	c->vscause = model_csr(h, CSR_VSCAUSE);
	c->vstval = model_csr(h, CSR_VSTVAL);
	c->vstvec = model_csr(h, CSR_VSTVEC);
	c->vsstatus = model_csr(h, CSR_VSSTATUS);
	c->vsie = model_csr(h, CSR_VSIE);
	c->vsatp = model_csr(h, CSR_VSATP);
}

void integrity_forget_cvm(unsigned cvm)
{
	memset(hs.shadow[cvm], 0, sizeof(hs.shadow[cvm]));
}

void integrity_fresh_vcpu(unsigned cvm, unsigned vcpu, uint64_t pc, uint64_t a0, uint64_t a1)
{
	struct shadow *sh = &hs.shadow[cvm][vcpu];
	memset(sh, 0, sizeof(*sh));
	sh->valid = sh->fresh = true;
	sh->cpu.pc = pc;
	sh->cpu.x[REG_A0] = a0;
	sh->cpu.x[REG_A1] = a1;
}

void integrity_before_step(void)
{
	for (unsigned h = 0; h < model_nr_harts(); h++) {
		hs.in_guest[h] = hart_in_guest(h);
		if (hs.in_guest[h]) {
			cpu_view_read(h, &hs.pre[h]);
			hs.cvm_on[h] = sm.harts[h].cvm;
			hs.vcpu_on[h] = sm.harts[h].vcpu;
		}
	}
}

static uint64_t mmio_expected(const struct shadow *sh, uint64_t raw)
{
	if (sh->mmio_width >= 8)
		return raw;
	unsigned bits = 8 * sh->mmio_width;
	uint64_t v = raw & ((1ULL << bits) - 1);
	if (sh->mmio_signed && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	return v;
}

static void record_exit(unsigned h, const struct step *s)
{
	int c = hs.cvm_on[h], v = hs.vcpu_on[h];
	if (c < 0 || v < 0)
		return;
	struct shadow *sh = &hs.shadow[c][v];
	memset(sh, 0, sizeof(*sh));
	sh->valid = true;
	sh->cpu = hs.pre[h];
	sh->exit_reason = (unsigned)model_hart(h)->x[REG_A1];
	bool caused_here = s->hart == h && (s->kind == ST_CVM_ECALL || s->kind == ST_CVM_ACCESS ||
					    s->kind == ST_CVM_CSR);
	switch (sh->exit_reason) {
	case TVM_EXIT_FAULT: sh->dead = true; break;
	case TVM_EXIT_INTERRUPT: sh->pc_step = 0; break;
	case TVM_EXIT_MMIO_LOAD:
		sh->pc_step = 4;
		sh->mmio_rd = s->fid % 32;
		sh->mmio_width = 1U << ((s->sel >> 1) & 3);
		sh->mmio_signed = !(s->sel & 8) && sh->mmio_width < 8;
		break;
	default: sh->pc_step = 4; break;
	}
	if (!caused_here && sh->exit_reason != TVM_EXIT_INTERRUPT)
		harness_finding(ORACLE_CVM_INTEGRITY, "hart %u left CVM %d with reason %u on another hart's step",
				h, c, sh->exit_reason);
	/* the CVM's own HSM hart_start decides where its new vCPU begins */
	if (caused_here && s->kind == ST_CVM_ECALL && hs.pre[h].x[REG_A7] == SBI_EXT_HSM &&
	    hs.pre[h].x[REG_A6] == SBI_HSM_HART_START) {
		uint64_t t = hs.pre[h].x[REG_A0];
		if (t < MAX_VCPUS && (int)t != v && sm.cvms[c].vcpu[t].state == VCPU_RUNNABLE &&
		    sm.cvms[c].vcpu[t].running_on < 0)
			integrity_fresh_vcpu((unsigned)c, (unsigned)t, hs.pre[h].x[REG_A1], t, hs.pre[h].x[REG_A2]);
	}
}

#define EXPECT(cond, ...)                                                         \
	do {                                                                      \
		if (!(cond))                                                      \
			harness_finding(ORACLE_CVM_INTEGRITY, __VA_ARGS__);        \
	} while (0)

/*
 * What a vCPU must hold when it next runs: its state at the exit, moved past the exiting
 * instruction, with the exit's answer applied. A share result is whatever SBI code the
 * monitor chose (share_a0), checked only for being one.
 */
static struct cpu_view answered(const struct shadow *sh, uint64_t resp0, uint64_t resp1, uint64_t share_a0)
{
	struct cpu_view want = sh->cpu;
	want.pc += sh->pc_step;
	switch (sh->exit_reason) {
	case TVM_EXIT_HYPERCALL:
		want.x[REG_A0] = resp0;
		want.x[REG_A1] = resp1;
		break;
	case TVM_EXIT_SHARE:
	case TVM_EXIT_UNSHARE:
		EXPECT((long)share_a0 <= 0 && (long)share_a0 >= -11, "share result %lld is not an SBI code",
		       (long long)share_a0);
		want.x[REG_A0] = share_a0;
		want.x[REG_A1] = 0;
		break;
	case TVM_EXIT_MMIO_LOAD:
		if (sh->mmio_rd)
			want.x[sh->mmio_rd] = mmio_expected(sh, resp0);
		break;
	default: break;
	}
	return want;
}

static void check_entry(unsigned h, int c, int v, uint64_t resp0, uint64_t resp1)
{
	const struct shadow *sh = &hs.shadow[c][v];
	struct cpu_view now;
	cpu_view_read(h, &now);
	if (!sh->valid)
		return;
	EXPECT(!sh->dead, "CVM %d vCPU %d runs again after it faulted", c, v);
	if (sh->fresh) {
		EXPECT(now.pc == sh->cpu.pc, "fresh vCPU %d/%d starts at %llx, not %llx", c, v,
		       (unsigned long long)now.pc, (unsigned long long)sh->cpu.pc);
		for (unsigned i = 1; i < 32; i++)
			EXPECT(now.x[i] == sh->cpu.x[i], "fresh vCPU %d/%d x%u = %llx", c, v, i,
			       (unsigned long long)now.x[i]);
		for (unsigned i = 0; i < 32; i++)
			EXPECT(now.f[i] == 0, "fresh vCPU %d/%d f%u = %llx", c, v, i, (unsigned long long)now.f[i]);
		return;
	}
	struct cpu_view want = answered(sh, resp0, resp1, now.x[REG_A0]);
	EXPECT(now.pc == want.pc, "vCPU %d/%d resumes at %llx, expected %llx", c, v,
	       (unsigned long long)now.pc, (unsigned long long)want.pc);
	for (unsigned i = 1; i < 32; i++)
		EXPECT(now.x[i] == want.x[i], "vCPU %d/%d x%u changed: %llx -> %llx", c, v, i,
		       (unsigned long long)want.x[i], (unsigned long long)now.x[i]);
	for (unsigned i = 0; i < 32; i++)
		EXPECT(now.f[i] == want.f[i], "vCPU %d/%d f%u changed", c, v, i);
	EXPECT(now.fcsr == want.fcsr, "vCPU %d/%d fcsr changed", c, v);
	EXPECT(now.vsscratch == want.vsscratch && now.vsepc == want.vsepc && now.vscause == want.vscause &&
	       now.vstval == want.vstval && now.vstvec == want.vstvec && now.vsatp == want.vsatp &&
	       now.vsie == want.vsie,
	       "vCPU %d/%d VS CSRs changed across an exit", c, v);
}

/* Running CVMs fill every register with secrets the oracles then look for. */
static void plant_register_canaries(unsigned h, int c, int v)
{
	struct model_hart *mh = model_hart(h);
	for (unsigned i = 1; i < 32; i++)
		mh->x[i] = canary((unsigned)c, (unsigned)v, i);
	uint64_t f[CVM_FP_REGS];
	for (unsigned i = 0; i < 32; i++)
		f[i] = canary((unsigned)c, (unsigned)v, 32 + i);
	f[32] = 0x80 | (((unsigned)c << 3 | (unsigned)v) & 0x7f); /* fcsr's 8 bits: a mark, not a canary */
	if (!cvm_fp_write_all(h, f))
		harness_finding(ORACLE_CVM_INTEGRITY, "hart %u: the CVM's FP instruction did not run", h);
	model_set_csr(h, CSR_VSSCRATCH, canary((unsigned)c, (unsigned)v, 64));
	model_set_csr(h, CSR_VSEPC, canary((unsigned)c, (unsigned)v, 65));
	model_set_csr(h, CSR_VSTVAL, canary((unsigned)c, (unsigned)v, 66));
}

/*
 * run_tvm_vcpu can enter the CVM and leave it again within one step, before it executes
 * anything, when an interrupt for the hypervisor is already pending. The entry still
 * delivered the answer, so the shadow moves on as if the vCPU had resumed and stopped at
 * once; any exit but an interrupt would mean the CVM ran, which it cannot have.
 */
static void entered_and_left(unsigned h, const struct step *s, uint64_t resp0, uint64_t resp1)
{
	int c = hs.run_cvm, v = hs.run_vcpu;
	if (s->kind != ST_HV_RUN || s->hart != h || c < 0)
		return;
	EXPECT(hs.run_exit == TVM_EXIT_INTERRUPT,
	       "CVM %d vCPU %d left with reason %llu without running an instruction", c, v,
	       (unsigned long long)hs.run_exit);
	struct shadow *sh = &hs.shadow[c][v];
	if (!sh->valid || sh->fresh)
		return; /* a fresh vCPU that ran nothing is still fresh */
	EXPECT(!sh->dead, "CVM %d vCPU %d runs again after it faulted", c, v);
	sh->cpu = answered(sh, resp0, resp1, sm.cvms[c].vcpu[v].regs.x[REG_A0]);
	sh->exit_reason = TVM_EXIT_INTERRUPT;
	sh->pc_step = 0;
}

void integrity_after_step(const struct step *s, uint64_t resp0, uint64_t resp1)
{
	for (unsigned h = 0; h < model_nr_harts(); h++) {
		bool now = hart_in_guest(h);
		if (hs.in_guest[h] && !now)
			record_exit(h, s);
		if (!hs.in_guest[h] && !now)
			entered_and_left(h, s, resp0, resp1);
		if (!hs.in_guest[h] && now) {
			int c = sm.harts[h].cvm, v = sm.harts[h].vcpu;
			if (c < 0 || v < 0) {
				harness_finding(ORACLE_CVM_INTEGRITY, "hart %u in VS with no CVM recorded", h);
				continue;
			}
			check_entry(h, c, v, resp0, resp1);
			hs.shadow[c][v].valid = false;
			plant_register_canaries(h, c, v);
		}
	}
	for (unsigned c = 0; c < MAX_CVMS; c++)
		if (sm.cvms[c].state == CVM_FREE)
			integrity_forget_cvm(c);
}
