# sleeper: nanosleep for one second, then writes "awake" and exits 0.
	.text
	.globl	_start
_start:
	movl	$240, %eax
	movq	$delay, %rdi
	xorl	%esi, %esi
	syscall
	movl	$4, %eax
	movl	$1, %edi
	movq	$msg, %rsi
	movl	$6, %edx
	syscall
	movl	$1, %eax
	xorl	%edi, %edi
	syscall
	.data
delay:
	.quad	1, 0
msg:
	.ascii	"awake\n"
