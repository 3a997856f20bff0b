/*
 * For host tests of libc code that may end the program (exit, abort,
 * a failed check): libc's exit reaches muon_KerProcExit_r, which here
 * records the status and jumps back to the test's setjmp(exit_jmp).
 */
#ifndef TESTS_HOST_HOST_EXIT_H
#define TESTS_HOST_HOST_EXIT_H

#include <setjmp.h>

static jmp_buf exit_jmp;
static int exit_status;

int muon_KerProcExit_r(int status);
int muon_KerProcExit_r(int status)
{
	exit_status = status;
	longjmp(exit_jmp, 1);
}

#endif
