# hello: write(1, "hello, world\n", 13), then exit(0). amd64: the call number in %eax, the
# arguments in %rdi, %rsi, %rdx, then syscall.
	.text
	.globl	_start
_start:
	movl	$4, %eax
	movl	$1, %edi
	movq	$msg, %rsi
	movl	$13, %edx
	syscall
	movl	$1, %eax
	xorl	%edi, %edi
	syscall
	.data
msg:
	.ascii	"hello, world\n"
