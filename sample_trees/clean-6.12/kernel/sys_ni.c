/* Fallbacks for syscalls whose code is configured out (sample). */

asmlinkage long sys_ni_syscall(void)
{
	return -ENOSYS;
}

#define COND_SYSCALL(name) cond_syscall(sys_##name)
