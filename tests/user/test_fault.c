/*
 * A user fault ends only the faulting process, with a one-line report:
 * this program writes to a kernel address. Run as pid 1, its death ends
 * the system with exit status 128 + SIGSEGV; the harness checks the
 * report line and that the kernel itself did not die.
 */
#include <stdio.h>

int main(void)
{
	printf("test_fault: writing to a kernel address\n");
	*(volatile int *)0xffffffff80200000ul = 1;
	printf("test_fault: still alive: the write did not fault\n");
	return 0;
}
