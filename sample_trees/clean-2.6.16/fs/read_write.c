/* Sample. */
asmlinkage ssize_t sys_read(unsigned int fd, char __user * buf, size_t count)
{
	return vfs_read_sample(fd, buf, count);
}

asmlinkage ssize_t sys_write(unsigned int fd, const char __user * buf, size_t count)
{
	return vfs_write_sample(fd, buf, count);
}
