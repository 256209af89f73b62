# hello: write(1, "hello, world\n", 13), then exit(0). i386: the call number in %eax, the
# arguments on the stack above a return-address slot (libc's stubs call a routine that does
# int $0x80), pushed last to first.
	.text
	.globl	_start
_start:
	pushl	$13
	pushl	$msg
	pushl	$1
	pushl	$0
	movl	$4, %eax
	int	$0x80
	addl	$16, %esp
	pushl	$0
	pushl	$0
	movl	$1, %eax
	int	$0x80
	.data
msg:
	.ascii	"hello, world\n"
