# riscv64 (LP64): run with
#   patchlab exec --arch riscv64 examples/exec/riscv64.s --entry sum_to --arg 5
# sum_to(n) = n + (n-1) + ... + 1, a loop counted down with a compressed bnez. func_a(x) = x + step
# loads `step` from .data through lla (auipc + addi), as the static-call self-test's func_a adds 1.
	.text
	.globl	sum_to
	.type	sum_to, @function
sum_to:
	mv	a1, a0		# a1 = n
	li	a0, 0
	beqz	a1, 2f		# sum_to(0) = 0
1:	add	a0, a0, a1
	addi	a1, a1, -1
	bnez	a1, 1b
2:	ret
	.size	sum_to, .-sum_to

	.globl	func_a
	.type	func_a, @function
func_a:
	lla	t0, step
	ld	t0, 0(t0)
	add	a0, a0, t0
	ret
	.size	func_a, .-func_a

	.data
	.p2align 3
step:	.dword	1
