/*
 * The device tree reader against trees from the builder: well-formed ones must read back
 * what was written, and each kind of hostile tree must give its error without a read
 * outside the blob. Blobs under test sit in heap copies of exactly their length, so
 * AddressSanitizer reports any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fdt.h"
#include "fdt_writer.h"

#define BUF_CAP 8192u

static uint8_t buf[BUF_CAP];

static uint32_t get32(const uint8_t *p, size_t off)
{
	return ((uint32_t)p[off] << 24) | ((uint32_t)p[off + 1] << 16) |
	       ((uint32_t)p[off + 2] << 8) | (uint32_t)p[off + 3];
}

static void set32(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)(v >> 24);
	p[off + 1] = (uint8_t)(v >> 16);
	p[off + 2] = (uint8_t)(v >> 8);
	p[off + 3] = (uint8_t)v;
}

static uint8_t *exact_copy(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

static size_t finish(void)
{
	int total = fdtb_finish();

	assert_true(total > 0);
	return (size_t)total;
}

/* Copies buf[0..len) to the heap and opens it; the header must be acceptable. */
static uint8_t *open_copy(struct fdt *f, size_t len)
{
	uint8_t *blob = exact_copy(buf, len);

	assert_int_equal(fdt_open(f, blob, len), 0);
	return blob;
}

static void expect_open_error(size_t len, int err)
{
	struct fdt f;
	uint8_t *blob = exact_copy(buf, len);

	assert_int_equal(fdt_open(&f, blob, len), err);
	free(blob);
}

/* The header is fine but every query must report `err`. */
static void expect_query_error(size_t len, int err)
{
	struct fdt f;
	uint64_t ids[FDT_MAX_CPUS], base, size;
	uint32_t off;
	uint8_t *blob = open_copy(&f, len);

	assert_int_equal(fdt_get_cpus(&f, ids, FDT_MAX_CPUS), err);
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), err);
	free(blob);
}

static void expect_cpus_error(size_t len, unsigned max, int err)
{
	struct fdt f;
	uint64_t ids[FDT_MAX_CPUS];
	uint8_t *blob = open_copy(&f, len);

	assert_int_equal(fdt_get_cpus(&f, ids, max), err);
	free(blob);
}

static void expect_memory_error(size_t len, int err)
{
	struct fdt f;
	uint64_t base, size;
	uint8_t *blob = open_copy(&f, len);

	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), err);
	free(blob);
}

static size_t vm_tree(unsigned cpus)
{
	size_t len = fdtb_make_vm_tree(buf, sizeof(buf), cpus, 0x80000000ULL, 0x10000000ULL);

	assert_true(len > 0);
	return len;
}

/* Root with the given cell counts (0 = absent) and one memory node with `reg`. */
static void begin_memory_tree(uint32_t address_cells, uint32_t size_cells)
{
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	if (address_cells)
		fdtb_prop_u32("#address-cells", address_cells);
	if (size_cells)
		fdtb_prop_u32("#size-cells", size_cells);
}

static size_t memory_tree(uint32_t address_cells, uint32_t size_cells, const void *reg,
			  size_t reg_len)
{
	begin_memory_tree(address_cells, size_cells);
	fdtb_begin_node("memory@80000000");
	fdtb_prop_string("device_type", "memory");
	fdtb_prop("reg", reg, reg_len);
	fdtb_end_node();
	fdtb_end_node();
	return finish();
}

static void add_cpu(const char *name, const void *reg, size_t reg_len, const char *status)
{
	fdtb_begin_node(name);
	fdtb_prop_string("device_type", "cpu");
	if (reg)
		fdtb_prop("reg", reg, reg_len);
	if (status)
		fdtb_prop_string("status", status);
	fdtb_end_node();
}

static void add_cpu_u32(const char *name, uint32_t id)
{
	uint8_t reg[4];

	set32(reg, 0, id);
	add_cpu(name, reg, sizeof(reg), "okay");
}

/* ---- round trips ---- */

static void test_vm_tree_round_trip(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= 4; n++) {
		struct fdt f;
		uint64_t ids[FDT_MAX_CPUS], base, size;
		uint32_t off;
		size_t len = vm_tree(n);
		uint8_t *blob = open_copy(&f, len);

		assert_int_equal(fdt_header_totalsize(blob), len);
		assert_int_equal(f.size, len);
		assert_int_equal(fdt_get_cpus(&f, ids, FDT_MAX_CPUS), (int)n);
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(ids[i], i);
		/* exactly enough room is enough */
		assert_int_equal(fdt_get_cpus(&f, ids, n), (int)n);
		assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);
		assert_int_equal(base, 0x80000000ULL);
		assert_int_equal(size, 0x10000000ULL);
		assert_int_equal(get32(blob, off), 0);
		assert_int_equal(get32(blob, off + 4), 0x10000000u);
		assert_int_equal(fdt_get_memory(&f, NULL, NULL, NULL), 0);
		free(blob);
	}
}

static void test_memory_one_cell(void **state)
{
	struct fdt f;
	uint8_t reg[8];
	uint64_t base, size;
	uint32_t off;
	uint8_t *blob;

	(void)state;
	set32(reg, 0, 0x80000000u);
	set32(reg, 4, 0x4000000u);
	blob = open_copy(&f, memory_tree(1, 1, reg, sizeof(reg)));
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);
	assert_int_equal(base, 0x80000000u);
	assert_int_equal(size, 0x4000000u);
	assert_int_equal(get32(blob, off), 0x4000000u);
	assert_int_equal(get32(blob, off - 4), 0x80000000u);
	free(blob);
}

