.section .rodata,"a"
ENTRY(sys_call_table)
	.long sys_restart_syscall	/* 0 */
	.long sys_exit
	.long ptregs_fork
	.long sys_read
	.long sys_write
	.long sys_open		/* 5 */
	.long sys_close
	.long sys_ni_syscall	/* retired */
	.long sys_getpid
	.long sys_checkpoint
	.long sys_restart	/* 10 */
