/*
 * printf-style formatting into a buffer, freestanding and shared by the
 * kernel and host tests. Supports flags "-0+ #", width and precision (also
 * '*'), length modifiers hh h l ll z j t, conversions d i u x X o c s p %.
 */
#ifndef KERNEL_FMT_H
#define KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: returns the length the full output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int fmt_snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
