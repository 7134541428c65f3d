/*
 * The hostile part of the demo: reads and writes the hypervisor has no right to make,
 * each of which must end in an access fault that the monitor redirects to the
 * hypervisor's own trap handler (crt0.S hv_trap_entry -> hv_trap below).
 */
#include "hv.h"

#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_ACCESS 7

unsigned long hv_trap(unsigned long scause, unsigned long sepc, unsigned long stval);
unsigned long hv_probe_load(unsigned long addr);
void hv_probe_store(unsigned long addr, unsigned long val);

static volatile bool expect_fault;
static volatile unsigned long fault_cause, fault_addr;

unsigned long hv_trap(unsigned long scause, unsigned long sepc, unsigned long stval)
{
	if (expect_fault) {
		expect_fault = false;
		fault_cause = scause;
		fault_addr = stval;
		return sepc + 4; /* hv_probe_* are 4-byte instructions */
	}
	con_lock();
	con_puts("hv: FAIL unexpected trap, scause ");
	con_put_hex(scause);
	con_puts(" sepc ");
	con_put_hex(sepc);
	con_puts(" stval ");
	con_put_hex(stval);
	con_puts("\n");
	con_unlock();
	/* nothing sensible to return to: end the run with the finisher's FAIL */
	*(volatile uint32_t *)0x100000UL = (0xdeUL << 16) | 0x3333U;
	for (;;)
		__asm__ __volatile__("wfi");
}

/* One access; 0 if it faulted with `want_cause` (or, for a control, did not fault),
 * 1 otherwise (and says so). */
static unsigned try_access_expect(unsigned long addr, bool store, const char *what,
				  bool must_fault)
{
	unsigned long want = store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
	fault_cause = ~0UL;
	expect_fault = true;
	__asm__ __volatile__("" ::: "memory");
	unsigned long got = 0;
	if (store)
		hv_probe_store(addr, 0x6861636bUL);
	else
		got = hv_probe_load(addr);
	__asm__ __volatile__("" ::: "memory");
	bool faulted = !expect_fault;
	expect_fault = false;
	con_lock();
	con_puts(store ? "hv:   write " : "hv:   read  ");
	con_put_hex(addr);
	con_puts(" (");
	con_puts(what);
	con_puts("): ");
	unsigned bad = 0;
	if (!must_fault) {
		con_puts(faulted ? "FAIL it faulted\n" : "no fault, as it must (control)\n");
		bad = faulted;
	} else if (faulted && fault_cause == want && fault_addr == addr) {
		con_puts(store ? "store access fault" : "load access fault");
		con_puts(", as it must\n");
	} else if (faulted) {
		con_puts("FAIL wrong fault, scause ");
		con_put_hex(fault_cause);
		con_puts("\n");
		bad = 1;
	} else {
		con_puts("FAIL it worked");
		if (!store && secret_is(got))
			con_puts(" and returned a guest secret");
		con_puts("\n");
		bad = 1;
	}
	con_unlock();
	return bad;
}

static unsigned try_access(unsigned long addr, bool store, const char *what)
{
	return try_access_expect(addr, store, what, true);
}

/*
 * Monitor memory is the first 2 MiB below the hypervisor; confidential memory starts
 * where the device tree says RAM ends. The hypervisor does not know where promote put
 * the CVM's pages, so it tries the start of that region and a spread of offsets in it.
 */
unsigned isolation_probe(unsigned long ram_end, const char *when)
{
	con_lock();
	con_puts("hv: isolation probes ");
	con_puts(when);
	con_puts("\n");
	con_unlock();
	static volatile uint64_t own_word;
	unsigned bad = try_access_expect((unsigned long)&own_word, false, "my own memory", false);
	bad += try_access(0x80000000UL, false, "monitor image");
	bad += try_access(0x80000000UL, true, "monitor image");
	bad += try_access(0x80100000UL, false, "endorsement seed page");
	bad += try_access(ram_end, false, "first byte past my RAM: confidential memory");
	bad += try_access(ram_end, true, "first byte past my RAM: confidential memory");
	static const unsigned long offsets[] = { 0x1000, 0x400000, 0x1000000, 0x3fff000 };
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++)
		bad += try_access(ram_end + offsets[i], false, "confidential memory");
	return bad;
}
