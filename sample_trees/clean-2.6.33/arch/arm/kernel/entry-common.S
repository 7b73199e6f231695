/* Sample ARM entry code: the fork wrapper. */

sys_fork_wrapper:
		add	r0, sp, #S_OFF
		b	sys_fork
