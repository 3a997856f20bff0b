/* Kernel console output: printf-style formatting onto the arch console. */
#ifndef KERNEL_KPRINTF_H
#define KERNEL_KPRINTF_H

#include <kernel/compiler.h>
#include <stdarg.h>

PRINTF_LIKE(1, 2) int kprintf(const char *fmt, ...);
int kvprintf(const char *fmt, va_list ap);
void kputs(const char *s); /* no formatting, no newline added */

#endif