static void test_memory_two_cells(void **state)
{
	struct fdt f;
	const uint64_t reg[2] = { 0x100000000ULL, 0x280000000ULL };
	uint64_t base, size;
	uint32_t off;
	uint8_t *blob;

	(void)state;
	begin_memory_tree(2, 2);
	fdtb_begin_node("memory@100000000");
	fdtb_prop_string("device_type", "memory");
	fdtb_prop_cells("reg", reg, 2, 2);
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);
	assert_int_equal(base, 0x100000000ULL);
	assert_int_equal(size, 0x280000000ULL);
	assert_int_equal(get32(blob, off), 2);
	assert_int_equal(get32(blob, off + 4), 0x80000000u);
	free(blob);
}

/* Absent cell counts mean #address-cells 2 and #size-cells 1. */
static void test_memory_default_cells(void **state)
{
	struct fdt f;
	const uint64_t base_cells[1] = { 0x80000000ULL };
	const uint64_t size_cells[1] = { 0x1000000ULL };
	uint64_t base, size;
	uint8_t *blob;

	(void)state;
	begin_memory_tree(0, 0);
	fdtb_begin_node("memory@80000000");
	fdtb_prop_string("device_type", "memory");
	/* reg laid out by hand: two base cells then one size cell */
	{
		uint8_t reg[12];

		set32(reg, 0, (uint32_t)(base_cells[0] >> 32));
		set32(reg, 4, (uint32_t)base_cells[0]);
		set32(reg, 8, (uint32_t)size_cells[0]);
		fdtb_prop("reg", reg, sizeof(reg));
	}
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), 0);
	assert_int_equal(base, 0x80000000ULL);
	assert_int_equal(size, 0x1000000ULL);
	free(blob);
}

/* Which node is "the memory node": by device_type, else by name; the first one wins. */
static void test_memory_node_selection(void **state)
{
	struct fdt f;
	const uint64_t first[2] = { 0x80000000ULL, 0x1000ULL };
	const uint64_t second[2] = { 0x90000000ULL, 0x2000ULL };
	uint64_t base, size;
	uint8_t *blob;

	(void)state;
	/* named memory but typed otherwise: not memory; then an unnamed-looking typed one */
	begin_memory_tree(1, 1);
	fdtb_begin_node("memory@70000000");
	fdtb_prop_string("device_type", "reserved");
	fdtb_prop_cells("reg", first, 2, 1);
	fdtb_end_node();
	fdtb_begin_node("soc");
	fdtb_begin_node("memory@60000000"); /* not at root level */
	fdtb_prop_string("device_type", "memory");
	fdtb_prop_cells("reg", first, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	fdtb_begin_node("ram");
	fdtb_prop_cells("reg", first, 2, 1);
	fdtb_prop_string("device_type", "memory"); /* after reg: order must not matter */
	fdtb_end_node();
	fdtb_begin_node("memory@90000000");
	fdtb_prop_cells("reg", second, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), 0);
	assert_int_equal(base, first[0]);
	assert_int_equal(size, first[1]);
	free(blob);

	/* a bare "memory" name with no device_type counts */
	begin_memory_tree(1, 1);
	fdtb_begin_node("memory");
	fdtb_prop_cells("reg", second, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), 0);
	assert_int_equal(base, second[0]);
	free(blob);

	/* "memoryx" is not a memory name */
	begin_memory_tree(1, 1);
	fdtb_begin_node("memoryx");
	fdtb_prop_cells("reg", second, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_NOTFOUND);
}

static void test_cpus_variants(void **state)
{
	struct fdt f;
	uint64_t ids[FDT_MAX_CPUS];
	uint8_t reg2[8];
	uint8_t *blob;

	(void)state;
	/* /cpus without #address-cells: two-cell hart ids */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	set32(reg2, 0, 1);
	set32(reg2, 4, 2);
	add_cpu("cpu@100000002", reg2, sizeof(reg2), NULL);
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_get_cpus(&f, ids, FDT_MAX_CPUS), 1);
	assert_int_equal(ids[0], 0x100000002ULL);
	free(blob);

	/* skipped: disabled, no device_type (cpu-map), device_type without its NUL */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	fdtb_prop_u32("#size-cells", 0);
	add_cpu_u32("cpu@0", 0);
	{
		uint8_t reg[4];

		set32(reg, 0, 1);
		add_cpu("cpu@1", reg, sizeof(reg), "disabled");
		add_cpu("cpu@2", NULL, 0, "fail"); /* not usable, so its missing reg is fine */
		set32(reg, 0, 3);
		add_cpu("cpu@3", reg, sizeof(reg), "ok");
		fdtb_begin_node("cpu@4");
		fdtb_prop("device_type", "cpu", 3);
		fdtb_prop("reg", reg, sizeof(reg));
		fdtb_end_node();
	}
	fdtb_begin_node("cpu-map");
	fdtb_begin_node("cluster0");
	fdtb_end_node();
	fdtb_end_node();
	fdtb_end_node();
	/* a cpu outside the root-level /cpus does not count */
	fdtb_begin_node("soc");
	fdtb_begin_node("cpus");
	add_cpu_u32("cpu@9", 9);
	fdtb_end_node();
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_get_cpus(&f, ids, FDT_MAX_CPUS), 2);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 3);
	free(blob);
}

static void test_cpus_not_found(void **state)
{
	(void)state;
	/* no /cpus */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("soc");
	fdtb_end_node();
	fdtb_end_node();
	expect_cpus_error(finish(), FDT_MAX_CPUS, FDT_ERR_NOTFOUND);

	/* /cpus with no cpu in it */
	expect_cpus_error(vm_tree(0), FDT_MAX_CPUS, FDT_ERR_NOTFOUND);

	/* no memory either */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_NOTFOUND);
}

/* ---- hostile headers ---- */

static void test_truncated_header(void **state)
{
	struct fdt f;

	(void)state;
	vm_tree(1);
	expect_open_error(39, FDT_ERR_TRUNCATED);
	expect_open_error(0, FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_open(&f, NULL, 4096), FDT_ERR_TRUNCATED);
}

