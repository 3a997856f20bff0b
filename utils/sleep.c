/*
 * sleep: wait SECONDS (decimals allowed), then exit 0.
 *
 *     sleep SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	char *end;
	double s = argc == 2 ? strtod(argv[1], &end) : -1;

	if (argc != 2 || !strcmp(argv[1], "-h") || *end || s < 0 || s > 1e9) {
		fprintf(argc == 2 && !strcmp(argv[1], "-h") ? stdout : stderr,
			"usage: sleep SECONDS\n");
		return argc == 2 && !strcmp(argv[1], "-h") ? 0 : 1;
	}
	struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	return nanosleep(&t, NULL) ? 1 : 0;
}
