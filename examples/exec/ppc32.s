# ppc32 (big-endian, SysV): run with
#   patchlab exec --arch ppc32 examples/exec/ppc32.s --entry sum_to --arg 5
# sum_to(n) = n + (n-1) + ... + 1, a loop counted down in CTR; func_a(x) = x + 1, the static-call example's target.
	.text
	.globl	sum_to
sum_to:
	mr.	r4, r3		# r4 = n; cr0 says whether it is 0
	li	r3, 0
	beqlr			# sum_to(0) = 0
	mtctr	r4
1:	add	r3, r3, r4
	addi	r4, r4, -1
	bdnz	1b
	blr

	.globl	func_a
func_a:
	addi	r3, r3, 1
	blr
