/*
 * fopen and fclose (<stdio.h>): a stream over an fd that open() gives,
 * fully buffered, reading and writing through read() and write(),
 * seeking (fseek, ftell, rewind in stdio.c) through lseek(), and
 * flushed by fflush(NULL) and exit until fclose. Kept apart from
 * stdio.c, which the host tests build without fds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

/* mode's open flags and stream flags: 0, or -1 for a bad mode. */
static int parse_mode(const char *mode, int *oflags, unsigned *fflags)
{
	switch (mode[0]) {
	case 'r':
		*oflags = O_RDONLY;
		*fflags = F_READ;
		break;
	case 'w':
		*oflags = O_WRONLY | O_CREAT | O_TRUNC;
		*fflags = F_WRITE;
		break;
	case 'a':
		*oflags = O_WRONLY | O_CREAT | O_APPEND;
		*fflags = F_WRITE;
		break;
	default:
		return -1;
	}
	for (const char *c = mode + 1; *c; c++) {
		if (*c == '+') {
			*oflags = (*oflags & ~O_ACCMODE) | O_RDWR;
			*fflags = F_READ | F_WRITE;
		} else if (*c == 'x') {
			*oflags |= O_EXCL;
		} else if (*c != 'b') {
			return -1;
		}
	}
	return 0;
}

FILE *fopen(const char *restrict path, const char *restrict mode)
{
	int oflags;
	unsigned fflags;

	if (!mode || parse_mode(mode, &oflags, &fflags) < 0) {
		errno = EINVAL;
		return NULL;
	}
	FILE *f = malloc(sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return NULL;
	}
	int fd = open(path, oflags, 0666);
	if (fd < 0) {
		free(f);
		return NULL;
	}
	memset(f, 0, offsetof(struct __file, own));
	f->fd = fd;
	f->mode = _IOFBF;
	f->flags = fflags;
	f->unget = EOF;
	f->buf = f->own;
	f->size = sizeof(f->own);
	f->rd = read;
	f->wr = write;
	f->sk = lseek;
	__libc_stdio_opened(f, true);
	return f;
}

int fclose(FILE *f)
{
	__libc_stdio_opened(f, false);
	int r = fflush(f);

	if (close(f->fd) < 0)
		r = EOF;
	free(f);
	return r ? EOF : 0;
}
