# count: writes the digits 1 to 5, one a line, then exits with status 5.
	.text
	.globl	_start
_start:
	li	s1, 1
	la	s2, digit
	li	s3, 6
again:
	addi	t1, s1, 48
	sb	t1, 0(s2)
	li	a0, 1
	mv	a1, s2
	li	a2, 2
	li	t0, 4
	ecall
	addi	s1, s1, 1
	bne	s1, s3, again
	li	a0, 5
	li	t0, 1
	ecall
	.data
digit:
	.ascii	"0\n"
