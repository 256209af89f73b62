# sleeper: nanosleep for one second, then writes "awake" and exits 0. struct timespec on
# i386 is two 4-byte longs.
	.text
	.globl	_start
_start:
	pushl	$0
	pushl	$delay
	pushl	$0
	movl	$240, %eax
	int	$0x80
	addl	$12, %esp
	pushl	$6
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
delay:
	.long	1, 0
msg:
	.ascii	"awake\n"
