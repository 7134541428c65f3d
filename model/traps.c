/*
 * Trap entry, delegation, mret and interrupt delivery, following the privileged spec
 * 1.12 (3.1.6.1, 3.1.8, 3.1.9, 3.3.2, 4.1.1) and the hypervisor extension (8.4, 8.6).
 * A trap that reaches M-mode runs the monitor; the model then performs its mret.
 */
#include <string.h>

#include "monitor.h"
#include "sbi.h"
#include "model_priv.h"
#include "model_test.h"

static struct model_monitor_hooks hooks;

void model_set_monitor_hooks(const struct model_monitor_hooks *h)
{
	if (h)
		hooks = *h;
	else
		memset(&hooks, 0, sizeof(hooks));
}

uint64_t model_interrupt_storms(void)
{
	return g_model.storms;
}

static uint64_t set_field(uint64_t reg, uint64_t mask, bool on)
{
	return on ? (reg | mask) : (reg & ~mask);
}

/* Trap vector: vectored mode sends interrupts to base + 4 * cause (3.1.7). */
static uint64_t vector(uint64_t tvec, uint64_t cause)
{
	uint64_t base = tvec & ~3ULL;
	if ((tvec & 3) == 1 && (cause & MCAUSE_INTR))
		return base + 4 * (cause & ~MCAUSE_INTR);
	return base;
}

void trap_park(struct hart_state *hs)
{
	hs->pub.parked = true;
	hs->pub.mode = MODE_M;
	hs->wake_refused = false;
}

