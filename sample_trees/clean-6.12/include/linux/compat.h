/* Sample. */
asmlinkage long compat_sys_open(const char __user *filename, int flags, umode_t mode);