/* Queries re-check the struct fdt itself, so a stale or hand-made one cannot mislead them. */
static void test_bad_handle(void **state)
{
	struct fdt f = { 0 };
	uint64_t ids[4], base, size;
	size_t len;

	(void)state;
	assert_int_equal(fdt_get_cpus(&f, ids, 4), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_get_cpus(NULL, ids, 4), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_get_memory(NULL, &base, &size, NULL), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_patch_memory_size(buf, NULL, 0, 0x1000), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_header_totalsize(NULL), 0);

	len = vm_tree(1);
	assert_int_equal(fdt_open(&f, buf, len), 0);
	f.size_struct = f.size; /* now runs past totalsize */
	assert_int_equal(fdt_get_cpus(&f, ids, 4), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_patch_memory_size(buf, &f, 0, 0x1000), FDT_ERR_TRUNCATED);
}

static void test_buffer_shorter_than_totalsize(void **state)
{
	size_t len;

	(void)state;
	len = vm_tree(1);
	expect_open_error(len - 1, FDT_ERR_TRUNCATED);
	/* totalsize below the header size */
	set32(buf, FDTB_HDR_TOTALSIZE, 39);
	expect_open_error(len, FDT_ERR_TRUNCATED);
}

static void test_bad_magic_and_version(void **state)
{
	size_t len;

	(void)state;
	len = vm_tree(1);
	buf[0] ^= 1;
	expect_open_error(len, FDT_ERR_BADMAGIC);
	assert_int_equal(fdt_header_totalsize(buf), 0);
	buf[0] ^= 1;
	assert_int_equal(fdt_header_totalsize(buf), len);

	set32(buf, FDTB_HDR_VERSION, 15);
	expect_open_error(len, FDT_ERR_BADMAGIC);
	set32(buf, FDTB_HDR_VERSION, 17);
	set32(buf, FDTB_HDR_LAST_COMP_VERSION, 18);
	expect_open_error(len, FDT_ERR_BADMAGIC);
	set32(buf, FDTB_HDR_LAST_COMP_VERSION, 17);
	expect_open_error(len, 0);
}

static void test_blocks_outside(void **state)
{
	size_t len;
	uint32_t off_struct, size_struct, off_strings, size_strings;

	(void)state;
	len = vm_tree(1);
	off_struct = get32(buf, FDTB_HDR_OFF_STRUCT);
	size_struct = get32(buf, FDTB_HDR_SIZE_STRUCT);
	off_strings = get32(buf, FDTB_HDR_OFF_STRINGS);
	size_strings = get32(buf, FDTB_HDR_SIZE_STRINGS);

	set32(buf, FDTB_HDR_OFF_STRUCT, (uint32_t)len);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	set32(buf, FDTB_HDR_OFF_STRUCT, 0xfffffff0u);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	/* offset + size wraps 32 bits to a small value */
	set32(buf, FDTB_HDR_SIZE_STRUCT, (uint32_t)(0x100000000ULL - off_struct + 8u));
	set32(buf, FDTB_HDR_OFF_STRUCT, off_struct);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	/* struct block overlapping the header */
	set32(buf, FDTB_HDR_OFF_STRUCT, 0);
	set32(buf, FDTB_HDR_SIZE_STRUCT, size_struct);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	/* struct block not aligned */
	set32(buf, FDTB_HDR_OFF_STRUCT, off_struct + 2u);
	set32(buf, FDTB_HDR_SIZE_STRUCT, 4);
	expect_open_error(len, FDT_ERR_BADSTRUCT);
	set32(buf, FDTB_HDR_OFF_STRUCT, off_struct);
	set32(buf, FDTB_HDR_SIZE_STRUCT, size_struct);
	expect_open_error(len, 0);

	set32(buf, FDTB_HDR_SIZE_STRINGS, size_strings + 1u);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	set32(buf, FDTB_HDR_SIZE_STRINGS, 0xffffffffu);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	set32(buf, FDTB_HDR_SIZE_STRINGS, size_strings);
	set32(buf, FDTB_HDR_OFF_STRINGS, 0xffffff00u);
	expect_open_error(len, FDT_ERR_TRUNCATED);
	set32(buf, FDTB_HDR_OFF_STRINGS, off_strings);
	expect_open_error(len, 0);
}

/* ---- hostile structure blocks ---- */

static void test_prop_len_past_block(void **state)
{
	uint32_t at;
	size_t len;

	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	at = fdtb_offset();
	fdtb_prop_u32("x", 1);
	fdtb_end_node();
	len = finish();
	set32(buf, at + 4, 0x1000);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	set32(buf, at + 4, 0xffffffffu);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	set32(buf, at + 4, 0xfffffffdu); /* padding would wrap 32 bits */
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	/* a length that ends exactly where the block does leaves no room for END */
	set32(buf, at + 4, get32(buf, FDTB_HDR_SIZE_STRUCT) - (at - get32(buf, FDTB_HDR_OFF_STRUCT)) - 12u);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
}

static void test_nameoff_outside_strings(void **state)
{
	uint32_t at;
	size_t len;

	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	at = fdtb_offset();
	fdtb_prop_u32("x", 1);
	fdtb_end_node();
	len = finish();
	set32(buf, at + 8, get32(buf, FDTB_HDR_SIZE_STRINGS));
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	set32(buf, at + 8, 0xffffffffu);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	set32(buf, at + 8, 0);
	expect_query_error(len, FDT_ERR_NOTFOUND);
}

/* The strings block is last in the blob: cutting its final NUL leaves a name at the end. */
static void test_unterminated_string(void **state)
{
	size_t len;

	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_prop_u32("a", 1);
	fdtb_prop_u32("unterminated", 1);
	fdtb_end_node();
	len = finish();
	set32(buf, FDTB_HDR_SIZE_STRINGS, get32(buf, FDTB_HDR_SIZE_STRINGS) - 1u);
	set32(buf, FDTB_HDR_TOTALSIZE, (uint32_t)len - 1u);
	expect_query_error(len - 1u, FDT_ERR_BADSTRUCT);
}

