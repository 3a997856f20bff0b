/*
 * Console output until the console server exists (libc/stdio.c).
 * stdout and stderr both write through KerConsoleWrite: stdout is line
 * buffered (flushed at '\n', when full, by fflush and at exit); stderr
 * flushes at the end of every call, after flushing stdout so the two
 * keep their order. No input and no files yet.
 *
 * Formatting is kernel/fmt.c's: flags "-0+ #", width, precision, length
 * modifiers hh h l ll z j t, conversions d i u x X o c s p %. No floating
 * point. Output of one printf call is limited to PRINTF_MAX bytes; the
 * rest is dropped (the return value counts what was written).
 */
#ifndef _STDIO_H_INCLUDED
#define _STDIO_H_INCLUDED

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define EOF	   (-1)
#define BUFSIZ	   256
#define PRINTF_MAX 4096

typedef struct __file FILE;

extern FILE *stdout;
extern FILE *stderr;

#define __printf_like(f, a) __attribute__((format(printf, f, a)))

__printf_like(1, 2) int printf(const char *__restrict fmt, ...);
__printf_like(2, 3) int fprintf(FILE *__restrict f, const char *__restrict fmt, ...);
__printf_like(3, 4) int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt,
				 ...);
__printf_like(2, 3) int sprintf(char *__restrict buf, const char *__restrict fmt, ...);
__printf_like(1, 0) int vprintf(const char *__restrict fmt, va_list ap);
__printf_like(2, 0) int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap);
__printf_like(3, 0) int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt,
				  va_list ap);
__printf_like(2, 0) int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *__restrict s, FILE *__restrict f);
int puts(const char *s);
size_t fwrite(const void *__restrict p, size_t size, size_t n, FILE *__restrict f);
/* Write out what f holds; f NULL: every stream. */
int fflush(FILE *f);

#endif
