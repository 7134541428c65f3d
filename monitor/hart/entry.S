/*
 * Reset entry for every hart. QEMU virt starts all harts here at once with a0 = hart id
 * and a1 = device tree. The first hart to claim the boot flag brings the machine up;
 * the others wait until the monitor's state exists, then park until HSM starts them.
 */
#include "config.h"
#include "virt_asm.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	mie, zero
	/* mscratch = 0 means "running in the monitor": a trap now is a monitor fault */
	csrw	mscratch, zero
	li	t0, MAX_HARTS
	bgeu	a0, t0, park_forever

	/* this hart's stack: the top of slot a0 */
	la	sp, virt_stacks
	addi	t0, a0, 1
	slli	t0, t0, VIRT_STACK_SHIFT
	add	sp, sp, t0
	la	t0, trap_entry
	csrw	mtvec, t0

	mv	s0, a0
	mv	s1, a1
	la	t0, virt_boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, secondary_wait

	/* boot hart: clear .bss (the stacks live outside it), then the platform boot */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	mv	a0, s0
	mv	a1, s1
	call	virt_boot_main
	/* a0 = the boot hart's struct hart, its regs and M CSRs set up for S-mode entry */
	j	trap_exit

	/*
	 * Secondary harts sleep until the boot hart publishes virt_boot_done; it raises
	 * their M software interrupt after doing so. MSIE is enabled before the flag is
	 * read so an IPI sent in between still ends the wfi.
	 */
secondary_wait:
	li	t0, VIRT_MIP_MSIP
	csrw	mie, t0
1:	la	t0, virt_boot_done
	lw	t1, 0(t0)
	fence	r, rw
	bnez	t1, 2f
	wfi
	j	1b
2:	mv	a0, s0
	call	virt_secondary_init
	j	hart_park

park_forever:
	wfi
	j	park_forever

	.section .data.boot, "aw"
	.balign 4
	/* in .data, not .bss: secondaries read them while the boot hart clears .bss */
	.globl virt_boot_claimed
virt_boot_claimed:
	.word	0
	.globl virt_boot_done
virt_boot_done:
	.word	0

	.section .stacks, "aw", @nobits
	.balign 16
	.globl virt_stacks
virt_stacks:
	.space	MAX_HARTS << VIRT_STACK_SHIFT
	.globl virt_stacks_end
virt_stacks_end:
