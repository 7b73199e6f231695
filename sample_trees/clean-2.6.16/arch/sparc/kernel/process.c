/* Sample. */
asmlinkage int sparc_fork(struct pt_regs *regs)
{
	return do_fork(SIGCHLD, regs->u_regs[UREG_FP], regs, 0, NULL, NULL);
}
