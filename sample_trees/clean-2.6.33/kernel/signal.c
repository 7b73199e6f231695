/* Sample. */
SYSCALL_DEFINE0(restart_syscall)
{
	return current_thread_info()->restart_block.fn(&current_thread_info()->restart_block);
}
