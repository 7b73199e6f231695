#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H

/*
 * Sample generic syscall prototypes: as in 6.x, not included where the arch
 * has its own calling convention (x86 selects ARCH_HAS_SYSCALL_WRAPPER).
 */
#ifndef CONFIG_ARCH_HAS_SYSCALL_WRAPPER
asmlinkage long sys_restart_syscall(void);
asmlinkage long sys_exit(int error_code);
asmlinkage long sys_fork(void);
asmlinkage long sys_read(unsigned int fd, char __user *buf, size_t count);
asmlinkage long sys_write(unsigned int fd, const char __user *buf, size_t count);
asmlinkage long sys_open(const char __user *filename, int flags, umode_t mode);
asmlinkage long sys_close(unsigned int fd);
asmlinkage long sys_waitpid(pid_t pid, int __user *stat_addr, int options);
asmlinkage long sys_getpid(void);
#endif /* CONFIG_ARCH_HAS_SYSCALL_WRAPPER */

#endif
