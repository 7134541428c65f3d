/*
 * A flattened device tree reader that treats the blob as hostile: every offset, length,
 * string and nesting level is checked against the buffer before use, and walks are
 * bounded. Used at boot (the platform's tree) and by promote (a VM's tree).
 */
#ifndef MONITOR_FDT_H
#define MONITOR_FDT_H

#include "types.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_MAX_DEPTH 16
#define FDT_MAX_CPUS 64

/* negative results */
#define FDT_ERR_TRUNCATED (-1) /* header or a block outside the buffer */
#define FDT_ERR_BADMAGIC (-2)
#define FDT_ERR_BADSTRUCT (-3) /* malformed token stream, names, nesting */
#define FDT_ERR_NOTFOUND (-4)
#define FDT_ERR_BADVALUE (-5)  /* a property with the wrong size or content */

struct fdt {
	const uint8_t *blob;
	uint32_t size; /* totalsize, checked <= buffer length */
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
};

/* Validates the header against `buf_len`; 0 or FDT_ERR_*. */
int fdt_open(struct fdt *f, const void *blob, size_t buf_len);
/* Size the header claims, or 0 if `blob` (>= 8 bytes readable) has no FDT magic. */
uint32_t fdt_header_totalsize(const void *blob);

/*
 * Harts: nodes under /cpus with device_type = "cpu" and a status that is absent, "okay"
 * or "ok". Stores up to `max` reg values (hart ids) in `ids`; returns the number found,
 * or FDT_ERR_*. More than `max` harts is FDT_ERR_BADVALUE.
 */
int fdt_get_cpus(const struct fdt *f, uint64_t *ids, unsigned max);

/*
 * The first /memory node's first (base, size) pair, honouring the root's
 * #address-cells and #size-cells (1 or 2). 0 or FDT_ERR_*. If `reg_offset` is not
 * NULL it receives the blob offset of that pair's size cells, for fdt_patch_memory_size.
 */
int fdt_get_memory(const struct fdt *f, uint64_t *base, uint64_t *size, uint32_t *reg_offset);

/* Rewrites, in place, the memory reg located by fdt_get_memory (size only). */
int fdt_patch_memory_size(void *blob, const struct fdt *f, uint32_t reg_offset, uint64_t new_size);

/*
 * Device nodes, at any depth, whose "compatible" list holds one of `compats`, whatever
 * their status says (a disabled device is still on the bus). Each gives the first
 * (base, size) pair of its reg, read with its parent's #address-cells and #size-cells,
 * and the node's extent in the blob. Nodes without reg are skipped. Returns how many
 * were stored in `out`, or FDT_ERR_* (FDT_ERR_BADVALUE when more than `max` match).
 */
#define FDT_MAX_DEVICES 32
struct fdt_device {
	uint64_t base, size;
	uint32_t node_start, node_end; /* BEGIN_NODE token up to just past its END_NODE */
};
int fdt_find_devices(const struct fdt *f, const char *const *compats, unsigned ncompat,
		     struct fdt_device *out, unsigned max);

/*
 * Removes those nodes from the tree in place (each token becomes FDT_NOP, so no size
 * changes), as if the device were not there. Returns how many, or FDT_ERR_*.
 */
int fdt_hide_devices(void *blob, const struct fdt *f, const char *const *compats, unsigned ncompat);

/*
 * Whether every hart under /cpus names the multi-letter extension `ext` ("sstc") in its
 * riscv,isa: 1 if all do, 0 if one does not, FDT_ERR_* (NOTFOUND without harts).
 */
int fdt_harts_have_ext(const struct fdt *f, const char *ext);

/*
 * /chosen's linux,initrd-start and linux,initrd-end (one or two cells each), where the
 * loader put the initial ramdisk. 0, FDT_ERR_NOTFOUND without one, or FDT_ERR_*.
 */
int fdt_get_initrd(const struct fdt *f, uint64_t *start, uint64_t *end);

/*
 * Adds /reserved-memory (#address-cells and #size-cells 2) at the end of the root, with
 * one "no-map" child "<name>@<base>" per range, growing the blob in place within `cap`
 * bytes. The tree must keep its strings last (as dtc and QEMU lay it out) and must not
 * have /reserved-memory already. Returns the new total size, or FDT_ERR_*; `f` is stale
 * afterwards (fdt_open again).
 */
struct fdt_reserved {
	const char *name;
	uint64_t base, size;
};
int fdt_add_reserved_memory(void *blob, size_t cap, const struct fdt *f,
			    const struct fdt_reserved *r, unsigned n);

#endif
