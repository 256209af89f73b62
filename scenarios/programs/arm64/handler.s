// handler: installs a handler for SIGUSR1 (30) with sigaction, sends SIGUSR1 to itself with
// kill(getpid(), SIGUSR1); the handler writes "caught" and returns through lr; then "done" and
// exit 0. struct sigaction on arm64: sa_handler at 0, sa_flags at 8, sa_mask at 12 (32 bytes).
	.text
	.globl	_start
_start:
	mov	x0, #30
	adrp	x1, act
	add	x1, x1, :lo12:act
	adr	x9, catch
	str	x9, [x1]
	mov	x2, #0
	mov	x8, #416
	svc	#0
	mov	x8, #20
	svc	#0
	mov	x1, #30
	mov	x8, #37
	svc	#0
	mov	x0, #1
	adrp	x1, done_msg
	add	x1, x1, :lo12:done_msg
	mov	x2, #5
	mov	x8, #4
	svc	#0
	mov	x0, #0
	mov	x8, #1
	svc	#0
catch:
	mov	x0, #1
	adrp	x1, caught_msg
	add	x1, x1, :lo12:caught_msg
	mov	x2, #7
	mov	x8, #4
	svc	#0
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
