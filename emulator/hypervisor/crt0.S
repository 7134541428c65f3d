/*
 * Entry points of the demo hypervisor (HS-mode, translation off): _start for the hart
 * the firmware boots (a0 = hart id, a1 = device tree), hv_secondary_entry for harts
 * started through HSM (a0 = hart id, a1 = opaque). One stack per hart. Traps (only
 * the access faults isolation.c provokes are expected) go to hv_trap in C.
 */
#define STACK_SHIFT 14
#define MAX_HARTS 8

	.section .text.start, "ax"
	.globl _start
_start:
	mv	tp, a0			/* C reads its hart id from tp */
	csrw	sie, zero
	la	t0, hv_trap_entry
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
	call	hv_main
hang:
	wfi
	j	hang

	.globl hv_secondary_entry
hv_secondary_entry:
	mv	tp, a0
	csrw	sie, zero
	la	t0, hv_trap_entry
	csrw	stvec, t0
	li	t0, MAX_HARTS
	bgeu	a0, t0, hang
	call	set_stack
	call	hv_secondary_main
	j	hang

set_stack:
	la	sp, hv_stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	ret

	.balign 4
hv_trap_entry:
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
	call	hv_trap
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

/* 4-byte accesses, so hv_trap can step over a faulting one by adding 4 */
	.option push
	.option norvc
	.globl hv_probe_load
hv_probe_load:
	ld	a0, 0(a0)
	ret
	.globl hv_probe_store
hv_probe_store:
	sd	a1, 0(a0)
	ret
	.option pop

/* The guest image the hypervisor loads into the VM's memory before promote. */
	.section .rodata.guest, "a"
	.balign 4096
	.globl guest_image, guest_image_end
guest_image:
	.incbin GUEST_BIN
guest_image_end:

	.section .bss.stacks, "aw", @nobits
	.balign 16
hv_stacks:
	.space	MAX_HARTS << STACK_SHIFT
