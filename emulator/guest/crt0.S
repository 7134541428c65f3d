/*
 * Guest entry points (VS-mode, guest paging off, so addresses are GPAs):
 * _start for vCPU 0 (a0 = 0, a1 = device tree, as promote sets them) and
 * secondary_entry for a vCPU started with HSM (a0 = vCPU, a1 = opaque).
 * Each vCPU gets a stack, a trap stack and its area in sscratch (probe.h).
 */
#include "probe.h"

#define STACK_SHIFT 14
#define NR_VCPUS 2

	.option arch, +d

	.section .text.start, "ax"
	.globl _start
_start:
	li	t0, NR_VCPUS
	bgeu	a0, t0, park
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	vcpu_setup
	call	guest_main
park:
	wfi
	j	park

	.globl secondary_entry
secondary_entry:
	li	t0, NR_VCPUS
	bgeu	a0, t0, park
	call	vcpu_setup
	call	guest_secondary
	j	park

/* a0 = vCPU: stack, trap stack, area in sscratch, trap vector, FP on; a0/a1 kept */
vcpu_setup:
	la	sp, stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	la	t1, trap_stacks
	add	t1, t1, t0
	li	t2, VA_SIZE
	mul	t2, t2, a0
	la	t3, vcpu_areas
	add	t3, t3, t2
	sd	t1, VA_TRAP_SP(t3)
	sd	zero, VA_CUR(t3)
	csrw	sscratch, t3
	la	t0, guest_trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	li	t0, (1 << 13)		/* sstatus.FS = initial */
	csrs	sstatus, t0
	ret

/*
 * Interrupts (and anything unexpected): the whole register file goes to this vCPU's
 * area, so the interrupted code, which may hold secrets in every register, resumes
 * exactly as it was. tp is swapped with sscratch to reach the area.
 */
	.balign 4
guest_trap_entry:
	csrrw	tp, sscratch, tp
	.irp n, 1,2,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, VA_FRAME+8*\n(tp)
	.endr
	csrr	t0, sscratch
	sd	t0, VA_FRAME+8*4(tp)
	csrw	sscratch, tp
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, VA_FFRAME+8*\n(tp)
	.endr
	frcsr	t0
	sd	t0, VA_FCSR(tp)
	ld	sp, VA_TRAP_SP(tp)
	mv	a0, tp
	csrr	a1, scause
	csrr	a2, sepc
	call	guest_trap
	csrr	tp, sscratch
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, VA_FFRAME+8*\n(tp)
	.endr
	ld	t0, VA_FCSR(tp)
	fscsr	t0
	.irp n, 1,2,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, VA_FRAME+8*\n(tp)
	.endr
	ld	tp, VA_FRAME+8*4(tp)
	sret

	.section .bss.stacks, "aw", @nobits
	.balign 16
stacks:
	.space	NR_VCPUS << STACK_SHIFT
trap_stacks:
	.space	NR_VCPUS << STACK_SHIFT
