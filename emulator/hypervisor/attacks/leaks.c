/*
 * State across an exit: the agent plants secrets in every register it has, makes one
 * hypercall, and the hypervisor looks at everything it can read at that exit: the
 * GPRs, FP registers and fcsr the run hands back, its own vs* CSRs, and its HS trap
 * CSRs (which a CVM trap must never reach).
 */
#include "atk.h"
#include "cove.h"
#include "sbi.h"

#define REG_NAMES 32

static const char *const reg_names[REG_NAMES] = {
	"x0", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
	"a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
	"t5", "t6",
};

/* The agent's PLANT_GPRS exit, with this hart's ctx holding what the run handed back. */
static bool planted_exit(struct atk_cvm *c, struct atk_report *r)
{
	struct atk_exit e;
	if (!atk_start(c, 1, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return false;
	}
	if (atk_command(c, 0, AGENT_CMD_PLANT_GPRS, 0, NULL, 0, &e) != STOP_PROBE) {
		ev(r, "the victim's hypercall did not arrive");
		return false;
	}
	return true;
}

enum atk_verdict atk_leak_gprs(struct atk_report *r)
{
	struct atk_cvm c;
	enum atk_verdict v = ATK_ERROR;
	if (planted_exit(&c, r)) {
		const struct atk_ctx *x = atk_here();
		unsigned hits = 0;
		for (unsigned i = 1; i < 32; i++) {
			if (!secret_is(x->out[i]))
				continue;
			if (hits++ < 4) {
				ev(r, reg_names[i]);
				ev(r, " = ");
				ev_hex(r, x->out[i]);
				ev(r, "; ");
			}
		}
		ev_dec(r, hits);
		ev(r, " of 31 GPRs hold the victim's values");
		v = hits ? ATK_SUCCEEDED : ATK_BLOCKED;
	}
	atk_destroy(&c);
	return v;
}

/* The victim's FP registers and fcsr, as the hypervisor finds its own after the exit. */
static enum atk_verdict fp_left_behind(struct atk_report *r)
{
	struct atk_cvm c;
	enum atk_verdict v = ATK_ERROR;
	if (planted_exit(&c, r)) {
		const struct atk_ctx *x = atk_here();
		unsigned hits = 0;
		for (unsigned i = 0; i < 32; i++)
			hits += secret_is(x->fout[i]);
		bool fcsr = (x->fcsr_out & 0xff) == AGENT_FCSR;
		ev_dec(r, hits);
		ev(r, " of 32 FP registers hold the victim's values; fcsr = ");
		ev_hex(r, x->fcsr_out);
		ev(r, " (victim's ");
		ev_hex(r, AGENT_FCSR);
		ev(r, ")");
		v = hits || fcsr ? ATK_SUCCEEDED : ATK_BLOCKED;
	}
	atk_destroy(&c);
	return v;
}

enum atk_verdict atk_leak_fp(struct atk_report *r) { return fp_left_behind(r); }

/* With mstatus.FS left on under the CVM the agent's FP writes land in the hart directly,
 * and an exit that switches FP only after a first-use trap leaves them there. */
enum atk_verdict atk_leak_fp_unswitched(struct atk_report *r) { return fp_left_behind(r); }

/* ---- vs* CSRs ---- */

static const char *const vs_names[AGENT_CSRS] = { "vsscratch", "vsepc", "vscause", "vstval", "vstvec" };

static uint64_t vs_marker(unsigned k)
{
	return 0xa77ac4ed00005000UL | ((uint64_t)k << 4);
}

static void set_vs_markers(struct atk_cvm *c, struct atk_ctx *x)
{
	(void)c;
	(void)x;
	__asm__ __volatile__("csrw vsscratch, %0" ::"r"(vs_marker(0)));
	__asm__ __volatile__("csrw vsepc, %0" ::"r"(vs_marker(1)));
	__asm__ __volatile__("csrw vscause, %0" ::"r"(vs_marker(2)));
	__asm__ __volatile__("csrw vstval, %0" ::"r"(vs_marker(3)));
	__asm__ __volatile__("csrw vstvec, %0" ::"r"(vs_marker(4)));
}

static void read_vs(uint64_t v[AGENT_CSRS])
{
	__asm__ __volatile__("csrr %0, vsscratch" : "=r"(v[0]));
	__asm__ __volatile__("csrr %0, vsepc" : "=r"(v[1]));
	__asm__ __volatile__("csrr %0, vscause" : "=r"(v[2]));
	__asm__ __volatile__("csrr %0, vstval" : "=r"(v[3]));
	__asm__ __volatile__("csrr %0, vstvec" : "=r"(v[4]));
}

enum atk_verdict atk_leak_vs_csrs(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	enum atk_verdict v = ATK_ERROR;
	if (!atk_start(&c, 1, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	c.before_run = set_vs_markers;
	if (atk_command(&c, 0, AGENT_CMD_PLANT_CSRS, 0, NULL, 0, &e) == STOP_PROBE) {
		uint64_t seen[AGENT_CSRS];
		read_vs(seen);
		unsigned victims = 0, mine = 0;
		for (unsigned k = 0; k < AGENT_CSRS; k++) {
			mine += seen[k] == vs_marker(k);
			if (seen[k] != agent_csr_plant(0, k))
				continue;
			victims++;
			ev(r, vs_names[k]);
			ev(r, " = ");
			ev_hex(r, seen[k]);
			ev(r, "; ");
		}
		if (mine == AGENT_CSRS) {
			ev(r, "every vs* CSR holds the hypervisor's own value");
			v = ATK_BLOCKED;
		} else {
			ev_dec(r, victims);
			ev(r, " vs* CSRs hold the victim's values");
			v = victims ? ATK_SUCCEEDED : ATK_ERROR;
		}
	} else {
		ev(r, "the victim's hypercall did not arrive");
	}
	c.before_run = NULL;
	atk_destroy(&c);
	return v;
}

/* ---- HS trap CSRs ---- */

static uint64_t hs_marker(unsigned k)
{
	return 0xa77ac4ed00006000UL | ((uint64_t)k << 4);
}

static void read_hs_trap_csrs(uint64_t v[5])
{
	__asm__ __volatile__("csrr %0, sepc" : "=r"(v[0]));
	__asm__ __volatile__("csrr %0, scause" : "=r"(v[1]));
	__asm__ __volatile__("csrr %0, stval" : "=r"(v[2]));
	__asm__ __volatile__("csrr %0, htval" : "=r"(v[3]));
	__asm__ __volatile__("csrr %0, htinst" : "=r"(v[4]));
}

/* What the CSRs held when the run began: the markers, as far as each CSR keeps them
 * (QEMU 7.2 keeps htinst at 0). */
static uint64_t hs_before[5];

static void set_hs_markers(struct atk_cvm *c, struct atk_ctx *x)
{
	(void)c;
	(void)x;
	__asm__ __volatile__("csrw sepc, %0" ::"r"(hs_marker(0)));
	__asm__ __volatile__("csrw scause, %0" ::"r"(hs_marker(1)));
	__asm__ __volatile__("csrw stval, %0" ::"r"(hs_marker(2)));
	__asm__ __volatile__("csrw htval, %0" ::"r"(hs_marker(3)));
	__asm__ __volatile__("csrw htinst, %0" ::"r"(hs_marker(4)));
	read_hs_trap_csrs(hs_before);
}

static void trap_evidence(struct atk_report *r, const uint64_t v[5])
{
	static const char *const names[5] = { "sepc", "scause", "stval", "htval", "htinst" };
	for (unsigned k = 0; k < 5; k++) {
		ev(r, names[k]);
		ev(r, " = ");
		ev_hex(r, v[k]);
		ev(r, "; ");
	}
}

enum atk_verdict atk_leak_trap_csrs(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	if (atk_promote(&c, 1, NULL, 0) != 0) {
		ev(r, "the victim CVM could not be promoted");
		return ATK_ERROR;
	}
	c.before_run = set_hs_markers;
	/* its first request, then a load from a GPA nothing maps: both are traps */
	enum atk_stop s = atk_drive(&c, 0, 0, 0, &e);
	if (s == STOP_NEXT)
		s = atk_command(&c, 0, AGENT_CMD_READ, 0x7ff0000UL, NULL, 0, &e);
	uint64_t seen[5];
	read_hs_trap_csrs(seen);
	c.before_run = NULL;
	enum atk_verdict v = ATK_ERROR;
	if (s == STOP_ESCAPED) {
		const struct atk_ctx *x = atk_here();
		uint64_t got[5] = { x->sepc, x->scause, x->stval, x->htval, x->htinst };
		trap_evidence(r, got);
		ev(r, "the trap reached HS-mode");
		v = ATK_SUCCEEDED;
	} else {
		unsigned same = 0;
		for (unsigned k = 0; k < 5; k++)
			same += seen[k] == hs_before[k];
		if (same == 5) {
			ev(r, "HS trap CSRs untouched; the hypervisor got exit reason ");
			ev_dec(r, e.reason);
			v = s == STOP_FAULT ? ATK_BLOCKED : ATK_ERROR;
		} else {
			trap_evidence(r, seen);
			ev(r, "HS trap CSRs changed across the run");
			v = ATK_SUCCEEDED;
		}
	}
	atk_destroy(&c);
	return v;
}
