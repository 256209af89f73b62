# handler: installs a handler for SIGUSR1 (30) with sigaction, sends SIGUSR1 to itself with
# kill(getpid(), SIGUSR1); the handler writes "caught" and returns; then "done" and exit 0.
# struct sigaction on amd64: sa_handler at 0, sa_flags at 8, sa_mask at 12 (32 bytes).
	.text
	.globl	_start
_start:
	movl	$416, %eax
	movl	$30, %edi
	movq	$act, %rsi
	xorl	%edx, %edx
	syscall
	movl	$20, %eax
	syscall
	movq	%rax, %rdi
	movl	$37, %eax
	movl	$30, %esi
	syscall
	movl	$4, %eax
	movl	$1, %edi
	movq	$done_msg, %rsi
	movl	$5, %edx
	syscall
	movl	$1, %eax
	xorl	%edi, %edi
	syscall
catch:
	movl	$4, %eax
	movl	$1, %edi
	movq	$caught_msg, %rsi
	movl	$7, %edx
	syscall
	ret
	.data
act:
	.quad	catch
	.long	0
	.long	0, 0, 0, 0
	.long	0
caught_msg:
	.ascii	"caught\n"
done_msg:
	.ascii	"done\n"
