#include <linux/linkage.h>

/* Fallbacks for syscalls whose code is configured out. */

asmlinkage long sys_ni_syscall(void)
{
	return -ENOSYS;
}

/* checkpoint/restart */
cond_syscall(sys_checkpoint);
cond_syscall(sys_restart);
