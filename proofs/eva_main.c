/*
 * The analysis entry of `make eva` (docs/proofs.md): Frama-C EVA runs monitor/core (with
 * monitor/crypto and the arch/riscv C files it calls) from eva_main, on one hart, with
 * every input the hypervisor or a CVM controls left unknown:
 *   - the trapping hart's GPRs and every CSR the monitor reads (mcause, mepc, hgatp, ...),
 *   - the contents of hypervisor memory (its tables, buffers and device tree),
 *   - the console, timer and which hart traps.
 * The machine is the boot layout below; phys_ptr checks every access lies in RAM.
 * Two flows, each in a state of its own (EVA_FLOW): the hypervisor's traps from the boot
 * state (hv_flow), and a trap from inside a CVM set up as promote leaves one (cvm_flow).
 * Ed25519 (monitor/crypto's field arithmetic uses unsigned __int128, which Frama-C 25
 * cannot parse) is replaced by stubs that read their inputs through SHA-512 and return
 * unknown bytes; SHA-512 and HMAC are analysed as they are.
 * Not built into the monitor.
 */
#include <string.h>
#include "__fc_builtin.h"

#include "arch.h"
#include "cove.h"
#include "crypto.h"
#include "csr.h"
#include "gstage.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"

#define EVA_RAM_BASE 0x80000000UL
#define EVA_RAM_SIZE (8UL << 20)
#define EVA_MON_SIZE (1UL << 20)
#define EVA_CONF_SIZE ((uint64_t)MAX_CONF_PAGES * PAGE_SIZE)
#define EVA_HARTS 2
/* the CVM flow's one guest page (code and data), where promote would have copied it */
#define EVA_GUEST_GPA 0x80000000UL

/* Which flows eva_main analyses: 0 both (each in a state of its own), 1 the
 * hypervisor's, 2 the CVM's (proofs/eva.sh: EVA_FLOW=both|hv|cvm). */
#ifndef EVA_FLOW
#define EVA_FLOW 0
#endif

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

/*
 * The hypervisor flow: EVA_TRAPS traps from the boot state, each on a hart of the
 * hypervisor's choosing with registers it chose. No CVM exists unless a trap promotes
 * one.
 */
static void hv_flow(void)
{
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

/*
 * The CVM flow. CVM 0 is set up directly in monitor state, as promote (build_cvm) leaves
 * a CVM: a 16 KiB root and one guest page, both confidential pages the tracker gives
 * CVM 0 (mt_alloc, gstage_map), the page's contents unknown (the image the CVM runs and
 * whatever it wrote since); 1..MAX_VCPUS vCPUs, vCPU 0 RUNNABLE, the others STOPPED; no
 * MMIO or shared region. Hart 0 then enters it through the enter node (fsm_enter_cvm,
 * what run_tvm_vcpu ends with), and the CVM traps once with every register it controls
 * unknown: its GPRs and every CSR (mcause, so every exception and interrupt cause, mepc,
 * mtval, mtval2, mtinst, vsatp, ...).
 * Not followed: the hypervisor's next run call answering that exit (cvm_resume.c). EVA
 * joins the states at monitor_trap's return, so the hart "in the CVM" and "back in the
 * hypervisor" and the different exits' reasons and payloads lose their correlation, and
 * a second trap from there ran on a hart with h->cvm in {-1, 0} and h->regs pointing at
 * either domain (docs/proofs.md).
 */
static void cvm_flow(void)
{
	struct cvm *c = &sm.cvms[0];
	struct hart *h = &sm.harts[0];
	c->root = mt_alloc(&sm.mt, MT_CVM(0), GSTAGE_ROOT_PAGES);
	paddr_t page = mt_alloc(&sm.mt, MT_CVM(0), 1);
	if (!c->root || !page ||
	    gstage_map(&sm.mt, MT_CVM(0), c->root, EVA_GUEST_GPA, page, PTE_R | PTE_W | PTE_X))
		return;
	Frama_C_make_unknown((char *)phys_ptr(page, PAGE_SIZE), PAGE_SIZE);
	c->nr_vcpus = (unsigned)Frama_C_interval(1, MAX_VCPUS);
	struct vcpu *v = &c->vcpu[0];
	v->state = VCPU_RUNNABLE;
	v->pc = EVA_GUEST_GPA;
	c->state = CVM_ACTIVE;
	if (fsm_enter_cvm(h, 0, 0) != CALL_SWITCHED || h->regs != &v->regs)
		return;
	/* the CVM runs: its GPRs are whatever it put there */
	Frama_C_make_unknown((char *)h->regs, sizeof(*h->regs));
	if (monitor_trap(h))
		(void)monitor_hart_wakeup(h);
}

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
	int flow = EVA_FLOW ? EVA_FLOW : Frama_C_interval(1, 2);
	//@ split flow;
	if (flow == 1)
		hv_flow();
	else
		cvm_flow();
	//@ merge flow;
}
