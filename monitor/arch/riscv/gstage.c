/*
 * G-stage tables: building the monitor's own Sv39x4 trees for CVMs, and walking the
 * hypervisor's trees (untrusted) during promote.
 */
#include "defence.h"
#include <string.h>

#include "arch.h"
#include "csr.h"
#include "gstage.h"
#include "platform.h"
#include "sbi.h"

#define ENTRIES 512UL
#define SV39X4_LEVELS 3

/* Index of gpa at `level` (0 = leaf). The root level has 2048 entries (the "x4"). */
static uint64_t vpn(gpaddr_t gpa, unsigned level, unsigned levels)
{
	uint64_t idx = gpa >> (PAGE_SHIFT + 9 * level);
	return level == levels - 1 ? idx & (ENTRIES * 4 - 1) : idx & (ENTRIES - 1);
}

static uint64_t *pte_at(paddr_t table, uint64_t idx)
{
	return (uint64_t *)phys_ptr(table + idx * 8, 8);
}

static uint64_t make_table_pte(paddr_t pa) { return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V; }

#ifdef PROOFS_WP
/*@ assigns \nothing;
  @ ensures \result <==> (pte & 14) != 0;
  @*/
#endif
static bool is_leaf(uint64_t pte) { return (pte & PTE_RWX) != 0; }

