# forker: fork; the child writes "child" and exits 7; the parent waits for it with wait4,
# then writes "parent" and exits 0. fork returns 0 in the child.
	.text
	.globl	_start
_start:
	movl	$2, %eax
	syscall
	testq	%rax, %rax
	jz	child
	movq	%rax, %rdi
	movl	$7, %eax
	movq	$status, %rsi
	xorl	%edx, %edx
	xorl	%r10d, %r10d
	syscall
	movl	$4, %eax
	movl	$1, %edi
	movq	$parent_msg, %rsi
	movl	$7, %edx
	syscall
	movl	$1, %eax
	xorl	%edi, %edi
	syscall
child:
	movl	$4, %eax
	movl	$1, %edi
	movq	$child_msg, %rsi
	movl	$6, %edx
	syscall
	movl	$1, %eax
	movl	$7, %edi
	syscall
	.data
status:
	.quad	0
parent_msg:
	.ascii	"parent\n"
child_msg:
	.ascii	"child\n"
