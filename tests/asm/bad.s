	.text
_start:
	movl	$1, %eax
	movz	%eax, %ebx