int gstage_map(struct mem_tracker *mt, mt_owner_t owner, paddr_t root, gpaddr_t gpa,
	       paddr_t pa, uint64_t perms)
{
	if (!IS_ALIGNED(gpa, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    gpa >> SV39X4_GPA_BITS || (perms & PTE_RWX) == 0 || (perms & (PTE_R | PTE_W)) == PTE_W)
		return SBI_ERR_INVALID_PARAM;
	paddr_t table = root;
	for (unsigned level = SV39X4_LEVELS - 1; level > 0; level--) {
		uint64_t *pte = pte_at(table, vpn(gpa, level, SV39X4_LEVELS));
		if (!(*pte & PTE_V)) {
			paddr_t next = mt_alloc(mt, owner, 1);
			if (!next)
				return SBI_ERR_FAILED;
			*pte = make_table_pte(next);
		} else if (is_leaf(*pte)) {
			return SBI_ERR_ALREADY_AVAILABLE; /* the monitor never builds superpages */
		}
		table = pte_pa(*pte);
	}
	uint64_t *leaf = pte_at(table, vpn(gpa, 0, SV39X4_LEVELS));
	if (*leaf & PTE_V)
		return SBI_ERR_ALREADY_AVAILABLE;
	*leaf = ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | (perms & PTE_RWX) | PTE_U | PTE_A |
		PTE_D | PTE_V;
	return SBI_SUCCESS;
}

/* Leaf PTE slot of gpa in a monitor-built tree, or NULL if a table level is missing. */
static uint64_t *leaf_slot(paddr_t root, gpaddr_t gpa)
{
	if (gpa >> SV39X4_GPA_BITS)
		return NULL;
	paddr_t table = root;
	for (unsigned level = SV39X4_LEVELS - 1; level > 0; level--) {
		uint64_t pte = *pte_at(table, vpn(gpa, level, SV39X4_LEVELS));
		if (!(pte & PTE_V) || is_leaf(pte))
			return NULL;
		table = pte_pa(pte);
	}
	return pte_at(table, vpn(gpa, 0, SV39X4_LEVELS));
}

paddr_t gstage_unmap(paddr_t root, gpaddr_t gpa)
{
	uint64_t *leaf = leaf_slot(root, gpa);
	if (!leaf || !(*leaf & PTE_V))
		return 0;
	paddr_t pa = pte_pa(*leaf);
	*leaf = 0;
	return pa;
}

paddr_t gstage_lookup(paddr_t root, gpaddr_t gpa, uint64_t *perms)
{
	const uint64_t *leaf = leaf_slot(root, gpa & ~PAGE_MASK);
	if (!leaf || !(*leaf & PTE_V))
		return 0;
	if (perms)
		*perms = *leaf & PTE_RWX;
	return pte_pa(*leaf);
}

/* --- the hypervisor's tables: hostile ------------------------------------------- */

/*
 * The contracts of the foreign walk are proved by `make prove` (unit gstage.c,
 * docs/proofs.md); proofs/prove.sh defines PROOFS_WP. EVA (make eva) analyses the code
 * without them: the callback contract names a specification function, not copy_page.
 */
#ifdef PROOFS_WP
/*@ // The ranges mem_is_hypervisor accepts (its postcondition `exact`, core/platform.c).
  @ predicate hyp_layout = mem.monitor_base + mem.monitor_size <= 18446744073709551615;
  @ predicate hyp_mem(integer pa, integer len) =
  @   range_ok_m(pa, len) && mem.monitor_base + mem.monitor_size < mem.conf_base &&
  @   within_m(pa, len, mem.monitor_base + mem.monitor_size,
  @            mem.conf_base - (mem.monitor_base + mem.monitor_size));
  @ // Entries of a table at depth d of the walk (the root has 2048).
  @ logic integer n_ptes(integer d) = d == 0 ? 2048 : 512;
  @ // The 64-bit view of physical memory: phys_words(pa) reads the bytes phys_at(pa).
  @ axiomatic PhysWords { logic uint64_t *phys_words(integer pa); }
  @*/

/*
 * What every leaf callback may rely on, and all the walk may assume of it: it is
 * called only for a 4 KiB page of hypervisor memory with validated permissions (R, W
 * and X bits only, at least one, W only with R), and it changes nothing the walk reads
 * (the layout, the walk's state). The walk is proved for callbacks with this contract
 * (gstage_walk_foreign requires fn == &gstage_leaf); that promote's copy_page has it
 * is not proved.
 */
/*@ requires page: hyp_mem(pa, 4096);
  @ requires perms: (perms & 14) == perms && perms != 0 && (perms & 6) != 4;
  @ assigns \nothing;
  @*/
int gstage_leaf(void *arg, gpaddr_t gpa, paddr_t pa, uint64_t perms);
#endif

struct foreign_walk {
	uint64_t budget;
	unsigned levels;
	gstage_leaf_fn fn;
	void *arg;
};

/*
 * The hypervisor's table at pa, as n PTEs. Its contract is the memory model's 64-bit
 * view (assumed, not proved: WP's typed model does not follow the cast of phys_ptr's
 * bytes to words); the precondition is what every caller proves.
 */
#ifdef PROOFS_WP
/*@ requires hyp: hyp_mem(pa, n * 8);
  @ assigns \nothing;
  @ ensures view: \result == phys_words(pa);
  @ ensures valid: \valid_read(\result + (0 .. n - 1));
  @*/
#endif
static const uint64_t *foreign_table(paddr_t pa, uint64_t n)
{
	return phys_ptr(pa, n * sizeof(uint64_t));
}

#ifdef PROOFS_WP
/*@ requires walk: \valid_read(w) && w->fn == &gstage_leaf;
  @ requires layout: hyp_layout;
  @ requires level: level <= 3;
  @ requires leaf: (pte & 14) != 0;
  @ assigns \nothing;
  @*/
#endif
static int walk_leaf(const struct foreign_walk *w, gpaddr_t gpa, uint64_t pte, unsigned level)
{
	uint64_t size = PAGE_SIZE << (9 * level);
	paddr_t pa = pte_pa(pte);
	if ((pte & (PTE_R | PTE_W)) == PTE_W || !(pte & PTE_U) || !IS_ALIGNED(pa, size))
		return SBI_ERR_INVALID_PARAM;
	if (!mem_is_hypervisor(pa, size) && DEFENCE(D_PROMOTE_CHECKS_LEAVES))
		return SBI_ERR_INVALID_ADDRESS;
#ifdef PROOFS_WP
	/*@ assert size_0: level == 0 ==> size == 4096; */
	/*@ assert size_1: level == 1 ==> size == 2097152; */
	/*@ assert size_2: level == 2 ==> size == 1073741824; */
	/*@ assert size_3: level == 3 ==> size == 549755813888; */
	/*@ assert checked: hyp_mem(pa, size); */
	/*@ loop invariant off % 4096 == 0 && 0 <= off <= size;
	  @ loop assigns off;
	  @ loop variant size - off;
	  @*/
#endif
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		int rc;
#ifdef PROOFS_WP
		/*@ calls gstage_leaf; */
#endif
		rc = w->fn(w->arg, gpa + off, pa + off, pte & PTE_RWX);
		if (rc)
			return rc;
	}
	return SBI_SUCCESS;
}

