/*
 * Console output through KerConsoleWrite, until the console server
 * exists (see <stdio.h> for the buffering rules). Formatting is the
 * kernel's formatter, kernel/fmt.c, compiled into libc as well.
 * tests/host/test_libc_stdio.c runs this file on the host with
 * KerConsoleWrite_r replaced by a capture.
 */
#include <kernel/fmt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/kcall.h>

#include "libc.h"

/* Bytes per KerConsoleWrite call; the kernel accepts up to 4096. */
#define CONSOLE_CHUNK 1024

struct __file {
	bool unbuffered; /* write out at the end of every call (stderr) */
	size_t len;	 /* bytes waiting in buf */
	char buf[BUFSIZ];
};

static struct __file out_file = {.unbuffered = false};
static struct __file err_file = {.unbuffered = true};
FILE *stdout = &out_file;
FILE *stderr = &err_file;

void __libc_console_write(const char *s, size_t n)
{
	while (n) {
		int r = KerConsoleWrite_r(s, n < CONSOLE_CHUNK ? n : CONSOLE_CHUNK);
		if (r <= 0)
			return; /* nowhere else to report it: drop the rest */
		s += r;
		n -= (size_t)r;
	}
}

static void flush(FILE *f)
{
	if (f->len) {
		__libc_console_write(f->buf, f->len);
		f->len = 0;
	}
}

/* Append n bytes to f's buffer, writing out at each '\n' and when full. */
static void put(FILE *f, const char *s, size_t n)
{
	if (f == stderr)
		flush(stdout); /* keep the order the program wrote in */
	for (size_t i = 0; i < n; i++) {
		f->buf[f->len++] = s[i];
		if (s[i] == '\n' || f->len == sizeof(f->buf))
			flush(f);
	}
	if (f->unbuffered)
		flush(f);
}

void __libc_stdio_flush(void)
{
	flush(stdout);
	flush(stderr);
}

int fflush(FILE *f)
{
	if (f)
		flush(f);
	else
		__libc_stdio_flush();
	return 0;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	char small[256];
	va_list aq;

	va_copy(aq, ap);
	int n = fmt_vsnprintf(small, sizeof(small), fmt, ap);
	if ((size_t)n < sizeof(small)) {
		put(f, small, (size_t)n);
	} else {
		/* Format again, in full up to PRINTF_MAX bytes. */
		size_t len = n < PRINTF_MAX ? (size_t)n : PRINTF_MAX;
		char big[len + 1];
		fmt_vsnprintf(big, len + 1, fmt, aq);
		put(f, big, len);
		n = (int)len;
	}
	va_end(aq);
	return n;
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
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return fmt_vsnprintf(buf, INT_MAX, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, INT_MAX, fmt, ap);
	va_end(ap);
	return n;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	put(f, &ch, 1);
	return (unsigned char)ch;
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

	put(f, s, n);
	return n < INT_MAX ? (int)n : INT_MAX;
}

int puts(const char *s)
{
	size_t n = strlen(s);

	put(stdout, s, n);
	put(stdout, "\n", 1);
	return n < INT_MAX ? (int)n + 1 : INT_MAX;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	if (!size || !n)
		return 0;
	if (n > (size_t)-1 / size)
		return 0;
	put(f, p, size * n);
	return n;
}
