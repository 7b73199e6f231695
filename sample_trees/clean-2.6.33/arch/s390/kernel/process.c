/* Sample s390 process code. */

SYSCALL_DEFINE0(fork)
{
	return do_fork(SIGCHLD, 0, task_pt_regs(current), 0, NULL, NULL);
}
