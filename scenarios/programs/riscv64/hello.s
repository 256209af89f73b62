# hello: write(1, "hello, world\n", 13), then exit(0). riscv64: the call number in t0, the
# arguments in a0 to a5, then ecall.
	.text
	.globl	_start
_start:
	li	a0, 1
	la	a1, msg
	li	a2, 13
	li	t0, 4
	ecall
	li	a0, 0
	li	t0, 1
	ecall
	.data
msg:
	.ascii	"hello, world\n"
