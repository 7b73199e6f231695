/*
 * Sample s390 syscall table.
 * SYSCALL(31 bit syscall, 64 bit syscall, 31 bit emulated syscall)
 */

NI_SYSCALL							/* 0 */
SYSCALL(sys_exit,sys_exit,sys32_exit_wrapper)
SYSCALL(sys_fork,sys_fork,sys_fork)
SYSCALL(sys_read,sys_read,sys32_read_wrapper)
SYSCALL(sys_write,sys_write,sys32_write_wrapper)
SYSCALL(sys_open,sys_open,sys32_open_wrapper)			/* 5 */
SYSCALL(sys_close,sys_close,sys32_close_wrapper)
SYSCALL(sys_restart_syscall,sys_restart_syscall,sys_restart_syscall)
SYSCALL(sys_getpid,sys_getpid,sys_getpid)
SYSCALL(sys_checkpoint,sys_checkpoint,sys_checkpoint_wrapper)
SYSCALL(sys_restart,sys_restart,sys_restart_wrapper)		/* 10 */