/* A node name running to the very end of the blob with no NUL. */
static void test_node_name_without_nul(void **state)
{
	uint32_t at, off_struct, cut;

	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	at = fdtb_offset();
	fdtb_begin_node("abcdefg");
	fdtb_end_node();
	fdtb_end_node();
	finish();
	off_struct = get32(buf, FDTB_HDR_OFF_STRUCT);
	cut = at + 4u + 7u; /* right before the name's NUL */
	set32(buf, FDTB_HDR_SIZE_STRUCT, cut - off_struct);
	set32(buf, FDTB_HDR_OFF_STRINGS, off_struct);
	set32(buf, FDTB_HDR_SIZE_STRINGS, 0);
	set32(buf, FDTB_HDR_TOTALSIZE, cut);
	expect_query_error(cut, FDT_ERR_BADSTRUCT);

	/* a name longer than any the reader accepts */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	{
		char name[400];

		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = 0;
		fdtb_begin_node(name);
	}
	fdtb_end_node();
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);
}

static size_t nested_tree(unsigned depth)
{
	fdtb_init(buf, sizeof(buf));
	for (unsigned i = 0; i < depth; i++)
		fdtb_begin_node(i ? "n" : "");
	for (unsigned i = 0; i < depth; i++)
		fdtb_end_node();
	return finish();
}

static void test_depth(void **state)
{
	(void)state;
	expect_query_error(nested_tree(FDT_MAX_DEPTH), FDT_ERR_NOTFOUND);
	expect_query_error(nested_tree(FDT_MAX_DEPTH + 1), FDT_ERR_BADSTRUCT);
	expect_query_error(nested_tree(600), FDT_ERR_BADSTRUCT);
}

static void test_end_node_at_depth_zero(void **state)
{
	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_end_node();
	fdtb_begin_node("");
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);

	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_end_node();
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);
}

static void test_stream_shape(void **state)
{
	(void)state;
	/* a second root */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_end_node();
	fdtb_begin_node("");
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);

	/* no root at all */
	fdtb_init(buf, sizeof(buf));
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);

	/* a property outside any node */
	fdtb_init(buf, sizeof(buf));
	fdtb_prop_u32("x", 1);
	fdtb_begin_node("");
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);

	/* a property after a child node */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("child");
	fdtb_end_node();
	fdtb_prop_u32("x", 1);
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);

	/* END inside the root */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_token(FDTB_END);
	fdtb_end_node();
	expect_query_error(finish(), FDT_ERR_BADSTRUCT);

	/* NOPs anywhere are fine */
	fdtb_init(buf, sizeof(buf));
	fdtb_token(FDTB_NOP);
	fdtb_begin_node("");
	fdtb_token(FDTB_NOP);
	fdtb_begin_node("cpus");
	fdtb_token(FDTB_NOP);
	fdtb_prop_u32("#address-cells", 1);
	fdtb_token(FDTB_NOP);
	add_cpu_u32("cpu@5", 5);
	fdtb_end_node();
	fdtb_end_node();
	fdtb_token(FDTB_NOP);
	expect_cpus_error(finish(), FDT_MAX_CPUS, 1);
}

static void test_missing_end(void **state)
{
	size_t len;
	uint32_t end_at;

	(void)state;
	len = vm_tree(1);
	end_at = get32(buf, FDTB_HDR_OFF_STRUCT) + get32(buf, FDTB_HDR_SIZE_STRUCT) - 4u;
	assert_int_equal(get32(buf, end_at), FDTB_END);
	set32(buf, FDTB_HDR_SIZE_STRUCT, get32(buf, FDTB_HDR_SIZE_STRUCT) - 4u);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	set32(buf, FDTB_HDR_SIZE_STRUCT, get32(buf, FDTB_HDR_SIZE_STRUCT) + 4u);
	set32(buf, end_at, FDTB_NOP);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
	/* a structure block size that is not a multiple of four */
	set32(buf, end_at, FDTB_END);
	set32(buf, FDTB_HDR_SIZE_STRUCT, get32(buf, FDTB_HDR_SIZE_STRUCT) - 2u);
	expect_query_error(len, FDT_ERR_BADSTRUCT);
}

static void test_unknown_token(void **state)
{
	static const uint32_t bad[] = { 0, 5, 8, 10, 0xffffffffu, 0x01000000u };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fdtb_init(buf, sizeof(buf));
		fdtb_begin_node("");
		fdtb_token(bad[i]);
		fdtb_end_node();
		expect_query_error(finish(), FDT_ERR_BADSTRUCT);
	}
}

/* ---- hostile values: cpus ---- */

static void test_more_cpus_than_max(void **state)
{
	size_t len;

	(void)state;
	len = vm_tree(4);
	expect_cpus_error(len, 3, FDT_ERR_BADVALUE);
	expect_cpus_error(len, 4, 4);
	{
		struct fdt f;
		uint8_t *blob = open_copy(&f, len);

		assert_int_equal(fdt_get_cpus(&f, NULL, 0), FDT_ERR_BADVALUE);
		assert_int_equal(fdt_get_cpus(&f, NULL, 4), FDT_ERR_BADVALUE);
		free(blob);
	}
}

static void test_duplicate_hart_id(void **state)
{
	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	add_cpu_u32("cpu@0", 0);
	add_cpu_u32("cpu@1", 1);
	add_cpu_u32("cpu@1x", 1);
	fdtb_end_node();
	fdtb_end_node();
	expect_cpus_error(finish(), FDT_MAX_CPUS, FDT_ERR_BADVALUE);
}

