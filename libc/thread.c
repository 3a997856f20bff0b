/*
 * ThreadCreate and ThreadCreate_r (QNX's) over the kernel's
 * KerThreadCreate, which takes one more argument: the exit function to
 * use when the attributes name none. libc gives its own, so that a
 * thread function's return ends the thread with ThreadDestroy(0, -1,
 * value), as QNX's libc arranges; the kernel uses it only for a thread in
 * the caller's own process (where its address means something).
 * The attributes are the kernel's to read: a bad attr pointer stays
 * EFAULT rather than a fault in here.
 */
#include <errno.h>
#include <sys/neutrino.h>

/* libc/arch/<arch>/thread.S: where a thread function returns to; it
 * passes the returned value on to __libc_thread_exit. */
void __libc_thread_return(void *status);

__attribute__((noreturn, used)) void __libc_thread_exit(void *status);

void __libc_thread_exit(void *status)
{
	ThreadDestroy_r(0, -1, status);
	for (;;)
		; /* not reached: ThreadDestroy of the caller does not return */
}

int ThreadCreate_r(pid_t pid, void *(*func)(void *), void *arg, const struct _thread_attr *attr)
{
	return KerThreadCreate_r(pid, func, arg, attr, __libc_thread_return);
}

int ThreadCreate(pid_t pid, void *(*func)(void *), void *arg, const struct _thread_attr *attr)
{
	int r = ThreadCreate_r(pid, func, arg, attr);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}
