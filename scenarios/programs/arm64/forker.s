// forker: fork; the child writes "child" and exits 7; the parent waits for it with wait4,
// then writes "parent" and exits 0. fork returns 0 in the child.
	.text
	.globl	_start
_start:
	mov	x8, #2
	svc	#0
	cbz	x0, child
	adrp	x1, status
	add	x1, x1, :lo12:status
	mov	x2, #0
	mov	x3, #0
	mov	x8, #7
	svc	#0
	mov	x0, #1
	adrp	x1, parent_msg
	add	x1, x1, :lo12:parent_msg
	mov	x2, #7
	mov	x8, #4
	svc	#0
	mov	x0, #0
	mov	x8, #1
	svc	#0
child:
	mov	x0, #1
	adrp	x1, child_msg
	add	x1, x1, :lo12:child_msg
	mov	x2, #6
	mov	x8, #4
	svc	#0
	mov	x0, #7
	mov	x8, #1
	svc	#0
	.data
status:
	.quad	0
parent_msg:
	.ascii	"parent\n"
child_msg:
	.ascii	"child\n"
