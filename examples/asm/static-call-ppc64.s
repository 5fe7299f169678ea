# ppc64 ELFv2: a function with global and local entry points; r2 is the TOC pointer.
	.abiversion 2
	.text
	.globl	func_a
	.type	func_a, @function
func_a:
0:	addis	r2, r12, .TOC.-0b@ha	# global entry: compute the TOC from r12
	addi	r2, r2, .TOC.-0b@l
	.localentry func_a, .-func_a	# callers sharing our TOC enter here
	addi	r3, r3, 1
	blr
	.size	func_a, .-func_a

	.globl	caller
caller:
	mflr	r0
	std	r0, 16(r1)
	stdu	r1, -32(r1)
	std	r2, 24(r1)		# save our TOC: the callee may change it
	li	r3, 2
	bl	func_a
	ld	r2, 24(r1)
	addi	r1, r1, 32
	ld	r0, 16(r1)
	mtlr	r0
	blr
