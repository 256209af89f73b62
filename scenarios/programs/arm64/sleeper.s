// sleeper: nanosleep for one second, then writes "awake" and exits 0.
	.text
	.globl	_start
_start:
	adrp	x0, delay
	add	x0, x0, :lo12:delay
	mov	x1, #0
	mov	x8, #240
	svc	#0
	mov	x0, #1
	adrp	x1, msg
	add	x1, x1, :lo12:msg
	mov	x2, #6
	mov	x8, #4
	svc	#0
	mov	x0, #0
	mov	x8, #1
	svc	#0
	.data
delay:
	.quad	1, 0
msg:
	.ascii	"awake\n"
