/*
 * Flattened device tree reader. The blob comes from firmware or from the hypervisor, so
 * every header field, offset, length and string is checked before it is used, and every
 * walk is bounded by the size of the structure block. Multi-byte fields are assembled one
 * byte at a time: the format is big-endian whatever the host is, and a hostile blob
 * guarantees no alignment.
 *
 * Each query makes one full pass over the token stream and fails on any malformation,
 * even one after the data it wanted: a tree is either accepted whole or not at all, so
 * two readers can never disagree about a half-valid tree.
 */
#include <string.h>

#include "fdt.h"

#define FDT_HEADER_SIZE 40u
#define FDT_OLDEST_VERSION 16u /* the first with the layout read here */
#define FDT_NEWEST_VERSION 17u /* the newest this reader is written for */
/*
 * The specification limits names to 31 characters plus a unit address; a bound keeps a
 * hostile strings block from making every property lookup scan the whole block.
 */
#define FDT_NAME_MAX 256u

enum header_field {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_VERSION = 20,
	HDR_LAST_COMP_VERSION = 24,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36,
};

enum token_tag {
	TOKEN_BEGIN_NODE = 1,
	TOKEN_END_NODE = 2,
	TOKEN_PROP = 3,
	TOKEN_NOP = 4,
	TOKEN_END = 9,
};

/* Depths as the walker reports them: the root node is at depth 1. */
#define DEPTH_ROOT 1u
#define DEPTH_ROOT_CHILD 2u
#define DEPTH_ROOT_GRANDCHILD 3u

static uint32_t read_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}

static void write_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* 1 or 2 big-endian cells; the caller has checked that they are in bounds. */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = (v << 32) | read_be32(p + (size_t)4 * i);
	return v;
}

/* A block must lie after the header and inside totalsize; sums in 64 bits cannot wrap. */
static bool block_inside(uint32_t off, uint32_t len, uint32_t total)
{
	return off >= FDT_HEADER_SIZE && (uint64_t)off + len <= total;
}

