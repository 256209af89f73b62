# Counts to 10, then exits with the count as status (FreeBSD amd64 system-call ABI).
	.text
	.globl	_start
_start:
	xorl	%edi, %edi
loop:
	addl	$1, %edi
	cmpl	$10, %edi
	jne	loop
	movl	$1, %eax
	syscall
	int3
