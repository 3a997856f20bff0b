/* libc's internal interfaces between its files (not a public header). */
#ifndef LIBC_LIBC_H
#define LIBC_LIBC_H

#include <stddef.h>

/* stdio.c: write out stdout and stderr (exit, abort). */
void __libc_stdio_flush(void);
/* stdio.c: write s[0..n) to the console now, retrying partial writes;
 * output the kernel refuses is dropped. */
void __libc_console_write(const char *s, size_t n);

#endif
