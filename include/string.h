/* Memory and string functions (libc/string.c, libc/strerror.c). */
#ifndef _STRING_H_INCLUDED
#define _STRING_H_INCLUDED

#include <stddef.h>

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *__restrict dst, const char *__restrict src);
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n);
char *strcat(char *__restrict dst, const char *__restrict src);
char *strncat(char *__restrict dst, const char *__restrict src, size_t n);
/* BSD/QNX: copy or append within size bytes, always terminated (size > 0);
 * return the length of the string they tried to create. */
size_t strlcpy(char *__restrict dst, const char *__restrict src, size_t size);
size_t strlcat(char *__restrict dst, const char *__restrict src, size_t size);

/* The message for an error number, QNX's wording. */
char *strerror(int errnum);
/* The name of a signal (libc/signal.c). */
char *strsignal(int signo);

#endif