uint32_t fdt_header_totalsize(const void *blob)
{
	const uint8_t *b = blob;

	if (b == NULL || read_be32(b + HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return read_be32(b + HDR_TOTALSIZE);
}

int fdt_open(struct fdt *f, const void *blob, size_t buf_len)
{
	const uint8_t *b = blob;
	uint32_t total, off_struct, size_struct, off_strings, size_strings;

	if (f == NULL || b == NULL || buf_len < FDT_HEADER_SIZE)
		return FDT_ERR_TRUNCATED;
	/* A version this reader does not know is as foreign as a wrong magic. */
	if (read_be32(b + HDR_MAGIC) != FDT_MAGIC ||
	    read_be32(b + HDR_VERSION) < FDT_OLDEST_VERSION ||
	    read_be32(b + HDR_LAST_COMP_VERSION) > FDT_NEWEST_VERSION)
		return FDT_ERR_BADMAGIC;

	total = read_be32(b + HDR_TOTALSIZE);
	off_struct = read_be32(b + HDR_OFF_STRUCT);
	size_struct = read_be32(b + HDR_SIZE_STRUCT);
	off_strings = read_be32(b + HDR_OFF_STRINGS);
	size_strings = read_be32(b + HDR_SIZE_STRINGS);
	if (total < FDT_HEADER_SIZE || total > buf_len)
		return FDT_ERR_TRUNCATED;
	if (!block_inside(off_struct, size_struct, total) ||
	    !block_inside(off_strings, size_strings, total))
		return FDT_ERR_TRUNCATED;
	if (!IS_ALIGNED(off_struct, 4u))
		return FDT_ERR_BADSTRUCT;

	f->blob = b;
	f->size = total;
	f->off_struct = off_struct;
	f->size_struct = size_struct;
	f->off_strings = off_strings;
	f->size_strings = size_strings;
	return 0;
}

/* ---- token walker ---- */

struct walker {
	const uint8_t *structure; /* first byte of the structure block */
	const uint8_t *strings;
	uint32_t off_struct, size_struct, size_strings;
	uint32_t pos;         /* offset in the structure block of the next token; <= size_struct */
	uint32_t budget;      /* tokens still allowed */
	uint32_t depth;       /* nodes currently open */
	bool root_closed;
	bool props_allowed; /* properties must come before the current node's children */
};

struct token {
	uint32_t tag;
	uint32_t start;      /* blob offset of the tag; for END_NODE, `end` is past it */
	uint32_t end;
	uint32_t depth;      /* of the node opened or closed, or of the property's owner */
	const uint8_t *name; /* node or property name, NUL-terminated inside its block */
	uint32_t name_len;   /* without the NUL */
	const uint8_t *value;
	uint32_t value_len;
	uint32_t value_off; /* blob offset of value */
};

/*
 * A struct fdt is normally what fdt_open filled in, but it is re-checked against its own
 * totalsize so that a stale or hand-made one cannot steer the walk outside the blob.
 */
static int walk_start(struct walker *w, const struct fdt *f)
{
	if (f == NULL || f->blob == NULL || f->size < FDT_HEADER_SIZE ||
	    !block_inside(f->off_struct, f->size_struct, f->size) ||
	    !block_inside(f->off_strings, f->size_strings, f->size))
		return FDT_ERR_TRUNCATED;
	*w = (struct walker){
		.structure = f->blob + f->off_struct,
		.strings = f->blob + f->off_strings,
		.off_struct = f->off_struct,
		.size_struct = f->size_struct,
		.size_strings = f->size_strings,
		.budget = f->size_struct / 4u,
	};
	return 0;
}

static uint32_t struct_room(const struct walker *w)
{
	return w->size_struct - w->pos;
}

/* Finds the NUL ending the string at p within `room` bytes (and FDT_NAME_MAX). */
static bool bounded_strlen(const uint8_t *p, uint32_t room, uint32_t *len)
{
	for (uint32_t i = 0; i < room && i < FDT_NAME_MAX; i++) {
		if (p[i] == 0) {
			*len = i;
			return true;
		}
	}
	return false;
}

/* Rounds up to the 4-byte token alignment without wrapping. */
static uint64_t padded(uint64_t len)
{
	return (len + 3u) & ~(uint64_t)3u;
}

static int take_begin_node(struct walker *w, struct token *t)
{
	const uint8_t *name = w->structure + w->pos;
	uint32_t len;
	uint64_t step;

	if (w->depth == 0 && w->root_closed)
		return FDT_ERR_BADSTRUCT; /* a second root */
	if (w->depth >= FDT_MAX_DEPTH)
		return FDT_ERR_BADSTRUCT;
	if (!bounded_strlen(name, struct_room(w), &len))
		return FDT_ERR_BADSTRUCT;
	step = padded((uint64_t)len + 1u);
	if (step > struct_room(w))
		return FDT_ERR_BADSTRUCT;
	w->pos += (uint32_t)step;
	w->depth++;
	w->props_allowed = true;
	t->depth = w->depth;
	t->name = name;
	t->name_len = len;
	return 0;
}

static int take_end_node(struct walker *w, struct token *t)
{
	if (w->depth == 0)
		return FDT_ERR_BADSTRUCT;
	t->depth = w->depth;
	w->depth--;
	if (w->depth == 0)
		w->root_closed = true;
	/* the parent we return to has now had a child */
	w->props_allowed = false;
	return 0;
}

static int take_prop(struct walker *w, struct token *t)
{
	const uint8_t *head = w->structure + w->pos;
	uint32_t len, nameoff, name_len;

	if (w->depth == 0 || !w->props_allowed)
		return FDT_ERR_BADSTRUCT;
	if (struct_room(w) < 8u)
		return FDT_ERR_BADSTRUCT;
	len = read_be32(head);
	nameoff = read_be32(head + 4);
	w->pos += 8u;
	if (padded(len) > struct_room(w))
		return FDT_ERR_BADSTRUCT;
	if (nameoff >= w->size_strings ||
	    !bounded_strlen(w->strings + nameoff, w->size_strings - nameoff, &name_len))
		return FDT_ERR_BADSTRUCT;
	t->depth = w->depth;
	t->name = w->strings + nameoff;
	t->name_len = name_len;
	t->value = w->structure + w->pos;
	t->value_len = len;
	t->value_off = w->off_struct + w->pos;
	w->pos += (uint32_t)padded(len);
	return 0;
}

/*
 * Next token other than NOP, fully checked. Every token consumes at least four bytes of
 * the structure block, and the budget caps the count as well, so a walk always ends.
 */
static int walk_next(struct walker *w, struct token *t)
{
	for (;;) {
		uint32_t tag;

		if (w->budget == 0 || struct_room(w) < 4u)
			return FDT_ERR_BADSTRUCT;
		w->budget--;
		tag = read_be32(w->structure + w->pos);
		*t = (struct token){ .tag = tag, .start = w->off_struct + w->pos };
		w->pos += 4u;
		t->end = w->off_struct + w->pos;
		switch (tag) {
		case TOKEN_NOP:
			break;
		case TOKEN_BEGIN_NODE:
			return take_begin_node(w, t);
		case TOKEN_END_NODE:
			return take_end_node(w, t);
		case TOKEN_PROP:
			return take_prop(w, t);
		case TOKEN_END:
			return (w->depth == 0 && w->root_closed) ? 0 : FDT_ERR_BADSTRUCT;
		default:
			return FDT_ERR_BADSTRUCT;
		}
	}
}

/*
 * One full pass over the tree, `step` called for every token but the final END; a
 * nonzero return from `step` ends the walk with that result.
 */
static int walk_tree(const struct fdt *f, int (*step)(void *ctx, const struct token *t), void *ctx)
{
	struct walker w;
	struct token t;
	int rc = walk_start(&w, f);

	while (rc == 0) {
		rc = walk_next(&w, &t);
		if (rc != 0 || t.tag == TOKEN_END)
			return rc;
		rc = step(ctx, &t);
	}
	return rc;
}

/* ---- property helpers ---- */

static bool bytes_equal(const uint8_t *p, uint32_t len, const char *s, size_t s_len)
{
	return len == s_len && memcmp(p, s, s_len) == 0;
}

/* Name comparison against a string literal (its NUL not included). */
#define NAME_IS(t, lit) bytes_equal((t)->name, (t)->name_len, (lit), sizeof(lit) - 1u)

struct prop_ref {
	bool seen;
	const uint8_t *value;
	uint32_t len;
	uint32_t off;
};

/* A string property equals a literal exactly, NUL included and nothing after it. */
#define VALUE_IS(r, lit) ((r)->seen && bytes_equal((r)->value, (r)->len, (lit), sizeof(lit)))

/* A property the spec allows once; a repeat could make two readers see different trees. */
static int record_once(struct prop_ref *r, const struct token *t)
{
	if (r->seen)
		return FDT_ERR_BADVALUE;
	r->seen = true;
	r->value = t->value;
	r->len = t->value_len;
	r->off = t->value_off;
	return 0;
}

/* #address-cells or #size-cells: one cell holding 1 or 2. */
static int record_cell_count(bool *seen, uint32_t *count, const struct token *t)
{
	uint32_t v;

	if (*seen)
		return FDT_ERR_BADVALUE;
	*seen = true;
	if (t->value_len != 4u)
		return FDT_ERR_BADVALUE;
	v = read_be32(t->value);
	if (v != 1u && v != 2u)
		return FDT_ERR_BADVALUE;
	*count = v;
	return 0;
}

/* The properties of one node that identify a cpu or a memory node. */
struct node_props {
	struct prop_ref device_type, status, reg;
};

static int note_node_prop(struct node_props *n, const struct token *t)
{
	if (NAME_IS(t, "device_type"))
		return record_once(&n->device_type, t);
	if (NAME_IS(t, "status"))
		return record_once(&n->status, t);
	if (NAME_IS(t, "reg"))
		return record_once(&n->reg, t);
	return 0;
}

/* ---- /cpus ---- */

struct cpus_scan {
	uint64_t *ids;
	unsigned max;
	unsigned count;
	bool cpus_seen;
	bool in_cpus; /* inside the root-level "cpus" node or below it */
	bool cells_seen;
	uint32_t address_cells;
	struct node_props cpu;
};

static int take_cpu(struct cpus_scan *s)
{
	const struct node_props *c = &s->cpu;
	uint64_t id;

	if (!VALUE_IS(&c->device_type, "cpu"))
		return 0;
	if (c->status.seen && !VALUE_IS(&c->status, "okay") && !VALUE_IS(&c->status, "ok"))
		return 0;
	if (!c->reg.seen || c->reg.len != 4u * s->address_cells)
		return FDT_ERR_BADVALUE;
	id = read_cells(c->reg.value, s->address_cells);
	for (unsigned i = 0; i < s->count; i++) {
		if (s->ids[i] == id)
			return FDT_ERR_BADVALUE;
	}
	if (s->count >= s->max)
		return FDT_ERR_BADVALUE;
	s->ids[s->count++] = id;
	return 0;
}

static int cpus_step(void *ctx, const struct token *t)
{
	struct cpus_scan *s = ctx;

	switch (t->tag) {
	case TOKEN_BEGIN_NODE:
		if (t->depth == DEPTH_ROOT_CHILD) {
			s->in_cpus = NAME_IS(t, "cpus");
			if (s->in_cpus && s->cpus_seen)
				return FDT_ERR_BADVALUE;
			s->cpus_seen = s->cpus_seen || s->in_cpus;
		} else if (t->depth == DEPTH_ROOT_GRANDCHILD && s->in_cpus) {
			s->cpu = (struct node_props){ 0 };
		}
		return 0;
	case TOKEN_PROP:
		if (!s->in_cpus)
			return 0;
		if (t->depth == DEPTH_ROOT_CHILD && NAME_IS(t, "#address-cells"))
			return record_cell_count(&s->cells_seen, &s->address_cells, t);
		if (t->depth == DEPTH_ROOT_GRANDCHILD)
			return note_node_prop(&s->cpu, t);
		return 0;
	case TOKEN_END_NODE:
		/* properties precede children, so at its end a cpu node is fully known */
		if (t->depth == DEPTH_ROOT_GRANDCHILD && s->in_cpus)
			return take_cpu(s);
		if (t->depth == DEPTH_ROOT_CHILD)
			s->in_cpus = false;
		return 0;
	default:
		return 0;
	}
}

int fdt_get_cpus(const struct fdt *f, uint64_t *ids, unsigned max)
{
	if (ids == NULL && max != 0)
		return FDT_ERR_BADVALUE;
	struct cpus_scan s = {
		.ids = ids,
		.max = max,
		.address_cells = 2, /* the specification's default when /cpus does not say */
	};
	int rc = walk_tree(f, cpus_step, &s);
	if (rc != 0)
		return rc;
	if (s.count == 0)
		return FDT_ERR_NOTFOUND;
	return (int)s.count;
}

/* ---- /memory ---- */

struct memory_scan {
	bool address_cells_seen, size_cells_seen;
	uint32_t address_cells, size_cells;
	bool name_says_memory;
	struct node_props node;
	bool found;
	uint64_t base, size;
	uint32_t size_off; /* blob offset of the size cells */
};

static bool is_memory_name(const struct token *t)
{
	static const char prefix[] = "memory@";

	if (NAME_IS(t, "memory"))
		return true;
	return t->name_len >= sizeof(prefix) - 1u &&
	       memcmp(t->name, prefix, sizeof(prefix) - 1u) == 0;
}

static int take_memory(struct memory_scan *s)
{
	const struct node_props *n = &s->node;
	uint32_t pair = 4u * (s->address_cells + s->size_cells);
	bool is_memory = n->device_type.seen ? VALUE_IS(&n->device_type, "memory")
					     : s->name_says_memory;

	if (!is_memory)
		return 0;
	if (!n->reg.seen || n->reg.len < pair || n->reg.len % pair != 0)
		return FDT_ERR_BADVALUE;
	s->base = read_cells(n->reg.value, s->address_cells);
	s->size = read_cells(n->reg.value + (size_t)4 * s->address_cells, s->size_cells);
	if (!range_ok(s->base, s->size))
		return FDT_ERR_BADVALUE;
	s->size_off = n->reg.off + 4u * s->address_cells;
	s->found = true;
	return 0;
}

static int memory_step(void *ctx, const struct token *t)
{
	struct memory_scan *s = ctx;

	switch (t->tag) {
	case TOKEN_BEGIN_NODE:
		if (t->depth == DEPTH_ROOT_CHILD) {
			s->node = (struct node_props){ 0 };
			s->name_says_memory = is_memory_name(t);
		}
		return 0;
	case TOKEN_PROP:
		if (t->depth == DEPTH_ROOT) {
			if (NAME_IS(t, "#address-cells"))
				return record_cell_count(&s->address_cells_seen, &s->address_cells, t);
			if (NAME_IS(t, "#size-cells"))
				return record_cell_count(&s->size_cells_seen, &s->size_cells, t);
		} else if (t->depth == DEPTH_ROOT_CHILD) {
			return note_node_prop(&s->node, t);
		}
		return 0;
	case TOKEN_END_NODE:
		/* the root's cell counts came before any child, so they are known here */
		if (t->depth == DEPTH_ROOT_CHILD && !s->found)
			return take_memory(s);
		return 0;
	default:
		return 0;
	}
}

static int memory_lookup(const struct fdt *f, struct memory_scan *s)
{
	/* the specification's defaults for a root that does not say */
	*s = (struct memory_scan){ .address_cells = 2, .size_cells = 1 };
	int rc = walk_tree(f, memory_step, s);
	if (rc != 0)
		return rc;
	return s->found ? 0 : FDT_ERR_NOTFOUND;
}

int fdt_get_memory(const struct fdt *f, uint64_t *base, uint64_t *size, uint32_t *reg_offset)
{
	struct memory_scan s;
	int rc = memory_lookup(f, &s);

	if (rc != 0)
		return rc;
	if (base != NULL)
		*base = s.base;
	if (size != NULL)
		*size = s.size;
	if (reg_offset != NULL)
		*reg_offset = s.size_off;
	return 0;
}

/*
 * The offset is only accepted if a fresh lookup finds the same one: the caller's value is
 * never trusted to address the blob, and the cell count comes from the tree itself.
 */
int fdt_patch_memory_size(void *blob, const struct fdt *f, uint32_t reg_offset, uint64_t new_size)
{
	struct memory_scan s;
	uint8_t *cells = blob;
	int rc;

	if (f == NULL || cells == NULL || f->blob != cells)
		return FDT_ERR_BADVALUE;
	rc = memory_lookup(f, &s);
	if (rc != 0)
		return rc;
	if (reg_offset != s.size_off)
		return FDT_ERR_BADVALUE;
	if (s.size_cells == 1 && new_size > UINT32_MAX)
		return FDT_ERR_BADVALUE;
	/* keep the patched tree one that fdt_get_memory still accepts */
	if (!range_ok(s.base, new_size))
		return FDT_ERR_BADVALUE;
	cells += reg_offset;
	if (s.size_cells == 2) {
		write_be32(cells, (uint32_t)(new_size >> 32));
		cells += 4;
	}
	write_be32(cells, (uint32_t)new_size);
	return 0;
}

/* ---- devices by compatible ---- */

/* One string of a "compatible" list equals `want` (the list need not end in a NUL). */
static bool compatible_has(const uint8_t *list, uint32_t len, const char *want)
{
	size_t want_len = strlen(want);
	uint32_t at = 0;

	while (at < len) {
		uint32_t n = 0;
		while (at + n < len && list[at + n] != 0)
			n++;
		if (bytes_equal(list + at, n, want, want_len))
			return true;
		at += n + 1u;
	}
	return false;
}

/* #address-cells or #size-cells of any node: one cell, at most 4 (the spec's largest use). */
static int record_any_cell_count(bool *seen, uint32_t *count, const struct token *t)
{
	if (*seen || t->value_len != 4u || read_be32(t->value) > 4u)
		return FDT_ERR_BADVALUE;
	*seen = true;
	*count = read_be32(t->value);
	return 0;
}

struct device_level {
	uint32_t address_cells, size_cells; /* what this node says its children use */
	bool address_cells_seen, size_cells_seen;
	bool matches;
	struct prop_ref reg;
	uint32_t start;
};

struct device_scan {
	const char *const *compats;
	unsigned ncompat;
	struct fdt_device *out;
	unsigned max, count;
	struct device_level level[FDT_MAX_DEPTH + 1u];
};

static bool any_compatible(const struct device_scan *s, const struct token *t)
{
	for (unsigned i = 0; i < s->ncompat; i++)
		if (compatible_has(t->value, t->value_len, s->compats[i]))
			return true;
	return false;
}

static int take_device(struct device_scan *s, const struct token *t)
{
	const struct device_level *node = &s->level[t->depth];
	const struct device_level *parent = &s->level[t->depth - 1u];
	uint32_t pair = 4u * (parent->address_cells + parent->size_cells);
	struct fdt_device d;

	if (!node->matches || !node->reg.seen)
		return 0;
	/* a device the monitor must keep out of reach but cannot place is no device to boot with */
	if (parent->address_cells == 0 || parent->address_cells > 2 || parent->size_cells == 0 ||
	    parent->size_cells > 2 || node->reg.len < pair)
		return FDT_ERR_BADVALUE;
	d.base = read_cells(node->reg.value, parent->address_cells);
	d.size = read_cells(node->reg.value + (size_t)4 * parent->address_cells, parent->size_cells);
	if (d.size == 0 || !range_ok(d.base, d.size))
		return FDT_ERR_BADVALUE;
	d.node_start = node->start;
	d.node_end = t->end;
	if (s->count >= s->max)
		return FDT_ERR_BADVALUE;
	s->out[s->count++] = d;
	return 0;
}

static int device_step(void *ctx, const struct token *t)
{
	struct device_scan *s = ctx;

	struct device_level *l;

	switch (t->tag) {
	case TOKEN_BEGIN_NODE:
		/* the specification's defaults for a node that does not say */
		s->level[t->depth] = (struct device_level){ .address_cells = 2, .size_cells = 1,
							    .start = t->start };
		return 0;
	case TOKEN_PROP:
		l = &s->level[t->depth];
		/* any count is fine here (/cpus has 0 size cells, PCI 3 address cells);
		 * take_device refuses what it cannot read */
		if (NAME_IS(t, "#address-cells"))
			return record_any_cell_count(&l->address_cells_seen, &l->address_cells, t);
		if (NAME_IS(t, "#size-cells"))
			return record_any_cell_count(&l->size_cells_seen, &l->size_cells, t);
		if (NAME_IS(t, "reg"))
			return record_once(&l->reg, t);
		if (NAME_IS(t, "compatible"))
			l->matches = any_compatible(s, t);
		return 0;
	case TOKEN_END_NODE:
		/* the root has no parent, so no reg of its own to read */
		return t->depth > DEPTH_ROOT ? take_device(s, t) : 0;
	default:
		return 0;
	}
}

int fdt_find_devices(const struct fdt *f, const char *const *compats, unsigned ncompat,
		     struct fdt_device *out, unsigned max)
{
	struct device_scan s;

	if ((out == NULL && max != 0) || (compats == NULL && ncompat != 0))
		return FDT_ERR_BADVALUE;
	memset(&s, 0, sizeof(s));
	s.compats = compats;
	s.ncompat = ncompat;
	s.out = out;
	s.max = max;
	int rc = walk_tree(f, device_step, &s);
	return rc != 0 ? rc : (int)s.count;
}

int fdt_hide_devices(void *blob, const struct fdt *f, const char *const *compats, unsigned ncompat)
{
	struct fdt_device found[FDT_MAX_DEVICES] = { 0 };
	uint8_t *b = blob;
	int n;

	if (f == NULL || b == NULL || f->blob != b)
		return FDT_ERR_BADVALUE;
	n = fdt_find_devices(f, compats, ncompat, found, FDT_MAX_DEVICES);
	if (n < 0)
		return n;
	/* the walk checked every offset; a node that holds another is simply written twice */
	for (int i = 0; i < n; i++)
		for (uint32_t at = found[i].node_start; at + 4u <= found[i].node_end; at += 4u)
			write_be32(b + at, TOKEN_NOP);
	return n;
}

/* ---- /chosen's initrd ---- */

struct initrd_scan {
	bool in_chosen;
	bool start_seen, end_seen;
	uint64_t start, end;
};

/* A 1- or 2-cell value, as QEMU and u-boot write linux,initrd-*. */
static int read_cell_value(const struct token *t, uint64_t *v)
{
	if (t->value_len != 4u && t->value_len != 8u)
		return FDT_ERR_BADVALUE;
	*v = read_cells(t->value, t->value_len / 4u);
	return 0;
}

static int initrd_step(void *ctx, const struct token *t)
{
	struct initrd_scan *s = ctx;

	if (t->tag == TOKEN_BEGIN_NODE && t->depth == DEPTH_ROOT_CHILD)
		s->in_chosen = NAME_IS(t, "chosen");
	if (t->tag != TOKEN_PROP || t->depth != DEPTH_ROOT_CHILD || !s->in_chosen)
		return 0;
	if (NAME_IS(t, "linux,initrd-start")) {
		if (s->start_seen || read_cell_value(t, &s->start) != 0)
			return FDT_ERR_BADVALUE;
		s->start_seen = true;
	} else if (NAME_IS(t, "linux,initrd-end")) {
		if (s->end_seen || read_cell_value(t, &s->end) != 0)
			return FDT_ERR_BADVALUE;
		s->end_seen = true;
	}
	return 0;
}

int fdt_get_initrd(const struct fdt *f, uint64_t *start, uint64_t *end)
{
	struct initrd_scan s = { 0 };
	int rc = walk_tree(f, initrd_step, &s);

	if (rc != 0)
		return rc;
	if (!s.start_seen && !s.end_seen)
		return FDT_ERR_NOTFOUND;
	if (!s.start_seen || !s.end_seen || s.end < s.start)
		return FDT_ERR_BADVALUE;
	*start = s.start;
	*end = s.end;
	return 0;
}

/* ---- /reserved-memory ---- */

struct root_scan {
	uint32_t root_end; /* the root's END_NODE token */
	bool has_reserved;
};

static int root_step(void *ctx, const struct token *t)
{
	struct root_scan *s = ctx;

	if (t->tag == TOKEN_BEGIN_NODE && t->depth == DEPTH_ROOT_CHILD && NAME_IS(t, "reserved-memory"))
		s->has_reserved = true;
	if (t->tag == TOKEN_END_NODE && t->depth == DEPTH_ROOT)
		s->root_end = t->start;
	return 0;
}

struct fdt_writer {
	uint8_t *p;
	uint32_t len, cap;
	bool overflow;
};

static void put_bytes(struct fdt_writer *o, const void *src, uint32_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->len, src, n);
	o->len += n;
	while (o->len % 4u) /* every token is 4-byte aligned; pad with zeros */
		o->p[o->len++] = 0;
}

static void put_word(struct fdt_writer *o, uint32_t v)
{
	uint8_t b[4];

	write_be32(b, v);
	put_bytes(o, b, 4);
}

/* The offset of `name` in the strings block, appending it (to *extra) if absent. */
static uint32_t string_offset(const struct fdt *f, struct fdt_writer *extra, const char *name)
{
	size_t n = strlen(name) + 1u;
	const uint8_t *s = f->blob + f->off_strings;

	for (uint32_t at = 0; at + n <= f->size_strings; at++)
		if ((at == 0 || s[at - 1] == 0) && memcmp(s + at, name, n) == 0)
			return at;
	for (uint32_t at = 0; at + n <= extra->len; at++)
		if ((at == 0 || extra->p[at - 1] == 0) && memcmp(extra->p + at, name, n) == 0)
			return f->size_strings + at;
	uint32_t at = extra->len;
	if (n > extra->cap - extra->len) {
		extra->overflow = true;
		return 0;
	}
	memcpy(extra->p + at, name, n); /* strings are packed, not padded */
	extra->len += (uint32_t)n;
	return f->size_strings + at;
}

static void put_prop(struct fdt_writer *o, uint32_t nameoff, const void *val, uint32_t len)
{
	put_word(o, TOKEN_PROP);
	put_word(o, len);
	put_word(o, nameoff);
	if (len)
		put_bytes(o, val, len);
}

static void node_name(char *buf, const char *stem, uint64_t base)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = strlen(stem);
	int shift = 60;

	memcpy(buf, stem, n);
	buf[n++] = '@';
	while (shift > 0 && ((base >> shift) & 0xf) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		buf[n++] = digits[(base >> shift) & 0xf];
	buf[n] = 0;
}

int fdt_add_reserved_memory(void *blob, size_t cap, const struct fdt *f,
			    const struct fdt_reserved *r, unsigned n)
{
	uint8_t node[1024], strings[64];
	struct fdt_writer o = { node, 0, sizeof(node), false };
	struct fdt_writer extra = { strings, 0, sizeof(strings), false };
	uint8_t *b = blob;
	struct root_scan root = { 0, false };
	char name[48];
	int rc;

	if (f == NULL || b == NULL || f->blob != b || r == NULL || n == 0 || n > 8)
		return FDT_ERR_BADVALUE;
	rc = walk_tree(f, root_step, &root);
	if (rc != 0)
		return rc;
	uint32_t root_end = root.root_end;
	/* merging into a node the firmware before us wrote is not done here */
	if (root.has_reserved || f->off_strings < f->off_struct + f->size_struct ||
	    f->off_strings + f->size_strings != f->size)
		return FDT_ERR_BADVALUE;

	uint32_t s_addr = string_offset(f, &extra, "#address-cells");
	uint32_t s_size = string_offset(f, &extra, "#size-cells");
	uint32_t s_ranges = string_offset(f, &extra, "ranges");
	uint32_t s_reg = string_offset(f, &extra, "reg");
	uint32_t s_nomap = string_offset(f, &extra, "no-map");
	uint8_t two[4];
	write_be32(two, 2);
	put_word(&o, TOKEN_BEGIN_NODE);
	put_bytes(&o, "reserved-memory", sizeof("reserved-memory"));
	put_prop(&o, s_addr, two, 4);
	put_prop(&o, s_size, two, 4);
	put_prop(&o, s_ranges, NULL, 0);
	for (unsigned i = 0; i < n; i++) {
		uint8_t reg[16];
		if (strlen(r[i].name) > 24 || !range_ok(r[i].base, r[i].size))
			return FDT_ERR_BADVALUE;
		write_be32(reg, (uint32_t)(r[i].base >> 32));
		write_be32(reg + 4, (uint32_t)r[i].base);
		write_be32(reg + 8, (uint32_t)(r[i].size >> 32));
		write_be32(reg + 12, (uint32_t)r[i].size);
		node_name(name, r[i].name, r[i].base);
		put_word(&o, TOKEN_BEGIN_NODE);
		put_bytes(&o, name, (uint32_t)strlen(name) + 1u);
		put_prop(&o, s_reg, reg, sizeof(reg));
		put_prop(&o, s_nomap, NULL, 0);
		put_word(&o, TOKEN_END_NODE);
	}
	put_word(&o, TOKEN_END_NODE);
	if (o.overflow || extra.overflow)
		return FDT_ERR_BADVALUE;

	uint64_t total = (uint64_t)f->size + o.len + extra.len;
	if (total > cap || total > UINT32_MAX)
		return FDT_ERR_TRUNCATED;
	/* strings move up by the node's size, the node goes in before the root's end */
	uint32_t off_strings = f->off_strings + o.len, struct_end = f->off_struct + f->size_struct;
	memmove(b + off_strings, b + f->off_strings, f->size_strings);
	memmove(b + root_end + o.len, b + root_end, struct_end - root_end);
	memcpy(b + root_end, node, o.len);
	memcpy(b + off_strings + f->size_strings, strings, extra.len);
	write_be32(b + HDR_TOTALSIZE, (uint32_t)total);
	write_be32(b + HDR_OFF_STRINGS, off_strings);
	write_be32(b + HDR_SIZE_STRUCT, f->size_struct + o.len);
	write_be32(b + HDR_SIZE_STRINGS, f->size_strings + extra.len);
	return (int)total;
}

/* ---- ISA extensions ---- */

/* `isa` (riscv,isa: "rv64imafdch_zicsr_sstc...") names the multi-letter extension `ext`. */
static bool isa_names(const uint8_t *isa, uint32_t len, const char *ext)
{
	size_t n = strlen(ext);
	uint32_t at = 0;

	while (at < len && isa[at] != '_' && isa[at] != 0)
		at++; /* the single-letter part */
	while (at < len && isa[at] == '_') {
		uint32_t start = ++at;
		while (at < len && isa[at] != '_' && isa[at] != 0)
			at++;
		if (at - start == n && memcmp(isa + start, ext, n) == 0)
			return true;
	}
	return false;
}

struct ext_scan {
	const char *ext;
	bool in_cpus, is_cpu, has;
	unsigned cpus, with;
};

static int ext_step(void *ctx, const struct token *t)
{
	struct ext_scan *s = ctx;

	if (t->tag == TOKEN_BEGIN_NODE && t->depth == DEPTH_ROOT_CHILD)
		s->in_cpus = NAME_IS(t, "cpus");
	if (!s->in_cpus || t->depth != DEPTH_ROOT_GRANDCHILD)
		return 0;
	if (t->tag == TOKEN_BEGIN_NODE) {
		s->is_cpu = s->has = false;
	} else if (t->tag == TOKEN_PROP && NAME_IS(t, "device_type")) {
		s->is_cpu = bytes_equal(t->value, t->value_len, "cpu", sizeof("cpu"));
	} else if (t->tag == TOKEN_PROP && NAME_IS(t, "riscv,isa")) {
		s->has = isa_names(t->value, t->value_len, s->ext);
	} else if (t->tag == TOKEN_END_NODE && s->is_cpu) {
		s->cpus++;
		s->with += s->has;
	}
	return 0;
}

int fdt_harts_have_ext(const struct fdt *f, const char *ext)
{
	struct ext_scan s = { .ext = ext };
	int rc = walk_tree(f, ext_step, &s);

	if (rc != 0)
		return rc;
	if (s.cpus == 0)
		return FDT_ERR_NOTFOUND;
	return s.with == s.cpus ? 1 : 0;
}
