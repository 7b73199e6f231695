#include <linux/linkage.h>

/* Fallbacks for syscalls whose code is configured out. */

asmlinkage long sys_ni_syscall(void)
{
	return -ENOSYS;
}
