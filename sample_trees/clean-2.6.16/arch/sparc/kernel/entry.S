/* Sample sparc entry code: until 2.6.18 the syscall limit lives here. */

#define curptr      g6

#define NR_SYSCALLS 9      /* Each OS is different... */

linux_sparc_syscall:
	cmp	%g1, NR_SYSCALLS
	bgeu	linux_sparc_ni_syscall
	 sll	%g1, 2, %l4
