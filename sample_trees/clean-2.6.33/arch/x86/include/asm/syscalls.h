#ifndef _ASM_X86_SYSCALLS_H
#define _ASM_X86_SYSCALLS_H

/* Sample: arch-specific syscall prototypes. */
int sys_fork(struct pt_regs *);

#endif
