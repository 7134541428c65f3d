/*
 * Which physical hart runs which vCPU. vCPU 0 runs on the boot hart; a vCPU the guest
 * starts with HSM runs on the next hart when there is one (so the CVM really runs on
 * two harts at once), or shares the boot hart, preempted by the hypervisor's tick.
 */
#include "hv.h"
#include "sbi.h"

#define TICK_CYCLES 20000UL /* 2 ms of the 10 MHz timebase */
#define SIE_SSIE (1UL << 1)
#define HART_UP_SPINS 100000000UL

void hv_secondary_entry(void);
void hv_secondary_main(unsigned long hartid, unsigned long opaque);

static volatile unsigned hart_up[HV_MAX_HARTS];
static volatile bool stop_all;
static struct hv_cvm *volatile active_cvm;

void hv_timer_arm(bool on)
{
	unsigned long now;
	__asm__ __volatile__("rdtime %0" : "=r"(now));
	hv_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, on ? now + TICK_CYCLES : ~0UL, 0, 0, 0, 0);
}

static void wake(unsigned hart)
{
	hv_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << hart, 0, 0, 0, 0);
}

unsigned hv_boot_hart;

void hv_start_secondaries(unsigned boot_hart, unsigned nr_harts)
{
	hv_boot_hart = boot_hart;
	for (unsigned h = 0; h < nr_harts && h < HV_MAX_HARTS; h++) {
		if (h == boot_hart)
			continue;
		struct sbiret r = hv_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, h,
					   (unsigned long)hv_secondary_entry, 0x600d0000UL + h, 0, 0);
		if (r.error) {
			hv_fail("HSM hart_start");
			continue;
		}
		for (unsigned long i = 0; i < HART_UP_SPINS && !hart_up[h]; i++)
			;
		if (!hart_up[h])
			hv_fail("a secondary hart did not come up");
	}
}

/* Stops every secondary hart through HSM and waits until the firmware says so. */
void hv_stop_secondaries(void)
{
	stop_all = true;
	for (unsigned h = 0; h < hv_nr_harts && h < HV_MAX_HARTS; h++) {
		if (h == hv_boot_hart || !hart_up[h])
			continue;
		wake(h);
		unsigned long i = 0;
		for (; i < HART_UP_SPINS; i++)
			if (hv_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h, 0, 0, 0, 0).value ==
			    SBI_HSM_STATE_STOPPED)
				break;
		if (i == HART_UP_SPINS)
			hv_fail("a secondary hart did not stop");
	}
}

void hv_vcpu_make_runnable(struct hv_cvm *c, unsigned vcpu)
{
	struct hv_vcpu *v = &c->vcpu[vcpu];
	/* the firmware picks the boot hart; any other hart serves the secondary vCPUs */
	unsigned hart = hv_boot_hart;
	if (vcpu != 0 && hv_nr_harts > 1)
		hart = (hv_boot_hart + 1) % hv_nr_harts;
	v->hart = hart;
	v->line_len = 0;
	__atomic_store_n(&v->state, VR_RUNNABLE, __ATOMIC_RELEASE);
	active_cvm = c;
	if (hart != hv_boot_hart)
		wake(hart);
}

static int pick(struct hv_cvm *c, unsigned hart, unsigned after)
{
	for (unsigned k = 1; k <= c->nr_vcpus; k++) {
		unsigned i = (after + k) % c->nr_vcpus;
		if (c->vcpu[i].hart == hart &&
		    __atomic_load_n(&c->vcpu[i].state, __ATOMIC_ACQUIRE) == VR_RUNNABLE)
			return (int)i;
	}
	return -1;
}

/* Runs this hart's vCPUs until none is runnable or the guest is done. */
void hv_schedule(struct hv_cvm *c, unsigned hart)
{
	unsigned last = c->nr_vcpus - 1;
	hv_timer_arm(!hv_quiet);
	while (!c->done) {
		int i = pick(c, hart, last);
		if (i < 0)
			break;
		struct hv_vcpu *v = &c->vcpu[i];
		v->state = VR_RUNNING;
		bool go_on = true;
		while (go_on && !c->done && v->state == VR_RUNNING) {
			struct hv_exit e = hv_run(c, (unsigned)i);
			go_on = hv_handle_exit(c, (unsigned)i, &e);
		}
		if (v->state == VR_RUNNING)
			v->state = VR_RUNNABLE;
		last = (unsigned)i;
	}
	hv_timer_arm(false);
}

void hv_secondary_main(unsigned long hartid, unsigned long opaque)
{
	con_lock();
	con_puts("hv: hart ");
	con_put_dec(hartid);
	con_puts(" up through HSM (opaque ");
	con_put_hex(opaque);
	con_puts(")\n");
	con_unlock();
	__asm__ __volatile__("csrs sie, %0" ::"r"(SIE_SSIE)); /* IPIs end the wfi below */
	hart_up[hartid] = 1;
	while (!stop_all) {
		struct hv_cvm *c = active_cvm;
		if (c && !c->done)
			hv_schedule(c, (unsigned)hartid);
		__asm__ __volatile__("csrc sip, %0" ::"r"(SIE_SSIE));
		if (!stop_all && !(c && !c->done && pick(c, (unsigned)hartid, 0) >= 0))
			__asm__ __volatile__("wfi");
	}
	hv_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}
