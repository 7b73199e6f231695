/* Sample i386 entry code: only the pt_regs trampolines. */

#define PTREGSCALL0(name) \
	ALIGN; \
ptregs_##name: \
	leal 4(%esp),%eax; \
	jmp sys_##name;

PTREGSCALL0(fork)
