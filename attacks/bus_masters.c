/*
 * Bus masters: QEMU virt's fw_cfg DMA engine reads and writes physical memory without
 * PMP, so a hypervisor that can program it reaches whatever PMP keeps from it. Only the
 * monitor keeping the device's registers out of S-mode's reach stands in the way (no
 * IOPMP on virt).
 */
#include <string.h>

#include "host_attacks.h"

#include "csr.h"
#include "model.h"

/* fw_cfg's one writable item on the model (model.h), and its size */
#define ITEM (MODEL_FW_CFG_WRITABLE << 16)

static uint64_t scratch_page(void)
{
	return vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
}

/* One transfer as the hypervisor on hart 0 starts it; notes whether the device took it. */
static bool dma(struct attack_run *run, uint32_t control, uint64_t addr, uint32_t len)
{
	uint64_t desc = scratch_page();
	if (!hv_fw_cfg_dma(0, desc, control, addr, len, false)) {
		attack_note(run, "the store to fw_cfg's DMA register faulted (scause %llu)",
			    (unsigned long long)model_csr(0, CSR_SCAUSE));
		model_hart(0)->mode = MODE_HS; /* the hypervisor handles its own fault */
		return false;
	}
	uint32_t status = 0;
	model_phys_read(desc, &status, sizeof(status));
	attack_note(run, "fw_cfg DMA of %u bytes at 0x%llx done, status 0x%x", len,
		    (unsigned long long)addr, status);
	return true;
}

/* Monitor memory copied into the writable item, then out into the hypervisor's page. */
enum attack_result attack_dma_monitor_secret(struct attack_run *run)
{
	uint64_t pa = plant_monitor_secret(), out = scratch_page();
	if (!dma(run, ITEM | FW_CFG_DMA_SELECT | FW_CFG_DMA_WRITE, pa, 8) ||
	    !dma(run, ITEM | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, out, 8))
		return AR_BLOCKED;
	uint64_t got = phys64(out);
	attack_note(run, "the hypervisor's page now holds 0x%llx", (unsigned long long)got);
	return got == MONITOR_SECRET ? AR_SUCCEEDED : AR_BLOCKED;
}

/* Zeros from past the end of an item written over the victim's secret. */
enum attack_result attack_dma_cvm_memory(struct attack_run *run)
{
	struct victim v;
	const uint64_t secret = CVM_SECRET | 0xDA;
	if (!victim_with_secret(run, &v, 0xDA, secret))
		return AR_ERROR;
	uint64_t pa = victim_hpa(&v, SECRET_GPA);
	/* the signature item is 4 bytes: skip them, then read zeros */
	if (!dma(run, FW_CFG_DMA_SELECT | 0x04, 0, 4) || !dma(run, FW_CFG_DMA_READ, pa, 8))
		return AR_BLOCKED;
	uint64_t seen = 0;
	if (!victim_enter(run, 0, &v, 0, 0, 0, 0) || !dom_load64(0, SECRET_GPA, &seen))
		return AR_ERROR;
	attack_note(run, "the victim reads 0x%llx where it stored its secret", (unsigned long long)seen);
	return seen != secret ? AR_SUCCEEDED : AR_BLOCKED;
}
