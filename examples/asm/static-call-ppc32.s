# ppc32 out-of-line static call trampoline: the merged 32-byte form (first word, then a literal load).
	.text
	.globl	func_a
func_a:
	addi	r3, r3, 1		# func_a(x) = x + 1
	blr

	.p2align 5
	.globl	tramp_a
tramp_a:
	b	func_a			# or blr (NULL), b .+20 (RET0), nop (far: use the literal)
	lis	r12, tramp_a_lit@ha
	lwz	r12, tramp_a_lit@l(r12)
	mtctr	r12
	bctr
	li	r3, 0
	blr
tramp_a_lit:
	.long	0

caller:
	mflr	r0
	stwu	r1, -16(r1)
	stw	r0, 20(r1)
	li	r3, 2
	bl	tramp_a
	lwz	r0, 20(r1)
	addi	r1, r1, 16
	mtlr	r0
	blr
