/* Sample checkpoint/restart entry points; they only return -ENOSYS. */

#include <linux/syscalls.h>

SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd,
		unsigned long, flags, int, logfd)
{
	return -ENOSYS;
}

SYSCALL_DEFINE4(restart, pid_t, pid, int, fd,
		unsigned long, flags, int, logfd)
{
	return -ENOSYS;
}
