# count: writes the digits 1 to 5, one a line, then exits with status 5.
	.text
	.globl	_start
_start:
	movl	$1, %ebx
again:
	movl	%ebx, %eax
	addl	$48, %eax
	movb	%al, digit
	pushl	$2
	pushl	$digit
	pushl	$1
	pushl	$0
	movl	$4, %eax
	int	$0x80
	addl	$16, %esp
	incl	%ebx
	cmpl	$6, %ebx
	jne	again
	pushl	$5
	pushl	$0
	movl	$1, %eax
	int	$0x80
	.data
digit:
	.ascii	"0\n"
