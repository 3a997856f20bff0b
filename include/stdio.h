/*
 * Standard I/O (libc/stdio.c). Three streams so far, all on the kernel's
 * early console until the console server exists:
 *   stdout  line buffered (written at '\n', when its BUFSIZ buffer is
 *           full, by fflush and at exit);
 *   stderr  unbuffered (written at the end of every call, after stdout
 *           is flushed so the two keep their order);
 *   stdin   no input yet: reading gives EOF with feof() set.
 * setvbuf/setbuf change a stream's mode; without an allocator a NULL
 * buffer means the stream's own BUFSIZ bytes. Each FILE has a lock, so
 * threads may share streams; a call's output is not interleaved with
 * another's. fopen() makes a fully buffered stream over an fd (open():
 * a path a resource manager serves), fclose() flushes and closes it;
 * between writing and reading one, call fflush or fseek (C's rule).
 * fseek/ftell/rewind work on fopen's streams (the standard streams:
 * ESPIPE). No scanf, no dprintf.
 *
 * printf: flags "-+ #0", width and precision (also '*'), length modifiers
 * hh h l ll z j t L, conversions d i u x X o c s p % and floating point
 * e E f F g G a A, exactly rounded from the double's exact value (ties
 * to even, as glibc); long double is formatted as double. %n is not
 * supported: its argument is taken and nothing is written to it.
 */
#ifndef _STDIO_H_INCLUDED
#define _STDIO_H_INCLUDED

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define EOF	 (-1)
#define BUFSIZ	 1024
#define FILENAME_MAX 1024
#define FOPEN_MAX    8

#define _IOFBF 0 /* fully buffered */
#define _IOLBF 1 /* line buffered */
#define _IONBF 2 /* unbuffered */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

typedef struct __file FILE;
typedef off_t fpos_t;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

/* mode: "r", "w", "a", each with '+', 'b' (ignored) or 'x' (O_EXCL). */
FILE *fopen(const char *__restrict path, const char *__restrict mode);
int fclose(FILE *f);
/* The position, from the fd's offset and what the buffer holds; fseek
 * writes out pending output and drops read-ahead input and ungetc's
 * character. -1 with errno: ESPIPE, EINVAL, or lseek's. */
int fseek(FILE *f, long offset, int whence);
long ftell(FILE *f);
/* fseek(f, 0, SEEK_SET), and the error flag cleared. */
void rewind(FILE *f);
#define stdin  stdin
#define stdout stdout
#define stderr stderr

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
/* "s: message of errno\n" on stderr (just the message if s is NULL or ""). */
void perror(const char *s);

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
/* One character of push-back per stream. */
int ungetc(int c, FILE *f);
char *fgets(char *__restrict s, int n, FILE *__restrict f);
size_t fread(void *__restrict p, size_t size, size_t n, FILE *__restrict f);

/* Write out what f holds; f NULL: every stream. 0, or EOF (error set). */
int fflush(FILE *f);
/* mode _IOFBF, _IOLBF or _IONBF; buf (size bytes) or NULL: the stream's
 * own. Pending output is written out first. 0, or -1 (EINVAL). */
int setvbuf(FILE *__restrict f, char *__restrict buf, int mode, size_t size);
void setbuf(FILE *__restrict f, char *__restrict buf);

int ferror(FILE *f);
int feof(FILE *f);
void clearerr(FILE *f);
int fileno(FILE *f);

#endif
