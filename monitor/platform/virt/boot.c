/*
 * Boot on QEMU virt (DESIGN section 2): read the machine from QEMU's device tree, split
 * RAM into monitor, hypervisor and confidential memory, hand the hypervisor a device
 * tree that no longer mentions confidential memory, bring up the core, and prepare the
 * boot hart to enter the hypervisor at the start of its memory.
 */
#include <stddef.h>
#include <string.h>

#include "attest.h"
#include "csr.h"
#include "devices.h"
#include "fdt.h"
#include "monitor.h"
#include "pmp.h"
#include "sbi.h"
#include "virt.h"
#include "virt_asm.h"

_Static_assert(offsetof(struct hart, regs) == VIRT_HART_REGS, "virt_asm.h regs");
_Static_assert(offsetof(struct hart, stack_top) == VIRT_HART_STACK_TOP, "virt_asm.h stack_top");
_Static_assert(offsetof(struct hart, scratch) == VIRT_HART_SCRATCH, "virt_asm.h scratch");
_Static_assert(sizeof(((struct hart *)0)->hsm_state) == 4, "trap.S loads hsm_state with lw");
_Static_assert(CONF_SIZE != 0 && (CONF_SIZE % PAGE_SIZE) == 0, "CONF_SIZE must be whole pages");

/*
 * The endorsement seed: QEMU loads it with -device loader,file=seed.bin,addr=0x80100000
 * (docs/abi.md). Its page is the top page of the monitor region, so the image and its
 * stacks must end below it; RAM there reads zero when no seed was loaded.
 */
#define VIRT_SEED_BASE 0x80100000UL
_Static_assert(VIRT_SEED_BASE + ATTEST_SEED_REGION <= 0x80000000UL + VIRT_KERNEL_OFFSET,
	       "the seed page lies below the hypervisor's load address");

/* monitor.ld: the measured image is text and rodata; .data holds only boot flags */
extern char __data_start[];

#ifdef MONITOR_SBI_TRACE
/* One line per hypervisor SBI call: "sbi-trace h=H eid=E fid=F a=A0,...,A5". */
static void trace_call(unsigned hart, ureg_t eid, ureg_t fid, const ureg_t *a)
{
	virt_puts("\nsbi-trace h=");
	virt_put_dec(hart);
	virt_puts(" eid=");
	virt_put_hex(eid);
	virt_puts(" fid=");
	virt_put_hex(fid);
	virt_puts(" a=");
	for (unsigned i = 0; i < 6; i++) {
		virt_put_hex(a[i]);
		virt_puts(i < 5 ? "," : "\n");
	}
}
#endif

static const struct platform_ops virt_ops = {
	.console_putc = virt_uart_putc,
	.console_getc = virt_uart_getc,
	.time_now = virt_clint_time,
	.set_timer = virt_clint_set_timer,
	.send_ipi = virt_clint_send_ipi,
	.clear_ipi = virt_clint_clear_ipi,
	.system_reset = virt_system_reset,
#ifdef MONITOR_SBI_TRACE
	.trace_call = trace_call,
#endif
};

static _Noreturn void boot_fail(const char *why)
{
	virt_puts("monitor: boot failed: ");
	virt_puts(why);
	virt_puts("\n");
	virt_fail();
}

/* Harts must be numbered 0..n-1 (as QEMU numbers them) and fit MAX_HARTS. */
static unsigned read_harts(const struct fdt *f)
{
	uint64_t ids[MAX_HARTS];
	int n = fdt_get_cpus(f, ids, MAX_HARTS);
	if (n <= 0)
		boot_fail("no usable /cpus in the device tree (or more than MAX_HARTS)");
	uint64_t seen = 0;
	for (int i = 0; i < n; i++) {
		if (ids[i] >= (uint64_t)n || (seen & (1ULL << ids[i])))
			boot_fail("hart ids are not 0..n-1");
		seen |= 1ULL << ids[i];
	}
	return (unsigned)n;
}

/* What the loader put in RAM besides the hypervisor: the initial ramdisk (/chosen). */
struct loaded {
	uint64_t initrd_start, initrd_end; /* equal when there is none */
};

/* The smallest confidential region worth booting with: a CVM's image and tables. */
#define VIRT_MIN_CONF (1UL << 20)

static uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) & ~(to - 1); }

/*
 * Confidential memory is the top CONF_SIZE of RAM, unless the loader put the initrd
 * there (QEMU does with -m 128M: at 0x84200000): then it starts above the initrd and is
 * smaller, and the boot says so. It is never placed over what the hypervisor needs.
 */
