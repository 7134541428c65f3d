/*
 * The VM before and after promote: its memory and G-stage tables in hypervisor pages,
 * the COVH calls that turn it into a CVM, run it and destroy it, and the checks on
 * every register file a run hands back.
 */
#include <string.h>

#include "cove.h"
#include "fdt_write.h"
#include "hv.h"
#include "hv_arch.h"

#define HV_VMID 1UL

extern const uint8_t guest_image[], guest_image_end[];

static uint8_t vm_mem[GUEST_RAM_SIZE] __attribute__((aligned(4096)));
static uint64_t gstage_root[2048] __attribute__((aligned(16384))); /* Sv39x4: 16 KiB */
static uint64_t gstage_l1[512] __attribute__((aligned(4096)));
static uint64_t gstage_l0[512] __attribute__((aligned(4096)));
static struct hv_regs run_regs[HV_MAX_HARTS];

static unsigned long pte_table(const void *table)
{
	return (((unsigned long)table >> 12) << 10) | PTE_V;
}

bool hv_vm_build(struct hv_cvm *c)
{
	unsigned long image = (unsigned long)(guest_image_end - guest_image);
	if (image > GUEST_FDT_GPA - GUEST_RAM_GPA)
		return false;
	memset(vm_mem, 0, sizeof(vm_mem));
	memcpy(vm_mem, guest_image, image);
	if (!fdt_write_guest(vm_mem + (GUEST_FDT_GPA - GUEST_RAM_GPA), 4096, GUEST_VCPUS,
			     GUEST_RAM_GPA, GUEST_RAM_SIZE, DEV_GPA, DEV_SIZE))
		return false;

	/* GPA bits 40:30 index the root, 29:21 the middle table, 20:12 the last */
	_Static_assert((GUEST_RAM_GPA & 0x1fffffUL) == 0 && GUEST_RAM_SIZE <= 0x200000UL,
		       "guest RAM must fit one last-level table");
	memset(gstage_root, 0, sizeof(gstage_root));
	memset(gstage_l1, 0, sizeof(gstage_l1));
	memset(gstage_l0, 0, sizeof(gstage_l0));
	gstage_root[(GUEST_RAM_GPA >> 30) & 2047] = pte_table(gstage_l1);
	gstage_l1[(GUEST_RAM_GPA >> 21) & 511] = pte_table(gstage_l0);
	for (unsigned long off = 0; off < GUEST_RAM_SIZE; off += 4096) {
		unsigned long pa = (unsigned long)vm_mem + off;
		gstage_l0[off >> 12] = ((pa >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X |
				       PTE_U | PTE_A | PTE_D;
	}
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	c->nr_vcpus = GUEST_VCPUS;
	c->backing = vm_mem;
	c->backing_size = sizeof(vm_mem);
	c->gstage_root = gstage_root;
	return true;
}

/* The VM is described by this hart's hgatp and VS CSRs (docs/abi.md, promote). */
long hv_promote(struct hv_cvm *c)
{
	unsigned long hgatp = HGATP_SV39X4 | (HV_VMID << HGATP_VMID_SHIFT) |
			      ((unsigned long)gstage_root >> 12);
	CSR_WRITE(hgatp, hgatp);
	CSR_WRITE(vsatp, 0UL);
	CSR_WRITE(vsstatus, 0UL);
	CSR_WRITE(vstvec, 0UL);
	CSR_WRITE(vsscratch, 0UL);
	CSR_WRITE(vsie, 0UL);
	struct sbiret r = hv_ecall(SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, GUEST_FDT_GPA, 0,
				   GUEST_RAM_GPA, 0, 0);
	CSR_WRITE(hgatp, 0UL);
	if (r.error == 0) {
		c->id = r.value;
	}
	return r.error;
}

long hv_destroy(struct hv_cvm *c)
{
	return hv_ecall(SBI_EXT_COVH, COVH_DESTROY_TVM, c->id, 0, 0, 0, 0).error;
}

static unsigned payload_words(long error, unsigned long reason)
{
	if (error != 0)
		return 0;
	switch (reason) {
	case TVM_EXIT_HYPERCALL: return 8;
	case TVM_EXIT_MMIO_STORE: return 3;
	case TVM_EXIT_MMIO_LOAD:
	case TVM_EXIT_SHARE:
	case TVM_EXIT_UNSHARE: return 2;
	case TVM_EXIT_INTERRUPT:
	case TVM_EXIT_FAULT: return 1;
	default: return 0;
	}
}

static unsigned this_hart(void)
{
	unsigned long tp;
	__asm__ __volatile__("mv %0, tp" : "=r"(tp));
	return (unsigned)tp;
}

/* Markers the hypervisor keeps in its registers across a run: they must come back. */
static uint64_t hv_marker(unsigned hart, unsigned reg, bool fp)
{
	return 0x4856000000000000UL | ((uint64_t)fp << 40) | ((uint64_t)hart << 16) | reg;
}

/*
 * Outside the payload the exit must hand back exactly the registers the run was
 * called with (docs/abi.md section 3), and none of them may hold a guest secret.
 * Returns the number of registers that changed; *leaks gets the secrets found.
 */
static unsigned regs_changed(const struct hv_regs *r, unsigned npayload, unsigned *leaks)
{
	static const unsigned slots[8] = { 12, 13, 14, 15, 16, 17, 5, 6 };
	uint32_t allowed = (1U << 10) | (1U << 11);
	for (unsigned i = 0; i < npayload; i++)
		allowed |= 1U << slots[i];
	unsigned changed = 0;
	for (unsigned i = 1; i < 32; i++)
		changed += !(allowed & (1U << i)) && r->out[i] != r->in[i];
	for (unsigned i = 0; i < 32; i++)
		changed += r->fout[i] != r->fin[i];
	*leaks = secrets_scan_regs(r);
	return changed;
}

static void check_regs(const struct hv_regs *r, unsigned npayload)
{
	unsigned leaks;
	if (regs_changed(r, npayload, &leaks))
		hv_fail("a register outside the exit payload changed across run_tvm_vcpu");
	if (leaks)
		hv_fail("LEAK: a guest secret in the registers run_tvm_vcpu handed back");
}

/* The register check must be able to fail: plant a change and a secret. */
bool hv_regs_self_test(void)
{
	static struct hv_regs r;
	unsigned leaks, changed;
	for (unsigned i = 0; i < 32; i++)
		r.out[i] = r.in[i] = r.fout[i] = r.fin[i] = 0x1000 + i;
	bool ok = regs_changed(&r, 8, &leaks) == 0 && leaks == 0;
	r.out[9] ^= 1; /* s1 is never payload */
	changed = regs_changed(&r, 8, &leaks);
	ok = ok && changed == 1 && leaks == 0;
	r.out[9] ^= 1;
	r.out[12] = secret_value(SECRET_GPR_BASE(0)); /* a2: payload, but a secret */
	r.fout[3] = secret_value(SECRET_FPR_BASE(1));
	changed = regs_changed(&r, 8, &leaks);
	return ok && changed == 1 && leaks == 2;
}

struct hv_exit hv_run(struct hv_cvm *c, unsigned vcpu)
{
	unsigned hart = this_hart();
	struct hv_regs *r = &run_regs[hart];
	struct hv_vcpu *v = &c->vcpu[vcpu];
	for (unsigned i = 1; i < 32; i++)
		r->in[i] = hv_marker(hart, i, false);
	for (unsigned i = 0; i < 32; i++)
		r->fin[i] = hv_marker(hart, i, true);
	r->in[REG_A0] = c->id;
	r->in[REG_A0 + 1] = vcpu;
	r->in[REG_A0 + 2] = v->answer.resp0;
	r->in[REG_A0 + 3] = v->answer.resp1;
	r->in[REG_A0 + 4] = v->answer.inject;
	r->in[REG_A0 + 6] = COVH_RUN_TVM_VCPU;
	r->in[REG_A0 + 7] = SBI_EXT_COVH;
	v->answer = (struct hv_answer){ 0 };
	v->runs++;
	v->harts_seen |= 1UL << hart;
	hv_ecall_regs(r);

	struct hv_exit e = { .error = (long)r->out[REG_A0], .reason = r->out[REG_A0 + 1] };
	e.npayload = payload_words(e.error, e.reason);
	static const unsigned slots[8] = { 12, 13, 14, 15, 16, 17, REG_T0, REG_T0 + 1 };
	for (unsigned i = 0; i < e.npayload; i++)
		e.payload[i] = r->out[slots[i]];
	check_regs(r, e.npayload);
	if (c->share.len && secrets_scan((const void *)c->share.hpa, c->share.len))
		hv_fail("LEAK: a guest secret in the shared page");
	return e;
}
