/*
 * The architectural encodings the hypervisor payload uses, written out here rather than
 * taken from the monitor's headers: the payload is the monitor's adversary, and a wrong
 * constant shared by both would fool both.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

/* G-stage PTE bits */
#define PTE_V 0x01UL
#define PTE_R 0x02UL
#define PTE_W 0x04UL
#define PTE_X 0x08UL
#define PTE_U 0x10UL
#define PTE_A 0x40UL
#define PTE_D 0x80UL

#define HGATP_SV39X4 (8UL << 60)
#define HGATP_VMID_SHIFT 44

/* GPR indices into register files */
#define REG_T0 5
#define REG_A0 10

#define CSR_WRITE(csr, v) __asm__ __volatile__("csrw " #csr ", %0" ::"r"(v))

#endif
