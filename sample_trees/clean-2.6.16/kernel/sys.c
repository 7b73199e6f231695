/* Sample. */
asmlinkage long sys_getpid(void)
{
	return current->tgid;
}
