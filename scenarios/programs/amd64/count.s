# count: writes the digits 1 to 5, one a line, then exits with status 5.
	.text
	.globl	_start
_start:
	movl	$1, %ebx
again:
	movl	%ebx, %eax
	addl	$48, %eax
	movb	%al, digit
	movl	$4, %eax
	movl	$1, %edi
	movq	$digit, %rsi
	movl	$2, %edx
	syscall
	incl	%ebx
	cmpl	$6, %ebx
	jne	again
	movl	$1, %eax
	movl	$5, %edi
	syscall
	.data
digit:
	.ascii	"0\n"
