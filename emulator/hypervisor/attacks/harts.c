/*
 * The harts attack mode uses: the boot hart runs the attacks, one other hart (started
 * through HSM into attack mode's own entry) runs jobs it is handed, such as a vCPU that
 * must be inside the CVM while the boot hart acts.
 */
#include "atk.h"
#include "sbi.h"

#define SIE_SSIE (1UL << 1)
#define SIP_SSIP (1UL << 1)
#define TIMEBASE_PER_MS 10000UL

void atk_secondary_main(unsigned long hartid);

static struct atk_ctx ctxs[HV_MAX_HARTS];

static struct {
	atk_job volatile fn;
	void *volatile arg;
	volatile bool up, busy;
} mbox[HV_MAX_HARTS];

unsigned atk_hart(void)
{
	unsigned long tp;
	__asm__ __volatile__("mv %0, tp" : "=r"(tp));
	return (unsigned)tp;
}

struct atk_ctx *atk_here(void)
{
	return &ctxs[atk_hart() % HV_MAX_HARTS];
}

unsigned long atk_now_ms(void)
{
	unsigned long t;
	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t / TIMEBASE_PER_MS;
}

void atk_delay_ms(unsigned long ms)
{
	unsigned long end = atk_now_ms() + ms;
	while (atk_now_ms() < end)
		;
}

void atk_secondary_main(unsigned long hartid)
{
	unsigned h = (unsigned)hartid;
	__asm__ __volatile__("csrs sie, %0" ::"r"(SIE_SSIE)); /* an IPI ends the wfi */
	__atomic_store_n(&mbox[h].up, true, __ATOMIC_RELEASE);
	for (;;) {
		atk_job fn = __atomic_load_n(&mbox[h].fn, __ATOMIC_ACQUIRE);
		if (fn) {
			fn(mbox[h].arg);
			__atomic_store_n(&mbox[h].fn, (atk_job)0, __ATOMIC_RELEASE);
			__atomic_store_n(&mbox[h].busy, false, __ATOMIC_RELEASE);
			continue;
		}
		__asm__ __volatile__("wfi");
		__asm__ __volatile__("csrc sip, %0" ::"r"(SIP_SSIP));
	}
}

/* The boot hart's context, and one other hart when the machine has it. */
bool atk_harts_start(void)
{
	unsigned b = atk_env.boot_hart;
	__asm__ __volatile__("csrw sscratch, %0" ::"r"(&ctxs[b]));
	__asm__ __volatile__("csrw stvec, %0" ::"r"(atk_trap_entry));
	atk_env.other_hart = -1;
	if (atk_env.nr_harts < 2)
		return true;
	unsigned h = (b + 1) % atk_env.nr_harts;
	if (h >= HV_MAX_HARTS)
		return false;
	struct sbiret r = hv_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, h,
				   (unsigned long)atk_secondary_entry, (unsigned long)&ctxs[h], 0, 0);
	if (r.error)
		return false;
	unsigned long end = atk_now_ms() + 2000;
	while (!__atomic_load_n(&mbox[h].up, __ATOMIC_ACQUIRE))
		if (atk_now_ms() > end)
			return false;
	atk_env.other_hart = (int)h;
	return true;
}

bool atk_on_hart(int hart, atk_job fn, void *arg)
{
	if (hart < 0 || !mbox[hart].up || mbox[hart].busy)
		return false;
	mbox[hart].arg = arg;
	mbox[hart].busy = true;
	__atomic_store_n(&mbox[hart].fn, fn, __ATOMIC_RELEASE);
	hv_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << hart, 0, 0, 0, 0);
	return true;
}

bool atk_hart_done(int hart)
{
	return hart >= 0 && !__atomic_load_n(&mbox[hart].busy, __ATOMIC_ACQUIRE);
}

bool atk_wait_hart(int hart, unsigned long ms)
{
	unsigned long end = atk_now_ms() + ms;
	while (!atk_hart_done(hart))
		if (atk_now_ms() > end)
			return false;
	return true;
}
