# handler: installs a handler for SIGUSR1 (30) with sigaction, sends SIGUSR1 to itself with
# kill(getpid(), SIGUSR1); the handler writes "caught" and returns through ra; then "done" and
# exit 0. struct sigaction on riscv64: sa_handler at 0, sa_flags at 8, sa_mask at 12 (32 bytes).
	.text
	.globl	_start
_start:
	la	a1, act
	la	t1, catch
	sd	t1, 0(a1)
	li	a0, 30
	li	a2, 0
	li	t0, 416
	ecall
	li	t0, 20
	ecall
	li	a1, 30
	li	t0, 37
	ecall
	li	a0, 1
	la	a1, done_msg
	li	a2, 5
	li	t0, 4
	ecall
	li	a0, 0
	li	t0, 1
	ecall
catch:
	li	a0, 1
	la	a1, caught_msg
	li	a2, 7
	li	t0, 4
	ecall
	ret
	.data
act:
	.quad	0
	.long	0
	.long	0, 0, 0, 0
	.long	0
caught_msg:
	.ascii	"caught\n"
done_msg:
	.ascii	"done\n"
