/*
 * The attack agent: a VS-mode program the hostile hypervisor runs as a victim CVM, or
 * as a CVM it controls. It does nothing on its own: it asks for a command, carries it
 * out, and reports (agent_abi.h). Secrets live in its memory from boot on; the
 * commands that expose registers fill them with secrets first. The entry points, the
 * trap vector and the register probes are the test guest's (crt0.S, probe.S).
 */
#include <stdbool.h>
#include <stdint.h>

#include "agent_abi.h"
#include "attest.h"
#include "cove.h"
#include "probe.h"
#include "sbi.h"
#include "sbi_ecall.h"

#define REG_A0 10
#define REG_A1 11
#define SIE_ALL ((1UL << 1) | (1UL << 5) | (1UL << 9))
#define SSTATUS_SIE (1UL << 1)
#define SCAUSE_INTR (1UL << 63)
#define AGENT_OPAQUE 0xa6e47UL

void guest_main(unsigned long vcpu, unsigned long fdt);
void guest_secondary(unsigned long vcpu, unsigned long opaque);
void guest_trap(struct vcpu_area *area, unsigned long scause, unsigned long sepc);
extern char secondary_entry[];

struct vcpu_area vcpu_areas[GUEST_VCPUS];
static volatile uint64_t secret_mem[SECRET_MEM_WORDS];
static unsigned long own_stvec[GUEST_VCPUS];
static volatile unsigned long irq_count[GUEST_VCPUS], irq_causes[GUEST_VCPUS];

/* A secret computed at run time: the barrier keeps the compiler from folding a constant
 * slot into a constant that would sit in the image (and in the hypervisor's copy). */
static uint64_t secret(unsigned slot)
{
	__asm__ __volatile__("" : "+r"(slot));
	return secret_value(slot);
}

static uint64_t csr_plant(unsigned vcpu, unsigned k)
{
	__asm__ __volatile__("" : "+r"(k));
	return agent_csr_plant(vcpu, k);
}

struct res {
	unsigned long status, r[5];
};

struct cmd {
	unsigned long op, arg;
};

/* One request to the hypervisor; the compiler keeps everything else. */
static struct cmd hcall(unsigned long fid, const struct res *r)
{
	struct sbiret x = sbi_ecall(AGENT_EID, fid, r->status, r->r[0], r->r[1], r->r[2], r->r[3], r->r[4]);
	return (struct cmd){ (unsigned long)x.error, x.value };
}

static unsigned long next_arg(void)
{
	static const struct res none;
	return hcall(AGENT_FID_ARG, &none).arg;
}

static long sbi(unsigned long eid, unsigned long fid, unsigned long x0, unsigned long x1,
		unsigned long x2, unsigned long x3, unsigned long x4, unsigned long x5)
{
	return sbi_ecall(eid, fid, x0, x1, x2, x3, x4, x5).error;
}

/* Every GPR but the request's own a0..a7, every FP register and fcsr hold secrets
 * across one hypercall; afterwards, what changed besides the answer in a0/a1. */
static void plant_gprs(unsigned vcpu, struct res *out)
{
	static struct probe probes[GUEST_VCPUS];
	struct probe *p = &probes[vcpu];
	for (unsigned i = 1; i < 32; i++)
		p->in[i] = secret(SECRET_GPR_BASE(vcpu) + i);
	for (unsigned i = 10; i < 16; i++)
		p->in[i] = 0;
	p->in[16] = AGENT_FID_PLANTED;
	p->in[17] = AGENT_EID;
	for (unsigned i = 0; i < 32; i++)
		p->fin[i] = secret(SECRET_FPR_BASE(vcpu) + i);
	p->fcsr_in = AGENT_FCSR;
	probe_ecall(p);
	unsigned long changed = 0, first = ~0UL, value = 0;
	for (unsigned i = 1; i < 32; i++) {
		if (i == REG_A0 || i == REG_A1 || p->out[i] == p->in[i])
			continue;
		if (!changed++)
			first = i, value = p->out[i];
	}
	for (unsigned i = 0; i < 32; i++)
		if (p->fout[i] != p->fin[i] && !changed++)
			first = 32 + i, value = p->fout[i];
	if (p->fcsr_out != p->fcsr_in && !changed++)
		first = 64, value = p->fcsr_out;
	*out = (struct res){ AGENT_STATUS_OK, { changed, first, value, 0, 0 } };
}

