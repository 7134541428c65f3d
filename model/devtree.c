/*
 * The device tree the model's machine gives its firmware, shaped like the one QEMU virt
 * generates (root cells 2/2, /chosen, /memory@80000000, /cpus with one cpu node per hart,
 * each with its interrupt controller, and a cpu-map, then /soc with the UART and the
 * CLINT). The boot reads RAM and harts from it and patches the hypervisor's copy, as
 * platform/virt/boot.c does on QEMU, so the model runs the monitor's device-tree code on
 * the same shape of input as the real machine.
 *
 * The tree lives in host memory, not in model RAM: the model's hypervisor stand-ins never
 * read a device tree, and RAM stays as tests expect it after boot.
 */
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "fdt.h"
#include "platform.h"
#include "fdt_writer.h"
#include "model_priv.h"
#include "model_test.h"

static uint8_t blob[8192];

static void prop_reg64(const char *name, uint64_t base, uint64_t size)
{
	const uint64_t vals[2] = { base, size };
	fdtb_prop_cells(name, vals, 2, 2);
}

/* phandles as QEMU numbers them: each hart's interrupt controller, then the cpu itself */
static uint32_t intc_phandle(unsigned hart) { return 1u + 2u * hart; }
static uint32_t cpu_phandle(unsigned hart) { return 2u + 2u * hart; }

static void cpu_node(unsigned hart)
{
	char name[16];
	snprintf(name, sizeof(name), "cpu@%x", hart);
	fdtb_begin_node(name);
	fdtb_prop_u32("phandle", cpu_phandle(hart));
	fdtb_prop_string("device_type", "cpu");
	fdtb_prop_u32("reg", hart);
	fdtb_prop_string("status", "okay");
	fdtb_prop_string("compatible", "riscv");
	fdtb_prop_string("riscv,isa", "rv64imafdch_zicsr_zifencei_sstc");
	fdtb_prop_string("mmu-type", "riscv,sv48");
	fdtb_begin_node("interrupt-controller");
	fdtb_prop_u32("#interrupt-cells", 1);
	fdtb_prop("interrupt-controller", NULL, 0);
	fdtb_prop_string("compatible", "riscv,cpu-intc");
	fdtb_prop_u32("phandle", intc_phandle(hart));
	fdtb_end_node();
	fdtb_end_node();
}

static void cpus_node(unsigned nr_harts)
{
	char name[16];
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	fdtb_prop_u32("#size-cells", 0);
	fdtb_prop_u32("timebase-frequency", 10000000);
	for (unsigned h = 0; h < nr_harts; h++)
		cpu_node(h);
	fdtb_begin_node("cpu-map");
	fdtb_begin_node("cluster0");
	for (unsigned h = 0; h < nr_harts; h++) {
		snprintf(name, sizeof(name), "core%u", h);
		fdtb_begin_node(name);
		fdtb_prop_u32("cpu", cpu_phandle(h));
		fdtb_end_node();
	}
	fdtb_end_node();
	fdtb_end_node();
	fdtb_end_node();
}

