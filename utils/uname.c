/*
 * uname: the system's name and the machine it runs on.
 *
 *     uname [-a|-s|-m]    -s (default): "Muon"; -m: x86_64 or aarch64;
 *                         -a: both, with the CPUs running
 */
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#if defined(__x86_64__)
#define MACHINE "x86_64"
#else
#define MACHINE "aarch64"
#endif

int main(int argc, char **argv)
{
	const char *o = argc > 1 ? argv[1] : "-s";
	struct ker_info_counts c = {0};

	if (argc > 2 || (strcmp(o, "-s") && strcmp(o, "-m") && strcmp(o, "-a"))) {
		int help = !strcmp(o, "-h");
		fprintf(help ? stdout : stderr, "usage: uname [-a|-s|-m]\n");
		return !help;
	}
	if (!strcmp(o, "-s"))
		printf("Muon\n");
	else if (!strcmp(o, "-m"))
		printf("%s\n", MACHINE);
	else if (KerInfo(KER_INFO_COUNTS, &c, sizeof(c)) < 0)
		return 1;
	else
		printf("Muon %s %llu CPU%s\n", MACHINE, (unsigned long long)c.cpus,
		       c.cpus == 1 ? "" : "s");
	return 0;
}
