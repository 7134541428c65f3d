/* Hart masks as SBI passes them, and the work one hart leaves for another. */
#include "arch.h"
#include "csr.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

#define MASK_BITS (sizeof(unsigned long) * 8)
_Static_assert(MAX_HARTS <= sizeof(unsigned long) * 8, "hart bitmap too small");

/* Harts that exist and that the monitor has a slot for. */
static unsigned harts_present(void)
{
	return mem.nr_harts < MAX_HARTS ? mem.nr_harts : MAX_HARTS;
}

int sbi_hart_mask(ureg_t mask, ureg_t base, unsigned long *out)
{
	unsigned n = harts_present();
	unsigned long all = n >= MASK_BITS ? ~0UL : (1UL << n) - 1;

	*out = 0;
	if (base == (ureg_t)-1) {
		*out = all;
		return SBI_SUCCESS;
	}
	/* Checked before any arithmetic on base, so base + bit cannot wrap below. */
	if (base >= n)
		return SBI_ERR_INVALID_PARAM;
	/* Bits from n - base upward would name harts that do not exist. */
	if (n - base < MASK_BITS && (mask >> (n - base)) != 0)
		return SBI_ERR_INVALID_PARAM;
	*out = (unsigned long)(mask << base) & all;
	return SBI_SUCCESS;
}

static void do_work_here(unsigned work)
{
	if (work & IPI_SSIP)
		csr_set(CSR_MIP, MIP_SSIP);
	if (work & IPI_FENCE) {
		arch_fence_i();
		arch_sfence_vma_all();
		arch_hfence_gvma_all();
		arch_hfence_vvma_all();
	}
}

void sbi_send_to_started(struct hart *self, unsigned long targets, unsigned work)
{
	for (unsigned t = 0; t < harts_present(); t++)
		if ((targets >> t) & 1UL &&
		    __atomic_load_n(&sm.harts[t].hsm_state, __ATOMIC_ACQUIRE) == SBI_HSM_STATE_STARTED)
			sbi_send_work(self, t, work);
}

void sbi_send_work(struct hart *self, unsigned t, unsigned work)
{
	if (t == self->id) {
		do_work_here(work);
		return;
	}
	if (t >= harts_present())
		return;
	/* The target may be draining its word in its own M-soft handler right now. */
	__atomic_fetch_or(&sm.harts[t].ipi_pending, work, __ATOMIC_SEQ_CST);
	plat->send_ipi(t);
}
