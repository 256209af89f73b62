# Counts to 10, then exits; the system-call number goes in t0.
	.text
	.globl	_start
_start:
	li	a0, 0
	li	t1, 10
loop:
	addi	a0, a0, 1
	bne	a0, t1, loop
	li	t0, 1
	ecall
	ebreak
