/* Devices kept from S and U mode (devices.h, S.Init.3). */
#include "devices.h"
#include "platform.h"
#include "pmp.h"

const char *const private_device_compatibles[] = {
	"virtio,mmio",           /* virtio transports: their queues are DMA */
	"qemu,fw-cfg-mmio",      /* fw_cfg: its DMA interface writes anywhere */
	"pci-host-ecam-generic", /* config space enables bus mastering on any PCI device */
	"riscv,clint0", "sifive,clint0", /* the monitor's timer and IPIs */
	"riscv,aclint-mswi", "riscv,aclint-mtimer",
};
const unsigned nr_private_device_compatibles =
	sizeof(private_device_compatibles) / sizeof(private_device_compatibles[0]);

/* Sorted by base; windows that overlap or touch become one. */
static unsigned merge(struct fdt_device *d, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && d[j - 1].base > d[j].base; j--) {
			struct fdt_device t = d[j];
			d[j] = d[j - 1];
			d[j - 1] = t;
		}
	unsigned out = 0;
	for (unsigned i = 0; i < n; i++) {
		if (out && d[i].base <= d[out - 1].base + d[out - 1].size) {
			uint64_t end = d[i].base + d[i].size, prev = d[out - 1].base + d[out - 1].size;
			if (end > prev)
				d[out - 1].size = end - d[out - 1].base;
			continue;
		}
		d[out++] = d[i];
	}
	return out;
}

bool devices_init(const struct fdt *platform_tree)
{
	struct fdt_device found[FDT_MAX_DEVICES] = { 0 };
	int n = fdt_find_devices(platform_tree, private_device_compatibles,
				 nr_private_device_compatibles, found, FDT_MAX_DEVICES);
	if (n < 0)
		return false;
	unsigned windows = merge(found, (unsigned)n), entries = 0;
	if (windows > MAX_DEVICE_WINDOWS)
		return false;
	for (unsigned i = 0; i < windows; i++) {
		mem.devices[i] = (struct phys_window){ .base = found[i].base, .size = found[i].size };
		entries += pmp_entries_to_deny(found[i].base, found[i].size);
	}
	mem.nr_devices = windows;
	return entries <= PMP_DEVICE_ENTRIES;
}

int devices_hide(void *blob, const struct fdt *f)
{
	return fdt_hide_devices(blob, f, private_device_compatibles, nr_private_device_compatibles);
}
