/* Sample. */
SYSCALL_DEFINE0(fork)
{
	return kernel_clone_sample();
}
