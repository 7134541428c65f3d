/*
 * SBI PMU for the counters every hart has: cycle and instret, as counters 0 and 1 (the
 * event HW_CPU_CYCLES and HW_INSTRUCTIONS). S-mode reads them directly (mcounteren lets
 * it); the monitor configures, starts (mcountinhibit clear, an initial value written to
 * mcycle or minstret) and stops them per hart. There are no firmware counters, and the
 * programmable hpm counters, which QEMU 7.2 counts nothing with, are not offered.
 */
#include "csr.h"
#include "monitor.h"
#include "sbi.h"
#include "sbi_ext.h"

#define NR_COUNTERS 2
#define EVENT_TYPE_HW 0
#define EVENT_HW_CPU_CYCLES 1
#define EVENT_HW_INSTRUCTIONS 2
#define CFG_SKIP_MATCH (1UL << 0)
#define CFG_CLEAR_VALUE (1UL << 1)
#define CFG_AUTO_START (1UL << 2)
#define START_SET_INIT_VALUE (1UL << 0)
#define STOP_RESET (1UL << 0)

struct counter {
	unsigned csr;     /* what S-mode reads */
	unsigned m_csr;   /* what the monitor writes an initial value to */
	ureg_t inhibit;   /* its mcountinhibit bit */
	unsigned event;   /* HW event code */
};

static const struct counter counters[NR_COUNTERS] = {
	{ 0xc00, CSR_MCYCLE, 1UL << 0, EVENT_HW_CPU_CYCLES },
	{ 0xc02, CSR_MINSTRET, 1UL << 2, EVENT_HW_INSTRUCTIONS },
};

/* The counters [base, base + 63] that mask names; 0 if it names none, or one that does
 * not exist (the spec's INVALID_PARAM: "at least one invalid counter"). */
static unsigned selected(ureg_t base, ureg_t mask)
{
	if (base >= NR_COUNTERS || (mask >> (NR_COUNTERS - base)) != 0)
		return 0;
	return (unsigned)(mask << base);
}

static void set_value(unsigned idx, ureg_t v)
{
	if (counters[idx].m_csr == CSR_MCYCLE)
		csr_write(CSR_MCYCLE, v);
	else
		csr_write(CSR_MINSTRET, v);
}

static void run(struct hart *h, unsigned idx, bool on)
{
	if (on) {
		csr_clear(CSR_MCOUNTINHIBIT, counters[idx].inhibit);
		h->pmu_started |= (uint8_t)(1U << idx);
	} else {
		csr_set(CSR_MCOUNTINHIBIT, counters[idx].inhibit);
		h->pmu_started &= (uint8_t)~(1U << idx);
	}
}

static long config_matching(struct hart *h, const ureg_t *a, ureg_t *value)
{
	ureg_t flags = a[2], event = a[3];
	unsigned type = (unsigned)(event >> 16) & 0xf, code = (unsigned)event & 0xffff;
	unsigned want = selected(a[0], a[1]);
	if (!want)
		return SBI_ERR_INVALID_PARAM;
	for (unsigned i = 0; i < NR_COUNTERS; i++) {
		if (!((want >> i) & 1) || type != EVENT_TYPE_HW || code != counters[i].event)
			continue;
		/* SKIP_MATCH: the caller names the counter it configured before */
		if (!(flags & CFG_SKIP_MATCH) && ((h->pmu_configured >> i) & 1))
			continue;
		h->pmu_configured |= (uint8_t)(1U << i);
		if (flags & CFG_CLEAR_VALUE)
			set_value(i, 0);
		if (flags & CFG_AUTO_START)
			run(h, i, true);
		*value = i;
		return SBI_SUCCESS;
	}
	return SBI_ERR_NOT_SUPPORTED;
}

static long start_stop(struct hart *h, const ureg_t *a, bool start)
{
	unsigned want = selected(a[0], a[1]);
	if (!want || (want & ~h->pmu_configured))
		return SBI_ERR_INVALID_PARAM;
	/* all or nothing: a counter in the wrong state leaves every counter as it was */
	for (unsigned i = 0; i < NR_COUNTERS; i++)
		if (((want >> i) & 1) && (((h->pmu_started >> i) & 1) == start))
			return start ? SBI_ERR_ALREADY_STARTED : SBI_ERR_ALREADY_STOPPED;
	for (unsigned i = 0; i < NR_COUNTERS; i++) {
		if (!((want >> i) & 1))
			continue;
		if (start && (a[2] & START_SET_INIT_VALUE))
			set_value(i, a[3]);
		run(h, i, start);
		if (!start && (a[2] & STOP_RESET))
			h->pmu_configured &= (uint8_t)~(1U << i);
	}
	return SBI_SUCCESS;
}

static enum call_end pmu_handle(struct sbi_call *c)
{
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case SBI_PMU_NUM_COUNTERS:
		c->value = NR_COUNTERS;
		break;
	case SBI_PMU_COUNTER_GET_INFO:
		if (c->a[0] >= NR_COUNTERS)
			c->error = SBI_ERR_INVALID_PARAM;
		else /* type 0 (hardware), width 64 (field holds width - 1), the CSR number */
			c->value = (63UL << 12) | counters[c->a[0]].csr;
		break;
	case SBI_PMU_COUNTER_CONFIG_MATCHING:
		c->error = config_matching(c->h, c->a, &c->value);
		break;
	case SBI_PMU_COUNTER_START:
		c->error = start_stop(c->h, c->a, true);
		break;
	case SBI_PMU_COUNTER_STOP:
		c->error = start_stop(c->h, c->a, false);
		break;
	case SBI_PMU_COUNTER_FW_READ:
	case SBI_PMU_COUNTER_FW_READ_HI:
		c->error = SBI_ERR_INVALID_PARAM; /* no firmware counters */
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_pmu = {
	.eid_lo = SBI_EXT_PMU,
	.eid_hi = SBI_EXT_PMU,
	.handle = pmu_handle,
	.probe = NULL,
};
