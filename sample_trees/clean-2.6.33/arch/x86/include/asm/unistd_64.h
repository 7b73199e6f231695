#ifndef _ASM_X86_UNISTD_64_H
#define _ASM_X86_UNISTD_64_H

#ifndef __SYSCALL
#define __SYSCALL(a, b)
#endif

/* Sample x86_64 syscall numbers; holes are not allowed. */

#define __NR_read				0
__SYSCALL(__NR_read, sys_read)
#define __NR_write				1
__SYSCALL(__NR_write, sys_write)
#define __NR_open				2
__SYSCALL(__NR_open, sys_open)
#define __NR_close				3
__SYSCALL(__NR_close, sys_close)
#define __NR_getpid				4
__SYSCALL(__NR_getpid, sys_getpid)
#define __NR_fork				5
__SYSCALL(__NR_fork, stub_fork)
#define __NR_exit				6
__SYSCALL(__NR_exit, sys_exit)

#ifdef __KERNEL__
#define NR_syscalls (__NR_syscall_max + 1)
#endif

#endif /* _ASM_X86_UNISTD_64_H */
