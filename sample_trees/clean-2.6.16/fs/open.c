/* Sample. */
asmlinkage long sys_open(const char __user * filename, int flags, int mode)
{
	return do_sys_open(filename, flags, mode);
}

asmlinkage long sys_close(unsigned int fd)
{
	return filp_close_sample(fd);
}
