/*
 * The smallest libc check: prints through printf (the console path) and
 * exits with 3, which the process's exit status must show.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("hello from %s: argc %d, argv[0] \"%s\", %zu bytes\n", "user mode", argc,
	       argc > 0 ? argv[0] : "(none)", argc > 0 ? strlen(argv[0]) : 0);
	return 3;
}
