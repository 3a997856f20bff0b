/*
 * pipe(): a pair of fds on the pipe manager (servers/pipe). Opening
 * "/dev/pipe" for reading makes a new pipe and is its read end; its
 * number (fstat's st_ino) names the write end, "/dev/pipe/NUMBER", which
 * only we may open, and only once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int pipe(int fd[2])
{
	char path[32];
	struct stat st;
	int rd = open("/dev/pipe", O_RDONLY);

	if (rd < 0)
		return -1;
	int wr = -1;
	if (fstat(rd, &st) == 0) {
		snprintf(path, sizeof(path), "/dev/pipe/%llu", (unsigned long long)st.st_ino);
		wr = open(path, O_WRONLY);
	}
	if (wr < 0) {
		int err = errno;
		close(rd);
		errno = err;
		return -1;
	}
	fd[0] = rd;
	fd[1] = wr;
	return 0;
}
