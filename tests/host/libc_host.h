/*
 * libc's functions as the host tests see them: build/host/libc_host.a has
 * libc's pure pieces with every global symbol renamed muon_<name> (see
 * host.mk), so they sit beside the host C library the test itself uses.
 */
#ifndef LIBC_HOST_H
#define LIBC_HOST_H

#include <stdarg.h>
#include <stddef.h>

void *muon_memcpy(void *dst, const void *src, size_t n);
void *muon_memmove(void *dst, const void *src, size_t n);
void *muon_memset(void *dst, int c, size_t n);
int muon_memcmp(const void *a, const void *b, size_t n);
void *muon_memchr(const void *s, int c, size_t n);
size_t muon_strlen(const char *s);
size_t muon_strnlen(const char *s, size_t max);
int muon_strcmp(const char *a, const char *b);
int muon_strncmp(const char *a, const char *b, size_t n);
char *muon_strchr(const char *s, int c);
char *muon_strrchr(const char *s, int c);
char *muon_strstr(const char *h, const char *n);
char *muon_strcpy(char *dst, const char *src);
char *muon_strncpy(char *dst, const char *src, size_t n);
char *muon_strcat(char *dst, const char *src);
char *muon_strncat(char *dst, const char *src, size_t n);
size_t muon_strlcpy(char *dst, const char *src, size_t size);
size_t muon_strlcat(char *dst, const char *src, size_t size);
char *muon_strerror(int errnum);

int muon_isspace(int c);
int muon_isalpha(int c);
int muon_isdigit(int c);
int muon_isxdigit(int c);
int muon_isalnum(int c);
int muon_ispunct(int c);
int muon_isprint(int c);
int muon_isgraph(int c);
int muon_iscntrl(int c);
int muon_isupper(int c);
int muon_islower(int c);
int muon_isblank(int c);
int muon_tolower(int c);
int muon_toupper(int c);

extern int muon_errno;
long muon_strtol(const char *s, char **end, int base);
unsigned long muon_strtoul(const char *s, char **end, int base);
long long muon_strtoll(const char *s, char **end, int base);
unsigned long long muon_strtoull(const char *s, char **end, int base);
int muon_atoi(const char *s);
long muon_atol(const char *s);
long long muon_atoll(const char *s);
char *muon_getenv(const char *name);
int muon_setenv(const char *name, const char *value, int overwrite);
int muon_unsetenv(const char *name);
int muon_putenv(char *s);
extern char **muon_environ;
double muon_strtod(const char *s, char **end);
float muon_strtof(const char *s, char **end);
long double muon_strtold(const char *s, char **end);
double muon_atof(const char *s);
long muon_strtoimax(const char *s, char **end, int base);
unsigned long muon_strtoumax(const char *s, char **end, int base);
void muon_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *muon_bsearch(const void *key, const void *base, size_t n, size_t size,
		   int (*cmp)(const void *, const void *));
long muon_sysconf(int name);

typedef struct muon_file MUON_FILE;
extern MUON_FILE *muon_stdin, *muon_stdout, *muon_stderr;
int muon_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int muon_fprintf(MUON_FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int muon_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int muon_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int muon_sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int muon_puts(const char *s);
int muon_putchar(int c);
int muon_fputs(const char *s, MUON_FILE *f);
int muon_fputc(int c, MUON_FILE *f);
size_t muon_fwrite(const void *p, size_t size, size_t n, MUON_FILE *f);
int muon_fflush(MUON_FILE *f);
int muon_setvbuf(MUON_FILE *f, char *buf, int mode, size_t size);
void muon_setbuf(MUON_FILE *f, char *buf);
int muon_fgetc(MUON_FILE *f);
int muon_getchar(void);
int muon_ungetc(int c, MUON_FILE *f);
char *muon_fgets(char *s, int n, MUON_FILE *f);
size_t muon_fread(void *p, size_t size, size_t n, MUON_FILE *f);
int muon_ferror(MUON_FILE *f);
int muon_feof(MUON_FILE *f);
void muon_clearerr(MUON_FILE *f);
int muon_fileno(MUON_FILE *f);
void muon_perror(const char *s);
int muon_atexit(void (*func)(void));
void muon_exit(int status) __attribute__((noreturn));

void *muon_malloc(size_t n);
void muon_free(void *p);
void *muon_calloc(size_t n, size_t size);
void *muon_realloc(void *p, size_t n);
int muon_posix_memalign(void **out, size_t align, size_t n);
void *muon_aligned_alloc(size_t align, size_t n);
void *muon_memalign(size_t align, size_t n);
size_t muon_malloc_usable_size(void *p);
int muon_malloc_trim(size_t pad);

#endif
