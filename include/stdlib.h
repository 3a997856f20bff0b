/*
 * Standard library: memory, process end, number conversion, sorting, the
 * environment.
 */
#ifndef _STDLIB_H_INCLUDED
#define _STDLIB_H_INCLUDED

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* Run the atexit handlers (newest first) and the destructors, flush
 * stdout and stderr, end the process with status & 0xff. */
__attribute__((noreturn)) void exit(int status);
/* End the process at once: no handlers, no flush (C99 name of _exit). */
__attribute__((noreturn)) void _Exit(int status);
/* Register func to run at exit; up to 32 handlers. 0, or -1 when full. */
int atexit(void (*func)(void));
/* Flush stdio, then raise SIGABRT (unblocked; if a handler returns or
 * it is ignored, again with the default action): the process ends
 * killed by SIGABRT, without atexit handlers (libc/abort.c). */
__attribute__((noreturn)) void abort(void);

typedef struct {
	int quot, rem;
} div_t;
typedef struct {
	long quot, rem;
} ldiv_t;
typedef struct {
	long long quot, rem;
} lldiv_t;

#define RAND_MAX   2147483647
#define MB_CUR_MAX 1

/*
 * Memory (libc/malloc.c; thread-safe). Blocks are 16-byte aligned.
 * malloc(0) returns a unique pointer (16 usable bytes), as glibc's does.
 * calloc whose n * size overflows: NULL, ENOMEM. realloc(NULL, n) is
 * malloc(n); realloc(p, 0) frees p and returns NULL (glibc's choice);
 * when realloc fails it returns NULL with ENOMEM and p is untouched.
 * posix_memalign: align a power of two and a multiple of sizeof(void *),
 * else EINVAL; ENOMEM; errno untouched. aligned_alloc: align any power of
 * two (else NULL, EINVAL), size any. free, realloc and
 * malloc_usable_size abort with a message on a pointer malloc did not
 * give, a damaged header or a double free (libc/malloc.c lists the
 * checks). More in <malloc.h>.
 */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);

int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *__restrict s, char **__restrict end, int base);
unsigned long strtoul(const char *__restrict s, char **__restrict end, int base);
long long strtoll(const char *__restrict s, char **__restrict end, int base);
unsigned long long strtoull(const char *__restrict s, char **__restrict end, int base);
/* Decimal and hex floating point, inf, nan; correctly rounded; ERANGE on
 * overflow and inexact underflow (libc/strtod.c). strtold is strtod's
 * double widened. */
double strtod(const char *__restrict s, char **__restrict end);
float strtof(const char *__restrict s, char **__restrict end);
long double strtold(const char *__restrict s, char **__restrict end);
double atof(const char *s);

int abs(int v);
long labs(long v);
long long llabs(long long v);
div_t div(int a, int b);
ldiv_t ldiv(long a, long b);
lldiv_t lldiv(long long a, long long b);

/* Heapsort: O(n log n) in the worst case, not stable (libc/qsort.c). */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));

/* The value of NAME=value in environ, or NULL. */
char *getenv(const char *name);
/* Without an allocator these keep their strings in static storage: up
 * to 128 variables, 32 set with setenv of up to 256 bytes each
 * ("NAME=value"); past that ENOMEM (libc/env.c). putenv's string becomes
 * part of the environment itself. */
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
int putenv(char *s);

#endif
