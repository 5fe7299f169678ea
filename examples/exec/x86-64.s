# x86-64 (System V AMD64): run with
#   patchlab exec --arch x86-64 examples/exec/x86-64.s --entry sum_to --arg 5
# sum_to(n) = n + (n-1) + ... + 1, a loop counted down in rdi; func_a(x) = x + 1, the static-call example's target.
	.text
	.globl	sum_to
	.type	sum_to, @function
sum_to:
	xor	%eax, %eax	# the sum
	test	%rdi, %rdi
	je	2f		# sum_to(0) = 0
1:	add	%rdi, %rax
	dec	%rdi
	jne	1b
2:	ret
	.size	sum_to, .-sum_to

	.globl	func_a
	.type	func_a, @function
func_a:
	lea	1(%rdi), %rax
	ret
	.size	func_a, .-func_a
