/*
 * The domains' FP instructions, as far as the harness needs them: moving a value into
 * or out of f0-f31 or fcsr (fld and fsd of a value the domain holds). They are gated
 * as the privileged spec says: with mstatus.FS Off, or with V=1 and vsstatus.FS Off,
 * the instruction is illegal. A write marks FS Dirty at both levels that apply. pc
 * does not move: the harness's domains touch their FP registers between the
 * instructions its steps name, and a trap returns to the same pc.
 */
#include "model_priv.h"

#define FP_FCSR 32 /* reg number of fcsr */

static bool fp_enabled(const struct hart_state *hs)
{
	if (!(hs->csr[SL_MSTATUS] & MSTATUS_FS))
		return false;
	return !mode_is_virtual(hs->pub.mode) || (hs->csr[SL_VSSTATUS] & MSTATUS_FS);
}

/* fmv.d.x f[reg], x0 / fmv.x.d x0, f[reg]; fscsr x0 / frcsr x0 for fcsr: what mtval shows */
static uint64_t encoding(unsigned reg, bool write)
{
	if (reg == FP_FCSR)
		return write ? 0x00301073 : 0x00302073;
	return write ? (0xf2000053 | (reg << 7)) : (0xe2000053 | (reg << 15));
}

static void check_freg(unsigned reg)
{
	if (reg > FP_FCSR)
		model_fatal("FP register %u does not exist (f0-f31, 32 = fcsr)", reg);
}

/*
 * Runs the access once the FP unit is on. A trap to M that returns to the very same
 * instruction (the monitor turned FP on, lazily) runs it again, as the hart would; any
 * other outcome of the trap is the result.
 */
static enum model_result fp_access(unsigned h, unsigned reg, bool write, uint64_t *val, const char *who)
{
	struct hart_state *hs = model_action_hart(h, who);
	if (!hs)
		return MODEL_PARKED;
	check_freg(reg);
	for (unsigned attempt = 0; !fp_enabled(hs); attempt++) {
		enum model_mode mode = hs->pub.mode;
		uint64_t pc = hs->pub.pc;
		struct trap_info t = { .cause = CAUSE_ILLEGAL_INSTRUCTION, .tval = encoding(reg, write) };
		/* no interrupt between the trap's mret and the retry: the model delivers at the
		 * end of the action, so the retry is the next instruction the hart runs */
		enum model_result r = trap_take_exception(h, &t);
		if (r != MODEL_TRAP_M || attempt > 0 || hs->pub.parked || hs->pub.mode != mode || hs->pub.pc != pc)
			return r;
	}
	if (write) {
		if (reg == FP_FCSR)
			hs->pub.fcsr = *val & 0xff; /* frm and fflags */
		else
			hs->pub.f[reg] = *val;
		hs->csr[SL_MSTATUS] |= MSTATUS_FS;
		if (mode_is_virtual(hs->pub.mode))
			hs->csr[SL_VSSTATUS] |= MSTATUS_FS;
	} else {
		*val = reg == FP_FCSR ? hs->pub.fcsr : hs->pub.f[reg];
	}
	trap_deliver_pending();
	return MODEL_OK;
}

enum model_result model_fp_write(unsigned h, unsigned reg, uint64_t val)
{
	return fp_access(h, reg, true, &val, "model_fp_write");
}

enum model_result model_fp_read(unsigned h, unsigned reg, uint64_t *val)
{
	return fp_access(h, reg, false, val, "model_fp_read");
}
