#ifndef _ASM_I386_UNISTD_H_
#define _ASM_I386_UNISTD_H_

/*
 * This file contains the system call numbers (sample).
 */

#define __NR_restart_syscall      0
#define __NR_exit		  1
#define __NR_fork		  2
#define __NR_read		  3
#define __NR_write		  4
#define __NR_open		  5
#define __NR_close		  6
/* 7 is retired: the table keeps a hole */
#define __NR_getpid		  8

#define NR_syscalls 9

#endif /* _ASM_I386_UNISTD_H_ */
