/*
 * Device registers below M-mode, and the bus masters behind them, at QEMU virt's
 * addresses (hw/riscv/virt.c, hw/nvram/fw_cfg.c, hw/virtio/virtio-mmio.c in QEMU 7.2):
 *
 *   fw_cfg at MODEL_FW_CFG_BASE: data (+0), selector (+8, big-endian), DMA address (+16,
 *   big-endian; a write of the low word or of all 8 bytes starts a transfer). A transfer
 *   reads its FWCfgDmaAccess {be32 control, be32 length, be64 address} from physical
 *   memory, then reads or writes physical memory: no PMP stands in its way, as none does
 *   for a real bus master. Reading past an item's end fills with zeros; writes go only to
 *   a writable item (this model has one, as QEMU does with ramfb attached).
 *
 *   virtio-mmio transports at MODEL_VIRTIO_BASE: slots with no device behind them
 *   (DeviceID 0), as on QEMU virt without -device virtio-*: they answer identification
 *   reads and do no DMA.
 *
 * Every transfer is logged (model_drain_dma) so oracles can judge where a bus master
 * reached; the written pages are marked like any store.
 */
#include <string.h>

#include "model_priv.h"

#define FW_CFG_DATA 0x0
#define FW_CFG_SELECTOR 0x8
#define FW_CFG_DMA_HI 0x10
#define FW_CFG_DMA_LO 0x14
#define FW_CFG_DMA_ERROR 0x01u
#define FW_CFG_DMA_READ 0x02u
#define FW_CFG_DMA_SKIP 0x04u
#define FW_CFG_DMA_SELECT 0x08u
#define FW_CFG_DMA_WRITE 0x10u
#define FW_CFG_ENTRY_MASK 0x3fffu
#define FW_CFG_ID_TRADITIONAL_DMA 3u
#define DMA_CHUNK 4096u
#define VIRTIO_MAGIC 0x74726976u /* "virt" */

static const uint8_t signature[] = { 'Q', 'E', 'M', 'U' };
static const uint8_t id_bits[] = { FW_CFG_ID_TRADITIONAL_DMA, 0, 0, 0 };

/* The item the selector names: its bytes, length and whether DMA may write it. */
static uint8_t *item(unsigned key, uint32_t *len, bool *writable)
{
	struct model_fw_cfg *fc = &g_model.fw_cfg;
	*writable = false;
	switch (key) {
	case MODEL_FW_CFG_SIGNATURE: *len = sizeof(signature); return (uint8_t *)signature;
	case MODEL_FW_CFG_ID: *len = sizeof(id_bits); return (uint8_t *)id_bits;
	case MODEL_FW_CFG_WRITABLE:
		*len = sizeof(fc->writable);
		*writable = true;
		return fc->writable;
	default: *len = 0; return NULL;
	}
}

/* One entry per range a transfer touches; when full, the oldest make room. */
static void dma_log(uint64_t pa, uint64_t len, bool write)
{
	struct model_fw_cfg *fc = &g_model.fw_cfg;
	if (fc->nr_log == MODEL_DMA_LOG) {
		memmove(fc->log, fc->log + 1, sizeof(fc->log) - sizeof(fc->log[0]));
		fc->nr_log--;
	}
	fc->log[fc->nr_log++] = (struct model_dma){ .pa = pa, .len = len, .write = write };
}

/* Physical memory as a bus master sees it: RAM, no PMP. */
static bool dma_read(uint64_t pa, void *buf, uint64_t len)
{
	if (!ram_contains(pa, len))
		return false;
	memcpy(buf, ram_at(pa), len);
	return true;
}