/*
 * Tables are mostly empty (a 16 KiB Sv39x4 root for a VM of a few megabytes), so
 * invalid entries are passed over eight at a time, from the first group boundary at or
 * after i, stepping over at most max_skip entries. Returns the index of the first entry
 * not stepped over. Only a hint for the foreign walk: an entry that becomes valid
 * meanwhile is one the hypervisor wrote after the walk read it, as if it had written it
 * a moment later; every entry the walk uses is read again, once, on its own.
 */
#ifdef PROOFS_WP
/*@ requires valid: \valid_read(ptes + (0 .. n - 1));
  @ requires from: i <= n;
  @ assigns \nothing;
  @ ensures range: i <= \result <= n;
  @ ensures budget: \result - i <= max_skip;
  @*/
#endif
static uint64_t skip_invalid_groups(const uint64_t *ptes, uint64_t i, uint64_t n, uint64_t max_skip)
{
	const unsigned group = 8;
	if (i % group)
		return i;
	uint64_t end = n - i > max_skip ? i + max_skip : n;
#ifdef PROOFS_WP
	/*@ loop invariant \at(i, Pre) <= i <= end <= n && end - \at(i, Pre) <= max_skip;
	  @ loop assigns i;
	  @ loop variant end - i;
	  @*/
#endif
	while (end - i >= group) {
		uint64_t any = __atomic_load_n(&ptes[i], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 1], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 2], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 3], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 4], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 5], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 6], __ATOMIC_RELAXED) |
			       __atomic_load_n(&ptes[i + 7], __ATOMIC_RELAXED);
		if (any & PTE_V)
			break;
		i += group;
	}
	return i;
}

/*
 * Depth-first walk with an explicit stack: the depth is bounded by the mode, and the
 * budget bounds the entries read, so tables that point back at themselves or at one
 * another cannot make it run forever. Each PTE is read exactly once into a local
 * before it is checked, since the hypervisor can change its tables from another hart.
 */
#ifdef PROOFS_WP
/*@ requires walk: \valid(w) && w->fn == &gstage_leaf;
  @ requires levels: w->levels == 3 || w->levels == 4;
  @ requires layout: hyp_layout;
  @ requires root: hyp_mem(root, 2048 * 8);
  @ assigns w->budget;
  @*/
#endif
static int walk_table(struct foreign_walk *w, paddr_t root)
{
	struct { const uint64_t *ptes; uint64_t next; gpaddr_t base; } stack[4];
	int depth = 0;
	unsigned level = w->levels - 1;
	stack[0].ptes = foreign_table(root, ENTRIES * 4);
	stack[0].next = 0;
	stack[0].base = 0;
#ifdef PROOFS_WP
	/*@ ghost paddr_t tab[4]; */
	/*@ ghost tab[0] = root; */
	/*@ loop invariant depth: -1 <= depth <= w->levels - 1 && level + depth == w->levels - 1;
	  @ loop invariant tables_hyp: \forall integer d; 0 <= d <= depth ==>
	  @   hyp_mem(tab[d], n_ptes(d) * 8);
	  @ loop invariant tables_view: \forall integer d; 0 <= d <= depth ==>
	  @   stack[d].ptes == phys_words(tab[d]);
	  @ loop invariant tables_valid: \forall integer d; 0 <= d <= depth ==>
	  @   \valid_read(stack[d].ptes + (0 .. n_ptes(d) - 1));
	  @ loop invariant tables_next: \forall integer d; 0 <= d <= depth ==>
	  @   stack[d].next <= n_ptes(d);
	  @ loop assigns depth, level, stack[0 .. 3], tab[0 .. 3], w->budget;
	  @ loop variant w->budget * 5 + depth + 1;
	  @*/
#endif
	while (depth >= 0) {
		uint64_t n_entries = level == w->levels - 1 ? ENTRIES * 4 : ENTRIES;
#ifdef PROOFS_WP
		/*@ assert n_entries: n_entries == n_ptes(depth); */
#endif
		if (stack[depth].next == n_entries) {
			depth--;
			level++;
			continue;
		}
		if (w->budget == 0)
			return SBI_ERR_INVALID_PARAM;
		uint64_t from = stack[depth].next;
		stack[depth].next = skip_invalid_groups(stack[depth].ptes, from, n_entries, w->budget);
		if (stack[depth].next != from) {
			w->budget -= stack[depth].next - from; /* every entry read counts */
			continue;
		}
		w->budget--;
		uint64_t idx = stack[depth].next++;
#ifdef PROOFS_WP
		/*@ assert reads_hypervisor: hyp_mem(tab[depth] + idx * 8, 8); */
#endif
		uint64_t pte = __atomic_load_n(&stack[depth].ptes[idx], __ATOMIC_RELAXED);
		gpaddr_t gpa = stack[depth].base + (idx << (PAGE_SHIFT + 9 * level));
		if (!(pte & PTE_V))
			continue;
		if (is_leaf(pte)) {
			int rc = walk_leaf(w, gpa, pte, level);
			if (rc)
				return rc;
			continue;
		}
		if (level == 0 || (pte & (PTE_A | PTE_D | PTE_U)))
			return SBI_ERR_INVALID_PARAM; /* non-leaf with leaf-only bits, or too deep */
		paddr_t next = pte_pa(pte);
		if (!mem_is_hypervisor(next, PAGE_SIZE))
			return SBI_ERR_INVALID_ADDRESS;
		depth++;
		level--;
		stack[depth].ptes = foreign_table(next, ENTRIES);
		stack[depth].next = 0;
		stack[depth].base = gpa;
#ifdef PROOFS_WP
		/*@ ghost tab[depth] = next; */
#endif
	}
	return SBI_SUCCESS;
}

