# x86-64 out-of-line static call trampolines, in the byte forms Linux uses.
	.text
	.globl	func_a
	.type	func_a, @function
func_a:
	lea	1(%rdi), %rax		# func_a(x) = x + 1
	ret
	.size	func_a, .-func_a

# A trampoline pointing at func_a: jmp rel32, then ud1 %esp,%ecx so nothing runs past it.
	.p2align 3
	.globl	tramp_a
tramp_a:
	jmp	func_a
	ud1	%esp, %ecx

# The NULL form: ret, int3, and padding.
	.p2align 3
tramp_null:
	ret
	int3
	nop
	nop
	nop

# The RET0 form of an inline site: three CS prefixes make `xor %eax,%eax` five bytes long.
	.p2align 3
site_ret0:
	.byte	0x2e, 0x2e, 0x2e, 0x31, 0xc0

# An inline call site, and its 5-byte NOP form.
caller:
	call	tramp_a
	{disp8} nopl 0x0(%rax,%rax,1)	# the 5-byte NOP (0f 1f 44 00 00): {disp8} keeps the zero
	ret
