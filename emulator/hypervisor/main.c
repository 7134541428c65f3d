/*
 * The demo scenario on the boot hart: find the machine, start the other harts,
 * build a VM, promote it, try what a hostile hypervisor would try, run the CVM to
 * the end, destroy it, and give the verdict through QEMU's test finisher.
 * With HV_OPT_BENCH it also counts the cost of switches (docs/emulator.md).
 */
#include <string.h>

#include "cove.h"
#include "fdt.h"
#include "hv.h"
#include "replay/replay.h"
#include "sbi.h"

#define REASONS 9

void hv_main(unsigned long hartid, unsigned long fdt);

unsigned hv_nr_harts = 1;
unsigned hv_options;
volatile unsigned hv_failures;
volatile bool hv_quiet;
volatile unsigned long hv_injected, hv_acked;
static volatile unsigned long exit_counts[REASONS];
static struct hv_cvm cvm;

static const char *const reason_names[REASONS] = {
	"?", "hypercall", "mmio-load", "mmio-store", "interrupt", "share", "unshare",
	"fault", "halt",
};

void hv_fail(const char *what)
{
	static const char *last;
	__atomic_fetch_add(&hv_failures, 1U, __ATOMIC_RELAXED);
	if (what == last)
		return; /* counted; one line per kind of failure in a row is enough */
	last = what;
	con_lock();
	con_puts("hv: FAIL ");
	con_puts(what);
	con_puts("\n");
	con_unlock();
}

void hv_count_exit(unsigned long reason)
{
	__atomic_fetch_add(&exit_counts[reason < REASONS ? reason : 0], 1UL, __ATOMIC_RELAXED);
}

#define FINISHER ((volatile uint32_t *)0x100000UL)
#define FINISHER_PASS 0x5555U
#define FINISHER_FAIL 0x3333U

_Noreturn void hv_exit(unsigned status)
{
	*FINISHER = status ? (status << 16) | FINISHER_FAIL : FINISHER_PASS;
	/* a firmware that forbids the finisher still has SRST */
	hv_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
		 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0, 0, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}

static _Noreturn void finish(void)
{
	unsigned f = hv_failures;
	con_lock();
	con_puts(f ? "hv: FAIL (" : "hv: PASS (");
	con_put_dec(f);
	con_puts(" failures)\n");
	con_unlock();
	hv_exit(f ? 1 : 0);
}

static void read_options(void)
{
	volatile uint32_t *cfg = (volatile uint32_t *)HV_CONFIG_ADDR;
	if (cfg[0] == HV_CONFIG_MAGIC) {
		hv_options = cfg[1];
		cfg[0] = 0; /* a reboot starts without it */
	}
}

static void say_kv(const char *k, unsigned long v, const char *tail)
{
	con_puts(k);
	con_put_dec(v);
	con_puts(tail);
}

static void bench_sbi(void)
{
	hv_bench_sbi_loop(GUEST_BENCH_ITERS);
	con_lock();
	say_kv("bench: phase 0 = plain SBI call (Base get_spec_version), ", GUEST_BENCH_ITERS,
	       " iterations\n");
	con_unlock();
}

static void summary(void)
{
	con_lock();
	con_puts("hv: exits by reason:");
	for (unsigned r = 1; r < REASONS; r++) {
		con_puts(" ");
		con_puts(reason_names[r]);
		con_puts("=");
		con_put_dec(exit_counts[r]);
	}
	con_puts("\n");
	say_kv("hv: timer interrupts injected ", hv_injected, ", ");
	say_kv("acknowledged ", hv_acked, "\n");
	for (unsigned i = 0; i < cvm.nr_vcpus; i++) {
		say_kv("hv: vCPU ", i, ": ");
		say_kv("", cvm.vcpu[i].runs, " runs on harts");
		for (unsigned h = 0; h < HV_MAX_HARTS; h++)
			if (cvm.vcpu[i].harts_seen & (1UL << h))
				say_kv(" ", h, "");
		con_puts("\n");
	}
	con_unlock();
	if (exit_counts[TVM_EXIT_MMIO_LOAD] == 0 || exit_counts[TVM_EXIT_MMIO_STORE] == 0 ||
	    exit_counts[TVM_EXIT_SHARE] != 1 || exit_counts[TVM_EXIT_UNSHARE] != 1 ||
	    exit_counts[TVM_EXIT_HALT] != 1 || hv_injected < 3 || hv_acked != hv_injected)
		hv_fail("an exit kind the scenario needs is missing");
	if (hv_nr_harts > 1 && !(cvm.vcpu[1].harts_seen & ~(1UL << hv_boot_hart)))
		hv_fail("vCPU 1 never ran on a hart other than the boot hart");
}

