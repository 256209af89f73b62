# forker: fork; the child writes "child" and exits 7; the parent waits for it with wait4,
# then writes "parent" and exits 0. fork returns 0 in the child.
	.text
	.globl	_start
_start:
	li	t0, 2
	ecall
	beqz	a0, child
	la	a1, status
	li	a2, 0
	li	a3, 0
	li	t0, 7
	ecall
	li	a0, 1
	la	a1, parent_msg
	li	a2, 7
	li	t0, 4
	ecall
	li	a0, 0
	li	t0, 1
	ecall
child:
	li	a0, 1
	la	a1, child_msg
	li	a2, 6
	li	t0, 4
	ecall
	li	a0, 7
	li	t0, 1
	ecall
	.data
status:
	.quad	0
parent_msg:
	.ascii	"parent\n"
child_msg:
	.ascii	"child\n"
