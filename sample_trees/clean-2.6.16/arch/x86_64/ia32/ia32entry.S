/*
 * Compatibility mode system call entry point for x86-64 (sample).
 */

#include <asm/ia32_unistd.h>

	.macro PTREGSCALL label, func, arg
	.globl \label
\label:
	leaq \func(%rip),%rax
	leaq -ARGOFFSET+8(%rsp),\arg	/* 8 for return address */
	jmp  ia32_ptregs_common
	.endm

	PTREGSCALL stub32_fork, sys_fork, %rdi

ni_syscall:
	movq %rax,%rdi
	jmp  sys32_ni_syscall

quiet_ni_syscall:
	movq $-ENOSYS,%rax
	ret

	.data
	.align 8
	.globl ia32_sys_call_table
ia32_sys_call_table:
	.quad sys_restart_syscall
	.quad sys_exit
	.quad stub32_fork
	.quad sys_read
	.quad sys_write
	.quad sys32_open		/* 5 */
	.quad sys_close
	.quad quiet_ni_syscall	/* old waitpid slot */
	.quad sys_getpid
	/* don't forget to change IA32_NR_syscalls */
ia32_syscall_end:
	.rept IA32_NR_syscalls-(ia32_syscall_end-ia32_sys_call_table)/8
		.quad ni_syscall
	.endr
