/*
 * Entry points of the S-mode conformance payload: _start for the hart the firmware
 * boots (a0 = hart id, a1 = device tree), secondary_entry for harts started through
 * HSM (a0 = hart id, a1 = opaque). Each hart gets its own stack slot.
 */
#define STACK_SHIFT 13
#define MAX_HARTS 8

	.section .text.start, "ax"
	.globl _start
_start:
	csrw	sie, zero
	la	t0, s_trap_entry
	csrw	stvec, t0
	li	t0, MAX_HARTS
	bgeu	a0, t0, hang
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	set_stack
	call	payload_main
hang:
	wfi
	j	hang

	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	la	t0, s_trap_entry
	csrw	stvec, t0
	li	t0, MAX_HARTS
	bgeu	a0, t0, hang
	call	set_stack
	call	payload_secondary
	j	hang

/* where a non-retentive suspend resumes: a0 = hart id, a1 = opaque, and little else */
	.globl resume_entry
resume_entry:
	csrr	t1, satp		/* what the firmware handed over, before anything runs */
	csrr	t2, sstatus
	la	t0, s_trap_entry
	csrw	stvec, t0
	li	t0, MAX_HARTS
	bgeu	a0, t0, hang
	call	set_stack
	mv	a2, t1
	mv	a3, t2
	call	payload_resumed
	j	hang

/* sp = top of the stack slot of hart a0; leaves a0 and a1 alone */
set_stack:
	la	sp, stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	ret

/*
 * Traps: save what C may clobber, let s_trap() decide the resume address (it skips
 * an expected faulting access or ends the run), and return.
 */
	.balign 4
s_trap_entry:
	addi	sp, sp, -144
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	s_trap
	csrw	sepc, a0
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 144
	sret

/* 4-byte (uncompressed) accesses, so the trap handler can skip them by adding 4 */
	.option push
	.option norvc
	.globl probe_load
probe_load:
	ld	a0, 0(a0)
	ret
	.globl probe_store
probe_store:
	sd	zero, 0(a0)
	ret
	.option pop

	.section .bss.stacks, "aw", @nobits
	.balign 16
stacks:
	.space	MAX_HARTS << STACK_SHIFT