static size_t one_cpu_tree(const void *reg, size_t reg_len)
{
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	add_cpu("cpu@0", reg, reg_len, "okay");
	fdtb_end_node();
	fdtb_end_node();
	return finish();
}

static void test_cpu_bad_reg(void **state)
{
	static const uint8_t reg[8] = { 0 };

	(void)state;
	expect_cpus_error(one_cpu_tree(reg, 3), FDT_MAX_CPUS, FDT_ERR_BADVALUE);
	expect_cpus_error(one_cpu_tree(reg, 8), FDT_MAX_CPUS, FDT_ERR_BADVALUE);
	expect_cpus_error(one_cpu_tree(reg, 0), FDT_MAX_CPUS, FDT_ERR_BADVALUE);
	expect_cpus_error(one_cpu_tree(NULL, 0), FDT_MAX_CPUS, FDT_ERR_BADVALUE);
	expect_cpus_error(one_cpu_tree(reg, 4), FDT_MAX_CPUS, 1);
}

static void test_cpus_bad_shape(void **state)
{
	(void)state;
	/* #address-cells of 3 */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 3);
	add_cpu_u32("cpu@0", 0);
	fdtb_end_node();
	fdtb_end_node();
	expect_cpus_error(finish(), FDT_MAX_CPUS, FDT_ERR_BADVALUE);

	/* two /cpus nodes */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	add_cpu_u32("cpu@0", 0);
	fdtb_end_node();
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	add_cpu_u32("cpu@1", 1);
	fdtb_end_node();
	fdtb_end_node();
	expect_cpus_error(finish(), FDT_MAX_CPUS, FDT_ERR_BADVALUE);

	/* a repeated reg inside a cpu */
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	fdtb_begin_node("cpu@0");
	fdtb_prop_string("device_type", "cpu");
	fdtb_prop_u32("reg", 0);
	fdtb_prop_u32("reg", 1);
	fdtb_end_node();
	fdtb_end_node();
	fdtb_end_node();
	expect_cpus_error(finish(), FDT_MAX_CPUS, FDT_ERR_BADVALUE);
}

/* ---- hostile values: memory ---- */

static void test_memory_bad_reg(void **state)
{
	uint8_t reg[16];

	(void)state;
	memset(reg, 0, sizeof(reg));
	set32(reg, 4, 0x80000000u);
	set32(reg, 12, 0x1000u);
	expect_memory_error(memory_tree(2, 2, reg, 12), FDT_ERR_BADVALUE);
	expect_memory_error(memory_tree(2, 2, reg, 0), FDT_ERR_BADVALUE);
	expect_memory_error(memory_tree(1, 1, reg, 12), FDT_ERR_BADVALUE); /* not whole pairs */
	expect_memory_error(memory_tree(2, 2, reg, 16), 0);

	/* no reg at all */
	begin_memory_tree(2, 2);
	fdtb_begin_node("memory@0");
	fdtb_prop_string("device_type", "memory");
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_BADVALUE);
}

static void test_memory_overflow_and_zero(void **state)
{
	const uint64_t wraps[2] = { 0xfffffffffffff000ULL, 0x2000ULL };
	const uint64_t to_top[2] = { 0xfffffffffffff000ULL, 0x1000ULL };
	const uint64_t zero[2] = { 0x80000000ULL, 0 };
	const uint64_t wraps32[2] = { 0xfffff000ULL, 0x2000ULL };

	(void)state;
	begin_memory_tree(2, 2);
	fdtb_begin_node("memory@0");
	fdtb_prop_cells("reg", wraps, 2, 2);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_BADVALUE);

	begin_memory_tree(2, 2);
	fdtb_begin_node("memory@0");
	fdtb_prop_cells("reg", to_top, 2, 2);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_BADVALUE);

	begin_memory_tree(2, 2);
	fdtb_begin_node("memory@0");
	fdtb_prop_cells("reg", zero, 2, 2);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_BADVALUE);

	/* 1-cell values are widened, so this one does not wrap */
	begin_memory_tree(1, 1);
	fdtb_begin_node("memory@0");
	fdtb_prop_cells("reg", wraps32, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), 0);
}

static void test_memory_bad_cells(void **state)
{
	const uint64_t reg[2] = { 0x80000000ULL, 0x1000ULL };
	static const uint32_t bad[] = { 0, 3, 4, 0xffffffffu };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		begin_memory_tree(1, 0);
		fdtb_prop_u32("#size-cells", bad[i]);
		fdtb_begin_node("memory@0");
		fdtb_prop_cells("reg", reg, 2, 1);
		fdtb_end_node();
		fdtb_end_node();
		expect_memory_error(finish(), FDT_ERR_BADVALUE);

		begin_memory_tree(0, 1);
		fdtb_prop_u32("#address-cells", bad[i]);
		fdtb_begin_node("memory@0");
		fdtb_prop_cells("reg", reg, 2, 1);
		fdtb_end_node();
		fdtb_end_node();
		expect_memory_error(finish(), FDT_ERR_BADVALUE);
	}

	/* a cell count of the wrong width */
	begin_memory_tree(1, 0);
	fdtb_prop_cells("#size-cells", reg, 1, 2);
	fdtb_begin_node("memory@0");
	fdtb_prop_cells("reg", reg, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_BADVALUE);

	/* stated twice */
	begin_memory_tree(1, 1);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_begin_node("memory@0");
	fdtb_prop_cells("reg", reg, 2, 1);
	fdtb_end_node();
	fdtb_end_node();
	expect_memory_error(finish(), FDT_ERR_BADVALUE);
}

/* ---- patching ---- */

