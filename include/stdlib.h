/*
 * Standard library: memory, process end, number conversion, environment.
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
/* Print "abort" on stderr and end the process with status 134 (128 +
 * SIGABRT), without atexit handlers. A signal once signals exist. */
__attribute__((noreturn)) void abort(void);

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

int abs(int v);
long labs(long v);
long long llabs(long long v);

/* The value of NAME=value in environ, or NULL. */
char *getenv(const char *name);

#endif