static void split_memory(uint64_t ram_base, uint64_t ram_size, const struct loaded *l)
{
	paddr_t image_start = (paddr_t)(uintptr_t)__monitor_start;
	paddr_t image_end = (paddr_t)(uintptr_t)__monitor_end;

	if (!range_ok(ram_base, ram_size) || ram_base != image_start)
		boot_fail("RAM does not start where the monitor runs");
	if (image_end <= image_start || image_end - image_start > VIRT_KERNEL_OFFSET ||
	    !IS_ALIGNED(image_end, PAGE_SIZE))
		boot_fail("monitor image overlaps the hypervisor's load address");
	if (ram_size < VIRT_KERNEL_OFFSET + VIRT_MIN_HV_RAM + VIRT_MIN_CONF)
		boot_fail("not enough RAM for monitor, hypervisor and confidential memory");
	if (!IS_ALIGNED(ram_base + ram_size, PAGE_SIZE))
		boot_fail("RAM does not end on a page boundary");

	mem.ram_base = ram_base;
	mem.ram_size = ram_size;
	mem.monitor_base = ram_base;
	if (image_end > VIRT_SEED_BASE || ram_base + VIRT_KERNEL_OFFSET < VIRT_SEED_BASE + ATTEST_SEED_REGION)
		boot_fail("monitor image reaches the endorsement seed page");
	mem.monitor_size = VIRT_SEED_BASE + ATTEST_SEED_REGION - image_start;

	uint64_t ram_end = ram_base + ram_size, conf_base = ram_end - CONF_SIZE;
	uint64_t floor = ram_base + VIRT_KERNEL_OFFSET + VIRT_MIN_HV_RAM;
	if (conf_base < floor)
		conf_base = floor;
	if (l->initrd_end > l->initrd_start && l->initrd_end > conf_base && l->initrd_start < ram_end) {
		conf_base = round_up(l->initrd_end, PAGE_SIZE);
		if (conf_base + VIRT_MIN_CONF > ram_end)
			boot_fail("the initrd leaves no room for confidential memory at the top of RAM");
	}
	mem.conf_base = conf_base;
	mem.conf_size = ram_end - conf_base;
	if (mem.conf_size != CONF_SIZE) {
		virt_puts("monitor: confidential memory shrunk to ");
		virt_put_size(mem.conf_size);
		virt_puts(" (the loader's initrd or a small RAM leaves no more at the top)\n");
	}
}

/* The highest page-aligned home for `size` bytes below conf_base that keeps clear of
 * the initrd and of the hypervisor's load area. */
static paddr_t fdt_home(uint64_t size, const struct loaded *l)
{
	paddr_t dest = (mem.conf_base - size) & ~PAGE_MASK;
	if (l->initrd_end > l->initrd_start && ranges_overlap(dest, size, l->initrd_start,
							      l->initrd_end - l->initrd_start))
		dest = (l->initrd_start - size) & ~PAGE_MASK;
	if (dest < mem.ram_base + VIRT_KERNEL_OFFSET + VIRT_MIN_HV_RAM / 2)
		boot_fail("no room for the hypervisor's device tree");
	return dest;
}

/* Room for the nodes the monitor adds to the hypervisor's tree. */
#define FDT_GROWTH 1024u

/*
 * The hypervisor's device tree: QEMU's, moved clear of confidential memory and of the
 * initrd, saying that RAM ends where confidential memory begins, without the devices
 * S-mode may not touch, and with the monitor's and the confidential memory marked
 * no-map in /reserved-memory (an OS would otherwise use the monitor's RAM below its
 * load address, and take an access fault). Returns the tree's new address.
 */
static paddr_t hand_over_fdt(paddr_t fdt_pa, uint32_t total, const struct loaded *l)
{
	if (!range_ok(fdt_pa, total))
		boot_fail("device tree wraps around");
	paddr_t dest = fdt_home((uint64_t)total + FDT_GROWTH, l);
	if (ranges_overlap(dest, (uint64_t)total + FDT_GROWTH, fdt_pa, total))
		boot_fail("device tree straddles the hypervisor's memory");
	memcpy((void *)(uintptr_t)dest, (const void *)(uintptr_t)fdt_pa, total);

	void *blob = (void *)(uintptr_t)dest;
	struct fdt f;
	uint64_t base, size;
	uint32_t reg_off;
	if (fdt_open(&f, blob, total) != 0 || fdt_get_memory(&f, &base, &size, &reg_off) != 0 ||
	    fdt_patch_memory_size(blob, &f, reg_off, mem.conf_base - base) != 0)
		boot_fail("cannot patch the memory node");
	/* devices S-mode may not touch are not offered to it (devices.h) */
	if (devices_hide(blob, &f) < 0)
		boot_fail("cannot hide the monitor's devices in the device tree");
	const struct fdt_reserved keep_out[] = {
		{ "mmode_resv", mem.monitor_base, mem.monitor_size },
		{ "confidential", mem.conf_base, mem.conf_size },
	};
	if (fdt_add_reserved_memory(blob, (size_t)total + FDT_GROWTH, &f, keep_out, 2) < 0)
		boot_fail("cannot add /reserved-memory to the device tree");
	return dest;
}

