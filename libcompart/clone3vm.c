/*
 * clone3 with a function to call in the child (clone3vm.h).
 *
 * The child starts at the instruction after the system call with the
 * parent's registers, except the return value (0) and the stack pointer
 * (the top of ca->stack). fn and arg therefore travel in callee-saved
 * registers; the child calls fn with a zeroed frame pointer, so that
 * nothing unwinds into the parent's frames, and exits with its result
 * without returning. The parent restores those registers and returns the
 * system call's result.
 */
#include <errno.h>

#include "libcompart/clone3vm.h"

long ix_clone3_raw(struct clone_args *ca, size_t size, int (*fn)(void *), void *arg);

#if defined(__x86_64__)
__asm__(".text\n"
	".globl ix_clone3_raw\n"
	".hidden ix_clone3_raw\n"
	".type ix_clone3_raw,@function\n"
	"ix_clone3_raw:\n"
	"	.cfi_startproc\n"
	"	pushq %r12\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	pushq %r13\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	movq %rdx, %r12\n"
	"	movq %rcx, %r13\n"
	"	movl $435, %eax\n"		/* __NR_clone3 */
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jz 1f\n"
	"	popq %r13\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	popq %r12\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	ret\n"
	"1:\n"
	"	.cfi_undefined rip\n"
	"	xorl %ebp, %ebp\n"
	"	movq %r13, %rdi\n"
	"	callq *%r12\n"
	"	movl %eax, %edi\n"
	"	movl $60, %eax\n"		/* __NR_exit */
	"	syscall\n"
	"	hlt\n"
	"	.cfi_endproc\n"
	".size ix_clone3_raw, .-ix_clone3_raw\n");
#elif defined(__aarch64__)
__asm__(".text\n"
	".globl ix_clone3_raw\n"
	".hidden ix_clone3_raw\n"
	".type ix_clone3_raw,%function\n"
	"ix_clone3_raw:\n"
	"	.cfi_startproc\n"
	"	stp x19, x20, [sp, #-16]!\n"
	"	.cfi_adjust_cfa_offset 16\n"
	"	mov x19, x2\n"
	"	mov x20, x3\n"
	"	mov x8, #435\n"			/* __NR_clone3 */
	"	svc #0\n"
	"	cbz x0, 1f\n"
	"	ldp x19, x20, [sp], #16\n"
	"	.cfi_adjust_cfa_offset -16\n"
	"	ret\n"
	"1:\n"
	"	.cfi_undefined x30\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	mov x0, x20\n"
	"	blr x19\n"
	"	mov x8, #93\n"			/* __NR_exit */
	"	svc #0\n"
	"	brk #0\n"
	"	.cfi_endproc\n"
	".size ix_clone3_raw, .-ix_clone3_raw\n");
#else
long
ix_clone3_raw(struct clone_args *ca, size_t size, int (*fn)(void *), void *arg)
{
	(void)ca;
	(void)size;
	(void)fn;
	(void)arg;
	return -ENOSYS;
}
#endif

pid_t
ix_clone3_fn(struct clone_args *ca, size_t size, int (*fn)(void *), void *arg)
{
	long r;

	if (ca->stack == 0 || ca->stack_size == 0) {
		errno = EINVAL;
		return -1;
	}
	r = ix_clone3_raw(ca, size, fn, arg);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return (pid_t)r;
}