#define CSR_SWAP(csr, v) __asm__ __volatile__("csrw " #csr ", %0" ::"r"(v))
#define CSR_GET(csr, v) __asm__ __volatile__("csrr %0, " #csr : "=r"(v))

/* sscratch, sepc, scause, stval and stvec hold planted values across one hypercall
 * (interrupts are off, so a foreign stvec cannot be taken meanwhile). */
static void plant_csrs(unsigned vcpu, struct res *out)
{
	unsigned long want[AGENT_CSRS], seen[AGENT_CSRS];
	for (unsigned k = 0; k < AGENT_CSRS; k++)
		want[k] = csr_plant(vcpu, k);
	CSR_SWAP(sscratch, want[0]);
	CSR_SWAP(sepc, want[1]);
	CSR_SWAP(scause, want[2]);
	CSR_SWAP(stval, want[3]);
	CSR_SWAP(stvec, want[4]);
	sbi(AGENT_EID, AGENT_FID_PING, 0, 0, 0, 0, 0, 0);
	CSR_GET(sscratch, seen[0]);
	CSR_GET(sepc, seen[1]);
	CSR_GET(scause, seen[2]);
	CSR_GET(stval, seen[3]);
	CSR_GET(stvec, seen[4]);
	CSR_SWAP(sscratch, (unsigned long)&vcpu_areas[vcpu]);
	CSR_SWAP(stvec, own_stvec[vcpu]);
	unsigned long mask = 0;
	for (unsigned k = 0; k < AGENT_CSRS; k++)
		mask |= (unsigned long)(seen[k] != want[k]) << k;
	*out = (struct res){ AGENT_STATUS_OK, { mask, seen[1], seen[0], seen[4], seen[2] } };
}

static void scan(unsigned long gpa, unsigned long len, struct res *out)
{
	const volatile uint64_t *w = (const volatile uint64_t *)gpa;
	uint64_t want = secret(0);
	*out = (struct res){ AGENT_STATUS_OK, { 0, 0, 0, 0, 0 } };
	for (unsigned long i = 0; i < len / 8; i++) {
		uint64_t v = w[i];
		if (v == want) {
			*out = (struct res){ AGENT_STATUS_OK, { 1, gpa + 8 * i, v, 0, 0 } };
			return;
		}
	}
}

static void spin(unsigned long n)
{
	for (volatile unsigned long i = 0; i < n; i++)
		;
}

