/*
 * stdio: the FILE streams stdin, stdout and stderr, their buffers, and
 * the printf family (formatting is lib/fmt.c's, shared with the kernel,
 * plus libc/fmt_float.c for floating point). A stream reads and writes
 * through the functions it holds: an fopen() stream (libc/fopen.c) its
 * fd's, the standard streams fds 0-2 while they are open (libc/fd.c:
 * the console server's, inherited) and otherwise the kernel's early
 * console (KerConsoleWrite) for output and end-of-file for input. See
 * <stdio.h> for the buffering rules.
 *
 * Locking: each FILE has a spinlock (an atomic int; a waiter yields the
 * CPU). A call holds its stream's lock throughout; writing to stderr or
 * stdin's error path first flushes stdout, taking stdout's lock inside
 * (lock order: any stream, then stdout; stdout never takes another).
 * tests/host/test_libc_stdio.c runs this file on the host with the kernel
 * calls replaced by a capture.
 */
#include <errno.h>
#include <kernel/fmt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/kcall.h>

#include "libc.h"
#include "stdio_impl.h"

/* Bytes per KerConsoleWrite call; the kernel accepts up to 4096. */
#define CONSOLE_CHUNK 1024

static struct __file in_file = {
	.fd = 0, .mode = _IOLBF, .flags = F_READ, .unget = EOF, .buf = in_file.own, .size = BUFSIZ};
static struct __file out_file = {
	.fd = 1, .mode = _IOLBF, .flags = F_WRITE, .unget = EOF, .buf = out_file.own, .size = BUFSIZ};
static struct __file err_file = {.fd = 2, .mode = _IONBF, .flags = F_WRITE, .unget = EOF};
FILE *stdin = &in_file;
FILE *stdout = &out_file;
FILE *stderr = &err_file;

static void lock(FILE *f)
{
	while (__atomic_exchange_n(&f->lock, 1, __ATOMIC_ACQUIRE))
		SchedYield_r();
}

static void unlock(FILE *f)
{
	__atomic_store_n(&f->lock, 0, __ATOMIC_RELEASE);
}

bool __libc_console_write(const char *s, size_t n)
{
	while (n) {
		int r = KerConsoleWrite_r(s, n < CONSOLE_CHUNK ? n : CONSOLE_CHUNK);
		if (r <= 0)
			return false; /* nowhere else to report it: drop the rest */
		s += r;
		n -= (size_t)r;
	}
	return true;
}

