/*
 * A domain's own CSR instructions (csrrw, csrrs, csrrc), with the access rules of the
 * privileged spec 1.12 (2.1, 3.1.11, 4.1, 8.2, 8.6.1) and Sstc:
 *   - bits 9:8 of the number give the lowest privilege (0 U, 1 S, 2 HS/VS and H, 3 M);
 *     bits 11:10 = 3 mark it read-only;
 *   - in VS-mode an S CSR that has a VS copy is that copy (sstatus is vsstatus, sip is
 *     vsip...); scounteren and senvcfg have none, so VS-mode reaches the real ones;
 *   - in VS or VU mode a CSR of a higher level that HS could reach, and a counter that
 *     mcounteren allows but hcounteren does not, raise a virtual-instruction exception;
 *     everything else denied raises an illegal-instruction exception;
 *   - cycle, time, instret from below M need mcounteren, then hcounteren when V=1,
 *     then scounteren in U or VU; stimecmp needs menvcfg.STCE and mcounteren.TM, and
 *     from VS (vstimecmp) henvcfg.STCE and hcounteren.TM; satp traps under
 *     mstatus.TVM (HS) or hstatus.VTVM (VS).
 * CSRs the model does not implement raise an illegal-instruction exception.
 */
#include "model_priv.h"

#define CSR_CYCLE 0xc00
#define CSR_INSTRET 0xc02
#define COUNTER_TM (1ULL << 1)

enum denial { OK, ILLEGAL, VIRTUAL };

/* The S CSR's VS copy, or the number itself when it has none (8.2, table 8.3). */
static unsigned vs_copy(unsigned csr)
{
	switch (csr) {
	case CSR_SSTATUS: return CSR_VSSTATUS;
	case CSR_SIE: return CSR_VSIE;
	case CSR_STVEC: return CSR_VSTVEC;
	case CSR_SSCRATCH: return CSR_VSSCRATCH;
	case CSR_SEPC: return CSR_VSEPC;
	case CSR_SCAUSE: return CSR_VSCAUSE;
	case CSR_STVAL: return CSR_VSTVAL;
	case CSR_SIP: return CSR_VSIP;
	case CSR_STIMECMP: return CSR_VSTIMECMP;
	case CSR_SATP: return CSR_VSATP;
	default: return csr;
	}
}

/* What a domain below M may name at all: the S, H and VS CSRs and the counters. */
static bool implemented(unsigned csr)
{
	switch (csr) {
	case CSR_SSTATUS: case CSR_SIE: case CSR_STVEC: case CSR_SCOUNTEREN: case CSR_SENVCFG:
	case CSR_SSCRATCH: case CSR_SEPC: case CSR_SCAUSE: case CSR_STVAL: case CSR_SIP:
	case CSR_STIMECMP: case CSR_SATP:
	case CSR_VSSTATUS: case CSR_VSIE: case CSR_VSTVEC: case CSR_VSSCRATCH: case CSR_VSEPC:
	case CSR_VSCAUSE: case CSR_VSTVAL: case CSR_VSIP: case CSR_VSTIMECMP: case CSR_VSATP:
	case CSR_HSTATUS: case CSR_HEDELEG: case CSR_HIDELEG: case CSR_HIE: case CSR_HIP:
	case CSR_HVIP: case CSR_HTIMEDELTA: case CSR_HCOUNTEREN: case CSR_HGEIE: case CSR_HENVCFG:
	case CSR_HTVAL: case CSR_HTINST: case CSR_HGATP:
	case CSR_CYCLE: case CSR_TIME: case CSR_INSTRET:
		return true;
	default:
		return false;
	}
}

/* Counter gating (3.1.11, 4.1.5, 8.2.9): bit `bit` through mcounteren, hcounteren, scounteren. */
static enum denial counter_gate(const struct hart_state *hs, enum model_mode mode, unsigned bit)
{
	uint64_t m = 1ULL << bit;
	if (!(hs->csr[SL_MCOUNTEREN] & m))
		return ILLEGAL;
	bool virt = mode_is_virtual(mode);
	if (virt && !(hs->csr[SL_HCOUNTEREN] & m))
		return VIRTUAL;
	if ((mode == MODE_U || mode == MODE_VU) && !(hs->csr[SL_SCOUNTEREN] & m))
		return virt ? VIRTUAL : ILLEGAL;
	return OK;
}

