/*
 * The contract between the demo hypervisor (emulator/hypervisor) and its test guest:
 * the guest-physical layout, the guest's own hypercalls, the registers of the small
 * virtio-style device, and how the guest derives its secrets. Both sides include it;
 * nothing here is known to the monitor, which sees only COVH/COVG traffic.
 */
#ifndef DEMO_GUEST_ABI_H
#define DEMO_GUEST_ABI_H

#include <stdint.h>

/* Guest RAM: one MiB at a GPA that no firmware or hypervisor code shares, so an
 * instruction counter can tell the modes apart by address (see docs/emulator.md). */
#define GUEST_RAM_GPA 0x40000000UL
#define GUEST_RAM_SIZE 0x100000UL
#define GUEST_FDT_GPA (GUEST_RAM_GPA + GUEST_RAM_SIZE - 0x1000UL)
#define GUEST_VCPUS 2

/* MMIO device and shared page: outside guest RAM, never mapped by the hypervisor. */
#define DEV_GPA 0x10001000UL
#define DEV_SIZE 0x1000UL
#define SHARED_GPA 0x48000000UL
#define SHARED_SIZE 0x1000UL

/* The guest's own calls to the hypervisor (SBI experimental EID range). */
#define GUEST_EID 0x0843564DUL
#define GUEST_FID_CONFIG 0     /* -> a1 = GUEST_CFG_* flags */
#define GUEST_FID_WANT_TICKS 1 /* a0 = timer interrupts wanted */
#define GUEST_FID_TICK_ACK 2   /* the guest took one; stop injecting it */
#define GUEST_FID_BENCH_NOP 3  /* answered at once, for the round-trip benchmark */
#define GUEST_FID_BENCH 4      /* a0 = 1 begin (hypervisor quiet), 0 end */
#define GUEST_FID_CHALLENGE 5  /* the relying party's challenge -> shared page offset 0 */
#define GUEST_FID_EVIDENCE 6   /* a0 = length of the evidence at shared page offset 0 */
#define GUEST_CFG_BENCH 1UL
#define GUEST_BENCH_ITERS 200

/* Attestation at the end of the demo (docs/emulator.md): the challenge travels in
 * through the shared page, the evidence out the same way; the runtime register the
 * guest extends, and with what (byte i is i ^ GUEST_EXTEND_XOR, 48 bytes). */
#define GUEST_CHALLENGE_SIZE 64
#define GUEST_EXTEND_INDEX 6
#define GUEST_EXTEND_XOR 0x5a

/* Answer the hypervisor gives every hypercall it serves, in a1 when no value is due. */
#define GUEST_NO_VALUE 0UL

/* Device registers (offsets in the DEV_GPA page), virtio-mmio flavoured. */
#define DEV_REG_MAGIC 0x000    /* u32 r: DEV_MAGIC */
#define DEV_REG_VERSION 0x004  /* u32 r: 2 */
#define DEV_REG_DEVICE_ID 0x008 /* u32 r */
#define DEV_REG_VENDOR 0x00c   /* u32 r */
#define DEV_REG_FEATURES 0x010 /* u64 r */
#define DEV_REG_NOTIFY 0x050   /* u32 w: process the request in the queue page */
#define DEV_REG_INT_STATUS 0x060 /* u32 r: bit 0 = response ready */
#define DEV_REG_INT_ACK 0x064  /* u32 w: clears INT_STATUS bits */
#define DEV_REG_STATUS 0x070   /* u8 rw: driver status byte */
#define DEV_REG_QUEUE_ADDR 0x080 /* u64 rw: GPA of the (shared) queue page */
#define DEV_REG_CONFIG 0x100   /* bytes r: DEV_CONFIG_STR */
#define DEV_MAGIC 0x74726976U  /* "virt" */
#define DEV_VERSION 2U
#define DEV_DEVICE_ID 0x2aU
#define DEV_VENDOR 0x4d564344U /* "DCVM" */
#define DEV_FEATURES 0x0000000100000005UL
#define DEV_CONFIG_STR "echo-rev"

/* Queue page: the request at offset 0, the device's answer at DEV_RESP_OFF. */
#define DEV_DATA_MAX 128
struct dev_req {
	uint32_t id;
	uint32_t len;
	uint8_t data[DEV_DATA_MAX];
};
struct dev_resp {
	uint32_t id;
	uint32_t len;
	uint32_t sum; /* byte sum of the request data */
	uint8_t data[DEV_DATA_MAX]; /* the request data reversed */
};
#define DEV_RESP_OFF 2048

/*
 * Secrets: values a test can recognise with no false positives, yet that never appear
 * in either binary: only the seed is a constant, the values are its mixes. Slots:
 * memory words, then per vCPU the GPR patterns and the FP patterns.
 */
#define SECRET_SEED 0x6a09e667f3bcc909UL
#define SECRET_MEM_WORDS 64
#define SECRET_GPR_BASE(v) (64 + 64 * (v))
#define SECRET_FPR_BASE(v) (96 + 64 * (v))
#define SECRET_COUNT (64 + 64 * GUEST_VCPUS)

static inline uint64_t secret_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

static inline uint64_t secret_value(unsigned slot)
{
	return secret_mix(secret_mix(SECRET_SEED) + slot);
}

/* Markers for the instruction-counting plugin: `slti x0, x0, imm` is a HINT (no
 * effect); imm 0x7e0+k opens benchmark phase k, 0x7f0+k closes it. */
#define BENCH_PHASE_SBI 0
#define BENCH_PHASE_HYPERCALL 1
#define BENCH_PHASE_MMIO 2
#define BENCH_MARK_STR2(x) #x
#define BENCH_MARK_STR(x) BENCH_MARK_STR2(x)
#define BENCH_BEGIN(k) __asm__ __volatile__("slti x0, x0, " BENCH_MARK_STR(0x7e0 + k) ::: "memory")
#define BENCH_END(k) __asm__ __volatile__("slti x0, x0, " BENCH_MARK_STR(0x7f0 + k) ::: "memory")

#endif
