// hello: write(1, "hello, world\n", 13), then exit(0). arm64: the call number in x8, the
// arguments in x0 to x5, then svc #0.
	.text
	.globl	_start
_start:
	mov	x0, #1
	adrp	x1, msg
	add	x1, x1, :lo12:msg
	mov	x2, #13
	mov	x8, #4
	svc	#0
	mov	x0, #0
	mov	x8, #1
	svc	#0
	.data
msg:
	.ascii	"hello, world\n"
