/* Sample i386 entry code: the table is included here, as in 2.6.16. */

#define nr_syscalls ((syscall_table_size)/4)

ENTRY(system_call)
	cmpl $(nr_syscalls), %eax
	jae syscall_badsys
	call *sys_call_table(,%eax,4)

#include "syscall_table.S"

syscall_table_size=(.-sys_call_table)
