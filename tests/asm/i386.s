# Counts to 10, then exits; i386 passes system-call arguments on the stack.
	.text
	.globl	_start
_start:
	xorl	%ecx, %ecx
loop:
	incl	%ecx
	cmpl	$10, %ecx
	jne	loop
	pushl	%ecx
	pushl	$0
	movl	$1, %eax
	int	$0x80
	int3
