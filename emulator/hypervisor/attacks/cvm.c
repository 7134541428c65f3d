/*
 * CVMs that run the agent: their memory and G-stage tables in hypervisor pages (only
 * promote reads them: it copies), promote with extra leaves of the attacker's choice,
 * and a driver that answers every exit until the agent asks for its next command.
 */
#include <string.h>

#include "atk.h"
#include "cove.h"
#include "fdt_write.h"
#include "hv_arch.h"
#include "sbi.h"

#define PTE_LEAF (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define ATK_VMID 2UL
#define SUPERPAGE 0x200000UL
#define SIP_SSIP (1UL << 1)
#define MAX_RUNS 200000UL

static uint8_t agent_mem[AGENT_RAM_SIZE] __attribute__((aligned(4096)));
static uint64_t root[2048] __attribute__((aligned(16384)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t l0_extra[512] __attribute__((aligned(4096)));

_Static_assert((AGENT_GPA & (SUPERPAGE - 1)) == 0 && AGENT_RAM_SIZE <= SUPERPAGE,
	       "the agent's RAM must fit one last-level table");

static uint64_t pte_table(const void *t)
{
	return (((uint64_t)(uintptr_t)t >> 12) << 10) | PTE_V;
}

static uint64_t pte_leaf(unsigned long pa, uint64_t perms)
{
	return ((uint64_t)(pa >> 12) << 10) | perms;
}

/* Extra leaves share the agent's 1 GiB slot; 4 KiB ones share one other 2 MiB slot. */
static bool add_leaf(const struct atk_leaf *x)
{
	unsigned long i1 = (x->gpa >> 21) & 511;
	if ((x->gpa >> 30) != (AGENT_GPA >> 30) || i1 == ((AGENT_GPA >> 21) & 511))
		return false;
	if (x->size == SUPERPAGE) {
		if ((x->gpa | x->hpa) & (SUPERPAGE - 1))
			return false;
		l1[i1] = pte_leaf(x->hpa, PTE_LEAF);
		return true;
	}
	if (x->size != 0x1000 || ((x->gpa | x->hpa) & 0xfff))
		return false;
	uint64_t t = pte_table(l0_extra);
	if (l1[i1] && l1[i1] != t)
		return false;
	l1[i1] = t;
	l0_extra[(x->gpa >> 12) & 511] = pte_leaf(x->hpa, PTE_LEAF);
	return true;
}

static bool build(unsigned vcpus, const struct atk_leaf *extra, unsigned nextra)
{
	unsigned long image = (unsigned long)(agent_image_end - agent_image);
	if (image > AGENT_IMAGE_SIZE)
		return false;
	memset(agent_mem, 0, sizeof(agent_mem));
	memcpy(agent_mem, agent_image, image);
	if (!fdt_write_guest(agent_mem + AGENT_IMAGE_SIZE, 4096, vcpus, AGENT_GPA, AGENT_RAM_SIZE,
			     DEV_GPA, DEV_SIZE))
		return false;
	memset(root, 0, sizeof(root));
	memset(l1, 0, sizeof(l1));
	memset(l0, 0, sizeof(l0));
	memset(l0_extra, 0, sizeof(l0_extra));
	root[(AGENT_GPA >> 30) & 2047] = pte_table(l1);
	l1[(AGENT_GPA >> 21) & 511] = pte_table(l0);
	for (unsigned long off = 0; off < AGENT_RAM_SIZE; off += 4096)
		l0[off >> 12] = pte_leaf((unsigned long)agent_mem + off, PTE_LEAF | PTE_X);
	for (unsigned i = 0; i < nextra; i++)
		if (!add_leaf(&extra[i]))
			return false;
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	return true;
}

long atk_promote(struct atk_cvm *c, unsigned vcpus, const struct atk_leaf *extra, unsigned nextra)
{
	memset(c, 0, sizeof(*c));
	if (!build(vcpus, extra, nextra))
		return SBI_ERR_FAILED;
	unsigned long hgatp = HGATP_SV39X4 | (ATK_VMID << 44) | ((unsigned long)root >> 12);
	__asm__ __volatile__("csrw hgatp, %0" ::"r"(hgatp));
	__asm__ __volatile__("csrw vsatp, zero; csrw vsstatus, zero; csrw vstvec, zero;"
			     "csrw vsscratch, zero; csrw vsie, zero");
	struct sbiret r = hv_ecall(SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, AGENT_FDT_GPA, 0, AGENT_GPA, 0, 0);
	__asm__ __volatile__("csrw hgatp, zero");
	if (r.error == 0) {
		c->id = r.value;
		c->nr_vcpus = vcpus;
	}
	return r.error;
}

long atk_destroy(struct atk_cvm *c)
{
	long err = hv_ecall(SBI_EXT_COVH, COVH_DESTROY_TVM, c->id, 0, 0, 0, 0).error;
	if (err == 0)
		c->id = 0;
	return err;
}

/* What the hypervisor keeps in its registers across a run: "attacker" values (the same
 * on every hart, so reports do not depend on which hart QEMU boots). */
uint64_t atk_marker(unsigned reg, bool fp)
{
	return 0xa77ac4ed00000000UL | ((uint64_t)fp << 24) | reg;
}

struct atk_exit atk_run(struct atk_cvm *c, unsigned vcpu, unsigned long resp0, unsigned long resp1)
{
	struct atk_ctx *x = atk_here();
	for (unsigned i = 1; i < 32; i++)
		x->in[i] = atk_marker(i, false);
	for (unsigned i = 0; i < 32; i++)
		x->fin[i] = atk_marker(i, true);
	x->fcsr_in = 1;
	x->in[REG_A0] = c->id;
	x->in[REG_A0 + 1] = vcpu;
	x->in[REG_A0 + 2] = resp0;
	x->in[REG_A0 + 3] = resp1;
	x->in[REG_A0 + 4] = c->inject;
	x->in[REG_A0 + 6] = COVH_RUN_TVM_VCPU;
	x->in[REG_A0 + 7] = SBI_EXT_COVH;
	x->escaped = 0;
	if (c->before_run)
		c->before_run(c, x);
	atk_ecall_regs(x);
	struct atk_exit e = { .error = (long)x->out[REG_A0], .reason = x->out[REG_A0 + 1],
			      .escaped = x->escaped != 0 };
	static const unsigned slots[8] = { 12, 13, 14, 15, 16, 17, REG_T0, REG_T0 + 1 };
	for (unsigned i = 0; i < 8; i++)
		e.p[i] = x->out[slots[i]];
	return e;
}

enum atk_stop atk_drive(struct atk_cvm *c, unsigned vcpu, unsigned long resp0,
			unsigned long resp1, struct atk_exit *e)
{
	for (unsigned long n = 0; n < MAX_RUNS; n++) {
		*e = atk_run(c, vcpu, resp0, resp1);
		resp0 = resp1 = 0;
		if (e->escaped)
			return STOP_ESCAPED;
		if (e->error)
			return STOP_REFUSED;
		switch (e->reason) {
		case TVM_EXIT_HYPERCALL:
			if (e->p[7] == AGENT_EID) {
				if (e->p[6] == AGENT_FID_NEXT)
					return STOP_NEXT;
				if (e->p[6] != AGENT_FID_ARG)
					return STOP_PROBE;
				resp1 = c->next_arg < c->nargs ? c->args[c->next_arg++] : 0;
			} else if (e->p[7] != SBI_EXT_HSM) { /* a forwarded hart_start: let it be */
				resp0 = (unsigned long)SBI_ERR_NOT_SUPPORTED;
			}
			break;
		case TVM_EXIT_MMIO_LOAD:
			c->mmio_exits++;
			resp0 = c->mmio_answer;
			break;
		case TVM_EXIT_MMIO_STORE:
			c->mmio_exits++;
			break;
		case TVM_EXIT_SHARE:
			resp0 = c->share_answer;
			break;
		case TVM_EXIT_UNSHARE:
			break;
		case TVM_EXIT_INTERRUPT:
			c->interrupt_exits++;
			__asm__ __volatile__("csrc sip, %0" ::"r"(SIP_SSIP));
			if (c->stop_on_interrupt)
				return STOP_INTERRUPTED;
			break;
		case TVM_EXIT_FAULT:
			return STOP_FAULT;
		case TVM_EXIT_HALT:
			return STOP_HALT;
		default:
			return STOP_OTHER;
		}
	}
	return STOP_OTHER;
}

enum atk_stop atk_command(struct atk_cvm *c, unsigned vcpu, unsigned long op, unsigned long arg,
			  const unsigned long *args, unsigned nargs, struct atk_exit *e)
{
	c->nargs = nargs < 4 ? nargs : 4;
	c->next_arg = 0;
	for (unsigned i = 0; i < c->nargs; i++)
		c->args[i] = args[i];
	return atk_drive(c, vcpu, op, arg, e);
}

bool atk_start(struct atk_cvm *c, unsigned vcpus, const struct atk_leaf *extra, unsigned nextra)
{
	if (atk_promote(c, vcpus, extra, nextra) != 0)
		return false;
	struct atk_exit e;
	return atk_drive(c, 0, 0, 0, &e) == STOP_NEXT && e.p[0] == AGENT_STATUS_OK;
}

struct atk_cvm *atk_victim(void)
{
	static struct atk_cvm victim;
	if (!victim.id && !atk_start(&victim, 1, NULL, 0))
		return NULL;
	return &victim;
}
