/* Sample sparc system call table, 2.6.16 layout. */

	.data
	.align 4

	/* First, the Linux native syscall table. */

	.globl sys_call_table
sys_call_table:
/*0*/	.long sys_restart_syscall, sys_exit, sparc_fork, sys_read, sys_write
/*5*/	.long sys_open, sys_close, sys_nis_syscall, sys_getpid
