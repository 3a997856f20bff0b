/*
 * Process start-up, called by crt0's _start with the initial stack's
 * argc, argv and envp: records environ, the auxiliary vector and the pid
 * it carries, runs the constructors, calls main and exits with its
 * value. Also getauxval and getpid.
 */
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "libc.h"

int main(int argc, char **argv, char **envp);

auxv_t *_auxv;

/* Our pid, from the loader (AT_MUON_PID): a process keeps its pid for
 * life, so one read at start-up serves every getpid(). */
static pid_t my_pid;

/* From the linker script (libc/user-sections.ld). */
extern void (*const __preinit_array_start[])(void) __attribute__((weak));
extern void (*const __preinit_array_end[])(void) __attribute__((weak));
extern void (*const __init_array_start[])(void) __attribute__((weak));
extern void (*const __init_array_end[])(void) __attribute__((weak));

__attribute__((noreturn, used)) void __libc_start(int argc, char **argv, char **envp);

void __libc_start(int argc, char **argv, char **envp)
{
	char **p = envp;
	/* The first thread's TLS block, in this frame, which lives as long
	 * as the process (libc/tls.c). */
	size_t tls = __libc_tls_size();
	char tls_area[tls] __attribute__((aligned(16)));

	__libc_tls_start(tls_area, tls);

	environ = envp;
	while (*p)
		p++;
	_auxv = (auxv_t *)(p + 1);
	my_pid = (pid_t)getauxval(AT_MUON_PID);
	__libc_fd_inherit();

	for (void (*const *f)(void) = __preinit_array_start; f < __preinit_array_end; f++)
		(*f)();
	for (void (*const *f)(void) = __init_array_start; f < __init_array_end; f++)
		(*f)();
	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	for (auxv_t *a = _auxv; a && a->a_type != AT_NULL; a++)
		if ((unsigned long)a->a_type == type)
			return (unsigned long)a->a_un.a_val;
	return 0;
}

pid_t getpid(void)
{
	return my_pid;
}
