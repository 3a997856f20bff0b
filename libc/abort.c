/*
 * abort() and assert()'s failure path: SIGABRT raised at the calling
 * thread (unblocked first); if a handler returns or the signal is
 * ignored, the default action is put back and SIGABRT raised again, so
 * the process ends "killed by SIGABRT" (a parent's wait sees signal 6).
 * Should even that not end it, _exit(128 + SIGABRT).
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"

void abort(void)
{
	sigset_t set;
	struct sigaction dfl;

	__libc_stdio_flush(); /* the console is all there is: keep what was said */
	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGABRT, &dfl, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	_exit(128 + SIGABRT);
}

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	fprintf(stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line, func, expr);
	abort();
}
