/*
 * ls: the entries of each directory PATH (default "/"), one a line, in
 * the order its server gives them; a PATH that is not a directory is
 * printed as itself if it opens.
 *
 *     ls [PATH]...
 *
 * The directories are those of the pathname space: namesrv's (every
 * path a resource manager attached implies its parents, and
 * /dev/name/local lists the names attached) and a manager's own.
 * Exit status 0; 1 after saying which PATH is not there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int list(const char *path, int heading)
{
	DIR *d = opendir(path);

	if (!d) {
		int fd = errno == ENOTDIR ? open(path, O_RDONLY) : -1;
		if (fd >= 0) {
			close(fd);
			printf("%s\n", path);
			return 0;
		}
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (heading)
		printf("%s:\n", path);
	for (struct dirent *e; (e = readdir(d));)
		printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc > 1 && !strcmp(argv[1], "-h")) {
		printf("usage: ls [PATH]...\n");
		return 0;
	}
	if (argc == 1)
		return list("/", 0);
	for (int i = 1; i < argc; i++)
		bad |= list(argv[i], argc > 2);
	return bad;
}
