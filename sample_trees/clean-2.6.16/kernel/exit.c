/* Sample: 2.6.16 syscalls are plain asmlinkage C functions. */
asmlinkage long sys_exit(int error_code)
{
	do_exit((error_code&0xff)<<8);
}
