#ifndef _ASM_X86_64_UNISTD_H_
#define _ASM_X86_64_UNISTD_H_

#ifndef __SYSCALL
#define __SYSCALL(a,b)
#endif

/*
 * This file contains the system call numbers (sample).
 *
 * Note: holes are not allowed.
 */

#define __NR_read                                0
__SYSCALL(__NR_read, sys_read)
#define __NR_write                               1
__SYSCALL(__NR_write, sys_write)
#define __NR_open                                2
__SYSCALL(__NR_open, sys_open)
#define __NR_close                               3
__SYSCALL(__NR_close, sys_close)
#define __NR_getpid                              4
__SYSCALL(__NR_getpid, sys_getpid)
#define __NR_fork                                5
__SYSCALL(__NR_fork, stub_fork)
#define __NR_exit                                6
__SYSCALL(__NR_exit, sys_exit)
#define __NR_restart_syscall                     7
__SYSCALL(__NR_restart_syscall, sys_restart_syscall)

#define __NR_syscall_max __NR_restart_syscall
#ifndef __NO_STUBS

#ifdef __KERNEL_SYSCALLS__
/* The _syscallN stubs; syscall.c defines __NO_STUBS and never sees this. */
#define __NR__exit __NR_exit
#endif /* __KERNEL_SYSCALLS__ */

#endif /* __NO_STUBS */
#endif /* _ASM_X86_64_UNISTD_H_ */
