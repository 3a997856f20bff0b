/*
 * Thread-local storage for static programs, and errno per thread.
 *
 * Every thread's TLS block (a copy of the .tdata image, .tbss zeroed) and
 * its thread control block (TCB) live on the thread's own stack: the
 * start routine (crt0's __libc_start for the first thread, and
 * __libc_thread_start for the threads ThreadCreate and pthread_create
 * make) reserves __libc_tls_size() bytes in its frame, which it never
 * leaves, and lays them out here. Layouts are the ELF TLS ABI's:
 *   x86-64 (variant II): the thread pointer (FS base) points at the TCB,
 *     whose first word points to itself; the TLS block ends there
 *     (variables sit at negative offsets, rounded to the alignment);
 *   aarch64 (variant I): the thread pointer (TPIDR_EL0) points at a
 *     16-byte TCB; the TLS block follows it at round_up(16, alignment).
 * The thread pointer is set with KerThreadSelf(tp), which also returns
 * the thread's sync id (what its mutexes hold as __owner: pthread.c).
 * The image comes from linker symbols (libc/user-sections.ld).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/neutrino.h>

#include "libc.h"

extern const char __tdata_start[];
extern const char __tdata_size[], __tbss_size[], __tls_align[];

#define TCB_SIZE 16

_Thread_local int __libc_errno;
_Thread_local unsigned __libc_sync_id;
_Thread_local int __libc_tid;

int *__get_errno_ptr(void)
{
	return &__libc_errno;
}

static size_t tls_align(void)
{
	size_t a = (size_t)(uintptr_t)__tls_align;

	return a < 16 ? 16 : a;
}

static size_t round_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

/* Out of line: the compiler may compute TLS addresses early, and in
 * __libc_tls_start they are only valid after KerThreadSelf. */
__attribute__((noinline)) static void record_self(unsigned id, int tid)
{
	__libc_sync_id = id;
	__libc_tid = tid;
}

size_t __libc_tls_size(void)
{
	size_t a = tls_align(), mem = (size_t)(uintptr_t)__tdata_size + (size_t)(uintptr_t)__tbss_size;

	return round_up(mem, a) + round_up(TCB_SIZE, a) + a;
}

void __libc_tls_start(void *area, size_t size)
{
	size_t a = tls_align();
	size_t filesz = (size_t)(uintptr_t)__tdata_size;
	size_t memsz = filesz + (size_t)(uintptr_t)__tbss_size;
	uintptr_t lo = (uintptr_t)area;
	uintptr_t tp;
	char *block;

#if defined(__x86_64__)
	tp = (lo + size - TCB_SIZE) & ~(uintptr_t)(a - 1);
	block = (char *)(tp - round_up(memsz, a));
	memset((void *)tp, 0, TCB_SIZE);
	*(uintptr_t *)tp = tp; /* the TCB points to itself: %fs:0 */
#elif defined(__aarch64__)
	(void)size; /* __libc_tls_size() leaves room for the alignment */
	tp = (lo + a - 1) & ~(uintptr_t)(a - 1);
	block = (char *)(tp + round_up(TCB_SIZE, a));
	memset((void *)tp, 0, TCB_SIZE);
#endif
	memcpy(block, __tdata_start, filesz);
	memset(block + filesz, 0, memsz - filesz);
	int tid = 0;
	int id = KerThreadSelf_r((void *)tp, &tid);
	record_self(id > 0 ? (unsigned)id : 0, tid);
}
