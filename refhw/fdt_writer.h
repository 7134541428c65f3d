/*
 * Reference hardware: a small flattened device tree writer (Devicetree Specification
 * 0.4, chapter 5), host only: the model's boot tree (model/devtree.c), and the trees
 * tests and fuzz harnesses (the Unicorn harness too) hand to the monitor.
 * It writes into one caller buffer at a time; the calls after fdtb_init describe the
 * structure block in order, and fdtb_finish lays out the strings and the header.
 * It checks space, not shape: tests rely on it to build malformed trees too.
 */
#ifndef REFHW_FDT_WRITER_H
#define REFHW_FDT_WRITER_H

#include <stddef.h>
#include <stdint.h>

/* Header field offsets, for tests that corrupt a built tree. */
#define FDTB_HDR_TOTALSIZE 4u
#define FDTB_HDR_OFF_STRUCT 8u
#define FDTB_HDR_OFF_STRINGS 12u
#define FDTB_HDR_VERSION 20u
#define FDTB_HDR_LAST_COMP_VERSION 24u
#define FDTB_HDR_SIZE_STRINGS 32u
#define FDTB_HDR_SIZE_STRUCT 36u

#define FDTB_BEGIN_NODE 1u
#define FDTB_END_NODE 2u
#define FDTB_PROP 3u
#define FDTB_NOP 4u
#define FDTB_END 9u

void fdtb_init(void *buf, size_t cap);
void fdtb_begin_node(const char *name);
void fdtb_end_node(void);
void fdtb_prop(const char *name, const void *data, size_t len);
void fdtb_prop_u32(const char *name, uint32_t v);
/* n values of cells_each (1 or 2) big-endian cells; a value too wide for 1 cell fails. */
void fdtb_prop_cells(const char *name, const uint64_t *vals, unsigned n, unsigned cells_each);
void fdtb_prop_string(const char *name, const char *s);
/* One raw structure word, for streams the other calls cannot express. */
void fdtb_token(uint32_t word);
/* Blob offset the next structure word will be written at. */
uint32_t fdtb_offset(void);
/* Appends FDT_END, the strings and the header: the total size, or -1 if out of space. */
int fdtb_finish(void);

/*
 * A QEMU-virt-like minimal tree: / (#address-cells 2, #size-cells 2), /memory@base,
 * /cpus (#address-cells 1, #size-cells 0) with cpu@0..nr_cpus-1 (device_type "cpu",
 * reg N, status "okay", each with an interrupt-controller child). 0 if it does not fit.
 */
size_t fdtb_make_vm_tree(void *buf, size_t cap, unsigned nr_cpus, uint64_t mem_base,
			 uint64_t mem_size);

#endif
