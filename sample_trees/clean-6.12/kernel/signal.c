/* Sample. */
SYSCALL_DEFINE0(restart_syscall)
{
	return restart_sample();
}
