/* The FILE structure, shared by libc/stdio.c and libc/fopen.c (not a
 * public header). */
#ifndef LIBC_STDIO_IMPL_H
#define LIBC_STDIO_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* F_RBUF: buf holds input (pos..len not read yet), not output. */
enum { F_READ = 1, F_WRITE = 2, F_ERR = 4, F_EOF = 8, F_RBUF = 16 };

struct __file {
	int lock;	/* 0 free, 1 held */
	int fd;		/* what fileno says */
	int mode;	/* _IOFBF, _IOLBF or _IONBF */
	unsigned flags; /* F_* */
	int unget;	/* a character ungetc gave back, or EOF */
	char *buf;	/* the buffer in use: own or setvbuf's */
	size_t size;	/* its size (0: unbuffered) */
	size_t len;	/* bytes waiting in buf */
	size_t pos;	/* with F_RBUF: the next byte to read */
	/* The fd's I/O (fopen; the standard streams' from start-up, NULL
	 * in the host tests, where output goes to the console). */
	ssize_t (*rd)(int fd, void *buf, size_t n);
	ssize_t (*wr)(int fd, const void *buf, size_t n);
	off_t (*sk)(int fd, off_t off, int whence); /* NULL: not seekable */
	struct __file *next; /* fopen's streams: the next one */
	char own[BUFSIZ];
};

/* stdio.c: f joins (open) or leaves the streams fflush(NULL) and exit
 * flush. */
void __libc_stdio_opened(FILE *f, bool open);

#endif
