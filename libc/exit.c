/*
 * The end of a process: exit (atexit handlers, destructors, stdio flush),
 * _exit/_Exit (the kernel call KerProcExit, which does not return).
 * abort and assert's failure are in abort.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/kcall.h>
#include <unistd.h>

#include "libc.h"

#define ATEXIT_MAX 32 /* the minimum C asks for */

static void (*handlers[ATEXIT_MAX])(void);
static int nhandlers;

/* From the linker script; weak so that the host tests, which have none,
 * see an empty array. */
extern void (*const __fini_array_start[])(void) __attribute__((weak));
extern void (*const __fini_array_end[])(void) __attribute__((weak));

int atexit(void (*func)(void))
{
	if (nhandlers == ATEXIT_MAX)
		return -1;
	handlers[nhandlers++] = func;
	return 0;
}

void exit(int status)
{
	/* A handler may call atexit() itself; take them one at a time. */
	while (nhandlers > 0)
		handlers[--nhandlers]();
	for (void (*const *f)(void) = __fini_array_end; f > __fini_array_start;)
		(*--f)();
	__libc_stdio_flush();
	_exit(status);
}

void _exit(int status)
{
	KerProcExit_r(status);
	for (;;)
		; /* not reached: KerProcExit does not return */
}

void _Exit(int status)
{
	_exit(status);
}