static enum denial check(const struct hart_state *hs, enum model_mode mode, unsigned csr, bool write)
{
	unsigned level = (csr >> 8) & 3;
	bool virt = mode_is_virtual(mode), user = mode == MODE_U || mode == MODE_VU;
	if (!implemented(csr) || level == 3)
		return ILLEGAL;
	if (write && (csr >> 10) == 3)
		return ILLEGAL;
	if (csr >= CSR_CYCLE && csr <= CSR_INSTRET)
		return counter_gate(hs, mode, csr - CSR_CYCLE);
	/* what HS itself could not reach is illegal everywhere below it */
	if (user && level > 0)
		return virt ? VIRTUAL : ILLEGAL;
	if (virt && level == 2)
		return VIRTUAL;
	if (csr == CSR_STIMECMP || csr == CSR_VSTIMECMP) {
		if (!(hs->csr[SL_MENVCFG] & M_ENVCFG_STCE) || !(hs->csr[SL_MCOUNTEREN] & COUNTER_TM))
			return ILLEGAL;
		if (virt && (!(hs->csr[SL_HENVCFG] & M_ENVCFG_STCE) || !(hs->csr[SL_HCOUNTEREN] & COUNTER_TM)))
			return VIRTUAL;
	}
	if (csr == CSR_SATP) {
		if (!virt && (hs->csr[SL_MSTATUS] & MSTATUS_TVM))
			return ILLEGAL;
		if (virt && (hs->csr[SL_HSTATUS] & M_HSTATUS_VTVM))
			return VIRTUAL;
	}
	return OK;
}

static uint64_t read_counter(const struct hart_state *hs, unsigned csr)
{
	switch (csr) {
	case CSR_TIME:
		return g_model.time + (mode_is_virtual(hs->pub.mode) ? hs->csr[SL_HTIMEDELTA] : 0);
	case CSR_INSTRET: return hs->csr[SL_MINSTRET];
	default: return g_model.time; /* cycle: the model has no clock of its own */
	}
}

enum model_result model_csr_insn(unsigned h, unsigned csr, char op, unsigned rd, unsigned rs1)
{
	struct hart_state *hs = model_action_hart(h, "model_csr_insn");
	if (!hs)
		return MODEL_PARKED;
	if (rd >= 32 || rs1 >= 32 || csr >= 4096 || (op != 'w' && op != 's' && op != 'c'))
		model_fatal("model_csr_insn: csr 0x%x op '%c' rd %u rs1 %u", csr, op, rd, rs1);
	/* csrrs/csrrc with rs1 = x0 do not write (2.1), so read-only CSRs allow them */
	bool write = op == 'w' || rs1 != 0;
	enum model_mode mode = hs->pub.mode;
	enum denial d = check(hs, mode, csr, write);
	if (d != OK) {
		unsigned funct3 = op == 'w' ? 1 : op == 's' ? 2 : 3;
		struct trap_info t = {
			.cause = d == VIRTUAL ? CAUSE_VIRTUAL_INSTRUCTION : CAUSE_ILLEGAL_INSTRUCTION,
			.tval = (uint64_t)csr << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x73,
		};
		enum model_result r = trap_take_exception(h, &t);
		trap_deliver_pending();
		return r;
	}
	unsigned target = mode_is_virtual(mode) ? vs_copy(csr) : csr;
	uint64_t src = rs1 ? hs->pub.x[rs1] : 0;
	bool counter = csr >= CSR_CYCLE && csr <= CSR_INSTRET;
	uint64_t old = counter ? read_counter(hs, csr) : csr_get(hs, target);
	if (write) {
		uint64_t v = op == 'w' ? src : op == 's' ? old | src : old & ~src;
		model_epoch_counter++;
		csr_put(hs, target, v);
	}
	if (rd)
		hs->pub.x[rd] = old;
	hs->pub.pc += 4;
	trap_deliver_pending();
	return MODEL_OK;
}
