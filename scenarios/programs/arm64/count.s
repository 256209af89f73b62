// count: writes the digits 1 to 5, one a line, then exits with status 5.
	.text
	.globl	_start
_start:
	mov	x19, #1
	adrp	x20, digit
	add	x20, x20, :lo12:digit
again:
	add	x9, x19, #48
	strb	w9, [x20]
	mov	x0, #1
	mov	x1, x20
	mov	x2, #2
	mov	x8, #4
	svc	#0
	add	x19, x19, #1
	cmp	x19, #6
	b.ne	again
	mov	x0, #5
	mov	x8, #1
	svc	#0
	.data
digit:
	.ascii	"0\n"
