/*
 * Physical memory: RAM at MODEL_RAM_BASE, with two page bitmaps. `dirty` holds the
 * pages written since the last snapshot (what model_restore must copy back);
 * `written` holds the pages written since boot (anything else still holds zero, which
 * is what phys_page_maybe_dirty answers for). A third, `fresh`, holds the pages written
 * since model_drain_written_pages last looked, for checks that only need to look at
 * what changed. Every way into RAM that can write marks all three: phys_ptr,
 * model_phys_write, the domains' stores and model_ram().
 *
 * The snapshot copy of RAM is kept equal to RAM except on dirty pages, so both
 * snapshot and restore only copy dirty pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch.h"
#include "model_priv.h"

static struct {
	uint8_t *base, *snap;
	uint64_t size, pages, words;
	uint64_t *dirty, *written, *snap_written, *fresh;
	bool have_snap;
} ram;

static void *map_zeroed(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		model_fatal("cannot map %llu bytes of model memory", (unsigned long long)size);
	return p;
}

static uint64_t *bitmap_alloc(uint64_t words)
{
	uint64_t *b = calloc(words, sizeof(uint64_t));
	if (!b)
		model_fatal("out of memory for the page bitmaps");
	return b;
}

void ram_alloc(uint64_t size)
{
	ram.size = size;
	ram.pages = size >> PAGE_SHIFT;
	ram.words = (ram.pages + 63) / 64;
	ram.base = map_zeroed(size);
	ram.snap = NULL;
	ram.dirty = bitmap_alloc(ram.words);
	ram.written = bitmap_alloc(ram.words);
	ram.snap_written = bitmap_alloc(ram.words);
	ram.fresh = bitmap_alloc(ram.words);
	ram.have_snap = false;
}

void ram_free(void)
{
	if (ram.base)
		munmap(ram.base, ram.size);
	if (ram.snap)
		munmap(ram.snap, ram.size);
	free(ram.dirty);
	free(ram.written);
	free(ram.snap_written);
	free(ram.fresh);
	memset(&ram, 0, sizeof(ram));
}

bool ram_ready(void)
{
	return ram.base != NULL;
}

/* [pa, pa+len) lies in RAM; an empty range may sit anywhere up to RAM's end. */
bool ram_contains(uint64_t pa, uint64_t len)
{
	if (!ram.base || pa < MODEL_RAM_BASE)
		return false;
	uint64_t off = pa - MODEL_RAM_BASE;
	return off <= ram.size && len <= ram.size - off;
}

uint8_t *ram_at(uint64_t pa)
{
	return ram.base + (pa - MODEL_RAM_BASE);
}

void ram_mark_written(uint64_t pa, uint64_t len)
{
	if (len == 0)
		return;
	uint64_t first = (pa - MODEL_RAM_BASE) >> PAGE_SHIFT;
	uint64_t last = (pa - MODEL_RAM_BASE + len - 1) >> PAGE_SHIFT;
	for (uint64_t p = first; p <= last; p++) {
		ram.dirty[p / 64] |= 1ULL << (p % 64);
		ram.written[p / 64] |= 1ULL << (p % 64);
		ram.fresh[p / 64] |= 1ULL << (p % 64);
	}
}

void model_drain_written_pages(void (*fn)(uint64_t pa, void *arg), void *arg)
{
	for (uint64_t w = 0; w < ram.words; w++) {
		uint64_t m = ram.fresh[w];
		ram.fresh[w] = 0;
		while (m) {
			unsigned b = (unsigned)__builtin_ctzll(m);
			fn(MODEL_RAM_BASE + ((w * 64 + b) << PAGE_SHIFT), arg);
			m &= m - 1;
		}
	}
}

static bool page_bit(const uint64_t *bits, uint64_t pa)
{
	if (!ram_contains(pa, 1))
		return false;
	uint64_t p = (pa - MODEL_RAM_BASE) >> PAGE_SHIFT;
	return (bits[p / 64] >> (p % 64)) & 1;
}

/* Copies every page whose bit is set in `bits` from `from` to `to`. */
static void copy_pages(uint8_t *to, const uint8_t *from, const uint64_t *bits)
{
	for (uint64_t w = 0; w < ram.words; w++) {
		uint64_t m = bits[w];
		while (m) {
			unsigned b = (unsigned)__builtin_ctzll(m);
			uint64_t off = (w * 64 + b) << PAGE_SHIFT;
			memcpy(to + off, from + off, PAGE_SIZE);
			m &= m - 1;
		}
	}
}

void ram_clear_dirty(void)
{
	memset(ram.dirty, 0, ram.words * sizeof(uint64_t));
}

/*
 * A page that holds only zeros is as good as never written: forgetting it keeps the
 * I.MT.3 check (which scans written free pages) from re-reading the confidential pages
 * the monitor zeroed at boot on every fuzz step. Only done at snapshot time.
 */
static void forget_zero_pages(void)
{
	for (uint64_t w = 0; w < ram.words; w++) {
		uint64_t m = ram.written[w];
		while (m) {
			unsigned b = (unsigned)__builtin_ctzll(m);
			const uint64_t *page = (const uint64_t *)(ram.base + ((w * 64 + b) << PAGE_SHIFT));
			bool zero = true;
			for (unsigned i = 0; i < PAGE_SIZE / 8 && zero; i++)
				zero = page[i] == 0;
			if (zero)
				ram.written[w] &= ~(1ULL << b);
			m &= m - 1;
		}
	}
}