static void test_patch_one_cell(void **state)
{
	struct fdt f;
	uint8_t reg[8];
	uint64_t base, size, ids[FDT_MAX_CPUS];
	uint32_t off;
	uint8_t *blob, *before;
	size_t len;

	(void)state;
	set32(reg, 0, 0x80000000u);
	set32(reg, 4, 0x4000000u);
	len = memory_tree(1, 1, reg, sizeof(reg));
	blob = open_copy(&f, len);
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);

	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0x1000000u), 0);
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);
	assert_int_equal(base, 0x80000000u);
	assert_int_equal(size, 0x1000000u);
	assert_int_equal(get32(blob, off - 4), 0x80000000u);
	assert_int_equal(fdt_get_cpus(&f, ids, FDT_MAX_CPUS), FDT_ERR_NOTFOUND);

	/* refused patches leave the blob alone */
	before = exact_copy(blob, len);
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0x100000000ULL), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_patch_memory_size(blob, &f, off - 4, 0x1000), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_patch_memory_size(blob, &f, off + 4, 0x1000), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_patch_memory_size(blob, &f, 0xfffffffcu, 0x1000), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_patch_memory_size(before, &f, off, 0x1000), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_patch_memory_size(NULL, &f, off, 0x1000), FDT_ERR_BADVALUE);
	assert_memory_equal(blob, before, len);

	/* the largest 1-cell size still fits */
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0xffffffffu), 0);
	assert_int_equal(fdt_get_memory(&f, NULL, &size, NULL), 0);
	assert_int_equal(size, 0xffffffffu);
	free(before);
	free(blob);
}

static void test_patch_two_cells(void **state)
{
	struct fdt f;
	uint64_t base, size, ids[FDT_MAX_CPUS];
	uint32_t off;
	uint8_t *blob;

	(void)state;
	blob = open_copy(&f, vm_tree(2));
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0x123456789ULL), 0);
	assert_int_equal(fdt_get_memory(&f, &base, &size, &off), 0);
	assert_int_equal(base, 0x80000000ULL);
	assert_int_equal(size, 0x123456789ULL);
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0x8000000ULL), 0);
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), 0);
	assert_int_equal(size, 0x8000000ULL);
	/* base + new size would wrap */
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, 0xffffffff80000000ULL),
			 FDT_ERR_BADVALUE);
	assert_int_equal(fdt_get_cpus(&f, ids, FDT_MAX_CPUS), 2);
	free(blob);
}

/* ---- every byte, every value ---- */

/* 1 if the mutated tree still had a memory node, 0 otherwise. */
static int check_consistent(uint8_t *blob, size_t len)
{
	struct fdt f;
	uint64_t ids[FDT_MAX_CPUS], base, size, base2, size2;
	uint32_t off, off2;
	int n, rc;

	if (fdt_open(&f, blob, len) != 0)
		return 0;
	assert_true(f.size <= len);
	assert_int_equal(fdt_header_totalsize(blob), f.size);

	n = fdt_get_cpus(&f, ids, FDT_MAX_CPUS);
	assert_true(n < 0 || (n > 0 && n <= FDT_MAX_CPUS));
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			assert_true(ids[i] != ids[j]);

	rc = fdt_get_memory(&f, &base, &size, &off);
	assert_true(rc <= 0);
	if (rc != 0) {
		assert_true(fdt_patch_memory_size(blob, &f, 0, 0x1000) < 0);
		return 0;
	}
	assert_true(size != 0 && base + size > base);
	assert_true(off >= f.off_struct && off + 4u <= f.off_struct + f.size_struct);
	assert_true(get32(blob, off) == (uint32_t)size ||
		    (get32(blob, off) == (uint32_t)(size >> 32) &&
		     off + 8u <= f.off_struct + f.size_struct &&
		     get32(blob, off + 4) == (uint32_t)size));

	/* rewriting the same size changes nothing */
	assert_int_equal(fdt_patch_memory_size(blob, &f, off, size), 0);
	assert_int_equal(fdt_get_memory(&f, &base2, &size2, &off2), 0);
	assert_true(base2 == base && size2 == size && off2 == off);
	return 1;
}

/* ---- devices by compatible ---- */

static const char *const bus_masters[] = { "virtio,mmio", "qemu,fw-cfg-mmio" };

static void device_node(const char *name, const char *compat, size_t compat_len, uint64_t base, uint64_t size)
{
	const uint64_t reg[2] = { base, size };
	fdtb_begin_node(name);
	fdtb_prop_cells("reg", reg, 2, 2);
	fdtb_prop("compatible", compat, compat_len);
	fdtb_end_node();
}

/* A virt-like tree: cpus (0 size cells), memory, soc with a UART, two virtio slots and
 * fw_cfg, the second virtio slot disabled (still hardware). */
static size_t devices_tree(void)
{
	const uint64_t mem_reg[2] = { 0x80000000ULL, 0x10000000ULL };
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	fdtb_prop_u32("#size-cells", 0);
	fdtb_begin_node("cpu@0");
	fdtb_prop_string("device_type", "cpu");
	fdtb_prop_u32("reg", 0);
	fdtb_end_node();
	fdtb_end_node();
	fdtb_begin_node("memory@80000000");
	fdtb_prop_string("device_type", "memory");
	fdtb_prop_cells("reg", mem_reg, 2, 2);
	fdtb_end_node();
	fdtb_begin_node("soc");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	device_node("serial@10000000", "ns16550a", sizeof("ns16550a"), 0x10000000, 0x100);
	device_node("virtio_mmio@10001000", "virtio,mmio", sizeof("virtio,mmio"), 0x10001000, 0x1000);
	fdtb_begin_node("virtio_mmio@10002000");
	fdtb_prop_string("status", "disabled");
	{
		const uint64_t reg[2] = { 0x10002000, 0x1000 };
		fdtb_prop_cells("reg", reg, 2, 2);
	}
	fdtb_prop_string("compatible", "virtio,mmio");
	fdtb_end_node();
	/* the match may be any string of the list */
	device_node("fw-cfg@10100000", "vendor,other\0qemu,fw-cfg-mmio", sizeof("vendor,other\0qemu,fw-cfg-mmio"),
		    0x10100000, 0x18);
	fdtb_end_node();
	fdtb_end_node();
	return finish();
}

