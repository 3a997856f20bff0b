/*
 * echo: its arguments, separated by one space, then a newline.
 *
 *     echo [-n] [ARG]...    -n: no newline at the end
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1, newline = 1;

	if (argc > 1 && !strcmp(argv[1], "-h")) {
		printf("usage: echo [-n] [ARG]...\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i++;
	}
	for (int first = i; i < argc; i++)
		printf(i > first ? " %s" : "%s", argv[i]);
	if (newline)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