static void soc_node(unsigned nr_harts)
{
	/* each hart's M software and M timer interrupts (3 and 7) */
	uint64_t clint_irqs[4 * MAX_HARTS];
	char name[32];
	for (size_t h = 0; h < nr_harts; h++) {
		clint_irqs[4 * h] = intc_phandle((unsigned)h);
		clint_irqs[4 * h + 1] = 3;
		clint_irqs[4 * h + 2] = intc_phandle((unsigned)h);
		clint_irqs[4 * h + 3] = 7;
	}

	fdtb_begin_node("soc");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_prop_string("compatible", "simple-bus");
	fdtb_prop("ranges", NULL, 0);
	fdtb_begin_node("serial@10000000");
	fdtb_prop_u32("clock-frequency", 0x384000);
	prop_reg64("reg", 0x10000000, 0x100);
	fdtb_prop_string("compatible", "ns16550a");
	fdtb_end_node();
	fdtb_begin_node("clint@2000000");
	fdtb_prop_cells("interrupts-extended", clint_irqs, 4 * nr_harts, 1);
	prop_reg64("reg", 0x2000000, 0x10000);
	fdtb_prop("compatible", "sifive,clint0\0riscv,clint0", sizeof("sifive,clint0\0riscv,clint0"));
	fdtb_end_node();
	/* bus masters, as QEMU virt lists them: eight virtio-mmio transports and fw_cfg */
	for (uint64_t i = 0; i < MODEL_VIRTIO_SLOTS; i++) {
		snprintf(name, sizeof(name), "virtio_mmio@%llx",
			 (unsigned long long)(MODEL_VIRTIO_BASE + i * MODEL_VIRTIO_SIZE));
		fdtb_begin_node(name);
		prop_reg64("reg", MODEL_VIRTIO_BASE + i * MODEL_VIRTIO_SIZE, MODEL_VIRTIO_SIZE);
		fdtb_prop_string("compatible", "virtio,mmio");
		fdtb_end_node();
	}
	fdtb_begin_node("fw-cfg@10100000");
	fdtb_prop("dma-coherent", NULL, 0);
	prop_reg64("reg", MODEL_FW_CFG_BASE, MODEL_FW_CFG_SIZE);
	fdtb_prop_string("compatible", "qemu,fw-cfg-mmio");
	fdtb_end_node();
	fdtb_end_node();
}

/* Writes the tree for this machine; returns its total size. */
static uint32_t build_tree(void)
{
	fdtb_init(blob, sizeof(blob));
	fdtb_begin_node("");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_prop_string("compatible", "riscv-virtio");
	fdtb_prop_string("model", "riscv-virtio,qemu");
	fdtb_begin_node("chosen");
	fdtb_prop_string("stdout-path", "/soc/serial@10000000");
	fdtb_end_node();
	char name[32];
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)mem.ram_base);
	fdtb_begin_node(name);
	fdtb_prop_string("device_type", "memory");
	prop_reg64("reg", mem.ram_base, mem.ram_size);
	fdtb_end_node();
	cpus_node(mem.nr_harts);
	soc_node(mem.nr_harts);
	fdtb_end_node();
	int total = fdtb_finish();
	if (total < 0)
		model_fatal("device tree: over %zu bytes", sizeof(blob));
	return (uint32_t)total;
}

void model_boot_device_tree(void)
{
	uint32_t total = build_tree();
	struct fdt f;
	uint64_t base = 0, size = 0, ids[MAX_HARTS];
	uint32_t reg_off = 0;

	if (fdt_header_totalsize(blob) != total || fdt_open(&f, blob, total) != 0 ||
	    fdt_get_memory(&f, &base, &size, &reg_off) != 0)
		model_fatal("boot: the device tree has no readable /memory");
	if (base != mem.ram_base || size != mem.ram_size)
		model_fatal("boot: the device tree's RAM disagrees with the machine");
	int n = fdt_get_cpus(&f, ids, MAX_HARTS);
	if (n != (int)mem.nr_harts)
		model_fatal("boot: the device tree lists %d harts, the machine has %u", n, mem.nr_harts);
	for (int i = 0; i < n; i++)
		if (ids[i] != (uint64_t)i)
			model_fatal("boot: hart ids in the device tree are not 0..n-1");
	/* the hypervisor's copy says RAM ends where confidential memory begins */
	if (fdt_patch_memory_size(blob, &f, reg_off, mem.conf_base - base) != 0 ||
	    fdt_get_memory(&f, &base, &size, NULL) != 0 || base + size != mem.conf_base)
		model_fatal("boot: cannot patch the device tree's /memory");
	mem.sstc = fdt_harts_have_ext(&f, "sstc") == 1; /* the model implements Sstc */
	if (!devices_init(&f))
		model_fatal("boot: cannot keep the bus masters and the CLINT from S-mode");
	if (devices_hide(blob, &f) != (int)(MODEL_VIRTIO_SLOTS + 2))
		model_fatal("boot: the hypervisor's device tree still lists the monitor's devices");
}
