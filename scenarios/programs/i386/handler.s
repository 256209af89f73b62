# handler: installs a handler for SIGUSR1 (30) with sigaction, sends SIGUSR1 to itself with
# kill(getpid(), SIGUSR1); the handler writes "caught" and returns; then "done" and exit 0.
# struct sigaction on i386: sa_handler at 0, sa_flags at 4, sa_mask at 8 (24 bytes).
	.text
	.globl	_start
_start:
	pushl	$0
	pushl	$act
	pushl	$30
	pushl	$0
	movl	$416, %eax
	int	$0x80
	addl	$16, %esp
	movl	$20, %eax
	int	$0x80
	pushl	$30
	pushl	%eax
	pushl	$0
	movl	$37, %eax
	int	$0x80
	addl	$12, %esp
	pushl	$5
	pushl	$done_msg
	pushl	$1
	pushl	$0
	movl	$4, %eax
	int	$0x80
	addl	$16, %esp
	pushl	$0
	pushl	$0
	movl	$1, %eax
	int	$0x80
catch:
	pushl	$7
	pushl	$caught_msg
	pushl	$1
	pushl	$0
	movl	$4, %eax
	int	$0x80
	addl	$16, %esp
	ret
	.data
act:
	.long	catch
	.long	0
	.long	0, 0, 0, 0
caught_msg:
	.ascii	"caught\n"
done_msg:
	.ascii	"done\n"
