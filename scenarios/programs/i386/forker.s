# forker: fork; the child writes "child" and exits 7; the parent waits for it with wait4,
# then writes "parent" and exits 0. fork returns 0 in the child.
	.text
	.globl	_start
_start:
	pushl	$0
	movl	$2, %eax
	int	$0x80
	addl	$4, %esp
	testl	%eax, %eax
	jz	child
	pushl	$0
	pushl	$0
	pushl	$status
	pushl	%eax
	pushl	$0
	movl	$7, %eax
	int	$0x80
	addl	$20, %esp
	pushl	$7
	pushl	$parent_msg
	pushl	$1
	pushl	$0
	movl	$4, %eax
	int	$0x80
	addl	$16, %esp
	pushl	$0
	pushl	$0
	movl	$1, %eax
	int	$0x80
child:
	pushl	$6
	pushl	$child_msg
	pushl	$1
	pushl	$0
	movl	$4, %eax
	int	$0x80
	addl	$16, %esp
	pushl	$7
	pushl	$0
	movl	$1, %eax
	int	$0x80
	.data
status:
	.long	0
parent_msg:
	.ascii	"parent\n"
child_msg:
	.ascii	"child\n"