void ram_snapshot(void)
{
	if (!ram.have_snap) {
		/* Both copies start zero: only pages written since boot differ. */
		ram.snap = map_zeroed(ram.size);
		copy_pages(ram.snap, ram.base, ram.written);
		ram.have_snap = true;
	} else {
		copy_pages(ram.snap, ram.base, ram.dirty);
	}
	forget_zero_pages();
	memcpy(ram.snap_written, ram.written, ram.words * sizeof(uint64_t));
	ram_clear_dirty();
}

void ram_restore(void)
{
	if (!ram.have_snap)
		model_fatal("model_restore without a model_snapshot");
	copy_pages(ram.base, ram.snap, ram.dirty);
	memcpy(ram.written, ram.snap_written, ram.words * sizeof(uint64_t));
	ram_clear_dirty();
	/* RAM is the snapshot again, which was looked at before it was taken */
	memset(ram.fresh, 0, ram.words * sizeof(uint64_t));
}

/* The pages whose bit is set in `bits`, packed one after another in `packed`: out of
 * RAM into it, or back. */
static void move_packed(uint8_t *packed, const uint64_t *bits, bool into_ram)
{
	for (uint64_t w = 0; w < ram.words; w++)
		for (uint64_t m = bits[w]; m; m &= m - 1, packed += PAGE_SIZE) {
			uint8_t *page = ram.base + ((w * 64 + (unsigned)__builtin_ctzll(m)) << PAGE_SHIFT);
			memcpy(into_ram ? page : packed, into_ram ? packed : page, PAGE_SIZE);
		}
}

/*
 * A checkpoint's RAM: the pages that differ from the snapshot (the dirty ones), copied,
 * with the dirty and written bitmaps of that moment.
 */
void ram_delta_take(struct ram_delta *d)
{
	if (!d->dirty) {
		d->dirty = bitmap_alloc(ram.words);
		d->written = bitmap_alloc(ram.words);
	}
	memcpy(d->dirty, ram.dirty, ram.words * sizeof(uint64_t));
	memcpy(d->written, ram.written, ram.words * sizeof(uint64_t));
	d->npages = 0;
	for (uint64_t w = 0; w < ram.words; w++)
		d->npages += (uint64_t)__builtin_popcountll(d->dirty[w]);
	/* the buffer is kept from one checkpoint to the next in the same slot: no mmap and
	 * page faults per checkpoint */
	if (d->npages > d->capacity) {
		free(d->pages);
		d->capacity = d->npages + d->npages / 2;
		d->pages = malloc(d->capacity * PAGE_SIZE);
		if (!d->pages)
			model_fatal("out of memory for a checkpoint of %llu pages", (unsigned long long)d->npages);
	}
	move_packed(d->pages, d->dirty, false);
}

/* After ram_restore: RAM as it was when the delta was taken. */
void ram_delta_apply(const struct ram_delta *d)
{
	move_packed(d->pages, d->dirty, true);
	memcpy(ram.dirty, d->dirty, ram.words * sizeof(uint64_t));
	memcpy(ram.written, d->written, ram.words * sizeof(uint64_t));
}

void ram_delta_free(struct ram_delta *d)
{
	free(d->dirty);
	free(d->written);
	free(d->pages);
	memset(d, 0, sizeof(*d));
}

void *phys_ptr(paddr_t pa, size_t len)
{
	if (!ram_contains(pa, len))
		model_fatal("monitor accessed non-RAM physical range [0x%llx, +0x%llx)",
			    (unsigned long long)pa, (unsigned long long)len);
	/* M-mode is bound by locked PMP entries (the endorsement seed after boot) */
	if (len && g_model_ready && !pmp_check(model_current_hs("phys_ptr"), PRV_M, pa, len, 'r'))
		model_fatal("monitor read of [0x%llx, +0x%llx) faults: a locked PMP entry denies M-mode",
			    (unsigned long long)pa, (unsigned long long)len);
	/* The monitor may write through the pointer: count the pages as written. */
	ram_mark_written(pa, len);
	return ram_at(pa);
}

/*
 * A written page found to hold only zeros is forgotten (its `written` bit cleared, its
 * `dirty` bit kept for restore), so the I.MT.3 check reads each zeroed free page once
 * rather than on every fuzz step. A page written again is marked again.
 */
bool phys_page_maybe_dirty(paddr_t pa)
{
	pa &= ~PAGE_MASK;
	if (!page_bit(ram.written, pa))
		return false;
	const uint8_t *page = ram_at(pa);
	if (page[0] != 0 || memcmp(page, page + 1, PAGE_SIZE - 1) != 0)
		return true;
	uint64_t p = (pa - MODEL_RAM_BASE) >> PAGE_SHIFT;
	ram.written[p / 64] &= ~(1ULL << (p % 64));
	return false;
}

bool model_page_dirty(uint64_t pa)
{
	return page_bit(ram.dirty, pa & ~PAGE_MASK);
}

bool model_phys_read(uint64_t pa, void *buf, size_t len)
{
	if (!ram_contains(pa, len))
		return false;
	if (len)
		memcpy(buf, ram_at(pa), len);
	return true;
}

bool model_phys_write(uint64_t pa, const void *buf, size_t len)
{
	if (!ram_contains(pa, len))
		return false;
	ram_mark_written(pa, len);
	if (len)
		memcpy(ram_at(pa), buf, len);
	return true;
}

/*
 * The caller may write anywhere through this pointer, so every page counts as written
 * from here on: restore stays exact, at the price of one full copy. Per-input accesses
 * should go through model_phys_read/model_phys_write instead.
 */
uint8_t *model_ram(void)
{
	if (!ram.base)
		model_fatal("model_ram before model_init_hw");
	ram_mark_written(MODEL_RAM_BASE, ram.size);
	return ram.base;
}

uint64_t model_ram_size(void)
{
	return ram.size;
}
