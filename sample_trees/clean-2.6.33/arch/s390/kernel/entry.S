/* Sample s390 compat wrappers. */

ENTRY(sys32_exit_wrapper)
	lgfr	%r2,%r2
	jg	sys_exit
ENTRY(sys32_read_wrapper)
	jg	sys_read
ENTRY(sys32_write_wrapper)
	jg	sys_write
ENTRY(sys32_open_wrapper)
	jg	sys_open
ENTRY(sys32_close_wrapper)
	jg	sys_close
ENTRY(sys_checkpoint_wrapper)
	lgfr	%r2,%r2
	jg	sys_checkpoint
ENTRY(sys_restart_wrapper)
	lgfr	%r2,%r2
	jg	sys_restart