void hv_main(unsigned long hartid, unsigned long fdt_pa)
{
	read_options();
	secrets_init();
	if (!hv_regs_self_test())
		hv_fail("register check self-test: a planted change or secret went unnoticed");
	uint64_t ram_base = 0, ram_size = 0, ids[HV_MAX_HARTS];
	struct fdt f;
	uint32_t total = fdt_header_totalsize((const void *)fdt_pa);
	if (total == 0 || fdt_open(&f, (const void *)fdt_pa, total) != 0 ||
	    fdt_get_memory(&f, &ram_base, &ram_size, NULL) != 0) {
		hv_fail("no usable device tree");
		finish();
	}
	int n = fdt_get_cpus(&f, ids, HV_MAX_HARTS);
	hv_nr_harts = n > 0 ? (unsigned)n : 1;
	unsigned long ram_end = ram_base + ram_size;
	con_lock();
	say_kv("hv: demo hypervisor on hart ", hartid, ", ");
	say_kv("", hv_nr_harts, " harts, RAM ");
	con_put_hex(ram_base);
	con_puts("..");
	con_put_hex(ram_end);
	con_puts(" (as the device tree says)\n");
	con_unlock();

	if (hv_options & HV_OPT_ATTACKS)
		attack_mode(hartid, ram_end);
	if (hv_options & HV_OPT_REPLAY)
		replay_mode(hartid, ram_end); /* a host fuzz program, for crash triage */
	if (hv_options & HV_OPT_BENCH)
		bench_sbi();
	if (hv_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_COVH, 0, 0, 0, 0).value == 0) {
		con_line("hv: the firmware has no COVH");
		if (!(hv_options & HV_OPT_BENCH))
			hv_fail("COVH missing");
		finish();
	}
	static struct tsm_info info;
	struct sbiret r = hv_ecall(SBI_EXT_COVH, COVH_GET_TSM_INFO, (unsigned long)&info,
				   sizeof(info), 0, 0, 0);
	con_lock();
	say_kv("hv: tsm_info: error ", (unsigned long)-r.error, ", ");
	say_kv("state ", info.tsm_state, ", ");
	say_kv("max vCPUs ", info.tvm_max_vcpus, ", capabilities ");
	con_put_hex(info.tsm_capabilities);
	con_puts("\n");
	con_unlock();
	if (r.error || !(info.tsm_capabilities & TSM_CAP_PROMOTE_TVM))
		hv_fail("get_tsm_info");

	hv_start_secondaries((unsigned)hartid, hv_nr_harts);
	if (!hv_vm_build(&cvm)) {
		hv_fail("building the VM");
		finish();
	}
	con_lock();
	say_kv("hv: VM built: ", GUEST_RAM_SIZE >> 10, " KiB at GPA ");
	con_put_hex(GUEST_RAM_GPA);
	con_puts(" backed by my pages at ");
	con_put_hex((unsigned long)cvm.backing);
	con_puts(", G-stage root ");
	con_put_hex((unsigned long)cvm.gstage_root);
	say_kv(", ", cvm.nr_vcpus, " vCPUs in its device tree\n");
	con_unlock();
	long err = hv_promote(&cvm);
	con_lock();
	say_kv("hv: promote_to_tvm: error ", (unsigned long)-err, ", ");
	say_kv("TVM id ", cvm.id, err ? "\n" : " (promote ok)\n");
	con_unlock();
	if (err) {
		hv_fail("promote");
		finish();
	}

	/* hostile, and harmless if the monitor is right */
	unsigned bad = isolation_probe(ram_end, "after promote");
	memset(cvm.backing, 0xa5, cvm.backing_size);
	con_line("hv: overwrote every original page of the VM with 0xa5 (the CVM runs on copies)");

	hv_vcpu_make_runnable(&cvm, 0);
	while (!cvm.done) /* vCPU 0 stays on this hart until the guest shuts down */
		hv_schedule(&cvm, (unsigned)hartid);
	hv_stop_secondaries();
	if (cvm.verdict != 0)
		hv_fail("the guest reported failed integrity checks");

	unsigned hits = secrets_scan(cvm.backing, cvm.backing_size);
	con_lock();
	say_kv("hv: guest secrets found in the VM's original pages: ", hits, "\n");
	con_unlock();
	if (hits)
		hv_fail("LEAK: guest secrets in hypervisor memory");

	err = hv_destroy(&cvm);
	con_lock();
	say_kv("hv: destroy_tvm: error ", (unsigned long)-err, err ? "\n" : " (destroy ok)\n");
	con_unlock();
	if (err)
		hv_fail("destroy");
	r = hv_ecall(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, cvm.id, 0, 0, 0, 0);
	if (r.error != SBI_ERR_INVALID_PARAM)
		hv_fail("run_tvm_vcpu after destroy did not say INVALID_PARAM");
	bad += isolation_probe(ram_end, "after destroy");
	if (bad)
		hv_fail("an access the monitor must forbid");
	summary();
	finish();
}