/* mret (3.3.2, 8.6.4): the mode comes from MPP/MPV, then MPP=U, MPV=0, MIE=MPIE. */
static void do_mret(unsigned h, struct hart_state *hs)
{
	uint64_t st = hs->csr[SL_MSTATUS];
	uint64_t mpp = (st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	bool mpv = (st & MSTATUS_MPV) != 0;
	if (mpp == PRV_M)
		model_fatal("hart %u: monitor returned with mstatus.MPP=M (code would keep running in M-mode)", h);
	hs->pub.mode = mpp == PRV_S ? (mpv ? MODE_VS : MODE_HS) : (mpv ? MODE_VU : MODE_U);
	st = set_field(st, MSTATUS_MIE, st & MSTATUS_MPIE);
	st |= MSTATUS_MPIE;
	st &= ~(MSTATUS_MPP | MSTATUS_MPV | MSTATUS_MPRV); /* MPRV clears when leaving M */
	hs->csr[SL_MSTATUS] = st;
	hs->pub.pc = hs->csr[SL_MEPC];
}

static void enter_monitor(unsigned h)
{
	g_model.current = h;
	g_model.in_monitor = true;
}

/* Runs the monitor for hart h, which has just entered M-mode, and leaves M-mode. */
static void run_monitor(unsigned h, struct hart_state *hs)
{
	struct hart *mh = &sm.harts[h];
	mh->regs->x[0] = 0;
	memcpy(&mh->regs->x[1], &hs->pub.x[1], 31 * sizeof(uint64_t));
	enter_monitor(h);
	bool park = hooks.trap ? hooks.trap(mh) : monitor_trap(mh);
	g_model.in_monitor = false;
	memcpy(&hs->pub.x[1], &mh->regs->x[1], 31 * sizeof(uint64_t));
	if (hooks.after_trap)
		hooks.after_trap(h);
	if (park) {
		trap_park(hs); /* the hart waits in M-mode for a wake-up */
		return;
	}
	do_mret(h, hs);
}

static void trap_to_m(unsigned h, struct hart_state *hs, const struct trap_info *t)
{
	enum model_mode mode = hs->pub.mode;
	uint64_t st = hs->csr[SL_MSTATUS];
	model_epoch_counter++;
	st = (st & ~MSTATUS_MPP) | ((uint64_t)mode_priv(mode) << MSTATUS_MPP_SHIFT);
	st = set_field(st, MSTATUS_MPV, mode_is_virtual(mode));
	st = set_field(st, MSTATUS_GVA, t->gva);
	st = set_field(st, MSTATUS_MPIE, st & MSTATUS_MIE);
	st &= ~MSTATUS_MIE;
	hs->csr[SL_MSTATUS] = st;
	hs->csr[SL_MEPC] = hs->pub.pc;
	hs->csr[SL_MCAUSE] = t->cause;
	hs->csr[SL_MTVAL] = t->tval;
	hs->csr[SL_MTVAL2] = t->tval2; /* zero for everything but guest-page faults */
	hs->csr[SL_MTINST] = t->tinst;
	hs->pub.mode = MODE_M;
	hs->pub.pc = vector(hs->csr[SL_MTVEC], t->cause);
	run_monitor(h, hs);
}

static void trap_to_hs(struct hart_state *hs, const struct trap_info *t)
{
	enum model_mode mode = hs->pub.mode;
	bool virt = mode_is_virtual(mode);
	uint64_t hst = hs->csr[SL_HSTATUS];
	hst = set_field(hst, HSTATUS_SPV, virt);
	if (virt) /* SPVP records the nominal privilege only when V was 1 */
		hst = set_field(hst, HSTATUS_SPVP, mode == MODE_VS);
	hst = set_field(hst, HSTATUS_GVA, t->gva);
	hs->csr[SL_HSTATUS] = hst;

	uint64_t st = hs->csr[SL_MSTATUS];
	st = set_field(st, MSTATUS_SPP, mode_priv(mode) == PRV_S);
	st = set_field(st, MSTATUS_SPIE, st & MSTATUS_SIE);
	st &= ~MSTATUS_SIE;
	hs->csr[SL_MSTATUS] = st;
	hs->csr[SL_SEPC] = hs->pub.pc;
	hs->csr[SL_SCAUSE] = t->cause;
	hs->csr[SL_STVAL] = t->tval;
	hs->csr[SL_HTVAL] = t->tval2;
	hs->csr[SL_HTINST] = t->tinst;
	hs->pub.mode = MODE_HS;
	hs->pub.pc = vector(hs->csr[SL_STVEC], t->cause);
}

static void trap_to_vs(struct hart_state *hs, const struct trap_info *t)
{
	uint64_t cause = t->cause;
	/* VS-level interrupt codes 2/6/10 appear to VS-mode as the S-level 1/5/9 (8.6.4). */
	if (cause & MCAUSE_INTR)
		cause -= 1;
	uint64_t st = hs->csr[SL_VSSTATUS];
	st = set_field(st, MSTATUS_SPP, hs->pub.mode == MODE_VS);
	st = set_field(st, MSTATUS_SPIE, st & MSTATUS_SIE);
	st &= ~MSTATUS_SIE;
	hs->csr[SL_VSSTATUS] = st;
	hs->csr[SL_VSEPC] = hs->pub.pc;
	hs->csr[SL_VSCAUSE] = cause;
	hs->csr[SL_VSTVAL] = t->tval;
	hs->pub.mode = MODE_VS;
	hs->pub.pc = vector(hs->csr[SL_VSTVEC], cause);
}

/* Exceptions: M unless delegated by medeleg from below M; then VS if V=1 and hedeleg. */
enum model_result trap_take_exception(unsigned h, const struct trap_info *t)
{
	struct hart_state *hs = &g_model.harts[h];
	enum model_mode mode = hs->pub.mode;
	uint64_t bit = 1ULL << t->cause;
	if (mode != MODE_M && (hs->csr[SL_MEDELEG] & bit)) {
		if (mode_is_virtual(mode) && (hs->csr[SL_HEDELEG] & bit)) {
			trap_to_vs(hs, t);
			return MODEL_TRAP_VS;
		}
		trap_to_hs(hs, t);
		return MODEL_TRAP_HS;
	}
	trap_to_m(h, hs, t);
	return MODEL_TRAP_M;
}

/* Priority within one privilege level: MEI, MSI, MTI, SEI, SSI, STI, VSEI, VSSI, VSTI. */
static const unsigned irq_order[] = { IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT,
				      IRQ_S_TIMER, IRQ_VS_EXT, IRQ_VS_SOFT, IRQ_VS_TIMER };

static int highest(uint64_t set)
{
	for (unsigned i = 0; i < ARRAY_SIZE(irq_order); i++)
		if (set & (1ULL << irq_order[i]))
			return (int)irq_order[i];
	return -1;
}

enum irq_target { TO_NONE, TO_M, TO_HS, TO_VS };

/*
 * 3.1.9 and 8.6.2: an interrupt is taken by the most privileged mode it is destined
 * for; M-level ones whenever the hart is below M (or in M with MIE), HS-level ones
 * when V=1, in U, or in HS with SIE, VS-level ones only when V=1 (VU, or VS with
 * vsstatus.SIE).
 */
static enum irq_target pending_irq(const struct hart_state *hs, int *irq)
{
	enum model_mode mode = hs->pub.mode;
	bool virt = mode_is_virtual(mode);
	uint64_t pend = csr_mip(hs) & hs->csr[SL_MIE];
	uint64_t mideleg = csr_mideleg(hs), hideleg = hs->csr[SL_HIDELEG];
	uint64_t st = hs->csr[SL_MSTATUS];

	bool m_on = mode != MODE_M || (st & MSTATUS_MIE);
	if (m_on && (*irq = highest(pend & ~mideleg)) >= 0)
		return TO_M;
	bool hs_on = mode != MODE_M && (virt || mode == MODE_U || (st & MSTATUS_SIE));
	if (hs_on && (*irq = highest(pend & mideleg & ~hideleg)) >= 0)
		return TO_HS;
	bool vs_on = virt && (mode == MODE_VU || (hs->csr[SL_VSSTATUS] & MSTATUS_SIE));
	if (vs_on && (*irq = highest(pend & mideleg & hideleg)) >= 0)
		return TO_VS;
	return TO_NONE;
}

/*
 * A parked hart sits in the monitor's wait loop (trap.S's hart_park): a stopped one
 * leaves it on MSIP only, a suspended one when any interrupt in mie is pending (wfi).
 */
static bool wake_parked(unsigned h, struct hart_state *hs)
{
	bool suspended = sm.harts[h].hsm_state == SBI_HSM_STATE_SUSPENDED;
	uint64_t wakes = suspended ? csr_mip(hs) & hs->csr[SL_MIE] : csr_mip(hs) & MIP_MSIP;
	/* a refused wake of a stopped hart waits for the next MSIP; a suspended hart's
	 * refusal leaves nothing pending in mie (the monitor did the M-level work) */
	if (!wakes || (!suspended && hs->wake_refused))
		return false;
	struct hart *mh = &sm.harts[h];
	enter_monitor(h);
	bool ok = hooks.wakeup ? hooks.wakeup(mh) : monitor_hart_wakeup(mh);
	g_model.in_monitor = false;
	if (!ok) {
		hs->wake_refused = !suspended;
		return !suspended;
	}
	memcpy(&hs->pub.x[1], &mh->regs->x[1], 31 * sizeof(uint64_t));
	hs->pub.parked = false;
	do_mret(h, hs);
	return true;
}

/* Takes at most one interrupt on hart h; true if something happened. */
static bool deliver_one(unsigned h)
{
	struct hart_state *hs = &g_model.harts[h];
	if (hs->pub.parked)
		return wake_parked(h, hs);
	int irq;
	enum irq_target to = pending_irq(hs, &irq);
	if (to == TO_NONE)
		return false;
	struct trap_info t = { .cause = MCAUSE_INTR | (uint64_t)irq };
	if (to == TO_M)
		trap_to_m(h, hs, &t);
	else if (to == TO_HS)
		trap_to_hs(hs, &t);
	else
		trap_to_vs(hs, &t);
	return true;
}

/*
 * Delivers whatever is pending on every hart, never while the monitor runs (an IPI it
 * sends while handling one hart is taken after that handler returns). Bounded: an
 * M-level source the monitor never clears would otherwise trap forever.
 */
void trap_deliver_pending(void)
{
	if (g_model.in_monitor)
		return;
	unsigned n = 0;
	for (;;) {
		bool any = false;
		for (unsigned h = 0; h < g_model.nr_harts; h++) {
			if (n >= MODEL_MAX_DELIVERIES) {
				g_model.storms++;
				return;
			}
			if (deliver_one(h)) {
				any = true;
				n++;
			}
		}
		if (!any)
			return;
	}
}

/* ecall raises 8 from U/VU, 9 from HS, 10 from VS; pc is left for the handler. */
enum model_result model_ecall(unsigned h)
{
	struct hart_state *hs = model_action_hart(h, "model_ecall");
	if (!hs)
		return MODEL_PARKED;
	enum model_mode mode = hs->pub.mode;
	struct trap_info t = { .cause = mode == MODE_HS   ? CAUSE_SUPERVISOR_ECALL
					: mode == MODE_VS ? CAUSE_VIRTUAL_SUPERVISOR_ECALL
							  : CAUSE_USER_ECALL };
	enum model_result r = trap_take_exception(h, &t);
	trap_deliver_pending();
	return r;
}

static void check_irq(unsigned irq)
{
	const uint64_t known = M_IRQ_S_BITS | M_IRQ_VS_BITS | M_IRQ_M_BITS;
	if (irq >= 64 || !((known >> irq) & 1))
		model_fatal("interrupt %u is not one the model implements", irq);
}

/* VS-level lines are injected through hvip (GEILEN = 0: no guest interrupt files). */
static uint64_t *irq_slot(struct hart_state *hs, unsigned irq)
{
	return ((M_IRQ_VS_BITS >> irq) & 1) ? &hs->csr[SL_HVIP] : &hs->csr[SL_MIP];
}

void model_raise_irq(unsigned h, unsigned irq)
{
	struct hart_state *hs = model_hs(h, "model_raise_irq");
	if (g_model.in_monitor)
		model_fatal("model_raise_irq called while the monitor runs");
	check_irq(irq);
	if (irq == IRQ_M_SOFT && !(hs->csr[SL_MIP] & MIP_MSIP))
		hs->wake_refused = false;
	*irq_slot(hs, irq) |= 1ULL << irq;
	trap_deliver_pending();
}

void model_clear_irq(unsigned h, unsigned irq)
{
	struct hart_state *hs = model_hs(h, "model_clear_irq");
	check_irq(irq);
	*irq_slot(hs, irq) &= ~(1ULL << irq);
}

/* The CLINT raises MTIP while time >= mtimecmp. */
void model_advance_time(uint64_t delta)
{
	if (g_model.in_monitor)
		model_fatal("model_advance_time called while the monitor runs");
	uint64_t t = g_model.time + delta;
	g_model.time = t < g_model.time ? UINT64_MAX : t;
	for (unsigned h = 0; h < g_model.nr_harts; h++) {
		struct hart_state *hs = &g_model.harts[h];
		if (hs->pub.mtimecmp <= g_model.time)
			hs->csr[SL_MIP] |= MIP_MTIP;
	}
	trap_deliver_pending();
}

uint64_t model_time(void)
{
	return g_model.time;
}
