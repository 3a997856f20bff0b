/*
 * printf-style formatting into a buffer, freestanding and shared by the
 * kernel and libc (lib/fmt.c). Supports flags "-0+ #", width and precision
 * (also '*'), length modifiers hh h l ll z j t L, conversions d i u x X o c
 * s p %. Floating point (e E f F g G a A) goes to a hook the caller gives
 * (libc's, libc/fmt_float.c): the kernel has no FP registers, so without a
 * hook those conversions print as themselves ("%f") and take no argument.
 * %n is not supported: it takes its pointer argument and writes nothing.
 */
#ifndef KERNEL_FMT_H
#define KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Where output goes: buf[0..size) and, with a sink, on to the sink each
 * time buf fills (then buf is reused); len counts every byte produced. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t used; /* bytes in buf (sink mode) */
	size_t len;  /* bytes the full output has so far */
	void (*sink)(void *arg, const char *s, size_t n);
	void *arg;
};

enum { FMT_LEFT = 1, FMT_ZERO = 2, FMT_PLUS = 4, FMT_SPACE = 8, FMT_ALT = 16 };

/* One conversion: flags FMT_*, width (>= 0), precision (-1: none), the
 * length modifier ('L' for long double, else 0) and the conversion letter. */
struct fmt_spec {
	int flags, width, prec;
	char length, conv;
};

/* Formats one floating-point conversion, taking its argument from *ap. */
typedef void fmt_float_fn(struct fmt_out *o, const struct fmt_spec *spec, va_list *ap);

void fmt_put(struct fmt_out *o, char c);
void fmt_pad(struct fmt_out *o, char c, int n);

/* Like vsnprintf: returns the length the full output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int fmt_snprintf(char *buf, size_t size, const char *fmt, ...);
/* The general form: into o (buf terminated when o has no sink), with a
 * floating-point hook (NULL: none). Returns the full length. */
size_t fmt_format(struct fmt_out *o, const char *fmt, va_list ap, fmt_float_fn *ff);
/* With a sink: hand what buf still holds to the sink. */
void fmt_flush(struct fmt_out *o);

#endif
