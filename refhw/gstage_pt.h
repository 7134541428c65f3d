/*
 * Reference hardware: G-stage page tables, Sv39x4 and Sv48x4 (privileged spec 1.12,
 * 8.5.1, with the walk of 4.3.2), written from the specification alone (refhw/ includes
 * only its own headers and the C library). A walker that returns the leaf, and a 4 KiB
 * mapper that builds tables, both over physical memory reached through callbacks.
 */
#ifndef REFHW_GSTAGE_PT_H
#define REFHW_GSTAGE_PT_H

#include <stdbool.h>
#include <stdint.h>

/* Page-table entry bits (4.3.1 / 4.4.1). */
#define REFHW_PTE_V (1ULL << 0)
#define REFHW_PTE_R (1ULL << 1)
#define REFHW_PTE_W (1ULL << 2)
#define REFHW_PTE_X (1ULL << 3)
#define REFHW_PTE_U (1ULL << 4)
#define REFHW_PTE_G (1ULL << 5)
#define REFHW_PTE_A (1ULL << 6)
#define REFHW_PTE_D (1ULL << 7)
#define REFHW_PTE_PPN_SHIFT 10
#define REFHW_PTE_PPN_BITS 44
/* N, PBMT and the reserved bits 63:54: none implemented, so set means a fault. */
#define REFHW_PTE_RESERVED (0x3ffULL << 54)

#define REFHW_PAGE_SHIFT 12
#define REFHW_SV39X4_LEVELS 3u
#define REFHW_SV48X4_LEVELS 4u

/* Physical memory as the walker and the mapper see it. */
struct refhw_mem {
	void *ctx;
	/* false: the location cannot be read (for a walk: an access fault) */
	bool (*read64)(void *ctx, uint64_t pa, uint64_t *val);
	/* the mapper's stores; false when the location cannot be written */
	bool (*write64)(void *ctx, uint64_t pa, uint64_t val);
	/* the mapper's next-level tables: a 4 KiB-aligned page, or 0 when none is left */
	uint64_t (*alloc_table)(void *ctx);
};

enum refhw_xlate {
	REFHW_XLATE_OK,
	REFHW_XLATE_PAGE_FAULT,   /* guest-page fault */
	REFHW_XLATE_ACCESS_FAULT, /* a PTE could not be read */
};

struct refhw_leaf {
	uint64_t pte;    /* the leaf entry */
	uint64_t pte_pa; /* where it lives */
	uint64_t pa;     /* the translation of the address walked */
	unsigned level;  /* 0 for a 4 KiB page, 1 for 2 MiB, 2 for 1 GiB, 3 for 512 GiB */
};

/*
 * Walks the tables of a `levels`-level x4 scheme whose 16 KiB root is at `root` for
 * `gpa`. Faults, as 4.3.2 orders them: upper GPA bits set (8.5.1), a PTE that cannot
 * be read, V clear, W without R, reserved bits set, a pointer with D, A or U set or at
 * level 0, a misaligned superpage. Permissions (U, A, D, R/W/X against the access) are
 * the caller's to check on the leaf returned.
 */
enum refhw_xlate refhw_gstage_walk(const struct refhw_mem *m, uint64_t root, unsigned levels,
				   uint64_t gpa, struct refhw_leaf *leaf);

/*
 * Maps the 4 KiB page at `gpa` to `hpa` with a leaf of `flags` | V, allocating missing
 * tables through m->alloc_table (pointers V only). A valid entry on the way is followed
 * as a pointer, as the hypervisor that owns the tables would. False when a table cannot
 * be allocated, read or written.
 */
bool refhw_gstage_map_4k(const struct refhw_mem *m, uint64_t root, unsigned levels, uint64_t gpa,
			 uint64_t hpa, uint64_t flags);

#endif
