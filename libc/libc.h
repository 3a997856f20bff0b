/* libc's internal interfaces between its files (not a public header). */
#ifndef LIBC_LIBC_H
#define LIBC_LIBC_H

#include <kernel/fmt.h>
#include <stdbool.h>
#include <stddef.h>

/* stdio.c: write out every stream (exit, abort). */
void __libc_stdio_flush(void);
/* stdio.c: write s[0..n) to the console now, retrying partial writes;
 * false if the kernel refused some (the rest is dropped). */
bool __libc_console_write(const char *s, size_t n);
/* fmt_float.c: printf's floating-point conversions (lib/fmt.c's hook). */
fmt_float_fn __libc_fmt_float;

#endif
