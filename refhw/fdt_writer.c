/*
 * Flattened device tree writer (refhw/fdt_writer.h). The structure block grows in the caller's
 * buffer right after the header and an empty reservation map; property names collect in
 * a side table until fdtb_finish, because the strings block comes after the structure.
 * One tree is built at a time (tests and fuzz targets are single-threaded).
 */
#include "fdt_writer.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define FDTB_MAGIC 0xd00dfeedu
#define FDTB_HEADER_SIZE 40u
#define FDTB_RSVMAP_SIZE 16u /* one all-zero terminating entry */
#define FDTB_STRUCT_START (FDTB_HEADER_SIZE + FDTB_RSVMAP_SIZE)
#define FDTB_STRINGS_CAP 4096u

static struct {
	uint8_t *buf;
	size_t cap;
	size_t pos; /* next structure byte */
	bool failed;
	size_t strings_len;
	char strings[FDTB_STRINGS_CAP];
} b;

static void put_be32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Appends bytes and zero padding up to the next 4-byte boundary. */
static void put_padded(const void *data, size_t len)
{
	size_t total = (len + 3u) & ~(size_t)3u;

	if (b.failed || total < len || total > b.cap - b.pos) {
		b.failed = true;
		return;
	}
	if (len != 0)
		memcpy(b.buf + b.pos, data, len);
	memset(b.buf + b.pos + len, 0, total - len);
	b.pos += total;
}

static void put_word(uint32_t v)
{
	uint8_t w[4];

	put_be32_at(w, v);
	put_padded(w, sizeof(w));
}

/* Offset of name in the strings table, added on first use. */
static uint32_t string_offset(const char *name)
{
	size_t len = strlen(name) + 1u;
	size_t at = 0;

	while (at < b.strings_len) {
		size_t here = strlen(b.strings + at) + 1u;

		if (here == len && memcmp(b.strings + at, name, len) == 0)
			return (uint32_t)at;
		at += here;
	}
	if (len > FDTB_STRINGS_CAP - b.strings_len) {
		b.failed = true;
		return 0;
	}
	memcpy(b.strings + b.strings_len, name, len);
	b.strings_len += len;
	return (uint32_t)at;
}

void fdtb_init(void *buf, size_t cap)
{
	memset(&b, 0, sizeof(b));
	b.buf = buf;
	b.cap = cap;
	b.pos = FDTB_STRUCT_START;
	if (buf == NULL || cap < FDTB_STRUCT_START) {
		b.failed = true;
		return;
	}
	memset(b.buf, 0, FDTB_STRUCT_START);
}

void fdtb_token(uint32_t word)
{
	put_word(word);
}

uint32_t fdtb_offset(void)
{
	return (uint32_t)b.pos;
}

void fdtb_begin_node(const char *name)
{
	put_word(FDTB_BEGIN_NODE);
	put_padded(name, strlen(name) + 1u);
}

void fdtb_end_node(void)
{
	put_word(FDTB_END_NODE);
}

void fdtb_prop(const char *name, const void *data, size_t len)
{
	if (len > UINT32_MAX) {
		b.failed = true;
		return;
	}
	put_word(FDTB_PROP);
	put_word((uint32_t)len);
	put_word(string_offset(name));
	put_padded(data, len);
}

void fdtb_prop_u32(const char *name, uint32_t v)
{
	uint8_t cell[4];

	put_be32_at(cell, v);
	fdtb_prop(name, cell, sizeof(cell));
}

void fdtb_prop_cells(const char *name, const uint64_t *vals, unsigned n, unsigned cells_each)
{
	uint8_t data[256];
	size_t len = 0;

	if ((cells_each != 1 && cells_each != 2) || (size_t)n * cells_each * 4u > sizeof(data)) {
		b.failed = true;
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		if (cells_each == 1 && vals[i] > UINT32_MAX) {
			b.failed = true;
			return;
		}
		if (cells_each == 2) {
			put_be32_at(data + len, (uint32_t)(vals[i] >> 32));
			len += 4;
		}
		put_be32_at(data + len, (uint32_t)vals[i]);
		len += 4;
	}
	fdtb_prop(name, data, len);
}

void fdtb_prop_string(const char *name, const char *s)
{
	fdtb_prop(name, s, strlen(s) + 1u);
}

int fdtb_finish(void)
{
	size_t size_struct, total;
	uint8_t *h = b.buf;

	put_word(FDTB_END);
	if (b.failed || b.strings_len > b.cap - b.pos)
		return -1;
	size_struct = b.pos - FDTB_STRUCT_START;
	total = b.pos + b.strings_len;
	if (total > INT_MAX)
		return -1;
	memcpy(b.buf + b.pos, b.strings, b.strings_len);
	put_be32_at(h, FDTB_MAGIC);
	put_be32_at(h + FDTB_HDR_TOTALSIZE, (uint32_t)total);
	put_be32_at(h + FDTB_HDR_OFF_STRUCT, FDTB_STRUCT_START);
	put_be32_at(h + FDTB_HDR_OFF_STRINGS, (uint32_t)b.pos);
	put_be32_at(h + 16, FDTB_HEADER_SIZE); /* off_mem_rsvmap */
	put_be32_at(h + FDTB_HDR_VERSION, 17);
	put_be32_at(h + FDTB_HDR_LAST_COMP_VERSION, 16);
	put_be32_at(h + 28, 0); /* boot_cpuid_phys */
	put_be32_at(h + FDTB_HDR_SIZE_STRINGS, (uint32_t)b.strings_len);
	put_be32_at(h + FDTB_HDR_SIZE_STRUCT, (uint32_t)size_struct);
	return (int)total;
}

static void vm_cpu(unsigned id)
{
	char name[32];

	snprintf(name, sizeof(name), "cpu@%x", id);
	fdtb_begin_node(name);
	fdtb_prop_string("device_type", "cpu");
	fdtb_prop_u32("reg", id);
	fdtb_prop_string("status", "okay");
	fdtb_prop_string("compatible", "riscv");
	fdtb_prop_string("riscv,isa", "rv64imafdch");
	fdtb_prop_string("mmu-type", "riscv,sv48");
	fdtb_begin_node("interrupt-controller");
	fdtb_prop_u32("#interrupt-cells", 1);
	fdtb_prop("interrupt-controller", NULL, 0);
	fdtb_prop_string("compatible", "riscv,cpu-intc");
	fdtb_end_node();
	fdtb_end_node();
}

size_t fdtb_make_vm_tree(void *buf, size_t cap, unsigned nr_cpus, uint64_t mem_base,
			 uint64_t mem_size)
{
	const uint64_t reg[2] = { mem_base, mem_size };
	char name[32];
	int total;

	fdtb_init(buf, cap);
	fdtb_begin_node("");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_prop_string("compatible", "riscv-virtio");
	fdtb_prop_string("model", "riscv-virtio,qemu");

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)mem_base);
	fdtb_begin_node(name);
	fdtb_prop_string("device_type", "memory");
	fdtb_prop_cells("reg", reg, 2, 2);
	fdtb_end_node();

	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	fdtb_prop_u32("#size-cells", 0);
	fdtb_prop_u32("timebase-frequency", 10000000);
	for (unsigned i = 0; i < nr_cpus; i++)
		vm_cpu(i);
	fdtb_end_node();

	fdtb_end_node();
	total = fdtb_finish();
	return total < 0 ? 0 : (size_t)total;
}