static void test_devices_found_by_compatible(void **state)
{
	struct fdt f;
	struct fdt_device d[FDT_MAX_DEVICES];
	(void)state;
	uint8_t *blob = open_copy(&f, devices_tree());
	assert_int_equal(fdt_find_devices(&f, bus_masters, 2, d, FDT_MAX_DEVICES), 3);
	assert_int_equal(d[0].base, 0x10001000);
	assert_int_equal(d[0].size, 0x1000);
	assert_int_equal(d[1].base, 0x10002000);
	assert_int_equal(d[2].base, 0x10100000);
	assert_int_equal(d[2].size, 0x18);
	assert_int_equal(get32(blob, d[0].node_start), FDTB_BEGIN_NODE);
	assert_int_equal(get32(blob, d[2].node_end - 4), FDTB_END_NODE);
	/* more than the caller has room for is an error, not a silent cut */
	assert_int_equal(fdt_find_devices(&f, bus_masters, 2, d, 2), FDT_ERR_BADVALUE);
	free(blob);
}

static void test_devices_hidden_leave_the_rest(void **state)
{
	struct fdt f;
	struct fdt_device d[FDT_MAX_DEVICES];
	static const char *const uart[] = { "ns16550a" };
	uint64_t ids[4], base, size;
	(void)state;
	uint8_t *blob = open_copy(&f, devices_tree());
	assert_int_equal(fdt_hide_devices(blob, &f, bus_masters, 2), 3);
	assert_int_equal(fdt_find_devices(&f, bus_masters, 2, d, FDT_MAX_DEVICES), 0);
	assert_int_equal(fdt_find_devices(&f, uart, 1, d, FDT_MAX_DEVICES), 1);
	assert_int_equal(d[0].base, 0x10000000);
	assert_int_equal(fdt_get_cpus(&f, ids, 4), 1);
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), 0);
	assert_int_equal(base, 0x80000000ULL);
	free(blob);
}

/* A matching device the reader cannot place (three address cells, a short reg) refuses
 * the tree rather than leaving the device reachable. */
static void test_devices_unplaceable_refused(void **state)
{
	struct fdt f;
	struct fdt_device d[FDT_MAX_DEVICES];
	const uint64_t reg[1] = { 0x10001000 };
	(void)state;
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_prop_u32("#address-cells", 3);
	fdtb_prop_u32("#size-cells", 2);
	device_node("virtio_mmio@0", "virtio,mmio", sizeof("virtio,mmio"), 0x10001000, 0x1000);
	fdtb_end_node();
	uint8_t *blob = open_copy(&f, finish());
	assert_int_equal(fdt_find_devices(&f, bus_masters, 2, d, FDT_MAX_DEVICES), FDT_ERR_BADVALUE);
	free(blob);

	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_begin_node("virtio_mmio@0");
	fdtb_prop_cells("reg", reg, 1, 2);
	fdtb_prop_string("compatible", "virtio,mmio");
	fdtb_end_node();
	fdtb_end_node();
	blob = open_copy(&f, finish());
	assert_int_equal(fdt_find_devices(&f, bus_masters, 2, d, FDT_MAX_DEVICES), FDT_ERR_BADVALUE);
	free(blob);
}

/* ---- initrd, reserved memory, ISA extensions ---- */

static size_t chosen_tree(const void *start, size_t start_len, const void *end, size_t end_len)
{
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_prop_u32("#address-cells", 2);
	fdtb_prop_u32("#size-cells", 2);
	fdtb_begin_node("chosen");
	if (start)
		fdtb_prop("linux,initrd-start", start, start_len);
	if (end)
		fdtb_prop("linux,initrd-end", end, end_len);
	fdtb_end_node();
	fdtb_end_node();
	return finish();
}

static void test_initrd_from_chosen(void **state)
{
	struct fdt f;
	uint64_t a = 0, b = 0;
	const uint8_t s32[4] = { 0x84, 0x20, 0x00, 0x00 };
	const uint8_t e64[8] = { 0, 0, 0, 0, 0x84, 0x30, 0x00, 0x00 };
	(void)state;
	uint8_t *blob = open_copy(&f, chosen_tree(s32, 4, e64, 8));
	assert_int_equal(fdt_get_initrd(&f, &a, &b), 0);
	assert_int_equal(a, 0x84200000);
	assert_int_equal(b, 0x84300000);
	free(blob);
	blob = open_copy(&f, chosen_tree(NULL, 0, NULL, 0));
	assert_int_equal(fdt_get_initrd(&f, &a, &b), FDT_ERR_NOTFOUND);
	free(blob);
	blob = open_copy(&f, chosen_tree(e64, 8, s32, 4)); /* ends before it starts */
	assert_int_equal(fdt_get_initrd(&f, &a, &b), FDT_ERR_BADVALUE);
	free(blob);
	blob = open_copy(&f, chosen_tree(s32, 3, e64, 8)); /* a cell cut short */
	assert_int_equal(fdt_get_initrd(&f, &a, &b), FDT_ERR_BADVALUE);
	free(blob);
}

static bool blob_has(const uint8_t *b, size_t len, const char *s)
{
	return memmem(b, len, s, strlen(s) + 1) != NULL;
}

