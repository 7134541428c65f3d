/*
 * SBI v0.1 calls still used by older kernels and boot loaders. They have no FID and
 * return their result in a0 alone, which the dispatcher takes from c->error.
 *
 * 0x04-0x07 pass a pointer to a hart mask: a virtual address of the caller's, which the
 * monitor translates through the caller's satp in software (a page-table walk over
 * hypervisor memory only), so a hostile pointer or table never makes the monitor load
 * from where the hypervisor may not.
 */
#include "csr.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static void legacy_set_timer(struct sbi_call *c)
{
	/* Same effect as TIME set_timer; go through it so the two cannot drift apart. */
	struct sbi_call t = { .h = c->h, .eid = SBI_EXT_TIME, .fid = SBI_TIME_SET_TIMER,
			      .a = c->a };

	sbi_ext_time.handle(&t);
	c->error = t.error;
}

#define SATP_MODE_SHIFT 60
#define SATP_MODE_SV39 8UL
#define SATP_MODE_SV48 9UL
#define SATP_PPN_MASK ((1UL << 44) - 1)
#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_PPN(pte) (((pte) >> 10) & ((1UL << 44) - 1))

/* The physical address of the caller's (S-mode) virtual `va`, readable, or false. */
static bool s_translate(ureg_t va, paddr_t *pa)
{
	ureg_t satp = csr_read(CSR_SATP), mode = satp >> SATP_MODE_SHIFT;
	if (mode == 0) {
		*pa = va;
		return true;
	}
	unsigned levels = mode == SATP_MODE_SV39 ? 3 : mode == SATP_MODE_SV48 ? 4 : 0;
	if (!levels)
		return false;
	unsigned va_bits = 12 + 9 * levels;
	/* bits above the VA width must copy its top bit */
	if ((ureg_t)((long)(va << (64 - va_bits)) >> (64 - va_bits)) != va)
		return false;
	paddr_t table = (satp & SATP_PPN_MASK) << PAGE_SHIFT;
	for (int level = (int)levels - 1; level >= 0; level--) {
		paddr_t pte_pa = table + ((va >> (12 + 9 * level)) & 511) * 8;
		if (!mem_is_hypervisor(pte_pa, 8))
			return false;
		ureg_t pte = *(const volatile ureg_t *)phys_ptr(pte_pa, 8);
		if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)))
			return false;
		if (pte & (PTE_R | PTE_X)) {
			uint64_t span = 1UL << (12 + 9 * level);
			if (!(pte & PTE_R) || (PTE_PPN(pte) << PAGE_SHIFT) % span)
				return false; /* not readable, or a misaligned superpage */
			*pa = (PTE_PPN(pte) << PAGE_SHIFT) + (va & (span - 1));
			return true;
		}
		table = PTE_PPN(pte) << PAGE_SHIFT;
	}
	return false;
}

/* v0.1 hart masks: a pointer to one unsigned long; NULL means every hart. */
static int legacy_hart_mask(ureg_t ptr, unsigned long *targets)
{
	paddr_t pa;
	if (ptr == 0)
		return sbi_hart_mask(0, (ureg_t)-1, targets);
	if ((ptr & 7) || !s_translate(ptr, &pa) || !mem_is_hypervisor(pa, 8))
		return SBI_ERR_INVALID_ADDRESS;
	ureg_t mask = *(const volatile ureg_t *)phys_ptr(pa, 8); /* read once */
	return sbi_hart_mask(mask, 0, targets);
}

/* Work for every started hart of the mask, as the v0.2+ IPI and RFENCE calls do. */
static long legacy_send(struct sbi_call *c, unsigned work)
{
	unsigned long targets;
	int rc = legacy_hart_mask(c->a[0], &targets);
	if (rc != SBI_SUCCESS)
		return rc;
	sbi_send_to_started(c->h, targets, work);
	return SBI_SUCCESS;
}

static enum call_end legacy_handle(struct sbi_call *c)
{
	switch (c->eid) {
	case SBI_EXT_LEGACY_SET_TIMER:
		legacy_set_timer(c);
		break;
	case SBI_EXT_LEGACY_PUTCHAR:
		plat->console_putc((char)(c->a[0] & 0xff));
		c->error = SBI_SUCCESS;
		break;
	case SBI_EXT_LEGACY_GETCHAR:
		c->error = plat->console_getc(); /* -1 when nothing is waiting */
		break;
	case SBI_EXT_LEGACY_CLEAR_IPI:
		csr_clear(CSR_MIP, MIP_SSIP);
		c->error = SBI_SUCCESS;
		break;
	case SBI_EXT_LEGACY_SEND_IPI:
		c->error = legacy_send(c, IPI_SSIP);
		break;
	case SBI_EXT_LEGACY_REMOTE_FENCE_I:
	case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA:
	case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID:
		/* every fence is a full one (sbi_rfence.c): range and ASID are not trusted */
		c->error = legacy_send(c, IPI_FENCE);
		break;
	case SBI_EXT_LEGACY_SHUTDOWN:
		plat->system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE);
		c->error = SBI_ERR_FAILED; /* only if the platform could not power off */
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_legacy = {
	.eid_lo = SBI_EXT_LEGACY_SET_TIMER,
	.eid_hi = SBI_EXT_LEGACY_SHUTDOWN,
	.handle = legacy_handle,
	.probe = NULL,
};
