/*
 * The analysis entry of `make eva` (docs/proofs.md): Frama-C EVA runs monitor/core (with
 * monitor/crypto and the arch/riscv C files it calls) from eva_main, on one hart, with
 * every input the hypervisor or a CVM controls left unknown:
 *   - the trapping hart's GPRs and every CSR the monitor reads (mcause, mepc, hgatp, ...),
 *   - the contents of hypervisor memory (its tables, buffers and device tree),
 *   - the console, timer and which hart traps.
 * The machine is the boot layout below; phys_ptr checks every access lies in RAM.
 * Ed25519 (monitor/crypto's field arithmetic uses unsigned __int128, which Frama-C 25
 * cannot parse) is replaced by stubs that read their inputs through SHA-512 and return
 * unknown bytes; SHA-512 and HMAC are analysed as they are.
 * Not built into the monitor.
 */
#include <string.h>
#include "__fc_builtin.h"

#include "arch.h"
#include "crypto.h"
#include "csr.h"
#include "monitor.h"
#include "platform.h"

#define EVA_RAM_BASE 0x80000000UL
#define EVA_RAM_SIZE (8UL << 20)
#define EVA_MON_SIZE (1UL << 20)
#define EVA_CONF_SIZE ((uint64_t)MAX_CONF_PAGES * PAGE_SIZE)
#define EVA_HARTS 2

static uint8_t ram[EVA_RAM_SIZE];

static ureg_t unknown(void)
{
	ureg_t v;
	Frama_C_make_unknown((char *)&v, sizeof(v));
	return v;
}

ureg_t host_csr_read(unsigned csr)
{
	(void)csr;
	return unknown();
}

void host_csr_write(unsigned csr, ureg_t val)
{
	(void)csr;
	(void)val;
}

void *phys_ptr(paddr_t pa, size_t len)
{
	/*@ assert phys_in_ram: EVA_RAM_BASE <= pa && pa - EVA_RAM_BASE <= EVA_RAM_SIZE &&
	  @                      len <= EVA_RAM_SIZE - (pa - EVA_RAM_BASE);
	  @*/
	return &ram[pa - EVA_RAM_BASE];
}

void arch_fp_save(struct fp_state *fp) { Frama_C_make_unknown((char *)fp, sizeof(*fp)); }
void arch_fp_restore(const struct fp_state *fp) { (void)fp; }
void arch_fence_i(void) {}
void arch_sfence_vma_all(void) {}
void arch_hfence_gvma_all(void) {}
void arch_hfence_vvma_all(void) {}
bool phys_page_maybe_dirty(paddr_t pa)
{
	(void)pa;
	return true;
}
bool arch_inspect_hart(unsigned hart) { return hart < EVA_HARTS; }

void ed25519_public_key(uint8_t pk[ED25519_PUBLIC_KEY_SIZE], const uint8_t seed[ED25519_SEED_SIZE])
{
	uint8_t h[SHA512_DIGEST_SIZE];
	sha512(seed, ED25519_SEED_SIZE, h);
	Frama_C_make_unknown((char *)pk, ED25519_PUBLIC_KEY_SIZE);
}

void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_SIZE], const void *msg, size_t len,
		  const uint8_t seed[ED25519_SEED_SIZE], const uint8_t pk[ED25519_PUBLIC_KEY_SIZE])
{
	uint8_t h[SHA512_DIGEST_SIZE];
	sha512(msg, len, h);
	sha512(seed, ED25519_SEED_SIZE, h);
	sha512(pk, ED25519_PUBLIC_KEY_SIZE, h);
	Frama_C_make_unknown((char *)sig, ED25519_SIGNATURE_SIZE);
}

static void eva_putc(char c) { (void)c; }
static int eva_getc(void) { return Frama_C_interval(-1, 255); }
static uint64_t eva_now(void) { return unknown(); }
static void eva_set_timer(unsigned hart, uint64_t when)
{
	(void)hart;
	(void)when;
}
static void eva_ipi(unsigned hart) { (void)hart; }
static void eva_reset(uint32_t type, uint32_t reason)
{
	(void)type;
	(void)reason;
}
static const struct platform_ops eva_plat = {
	.console_putc = eva_putc,
	.console_getc = eva_getc,
	.time_now = eva_now,
	.set_timer = eva_set_timer,
	.send_ipi = eva_ipi,
	.clear_ipi = eva_ipi,
	.system_reset = eva_reset,
	.trace_call = NULL,
};

void eva_main(void)
{
	mem.ram_base = EVA_RAM_BASE;
	mem.ram_size = EVA_RAM_SIZE;
	mem.monitor_base = EVA_RAM_BASE;
	mem.monitor_size = EVA_MON_SIZE;
	mem.conf_base = EVA_RAM_BASE + EVA_RAM_SIZE - EVA_CONF_SIZE;
	mem.conf_size = EVA_CONF_SIZE;
	mem.nr_harts = EVA_HARTS;
	mem.sstc = Frama_C_interval(0, 1);
	plat = &eva_plat;
	/* whatever the hypervisor put in its memory */
	Frama_C_make_unknown((char *)&ram[EVA_MON_SIZE], EVA_RAM_SIZE - EVA_MON_SIZE - EVA_CONF_SIZE);
	if (!monitor_init(0))
		return;
	/* EVA_TRAPS traps, each on a hart of the hypervisor's choosing with registers it chose */
	for (int t = 0; t < EVA_TRAPS; t++) {
		/* One state per hart and per domain. With h imprecise, writing the registers
		 * as unknown through it would be a weak write over every byte between the
		 * two harts' register files (h->cvm, h->regs, ...), and every later path
		 * would run on that garbled hart: the phys_in_ram alarm found sure in
		 * unshare came from there, on a hart "running" a CVM that does not exist. */
		int hart = Frama_C_interval(0, EVA_HARTS - 1);
		//@ split hart;
		struct hart *h = &sm.harts[hart];
		//@ split h->cvm >= 0;
		Frama_C_make_unknown((char *)h->regs, sizeof(*h->regs));
		if (monitor_trap(h))
			(void)monitor_hart_wakeup(h);
		//@ merge hart;
	}
}
