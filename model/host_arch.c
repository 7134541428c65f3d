/*
 * What the monitor core calls besides CSRs (arch.h) and the platform devices it drives
 * (platform.h), implemented over the hardware model for the current hart.
 */
#include <string.h>

#include "arch.h"
#include "platform.h"
#include "model_priv.h"

/*
 * arch.h: the copy works whatever mstatus.FS says (the firmware turns the FP unit on
 * around it) and leaves mstatus as it found it.
 */
void arch_fp_save(struct fp_state *fp)
{
	const struct hart_state *hs = model_current_hs("arch_fp_save");
	memcpy(fp->f, hs->pub.f, sizeof(fp->f));
	fp->fcsr = hs->pub.fcsr;
}

void arch_fp_restore(const struct fp_state *fp)
{
	struct hart_state *hs = model_current_hs("arch_fp_restore");
	memcpy(hs->pub.f, fp->f, sizeof(hs->pub.f));
	hs->pub.fcsr = fp->fcsr & 0xff; /* frm and fflags are the only fcsr bits */
}

void arch_fence_i(void)
{
	model_current_hs("arch_fence_i"); /* instructions are not modelled */
}

void arch_sfence_vma_all(void)
{
	model_current_hs("arch_sfence_vma_all"); /* from M: no S-stage caching to empty */
}

/* HFENCE.VVMA with rs2 = x0: every VS-stage translation of the VMID in hgatp (8.3.2) */
void arch_hfence_vvma_all(void)
{
	struct hart_state *hs = model_current_hs("arch_hfence_vvma_all");
	vtlb_flush_vmid(hs, (uint16_t)((hs->csr[SL_HGATP] >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK));
}

void arch_hfence_gvma_all(void)
{
	struct hart_state *hs = model_current_hs("arch_hfence_gvma_all");
	gtlb_flush(hs);
	hs->hfence_count++;
}

static void plat_putc(char c)
{
	model_console_putc(c);
}

static int plat_getc(void)
{
	if (g_model.console_in_len == 0)
		return -1;
	unsigned char c = (unsigned char)g_model.console_in[g_model.console_in_head];
	g_model.console_in_head = (g_model.console_in_head + 1) % MODEL_CONSOLE_IN_MAX;
	g_model.console_in_len--;
	return c;
}

static uint64_t plat_time_now(void)
{
	return g_model.time;
}

/* CLINT: MTIP is the level time >= mtimecmp. */
static void plat_set_timer(unsigned hart, uint64_t when)
{
	struct hart_state *hs = model_hs(hart, "set_timer");
	hs->pub.mtimecmp = when;
	if (when <= g_model.time)
		hs->csr[SL_MIP] |= MIP_MTIP;
	else
		hs->csr[SL_MIP] &= ~MIP_MTIP;
}

static void plat_send_ipi(unsigned hart)
{
	struct hart_state *hs = model_hs(hart, "send_ipi");
	if (!(hs->csr[SL_MIP] & MIP_MSIP))
		hs->wake_refused = false;
	hs->csr[SL_MIP] |= MIP_MSIP;
}

static void plat_clear_ipi(unsigned hart)
{
	model_hs(hart, "clear_ipi")->csr[SL_MIP] &= ~MIP_MSIP;
}

static void plat_system_reset(uint32_t type, uint32_t reason)
{
	g_model.reset_requested = true;
	g_model.reset_type = type;
	g_model.reset_reason = reason;
}

static const struct platform_ops platform_ops = {
	.console_putc = plat_putc,
	.console_getc = plat_getc,
	.time_now = plat_time_now,
	.set_timer = plat_set_timer,
	.send_ipi = plat_send_ipi,
	.clear_ipi = plat_clear_ipi,
	.system_reset = plat_system_reset,
};

const struct platform_ops *model_platform_ops(void)
{
	return &platform_ops;
}
