/*
 * The guest's device tree: what an ordinary hypervisor would hand a VM, reduced to
 * what promote reads (the vCPUs under /cpus) plus memory and the device. Written
 * big-endian by hand: the structure block, then the strings, then the header.
 */
#include <string.h>

#include "fdt_write.h"

#define FDT_MAGIC 0xd00dfeedU
#define TOK_BEGIN 1U
#define TOK_END 2U
#define TOK_PROP 3U
#define TOK_FINISH 9U
#define HEADER 40U
#define RSVMAP 16U

struct writer {
	uint8_t *buf;
	unsigned cap, pos;
	char strings[256];
	unsigned strings_len;
	bool overflow;
};

static void put32(struct writer *w, uint32_t v)
{
	if (w->pos + 4 > w->cap) {
		w->overflow = true;
		return;
	}
	w->buf[w->pos++] = (uint8_t)(v >> 24);
	w->buf[w->pos++] = (uint8_t)(v >> 16);
	w->buf[w->pos++] = (uint8_t)(v >> 8);
	w->buf[w->pos++] = (uint8_t)v;
}

static void put_bytes(struct writer *w, const void *data, unsigned len)
{
	if (w->pos + len + 3 > w->cap) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->pos, data, len);
	w->pos += len;
	while (w->pos & 3)
		w->buf[w->pos++] = 0;
}

static uint32_t string_off(struct writer *w, const char *name)
{
	unsigned len = (unsigned)strlen(name) + 1;
	for (unsigned off = 0; off < w->strings_len; off += (unsigned)strlen(w->strings + off) + 1)
		if (strcmp(w->strings + off, name) == 0)
			return off;
	if (w->strings_len + len > sizeof(w->strings)) {
		w->overflow = true;
		return 0;
	}
	memcpy(w->strings + w->strings_len, name, len);
	w->strings_len += len;
	return w->strings_len - len;
}

static void begin(struct writer *w, const char *name)
{
	put32(w, TOK_BEGIN);
	put_bytes(w, name, (unsigned)strlen(name) + 1);
}

static void end(struct writer *w) { put32(w, TOK_END); }

static void prop(struct writer *w, const char *name, const void *data, unsigned len)
{
	put32(w, TOK_PROP);
	put32(w, len);
	put32(w, string_off(w, name));
	put_bytes(w, data, len);
}

static void prop_str(struct writer *w, const char *name, const char *s)
{
	prop(w, name, s, (unsigned)strlen(s) + 1);
}

static void prop_cells(struct writer *w, const char *name, const uint32_t *cells, unsigned n)
{
	uint8_t be[32];
	for (unsigned i = 0; i < n && i < 8; i++) {
		be[4 * i] = (uint8_t)(cells[i] >> 24);
		be[4 * i + 1] = (uint8_t)(cells[i] >> 16);
		be[4 * i + 2] = (uint8_t)(cells[i] >> 8);
		be[4 * i + 3] = (uint8_t)cells[i];
	}
	prop(w, name, be, 4 * n);
}

static void prop_u32(struct writer *w, const char *name, uint32_t v) { prop_cells(w, name, &v, 1); }

static void header32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

unsigned fdt_write_guest(void *buf, unsigned cap, unsigned nr_cpus, uint64_t mem_base,
			 uint64_t mem_size, uint64_t dev_base, uint64_t dev_size)
{
	struct writer w = { .buf = buf, .cap = cap, .pos = HEADER + RSVMAP };
	if (cap < HEADER + RSVMAP)
		return 0;
	memset(buf, 0, HEADER + RSVMAP);
	begin(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	prop_str(&w, "compatible", "demo,cvm");
	begin(&w, "cpus");
	prop_u32(&w, "#address-cells", 1);
	prop_u32(&w, "#size-cells", 0);
	prop_u32(&w, "timebase-frequency", 10000000);
	for (unsigned i = 0; i < nr_cpus && i < 10; i++) {
		char name[] = "cpu@0";
		name[4] = (char)('0' + i);
		begin(&w, name);
		prop_str(&w, "device_type", "cpu");
		prop_u32(&w, "reg", i);
		prop_str(&w, "status", "okay");
		prop_str(&w, "riscv,isa", "rv64imafdc");
		end(&w);
	}
	end(&w);
	uint32_t mem_reg[4] = { (uint32_t)(mem_base >> 32), (uint32_t)mem_base,
				(uint32_t)(mem_size >> 32), (uint32_t)mem_size };
	begin(&w, "memory@40000000");
	prop_str(&w, "device_type", "memory");
	prop_cells(&w, "reg", mem_reg, 4);
	end(&w);
	uint32_t dev_reg[4] = { (uint32_t)(dev_base >> 32), (uint32_t)dev_base,
				(uint32_t)(dev_size >> 32), (uint32_t)dev_size };
	begin(&w, "virtio_mmio@10001000");
	prop_str(&w, "compatible", "virtio,mmio");
	prop_cells(&w, "reg", dev_reg, 4);
	end(&w);
	end(&w);
	put32(&w, TOK_FINISH);
	unsigned struct_size = w.pos - HEADER - RSVMAP;
	unsigned strings_off = w.pos;
	if (w.overflow || w.pos + w.strings_len > cap)
		return 0;
	memcpy(w.buf + w.pos, w.strings, w.strings_len);
	unsigned total = w.pos + w.strings_len;

	uint8_t *h = buf;
	header32(h + 0, FDT_MAGIC);
	header32(h + 4, total);
	header32(h + 8, HEADER + RSVMAP); /* off_dt_struct */
	header32(h + 12, strings_off);
	header32(h + 16, HEADER);         /* off_mem_rsvmap */
	header32(h + 20, 17);             /* version */
	header32(h + 24, 16);             /* last compatible version */
	header32(h + 28, 0);              /* boot cpu */
	header32(h + 32, w.strings_len);
	header32(h + 36, struct_size);
	return total;
}
