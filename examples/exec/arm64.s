# arm64 (AAPCS64): run with
#   patchlab exec --arch arm64 examples/exec/arm64.s --entry sum_to --arg 5
# sum_to(n) = n + (n-1) + ... + 1, a loop counted down with subs and b.ne. func_a(x) = x + step loads
# `step` from .data through adrp and a :lo12: offset, as the static-call self-test's func_a adds 1.
	.text
	.globl	sum_to
	.type	sum_to, %function
sum_to:
	mov	x1, x0		// x1 = n
	mov	x0, #0
	cbz	x1, 2f		// sum_to(0) = 0
1:	add	x0, x0, x1
	subs	x1, x1, #1
	b.ne	1b
2:	ret
	.size	sum_to, .-sum_to

	.globl	func_a
	.type	func_a, %function
func_a:
	adrp	x9, step
	ldr	x9, [x9, :lo12:step]
	add	x0, x0, x9
	ret
	.size	func_a, .-func_a

	.data
	.p2align 3
step:	.quad	1
