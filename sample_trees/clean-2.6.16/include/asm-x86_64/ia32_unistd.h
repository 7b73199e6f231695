#ifndef _ASM_X86_64_IA32_UNISTD_H_
#define _ASM_X86_64_IA32_UNISTD_H_

/*
 * This file contains the system call numbers of the ia32 port,
 * this is for the kernel only (sample).
 */

#define __NR_ia32_restart_syscall 0
#define __NR_ia32_exit		  1
#define __NR_ia32_fork		  2
#define __NR_ia32_read		  3
#define __NR_ia32_write		  4
#define __NR_ia32_open		  5
#define __NR_ia32_close		  6
/* 7 is retired: the table keeps a hole */
#define __NR_ia32_getpid	  8

#define IA32_NR_syscalls 9	/* must be > than biggest syscall! */

#endif /* _ASM_X86_64_IA32_UNISTD_H_ */
