/*
 * Tampering on resume: the hypervisor changes what it holds (its GPRs, its vs* CSRs),
 * injects interrupts the CVM never allowed, and answers an MMIO load the CVM never
 * registered; the agent says what it saw.
 */
#include "atk.h"
#include "cove.h"
#include "sbi.h"

#define IRQS_ALL ((1UL << TVM_IRQ_VSSI) | (1UL << TVM_IRQ_VSTI) | (1UL << TVM_IRQ_VSEI))
#define SPIN_IRQ_ITERS 200000UL
#define MMIO_ANSWER 0xa77ac4edbadc0de5UL

static bool start(struct atk_cvm *c, struct atk_report *r)
{
	if (atk_start(c, 1, NULL, 0))
		return true;
	ev(r, "the victim CVM did not start");
	return false;
}

enum atk_verdict atk_resume_registers(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	enum atk_verdict v = ATK_ERROR;
	/* every run loads all GPRs with the hypervisor's own values: only a0/a1 may pass */
	if (start(&c, r) && atk_command(&c, 0, AGENT_CMD_PLANT_GPRS, 0, NULL, 0, &e) == STOP_PROBE &&
	    atk_drive(&c, 0, 0, 0, &e) == STOP_NEXT) {
		unsigned long changed = e.p[1], first = e.p[2], value = e.p[3];
		if (changed) {
			bool ours = first < 32 && value == atk_marker((unsigned)first, false);
			ev(r, "x");
			ev_dec(r, first);
			ev(r, " = ");
			ev_hex(r, value);
			ev(r, ours ? " (the hypervisor's)" : "");
			ev(r, "; ");
			v = ours ? ATK_SUCCEEDED : ATK_ERROR;
		} else {
			v = ATK_BLOCKED;
		}
		ev(r, "registers changed besides the answer: ");
		ev_dec(r, changed);
	} else if (c.id) {
		ev(r, "the victim's hypercall did not complete");
	}
	atk_destroy(&c);
	return v;
}

static uint64_t tamper_value(unsigned k)
{
	return 0xa77ac4edbadc0000UL | ((uint64_t)k << 4);
}

static void tamper_vs(struct atk_cvm *c, struct atk_ctx *x)
{
	(void)c;
	(void)x;
	__asm__ __volatile__("csrw vsscratch, %0" ::"r"(tamper_value(0)));
	__asm__ __volatile__("csrw vsepc, %0" ::"r"(tamper_value(1)));
	__asm__ __volatile__("csrw vscause, %0" ::"r"(tamper_value(2)));
	__asm__ __volatile__("csrw vstval, %0" ::"r"(tamper_value(3)));
	__asm__ __volatile__("csrw vstvec, %0" ::"r"(tamper_value(4)));
}

enum atk_verdict atk_resume_sepc(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	enum atk_verdict v = ATK_ERROR;
	if (start(&c, r)) {
		c.before_run = tamper_vs;
		if (atk_command(&c, 0, AGENT_CMD_PLANT_CSRS, 0, NULL, 0, &e) == STOP_PROBE &&
		    atk_drive(&c, 0, 0, 0, &e) == STOP_NEXT) {
			unsigned long mask = e.p[1];
			/* the agent's r1..r4: sepc, sscratch, stvec, scause as it saw them */
			static const char *const names[4] = { "sepc (vsepc)", "sscratch", "stvec", "scause" };
			static const unsigned which[4] = { 1, 0, 4, 2 };
			unsigned ours = 0;
			for (unsigned i = 0; i < 4; i++) {
				if (e.p[2 + i] != tamper_value(which[i]))
					continue;
				ours++;
				ev(r, names[i]);
				ev(r, " = ");
				ev_hex(r, e.p[2 + i]);
				ev(r, "; ");
			}
			if (!mask) {
				ev(r, "sepc and every vs* CSR are the victim's own");
				v = ATK_BLOCKED;
			} else {
				ev_dec(r, ours);
				ev(r, " of the victim's CSRs hold the hypervisor's values");
				v = ours ? ATK_SUCCEEDED : ATK_ERROR;
			}
		} else {
			ev(r, "the victim's hypercall did not complete");
		}
		c.before_run = NULL;
	}
	atk_destroy(&c);
	return v;
}

enum atk_verdict atk_inject_interrupt(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	enum atk_verdict v = ATK_ERROR;
	if (start(&c, r)) {
		c.inject = IRQS_ALL; /* the victim never allowed any */
		if (atk_command(&c, 0, AGENT_CMD_SPIN_IRQ, SPIN_IRQ_ITERS, NULL, 0, &e) == STOP_NEXT) {
			ev(r, "injected ");
			ev_hex(r, IRQS_ALL);
			ev(r, " on every run; the victim took ");
			ev_dec(r, e.p[1]);
			ev(r, " interrupts (scause codes ");
			ev_hex(r, e.p[2]);
			ev(r, ")");
			v = e.p[1] ? ATK_SUCCEEDED : ATK_BLOCKED;
		} else {
			ev(r, "the victim did not come back from its wait");
		}
	}
	atk_destroy(&c);
	return v;
}

enum atk_verdict atk_mmio_outside_region(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	enum atk_verdict v = ATK_ERROR;
	unsigned long region[2] = { DEV_GPA, DEV_SIZE };
	if (start(&c, r) &&
	    atk_command(&c, 0, AGENT_CMD_COVG, COVG_ADD_MMIO_REGION, region, 2, &e) == STOP_NEXT &&
	    e.p[1] == 0) {
		c.mmio_answer = MMIO_ANSWER;
		unsigned long gpa = DEV_GPA + DEV_SIZE;
		enum atk_stop s = atk_command(&c, 0, AGENT_CMD_READ, gpa, NULL, 0, &e);
		ev(r, "victim loads ");
		ev_hex(r, gpa);
		ev(r, " next to its region: ");
		if (s == STOP_FAULT) {
			ev(r, "FAULT exit (mcause ");
			ev_dec(r, e.p[0]);
			ev(r, "), ");
			ev_dec(r, c.mmio_exits);
			ev(r, " MMIO exits");
			v = c.mmio_exits ? ATK_ERROR : ATK_BLOCKED;
		} else if (s == STOP_NEXT) {
			ev_dec(r, c.mmio_exits);
			ev(r, " MMIO exit(s); the victim's register holds ");
			ev_hex(r, e.p[1]);
			v = e.p[1] == MMIO_ANSWER ? ATK_SUCCEEDED : ATK_ERROR;
		} else {
			ev(r, "no exit the attack expects");
		}
	} else {
		ev(r, c.id ? "; the victim could not register its region" : "");
	}
	atk_destroy(&c);
	return v;
}