static void print_banner(void)
{
	virt_puts("monitor: ram ");
	virt_put_hex(mem.ram_base);
	virt_puts("+");
	virt_put_size(mem.ram_size);
	virt_puts(", confidential ");
	virt_put_hex(mem.conf_base);
	virt_puts("+");
	virt_put_size(mem.conf_size);
	virt_puts(", harts ");
	virt_put_dec(mem.nr_harts);
	virt_puts("\n");
	for (unsigned i = 0; i < mem.nr_devices; i++) {
		virt_puts("monitor: device window ");
		virt_put_hex(mem.devices[i].base);
		virt_puts("+");
		virt_put_size(mem.devices[i].size);
		virt_puts(" kept from S-mode (bus master or monitor-owned)\n");
	}
}

static void put_bytes(const char *label, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	virt_puts(label);
	for (size_t i = 0; i < n; i++) {
		virt_uart_putc(digits[p[i] >> 4]);
		virt_uart_putc(digits[p[i] & 15]);
	}
	virt_puts("\n");
}

/*
 * The CRTM stand-in (DESIGN section 2, A.HW.6): measure the image, derive the keys,
 * then lock the seed so that nothing, this monitor included, reads it until reset.
 */
static void measured_boot(void)
{
	static const uint8_t unreadable[ATTEST_SEED_SIZE];
	const uint8_t *image = (const uint8_t *)__monitor_start;
	/* QEMU 7.2 keeps PMP across a system reset: after a reboot the lock still holds
	 * and reading the seed would fault, so boot on without attestation */
	bool locked = (pmp_read_cfg(PMP_IDX_SEED) & PMP_L) != 0;
	size_t image_len = (size_t)((uintptr_t)__data_start - (uintptr_t)__monitor_start);
	bool keys = attest_boot(image, image_len,
				locked ? unreadable : (const uint8_t *)VIRT_SEED_BASE);
	pmp_lock_seed(VIRT_SEED_BASE, ATTEST_SEED_REGION);
	/* both are public: what a relying party provisions and expects */
	put_bytes("monitor: measurement ", attest_monitor_measurement(), ATTEST_MR_SIZE);
	if (keys)
		put_bytes("monitor: platform key ", attest_platform_key(), ED25519_PUBLIC_KEY_SIZE);
	virt_puts(keys ? "monitor: attestation key derived, seed locked\n"
		  : locked ? "monitor: seed still locked since the last boot, attestation off\n"
			   : "monitor: no endorsement seed, attestation off\n");
}

struct hart *virt_boot_main(unsigned long hartid, unsigned long fdt_pa)
{
	plat = &virt_ops;

	const void *blob = (const void *)(uintptr_t)fdt_pa;
	uint32_t total = fdt_header_totalsize(blob);
	struct fdt f;
	uint64_t ram_base, ram_size;
	uint32_t reg_off;
	if (total == 0 || fdt_open(&f, blob, total) != 0)
		boot_fail("no valid device tree in a1");
	if (fdt_get_memory(&f, &ram_base, &ram_size, &reg_off) != 0)
		boot_fail("no /memory in the device tree");
	unsigned nr_harts = read_harts(&f);
	struct loaded l = { 0, 0 };
	int initrd = fdt_get_initrd(&f, &l.initrd_start, &l.initrd_end);
	if (initrd != 0 && initrd != FDT_ERR_NOTFOUND)
		boot_fail("unreadable linux,initrd-start/end in /chosen");
	if (hartid >= nr_harts)
		boot_fail("boot hart not listed in /cpus");

	split_memory(ram_base, ram_size, &l);
	mem.nr_harts = nr_harts;
	mem.sstc = fdt_harts_have_ext(&f, "sstc") == 1;
	if (!devices_init(&f))
		boot_fail("cannot keep the bus masters and the CLINT from S-mode (too many windows)");
	/* before monitor_init, which clears confidential memory, where QEMU's tree may be */
	paddr_t hv_fdt = hand_over_fdt(fdt_pa, total, &l);

	measured_boot();
	if (!monitor_init((unsigned)hartid))
		boot_fail("monitor_init rejected the memory layout");
	for (unsigned i = 0; i < MAX_HARTS; i++) {
		sm.harts[i].stack_top = virt_stack_top(i);
		sm.harts[i].id = i;
	}

	virt_hart_setup((unsigned)hartid);
	struct hart *h = &sm.harts[hartid];
	memset(h->regs, 0, sizeof(*h->regs));
	h->regs->x[REG_A0] = hartid;
	h->regs->x[REG_A1] = hv_fdt;
	csr_write(CSR_MEPC, mem.ram_base + VIRT_KERNEL_OFFSET);
	print_banner();

	__atomic_store_n(&virt_boot_done, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < nr_harts; i++)
		if (i != hartid)
			virt_clint_send_ipi(i);
	return h;
}
