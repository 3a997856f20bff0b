/*
 * ThreadCreate and ThreadCreate_r (QNX's) over the kernel's
 * KerThreadCreate, which takes one more argument: the exit function to
 * use when the attributes name none. The attributes are the kernel's to
 * read: a bad attr pointer stays EFAULT rather than a fault in here.
 *
 * A thread of the caller's own process whose attributes name no exit
 * function starts in libc's start routine, which gives it its own TLS
 * block (and so its own errno) before calling func: the kernel starts
 * __libc_thread_entry(arg) "called from" func (func is its return
 * address: x86-64 on the stack, aarch64 in x30; sys/syscalls.def),
 * and the entry stub
 * (libc/arch/<arch>/thread.S) hands both to __libc_thread_start. When
 * func returns, the thread ends with ThreadDestroy(0, -1, value), as
 * QNX's libc arranges. A thread whose attributes name an exit function
 * (or one in another process) starts at func itself and shares its
 * creator's TLS block (the kernel gives it the creator's thread pointer):
 * use no per-thread libc state (errno, pthreads) in such threads.
 */
#include <errno.h>
#include <sys/neutrino.h>

#include "libc.h"

/* libc/arch/<arch>/thread.S: where a raw thread function returns to (it
 * passes the returned value on to __libc_thread_exit), and the entry of
 * threads started through __libc_thread_start. */
void __libc_thread_return(void *status);
void *__libc_thread_entry(void *arg);

__attribute__((noreturn, used)) void __libc_thread_start(void *arg, void *(*func)(void *));

void __libc_thread_exit(void *status)
{
	if (__libc_pthread_exiting)
		__libc_pthread_exiting();
	ThreadDestroy_r(0, -1, status);
	for (;;)
		; /* not reached: ThreadDestroy of the caller does not return */
}

void __libc_thread_start(void *arg, void *(*func)(void *))
{
	size_t tls = __libc_tls_size();
	char tls_area[tls] __attribute__((aligned(16)));

	__libc_tls_start(tls_area, tls);
	__libc_thread_exit(func(arg));
}

int ThreadCreate_r(pid_t pid, void *(*func)(void *), void *arg, const struct _thread_attr *attr)
{
	return KerThreadCreate_r(pid, func, arg, attr, __libc_thread_return, __libc_thread_entry);
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
