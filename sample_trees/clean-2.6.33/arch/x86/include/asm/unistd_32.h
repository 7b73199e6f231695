#ifndef _ASM_X86_UNISTD_32_H
#define _ASM_X86_UNISTD_32_H

/* Sample i386 syscall numbers. */

#define __NR_restart_syscall	0
#define __NR_exit		1
#define __NR_fork		2
#define __NR_read		3
#define __NR_write		4
#define __NR_open		5
#define __NR_close		6
/* 7 is retired: the table keeps a hole */
#define __NR_getpid		8
#define __NR_checkpoint		9
#define __NR_restart		10

#ifdef __KERNEL__

#define NR_syscalls 11

#endif /* __KERNEL__ */
#endif /* _ASM_X86_UNISTD_32_H */
