#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H

/* Sample generic syscall prototypes (2.6.16 style). */

asmlinkage long sys_restart_syscall(void);
asmlinkage long sys_exit(int error_code);
asmlinkage long sys_getpid(void);
asmlinkage ssize_t sys_read(unsigned int fd, char __user *buf,
				size_t count);
asmlinkage ssize_t sys_write(unsigned int fd, const char __user *buf,
				size_t count);
asmlinkage long sys_open(const char __user *filename,
				int flags, int mode);
asmlinkage long sys_close(unsigned int fd);

#endif
