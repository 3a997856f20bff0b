/*
 * Standard library: process end, number conversion, environment.
 * No allocator yet (malloc and friends come with the memory manager).
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
