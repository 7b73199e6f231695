/* Sample 32-bit compatibility calls. */

asmlinkage long sys32_open(const char __user *filename, int flags, int mode)
{
	return sys_open(filename, flags | O_LARGEFILE, mode);
}

asmlinkage long sys32_ni_syscall(int call)
{
	return -ENOSYS;
}