/* Write s[0..n) to f's device; on failure f's error flag is set. */
static int write_out(FILE *f, const char *s, size_t n)
{
	while (f->wr && n) {
		ssize_t r = f->wr(f->fd, s, n);
		if (r <= 0) {
			f->flags |= F_ERR;
			if (!r)
				errno = EIO;
			return -1;
		}
		s += r;
		n -= (size_t)r;
	}
	if (n && !__libc_console_write(s, n)) {
		f->flags |= F_ERR;
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Locked: write out what f's buffer holds. */
static int flush_locked(FILE *f)
{
	size_t n = f->len;

	f->len = 0;
	if (f->flags & F_RBUF) { /* input not read yet: dropped */
		f->pos = 0;
		f->flags &= ~F_RBUF;
		return 0;
	}
	return write_out(f, f->buf, n);
}

static void flush_stdout_for(FILE *f)
{
	if (f != stdout) { /* keep the order the program wrote in */
		lock(stdout);
		flush_locked(stdout);
		unlock(stdout);
	}
}

/* Locked: append n bytes to f by its buffering mode. 0, or -1 (error). */
static int put_locked(FILE *f, const char *s, size_t n)
{
	int r = 0;

	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	if (f->flags & F_RBUF)
		flush_locked(f); /* from reading to writing */
	if (f->mode == _IONBF || !f->size) {
		flush_stdout_for(f);
		return write_out(f, s, n);
	}
	bool newline = f->mode == _IOLBF && memchr(s, '\n', n);
	flush_stdout_for(f);
	while (n) {
		size_t room = f->size - f->len, k = n < room ? n : room;
		memcpy(f->buf + f->len, s, k);
		f->len += k;
		s += k;
		n -= k;
		if (f->len == f->size)
			r |= flush_locked(f);
	}
	/* Line buffered: what is up to the last newline goes out now. */
	if (newline) {
		size_t end = f->len;
		while (end && f->buf[end - 1] != '\n')
			end--;
		if (end) {
			r |= write_out(f, f->buf, end);
			memmove(f->buf, f->buf + end, f->len - end);
			f->len -= end;
		}
	}
	return r;
}

void __libc_stdio_flush(void)
{
	fflush(NULL);
}

/* The streams fopen made, for fflush(NULL) and exit; under opened_lock
 * (taken before any stream's). */
static FILE *opened;
static int opened_lock;

void __libc_stdio_opened(FILE *f, bool open)
{
	while (__atomic_exchange_n(&opened_lock, 1, __ATOMIC_ACQUIRE))
		SchedYield_r();
	if (open) {
		f->next = opened;
		opened = f;
	} else {
		FILE **p = &opened;
		while (*p && *p != f)
			p = &(*p)->next;
		if (*p)
			*p = f->next;
	}
	__atomic_store_n(&opened_lock, 0, __ATOMIC_RELEASE);
}

int fflush(FILE *f)
{
	if (!f) {
		int r = fflush(stderr);
		while (__atomic_exchange_n(&opened_lock, 1, __ATOMIC_ACQUIRE))
			SchedYield_r();
		for (FILE *o = opened; o; o = o->next)
			r |= fflush(o);
		__atomic_store_n(&opened_lock, 0, __ATOMIC_RELEASE);
		return fflush(stdout) | r;
	}
	lock(f);
	int r = f->flags & F_WRITE ? flush_locked(f) : 0;
	unlock(f);
	return r ? EOF : 0;
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return -1;
	}
	lock(f);
	if (f->flags & F_WRITE)
		flush_locked(f);
	f->mode = mode;
	if (mode == _IONBF) {
		f->buf = NULL;
		f->size = 0;
	} else if (buf && size) {
		f->buf = buf;
		f->size = size;
	} else { /* no allocator yet: our own buffer, whatever size asked */
		f->buf = f->own;
		f->size = sizeof(f->own);
	}
	unlock(f);
	return 0;
}

void setbuf(FILE *restrict f, char *restrict buf)
{
	setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

/* --- formatted output ---------------------------------------------------- */

static void sink_file(void *arg, const char *s, size_t n)
{
	put_locked(arg, s, n);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	char chunk[128];
	struct fmt_out o = {.buf = chunk, .size = sizeof(chunk), .sink = sink_file, .arg = f};

	lock(f);
	unsigned before = f->flags & F_ERR;
	f->flags &= ~F_ERR;
	size_t n = fmt_format(&o, fmt, ap, __libc_fmt_float);
	fmt_flush(&o);
	bool failed = f->flags & F_ERR;
	f->flags |= before;
	unlock(f);
	if (failed)
		return -1;
	if (n > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct fmt_out o = {.buf = buf, .size = size};
	size_t n = fmt_format(&o, fmt, ap, __libc_fmt_float);

	if (n > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)INT_MAX + 1, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

/* --- characters and strings out --------------------------------------------- */

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	lock(f);
	int r = put_locked(f, &ch, 1);
	unlock(f);
	return r ? EOF : (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
	size_t n = strlen(s);

	lock(f);
	int r = put_locked(f, s, n);
	unlock(f);
	return r ? EOF : n < INT_MAX ? (int)n : INT_MAX;
}

int puts(const char *s)
{
	size_t n = strlen(s);

	lock(stdout);
	int r = put_locked(stdout, s, n);
	r |= put_locked(stdout, "\n", 1);
	unlock(stdout);
	return r ? EOF : n < INT_MAX ? (int)n + 1 : INT_MAX;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	if (!size || !n)
		return 0;
	if (n > (size_t)-1 / size) {
		errno = EOVERFLOW;
		return 0;
	}
	lock(f);
	int r = put_locked(f, p, size * n);
	unlock(f);
	return r ? 0 : n;
}

void perror(const char *s)
{
	const char *m = strerror(errno);

	lock(stderr);
	if (s && *s) {
		put_locked(stderr, s, strlen(s));
		put_locked(stderr, ": ", 2);
	}
	put_locked(stderr, m, strlen(m));
	put_locked(stderr, "\n", 1);
	unlock(stderr);
}

/* --- positioning: an fd's stream (fopen) ------------------------------------ */

/* Locked: where the program is in f, from the fd's offset and what the
 * buffer holds (input read ahead, output not written yet); -1 with
 * errno ESPIPE for a stream with no fd to seek. */
static off_t tell_locked(FILE *f)
{
	if (!f->sk) {
		errno = ESPIPE;
		return -1;
	}
	off_t at = f->sk(f->fd, 0, SEEK_CUR);
	if (at < 0)
		return -1;
	if (f->flags & F_RBUF)
		at -= (off_t)(f->len - f->pos);
	else
		at += (off_t)f->len;
	return f->unget != EOF && at > 0 ? at - 1 : at;
}

int fseek(FILE *f, long off, int whence)
{
	int r = -1;

	lock(f);
	if (!f->sk) {
		errno = ESPIPE;
	} else if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
		errno = EINVAL;
	} else {
		/* SEEK_CUR counts from where the program is, not the fd. */
		off_t base = whence == SEEK_CUR ? tell_locked(f) : 0;
		if (base >= 0 && !flush_locked(f)) {
			f->unget = EOF;
			int how = whence == SEEK_CUR ? SEEK_SET : whence;
			r = f->sk(f->fd, base + off, how) < 0 ? -1 : 0;
		}
		if (!r)
			f->flags &= ~F_EOF;
	}
	unlock(f);
	return r;
}

long ftell(FILE *f)
{
	lock(f);
	off_t at = tell_locked(f);
	unlock(f);
	return (long)at;
}

void rewind(FILE *f)
{
	fseek(f, 0, SEEK_SET);
	lock(f);
	f->flags &= ~F_ERR;
	unlock(f);
}

/* --- input: an fd's, none on stdin yet -------------------------------------- */

/* Locked: the next input character, or EOF (end of input or error). */
static int get_locked(FILE *f)
{
	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return EOF;
	}
	if (f->unget != EOF) {
		int c = f->unget;
		f->unget = EOF;
		return c;
	}
	if (f->rd) {
		if (!(f->flags & F_RBUF)) { /* from writing to reading */
			if (flush_locked(f))
				return EOF;
			f->flags |= F_RBUF;
		}
		if (f->pos < f->len)
			return (unsigned char)f->buf[f->pos++];
		unsigned char one;
		char *to = f->size ? f->buf : (char *)&one;
		ssize_t r = f->rd(f->fd, to, f->size ? f->size : 1);
		f->pos = f->len = 0;
		if (r <= 0) {
			f->flags |= r ? F_ERR : F_EOF;
			return EOF;
		}
		if (!f->size)
			return one;
		f->len = (size_t)r;
		f->pos = 1;
		return (unsigned char)f->buf[0];
	}
	/* Nothing to read from (the host tests' stdin): at its end. */
	f->flags |= F_EOF;
	return EOF;
}

int fgetc(FILE *f)
{
	lock(f);
	int c = get_locked(f);
	unlock(f);
	return c;
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF)
		return EOF;
	lock(f);
	int r = EOF;
	if ((f->flags & F_READ) && f->unget == EOF) {
		f->unget = (unsigned char)c;
		f->flags &= ~F_EOF;
		r = (unsigned char)c;
	}
	unlock(f);
	return r;
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
	int i = 0;

	if (n <= 0)
		return NULL;
	lock(f);
	while (i < n - 1) {
		int c = get_locked(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	bool err = f->flags & F_ERR;
	unlock(f);
	if (i == 0 || err)
		return NULL;
	s[i] = '\0';
	return s;
}

size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	unsigned char *d = p;
	size_t want, got = 0;

	if (!size || !n)
		return 0;
	if (n > (size_t)-1 / size) {
		errno = EOVERFLOW;
		return 0;
	}
	want = size * n;
	lock(f);
	while (got < want) {
		int c = get_locked(f);
		if (c == EOF)
			break;
		d[got++] = (unsigned char)c;
	}
	unlock(f);
	return got / size;
}

/* --- state ------------------------------------------------------------------- */

int ferror(FILE *f)
{
	return (__atomic_load_n(&f->flags, __ATOMIC_RELAXED) & F_ERR) != 0;
}

int feof(FILE *f)
{
	return (__atomic_load_n(&f->flags, __ATOMIC_RELAXED) & F_EOF) != 0;
}

void clearerr(FILE *f)
{
	lock(f);
	f->flags &= ~(F_ERR | F_EOF);
	unlock(f);
}

int fileno(FILE *f)
{
	return f->fd;
}
