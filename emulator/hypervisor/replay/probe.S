/*
 * Replay mode's guarded accesses: while one runs, stvec points at replay_trap, which
 * records the cause and steps over the faulting 4-byte instruction. Only leaf code
 * runs under it, so t0/t1 are free to clobber. No compressed instructions: the step
 * over a fault is always 4 bytes.
 */
	.option norvc
	.text
	.globl replay_probe_load
	.balign 4
replay_probe_load:
	ld	a0, 0(a0)
	ret

	.globl replay_probe_store
	.balign 4
replay_probe_store:
	sd	a1, 0(a0)
	ret

	.globl replay_trap
	.balign 4
replay_trap:
	csrr	t0, scause
	la	t1, replay_fault_cause
	sd	t0, 0(t1)
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	sret