#ifdef PROOFS_WP
/*@ requires layout: hyp_layout;
  @ requires callback: fn == &gstage_leaf;
  @ assigns \nothing;
  @ ensures mode: \result == SBI_SUCCESS ==> hgatp >> 60 == 8 || hgatp >> 60 == 9;
  @ ensures root: \result == SBI_SUCCESS ==>
  @   hyp_mem((paddr_t)((hgatp & 17592186044415) << 12), 16384);
  @*/
#endif
int gstage_walk_foreign(ureg_t hgatp, uint64_t budget, gstage_leaf_fn fn, void *arg)
{
	struct foreign_walk w = { .budget = budget, .fn = fn, .arg = arg };
	switch (hgatp >> HGATP_MODE_SHIFT) {
	case HGATP_MODE_SV39X4: w.levels = 3; break;
	case HGATP_MODE_SV48X4: w.levels = 4; break;
	default: return SBI_ERR_INVALID_PARAM;
	}
	paddr_t root = (hgatp & HGATP_PPN_MASK) << PAGE_SHIFT;
	if (!IS_ALIGNED(root, GSTAGE_ROOT_PAGES * PAGE_SIZE))
		return SBI_ERR_INVALID_PARAM;
	if (!mem_is_hypervisor(root, GSTAGE_ROOT_PAGES * PAGE_SIZE))
		return SBI_ERR_INVALID_ADDRESS;
	return walk_table(&w, root);
}

/* --- inspection of monitor-built trees (invariant checker) -------------------- */

static void visit_level(paddr_t table, unsigned level, gpaddr_t base, gstage_visit_fn fn, void *arg)
{
	uint64_t n = level == SV39X4_LEVELS - 1 ? ENTRIES * 4 : ENTRIES;
	const uint64_t *ptes = phys_ptr(table, n * 8);
	for (uint64_t i = skip_invalid_groups(ptes, 0, n, n); i < n; i = skip_invalid_groups(ptes, i + 1, n, n)) {
		uint64_t pte = ptes[i];
		gpaddr_t gpa = base + (i << (PAGE_SHIFT + 9 * level));
		if (!(pte & PTE_V))
			continue;
		if (is_leaf(pte) || level == 0) {
			fn(arg, pte_pa(pte), false, gpa, pte);
			continue;
		}
		paddr_t next = pte_pa(pte);
		fn(arg, next, true, gpa, pte);
		/* Follow only pointers into confidential memory: a corrupted tree is reported by
		 * the callback, never dereferenced outside what the monitor may touch. */
		if (mem_is_confidential(next, PAGE_SIZE))
			visit_level(next, level - 1, gpa, fn, arg);
	}
}

void gstage_visit(paddr_t root, gstage_visit_fn fn, void *arg)
{
	for (unsigned i = 0; i < GSTAGE_ROOT_PAGES; i++)
		fn(arg, root + i * PAGE_SIZE, true, 0, 0);
	visit_level(root, SV39X4_LEVELS - 1, 0, fn, arg);
}
