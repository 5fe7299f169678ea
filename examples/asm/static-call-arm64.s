// arm64 out-of-line static call trampoline: the target is a literal in read-only data.
	.text
	.globl	func_a
	.type	func_a, %function
func_a:
	add	x0, x0, #1		// func_a(x) = x + 1
	ret

	.p2align 3
	.globl	tramp_a
tramp_a:
	bti	c
	adrp	x16, tramp_a_lit
	ldr	x16, [x16, :lo12:tramp_a_lit]
	br	x16

	.pushsection .rodata, "a"
	.p2align 3
tramp_a_lit:
	.quad	func_a			// one aligned 8-byte store retargets every call
	.popsection

caller:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	x0, #2
	bl	tramp_a
	ldp	x29, x30, [sp], #16
	ret
