#ifndef _ASM_S390_UNISTD_H_
#define _ASM_S390_UNISTD_H_

#define __NR_exit                 1
#define __NR_fork                 2
#define __NR_read                 3
#define __NR_write                4
#define __NR_open                 5
#define __NR_close                6
#define __NR_restart_syscall      7
#define __NR_getpid               8
#define __NR_checkpoint           9
#define __NR_restart             10
#define NR_syscalls 11

#endif /* _ASM_S390_UNISTD_H_ */
