/*
 * Devices that S and U mode must never reach (S.Init.3), read once from the platform's
 * device tree at boot:
 *   - bus masters: their DMA ignores PMP, so whoever programs one reads and writes all
 *     of physical memory, the monitor's keys and every CVM's pages included (virtio-mmio
 *     transports, QEMU's fw_cfg with its DMA interface, a PCIe host's configuration
 *     space, through which any PCI device can be made a bus master);
 *   - devices that belong to the monitor: the CLINT/ACLINT, whose timer compare and
 *     software-interrupt registers drive the monitor's own timer and IPIs.
 * QEMU virt has no IOPMP or IOMMU to confine a bus master (docs/invariants.md, S.Init.3), so the monitor denies S/U their registers with PMP and
 * removes their nodes from the tree it hands on. Windows are merged where they touch
 * and fixed after boot.
 */
#ifndef MONITOR_DEVICES_H
#define MONITOR_DEVICES_H

#include "fdt.h"
#include "types.h"

#define MAX_DEVICE_WINDOWS 8

struct phys_window {
	paddr_t base;
	uint64_t size;
};

/* The compatible strings of such devices, for boot and for tests. */
extern const char *const private_device_compatibles[];
extern const unsigned nr_private_device_compatibles;

/*
 * Boot, before monitor_init: records the windows in `mem` (merged, sorted). False when
 * the tree cannot be read or the windows need more PMP entries than the monitor has
 * left for them.
 */
bool devices_init(const struct fdt *platform_tree);

/* Removes those devices' nodes from a tree handed to the hypervisor: count or FDT_ERR_*. */
int devices_hide(void *blob, const struct fdt *f);

#endif
