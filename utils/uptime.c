/*
 * uptime: how long since the kernel was entered (KerInfo's boot_ns; the
 * clock itself counts from the machine's reset, firmware and loader
 * included).
 *
 *     uptime [-n]    -n: nanoseconds, a bare number (make bench reads it
 *                    under -icount, where they are instructions)
 */
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct ker_info_counts c = {0};
	struct timespec now;
	int bare = argc == 2 && !strcmp(argv[1], "-n");

	if (argc > 2 || (argc == 2 && !bare)) {
		int help = !strcmp(argv[1], "-h");
		fprintf(help ? stdout : stderr, "usage: uptime [-n]\n");
		return !help;
	}
	if (KerInfo(KER_INFO_COUNTS, &c, sizeof(c)) < 0 || clock_gettime(CLOCK_MONOTONIC, &now))
		return 1;
	unsigned long long ns = (unsigned long long)now.tv_sec * 1000000000ull +
				(unsigned long long)now.tv_nsec - c.boot_ns;
	if (bare)
		printf("%llu\n", ns);
	else
		printf("up %llu.%03llu s\n", ns / 1000000000ull, ns / 1000000ull % 1000);
	return 0;
}
