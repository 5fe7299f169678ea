# ppc64 (little-endian ELFv2): run with
#   patchlab exec --arch ppc64 examples/exec/ppc64.s --entry sum_to --arg 5
# sum_to(n) = n + (n-1) + ... + 1, a loop counted down in CTR. func_a(x) = x + step enters at its global
# entry point: r12 holds its address, from which it computes the TOC pointer r2 to load `step`.
	.abiversion 2
	.text
	.globl	sum_to
	.type	sum_to, @function
sum_to:
	mr.	r4, r3		# r4 = n; cr0 says whether it is 0
	li	r3, 0
	beqlr			# sum_to(0) = 0
	mtctr	r4
1:	add	r3, r3, r4
	addi	r4, r4, -1
	bdnz	1b
	blr
	.size	sum_to, .-sum_to

	.globl	func_a
	.type	func_a, @function
func_a:
0:	addis	r2, r12, .TOC.-0b@ha	# global entry: the TOC from r12
	addi	r2, r2, .TOC.-0b@l
	.localentry func_a, .-func_a
	addis	r9, r2, step@toc@ha
	ld	r9, step@toc@l(r9)
	add	r3, r3, r9
	blr
	.size	func_a, .-func_a

	.data
	.p2align 3
step:	.quad	1