static void spin_irq(unsigned vcpu, unsigned long n, struct res *out)
{
	irq_count[vcpu] = irq_causes[vcpu] = 0;
	__asm__ __volatile__("csrs sie, %0" ::"r"(SIE_ALL));
	__asm__ __volatile__("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
	spin(n);
	__asm__ __volatile__("csrc sstatus, %0" ::"r"(SSTATUS_SIE));
	__asm__ __volatile__("csrc sie, %0" ::"r"(SIE_ALL));
	*out = (struct res){ AGENT_STATUS_OK, { irq_count[vcpu], irq_causes[vcpu], 0, 0, 0 } };
}

static void check_mem(struct res *out)
{
	unsigned long bad = 0, first = 0, value = 0;
	for (unsigned i = 0; i < SECRET_MEM_WORDS; i++)
		if (secret_mem[i] != secret(i) && !bad++)
			first = i, value = secret_mem[i];
	*out = (struct res){ AGENT_STATUS_OK, { bad, first, value, 0, 0 } };
}

static _Noreturn void serve(unsigned vcpu, struct res r)
{
	for (;;) {
		struct cmd c = hcall(AGENT_FID_NEXT, &r);
		r = (struct res){ AGENT_STATUS_OK, { 0, 0, 0, 0, 0 } };
		switch (c.op) {
		case AGENT_CMD_PLANT_GPRS:
			plant_gprs(vcpu, &r);
			break;
		case AGENT_CMD_PLANT_CSRS:
			plant_csrs(vcpu, &r);
			break;
		case AGENT_CMD_READ:
			r.r[0] = *(const volatile uint64_t *)c.arg;
			break;
		case AGENT_CMD_SCAN:
			scan(c.arg, next_arg(), &r);
			break;
		case AGENT_CMD_STORE_LOOP: {
			unsigned long n = next_arg();
			for (unsigned long i = 0; i < n; i++)
				*(volatile uint64_t *)c.arg = AGENT_STORE_TAG + i;
			r.r[0] = n;
			break;
		}
		case AGENT_CMD_SPIN:
			spin(c.arg);
			break;
		case AGENT_CMD_READ_VECTOR: {
			unsigned long v;
			__asm__ __volatile__(".option push\n.option arch, +v\n"
					     "csrs sstatus, %1\n" /* vsstatus.VS = Initial */
					     "vsetivli zero, 1, e64, m1, ta, ma\n"
					     "vmv.x.s %0, v1\n"
					     ".option pop"
					     : "=r"(v)
					     : "r"(1UL << 9));
			r.r[0] = v;
			break;
		}
		case AGENT_CMD_SPIN_IRQ:
			spin_irq(vcpu, c.arg, &r);
			break;
		case AGENT_CMD_COVG: {
			unsigned long x0 = next_arg();
			unsigned long x1 = next_arg();
			r.r[0] = (unsigned long)sbi(SBI_EXT_COVG, c.arg, x0, x1, 0, 0, 0, 0);
			break;
		}
		case AGENT_CMD_EVIDENCE: {
			unsigned long out = next_arg();
			r.r[0] = (unsigned long)sbi(SBI_EXT_COVG, COVG_GET_EVIDENCE, 0, 0, c.arg,
						    ATTEST_FORMAT_CSEV1, out, AGENT_EVIDENCE_ROOM);
			break;
		}
		case AGENT_CMD_START_VCPU:
			r.r[0] = (unsigned long)sbi(SBI_EXT_HSM, SBI_HSM_HART_START, c.arg,
						    (unsigned long)secondary_entry, AGENT_OPAQUE, 0, 0, 0);
			break;
		case AGENT_CMD_JUMP:
			((void (*)(void))c.arg)();
			break;
		case AGENT_CMD_CHECK_MEM:
			check_mem(&r);
			break;
		case AGENT_CMD_STOP:
			sbi(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0, 0);
			break;
		default:
			break;
		}
	}
}

static void vcpu_boot(unsigned vcpu)
{
	CSR_GET(stvec, own_stvec[vcpu]);
	serve(vcpu, (struct res){ AGENT_STATUS_OK, { vcpu, 0, 0, 0, 0 } });
}

void guest_main(unsigned long vcpu, unsigned long fdt)
{
	(void)fdt;
	for (unsigned i = 0; i < SECRET_MEM_WORDS; i++)
		secret_mem[i] = secret(i);
	vcpu_boot(vcpu ? 1 : 0);
}

void guest_secondary(unsigned long vcpu, unsigned long opaque)
{
	(void)opaque;
	vcpu_boot(vcpu ? 1 : 0);
}

/* Interrupts: counted, and each source masked so a level that stays pending for the
 * whole run is taken once. Anything else is reported, and the agent serves on. */
void guest_trap(struct vcpu_area *area, unsigned long scause, unsigned long sepc)
{
	unsigned vcpu = area == &vcpu_areas[1] ? 1 : 0;
	if (scause & SCAUSE_INTR) {
		unsigned long code = scause & 63;
		irq_count[vcpu]++;
		irq_causes[vcpu] |= 1UL << code;
		__asm__ __volatile__("csrc sie, %0" ::"r"(1UL << code));
		return;
	}
	serve(vcpu, (struct res){ AGENT_STATUS_TRAP, { scause, sepc, 0, 0, 0 } });
}