static void test_reserved_memory_added(void **state)
{
	struct fdt f;
	uint64_t ids[4], base, size;
	const struct fdt_reserved r[2] = { { "mmode_resv", 0x80000000ULL, 0x101000 },
					   { "confidential", 0x8c000000ULL, 0x4000000 } };
	(void)state;
	size_t len = devices_tree(), cap = len + 1024;
	uint8_t *blob = malloc(cap);
	assert_non_null(blob);
	memcpy(blob, buf, len);
	assert_int_equal(fdt_open(&f, blob, len), 0);
	assert_int_equal(fdt_add_reserved_memory(blob, len + 16, &f, r, 2), FDT_ERR_TRUNCATED);
	int total = fdt_add_reserved_memory(blob, cap, &f, r, 2);
	assert_true(total > (int)len && total <= (int)cap);
	/* the grown tree reads whole, and says what was added */
	assert_int_equal(fdt_open(&f, blob, (size_t)total), 0);
	assert_int_equal(fdt_get_cpus(&f, ids, 4), 1);
	assert_int_equal(fdt_get_memory(&f, &base, &size, NULL), 0);
	assert_int_equal(base, 0x80000000ULL);
	assert_true(blob_has(blob, (size_t)total, "mmode_resv@80000000"));
	assert_true(blob_has(blob, (size_t)total, "confidential@8c000000"));
	assert_true(blob_has(blob, (size_t)total, "no-map"));
	assert_true(blob_has(blob, (size_t)total, "reserved-memory"));
	/* a second time would make two /reserved-memory nodes */
	assert_int_equal(fdt_add_reserved_memory(blob, cap, &f, r, 2), FDT_ERR_BADVALUE);
	free(blob);
}

static size_t isa_tree(const char *isa0, const char *isa1)
{
	fdtb_init(buf, sizeof(buf));
	fdtb_begin_node("");
	fdtb_begin_node("cpus");
	fdtb_prop_u32("#address-cells", 1);
	fdtb_prop_u32("#size-cells", 0);
	const char *isa[2] = { isa0, isa1 };
	for (unsigned i = 0; i < 2; i++) {
		fdtb_begin_node(i ? "cpu@1" : "cpu@0");
		fdtb_prop_string("device_type", "cpu");
		fdtb_prop_u32("reg", i);
		fdtb_prop_string("riscv,isa", isa[i]);
		fdtb_end_node();
	}
	fdtb_end_node();
	fdtb_end_node();
	return finish();
}

static void test_harts_have_ext(void **state)
{
	struct fdt f;
	(void)state;
	uint8_t *blob = open_copy(&f, isa_tree("rv64imafdch_zicsr_sstc", "rv64imafdch_sstc_zba"));
	assert_int_equal(fdt_harts_have_ext(&f, "sstc"), 1);
	assert_int_equal(fdt_harts_have_ext(&f, "zba"), 0);
	assert_int_equal(fdt_harts_have_ext(&f, "sst"), 0); /* a prefix is not the extension */
	free(blob);
	blob = open_copy(&f, isa_tree("rv64imafdch_zicsr_sstc", "rv64imafdch_zicsr"));
	assert_int_equal(fdt_harts_have_ext(&f, "sstc"), 0); /* one hart without it */
	free(blob);
}

static void test_mutate_every_byte(void **state)
{
	size_t len, readable = 0, total = 0;
	uint8_t *orig, *work;
	clock_t start = clock();

	(void)state;
	len = vm_tree(1);
	orig = exact_copy(buf, len);
	work = exact_copy(buf, len);
	for (size_t pos = 0; pos < len; pos++) {
		for (unsigned v = 0; v < 256; v++) {
			work[pos] = (uint8_t)v;
			readable += (size_t)check_consistent(work, len);
			total++;
			/* only same-value patches were made, so nothing else changed */
			work[pos] = orig[pos];
			assert_true(memcmp(work, orig, len) == 0);
		}
	}
	/* every shorter buffer holding a prefix */
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *prefix = exact_copy(orig, cut);
		struct fdt f;

		assert_true(fdt_open(&f, prefix, cut) < 0);
		free(prefix);
	}
	free(work);
	free(orig);
	/* the sweep must have exercised both the accepting and the refusing paths */
	assert_true(readable > total / 4 && readable < total);
	print_message("mutation sweep: %zu bytes x 256 values, %zu still readable, %.2f s\n",
		      len, readable, (double)(clock() - start) / CLOCKS_PER_SEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_tree_round_trip),
		cmocka_unit_test(test_memory_one_cell),
		cmocka_unit_test(test_memory_two_cells),
		cmocka_unit_test(test_memory_default_cells),
		cmocka_unit_test(test_memory_node_selection),
		cmocka_unit_test(test_cpus_variants),
		cmocka_unit_test(test_cpus_not_found),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_bad_handle),
		cmocka_unit_test(test_buffer_shorter_than_totalsize),
		cmocka_unit_test(test_bad_magic_and_version),
		cmocka_unit_test(test_blocks_outside),
		cmocka_unit_test(test_prop_len_past_block),
		cmocka_unit_test(test_nameoff_outside_strings),
		cmocka_unit_test(test_unterminated_string),
		cmocka_unit_test(test_node_name_without_nul),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_end_node_at_depth_zero),
		cmocka_unit_test(test_stream_shape),
		cmocka_unit_test(test_missing_end),
		cmocka_unit_test(test_unknown_token),
		cmocka_unit_test(test_more_cpus_than_max),
		cmocka_unit_test(test_duplicate_hart_id),
		cmocka_unit_test(test_cpu_bad_reg),
		cmocka_unit_test(test_cpus_bad_shape),
		cmocka_unit_test(test_memory_bad_reg),
		cmocka_unit_test(test_memory_overflow_and_zero),
		cmocka_unit_test(test_memory_bad_cells),
		cmocka_unit_test(test_patch_one_cell),
		cmocka_unit_test(test_patch_two_cells),
		cmocka_unit_test(test_devices_found_by_compatible),
		cmocka_unit_test(test_devices_hidden_leave_the_rest),
		cmocka_unit_test(test_devices_unplaceable_refused),
		cmocka_unit_test(test_initrd_from_chosen),
		cmocka_unit_test(test_reserved_memory_added),
		cmocka_unit_test(test_harts_have_ext),
		cmocka_unit_test(test_mutate_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
