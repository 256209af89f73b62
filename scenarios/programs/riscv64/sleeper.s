# sleeper: nanosleep for one second, then writes "awake" and exits 0.
	.text
	.globl	_start
_start:
	la	a0, delay
	li	a1, 0
	li	t0, 240
	ecall
	li	a0, 1
	la	a1, msg
	li	a2, 6
	li	t0, 4
	ecall
	li	a0, 0
	li	t0, 1
	ecall
	.data
delay:
	.quad	1, 0
msg:
	.ascii	"awake\n"
