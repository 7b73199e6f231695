/* Sample x86_64 entry code: only the stubs. */

ENTRY(stub_fork)
	jmp sys_fork
END(stub_fork)