static bool dma_write(uint64_t pa, const void *buf, uint64_t len)
{
	if (!ram_contains(pa, len))
		return false;
	model_epoch_counter++;
	ram_mark_written(pa, len);
	memcpy(ram_at(pa), buf, len);
	return true;
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* Bytes of the next chunk: at most a chunk, and no further than the item's end while
 * there is item data left (past it, reads give zeros). */
static uint32_t chunk_len(uint32_t left, uint32_t avail)
{
	uint32_t n = DMA_CHUNK;
	if (left < n)
		n = left;
	if (avail != 0 && avail < n)
		n = avail;
	return n;
}

/* A transfer of `length` bytes; false sets the error bit. */
static bool transfer(uint32_t control, uint64_t addr, uint32_t length)
{
	static uint8_t zeros[DMA_CHUNK], chunk[DMA_CHUNK];
	struct model_fw_cfg *fc = &g_model.fw_cfg;
	uint32_t len, n;
	bool writable;
	uint8_t *data = item(fc->selector, &len, &writable);
	if (control & (FW_CFG_DMA_READ | FW_CFG_DMA_WRITE))
		dma_log(addr, length, (control & FW_CFG_DMA_READ) != 0);
	for (uint32_t done = 0; done < length; done += n, addr += n) {
		uint32_t avail = fc->offset < len ? len - fc->offset : 0;
		n = chunk_len(length - done, avail);
		if (control & FW_CFG_DMA_READ) {
			if (!dma_write(addr, avail ? data + fc->offset : zeros, n))
				return false;
		} else if (control & FW_CFG_DMA_WRITE) {
			if (!writable || length - done > avail || !dma_read(addr, chunk, n))
				return false;
			memcpy(data + fc->offset, chunk, n);
		}
		/* a skip, like the others, moves the offset on */
		fc->offset = fc->offset + n < fc->offset ? UINT32_MAX : fc->offset + n;
	}
	return true;
}

static void dma_start(uint64_t desc)
{
	uint8_t access[16];
	dma_log(desc, sizeof(access), true); /* read, then written back with the status */
	if (!dma_read(desc, access, sizeof(access)))
		return;
	uint32_t control = be32(access), length = be32(access + 4);
	uint64_t addr = be64(access + 8);
	if (control & FW_CFG_DMA_SELECT) {
		g_model.fw_cfg.selector = (control >> 16) & FW_CFG_ENTRY_MASK;
		g_model.fw_cfg.offset = 0;
	}
	bool ok = !(control & (FW_CFG_DMA_READ | FW_CFG_DMA_WRITE | FW_CFG_DMA_SKIP)) ||
		  transfer(control, addr, length);
	/* QEMU reports completion by clearing control, or by the error bit alone */
	uint8_t done[4] = { 0, 0, 0, ok ? 0 : FW_CFG_DMA_ERROR };
	dma_write(desc, done, sizeof(done));
}

static uint64_t bswap(uint64_t v, unsigned width)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < width; i++)
		r = (r << 8) | ((v >> (8 * i)) & 0xff);
	return r;
}

static bool fw_cfg_access(uint64_t off, unsigned width, bool store, uint64_t *val)
{
	struct model_fw_cfg *fc = &g_model.fw_cfg;
	if (!store) {
		*val = 0;
		if (off == FW_CFG_DATA) {
			uint32_t len;
			bool writable;
			const uint8_t *data = item(fc->selector, &len, &writable);
			for (unsigned i = 0; i < width; i++, fc->offset += fc->offset < len)
				*val |= (uint64_t)(fc->offset < len ? data[fc->offset] : 0) << (8 * i);
		}
		return true;
	}
	uint64_t be = bswap(*val, width); /* the device's registers are big-endian */
	if (off == FW_CFG_SELECTOR && width == 2) {
		fc->selector = (unsigned)be & FW_CFG_ENTRY_MASK;
		fc->offset = 0;
	} else if (off == FW_CFG_DMA_HI && width == 4) {
		fc->dma_hi = be;
	} else if (off == FW_CFG_DMA_LO && width == 4) {
		dma_start(fc->dma_hi << 32 | be);
	} else if (off == FW_CFG_DMA_HI && width == 8) {
		dma_start(be);
	}
	return true;
}

static bool virtio_access(uint64_t off, bool store, uint64_t *val)
{
	if (store)
		return true; /* no device behind the transport: nothing to start */
	switch (off) {
	case 0x000: *val = VIRTIO_MAGIC; break;
	case 0x004: *val = 2; break; /* version */
	default: *val = 0; break;    /* DeviceID 0: no device */
	}
	return true;
}

bool bus_claims(uint64_t pa, uint64_t len)
{
	return (pa >= MODEL_FW_CFG_BASE && pa + len <= MODEL_FW_CFG_BASE + MODEL_FW_CFG_SIZE) ||
	       (pa >= MODEL_VIRTIO_BASE &&
		pa + len <= MODEL_VIRTIO_BASE + MODEL_VIRTIO_SLOTS * MODEL_VIRTIO_SIZE);
}

bool bus_access(uint64_t pa, unsigned width, bool store, uint64_t *val)
{
	if (pa >= MODEL_FW_CFG_BASE && pa + width <= MODEL_FW_CFG_BASE + MODEL_FW_CFG_SIZE)
		return fw_cfg_access(pa - MODEL_FW_CFG_BASE, width, store, val);
	if (bus_claims(pa, width))
		return virtio_access((pa - MODEL_VIRTIO_BASE) % MODEL_VIRTIO_SIZE, store, val);
	return false;
}

void model_drain_dma(void (*fn)(const struct model_dma *d, void *arg), void *arg)
{
	struct model_fw_cfg *fc = &g_model.fw_cfg;
	for (unsigned i = 0; i < fc->nr_log; i++)
		fn(&fc->log[i], arg);
	fc->nr_log = 0;
}
