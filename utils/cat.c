/*
 * cat: each FILE (a path a resource manager serves), or stdin without
 * one or for "-", copied to stdout.
 *
 *     cat [FILE]...
 *
 * Exit status 0; 1 after saying which FILE could not be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int copy(int fd, const char *name)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(1, buf + done, (size_t)(n - done));
			if (w <= 0) {
				fprintf(stderr, "cat: stdout: %s\n", strerror(errno));
				return 1;
			}
			done += w;
		}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc > 1 && !strcmp(argv[1], "-h")) {
		printf("usage: cat [FILE]...\n");
		return 0;
	}
	if (argc == 1)
		return copy(0, "stdin");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			bad |= copy(0, "stdin");
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		bad |= copy(fd, argv[i]);
		close(fd);
	}
	return bad;
}
