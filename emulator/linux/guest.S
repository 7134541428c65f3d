/*
 * The KVM guest the boot test's init runs: position-independent, loaded at the start of
 * its one memory slot. It stores a marker to an address outside that slot (an MMIO exit
 * for the VMM), then makes an SBI call in the experimental range, which KVM forwards to
 * the VMM, and spins if it is ever resumed.
 */
	.section .rodata
	.globl guest_code, guest_code_end
	.balign 4
guest_code:
	li	t0, 0x10000000
	li	t1, 0x4b564d21		/* "KVM!" */
	sw	t1, 0(t0)
	li	a7, 0x08000000		/* SBI experimental extension: forwarded to the VMM */
	li	a6, 0
	li	a0, 42
	ecall
1:	j	1b
guest_code_end:
	.section .note.GNU-stack,"",@progbits
