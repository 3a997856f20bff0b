/*
 * printf-style formatting (see kernel/fmt.h). Pure code: the kernel's
 * kprintf uses it, libc's printf family too (with its floating-point hook,
 * libc/fmt_float.c), and tests/host/test_fmt.c checks it against the host
 * C library's snprintf.
 */
#include <kernel/fmt.h>
#include <stdbool.h>
#include <stdint.h>

void fmt_flush(struct fmt_out *o)
{
	if (o->sink && o->used) {
		o->sink(o->arg, o->buf, o->used);
		o->used = 0;
	}
}

void fmt_put(struct fmt_out *o, char c)
{
	if (o->sink) {
		if (o->used == o->size)
			fmt_flush(o);
		o->buf[o->used++] = c;
	} else if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_put(o, c);
}

static void put_str(struct fmt_out *o, const char *s, int width, int prec, int flags)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (prec < 0 || n < prec))
		n++;
	if (!(flags & FMT_LEFT))
		fmt_pad(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		fmt_put(o, s[i]);
	if (flags & FMT_LEFT)
		fmt_pad(o, ' ', width - n);
}

static void put_num(struct fmt_out *o, uint64_t v, bool neg, unsigned base, bool upper,
		    int width, int prec, int flags)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = neg ? '-' : (flags & FMT_PLUS) ? '+' : (flags & FMT_SPACE) ? ' ' : 0;
	const char *prefix = "";

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	/* C rules: precision 0 with value 0 prints no digits, except '#o'. */
	int ndig = n > prec ? n : prec;
	if (prec < 0 && n == 0)
		ndig = 1;
	if (flags & FMT_ALT) {
		if (base == 8 && ndig <= n)
			ndig = n + 1;
		else if (base == 16 && n)
			prefix = upper ? "0X" : "0x";
	}
	int plen = (sign ? 1 : 0) + (int)(prefix[0] ? 2 : 0);
	int total = plen + ndig;
	bool zero = (flags & FMT_ZERO) && !(flags & FMT_LEFT) && prec < 0;

	if (!(flags & FMT_LEFT) && !zero)
		fmt_pad(o, ' ', width - total);
	if (sign)
		fmt_put(o, sign);
	for (const char *p = prefix; *p; p++)
		fmt_put(o, *p);
	if (zero)
		fmt_pad(o, '0', width - total);
	fmt_pad(o, '0', ndig - n);
	while (n)
		fmt_put(o, tmp[--n]);
	if (flags & FMT_LEFT)
		fmt_pad(o, ' ', width - total);
}

/* Reads a decimal number at *f (width or precision), saturating. */
static int read_num(const char **f)
{
	int v = 0;

	while (**f >= '0' && **f <= '9') {
		int d = *(*f)++ - '0';
		v = v > (INT32_MAX - d) / 10 ? INT32_MAX : v * 10 + d;
	}
	return v;
}

size_t fmt_format(struct fmt_out *o, const char *fmt, va_list ap_in, fmt_float_fn *ff)
{
	va_list ap;

	/* A copy of our own, so the hook can be given a pointer to it. */
	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			fmt_put(o, *fmt);
			continue;
		}
		int flags = 0, width = 0, prec = -1, lng = 0; /* lng: -2 hh, -1 h, 1 l, 2 ll */
		char lmod = 0;

		for (;; fmt++) {
			char c = fmt[1];
			if (c == '-')
				flags |= FMT_LEFT;
			else if (c == '0')
				flags |= FMT_ZERO;
			else if (c == '+')
				flags |= FMT_PLUS;
			else if (c == ' ')
				flags |= FMT_SPACE;
			else if (c == '#')
				flags |= FMT_ALT;
			else
				break;
		}
		fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= FMT_LEFT;
				width = width == INT32_MIN ? INT32_MAX : -width;
			}
			fmt++;
		} else {
			width = read_num(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1; /* a negative precision is taken as none */
				fmt++;
			} else {
				prec = read_num(&fmt);
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't')
				lng = 1; /* size_t, intmax_t, ptrdiff_t are 64-bit here */
			else if (*fmt == 'L')
				lmod = 'L';
			else
				break;
		}

		char conv = *fmt;
		uint64_t u;
		int64_t s;

		switch (conv) {
		case 'd':
		case 'i':
			s = lng >= 1 ? va_arg(ap, long long) : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			u = s < 0 ? -(uint64_t)s : (uint64_t)s;
			put_num(o, u, s < 0, 10, false, width, prec, flags);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 1 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			put_num(o, u, false, conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X',
				width, prec, flags & ~(FMT_PLUS | FMT_SPACE));
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			put_num(o, u, false, 16, false, width, prec, flags | FMT_ALT);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);
			if (!(flags & FMT_LEFT))
				fmt_pad(o, ' ', width - 1);
			fmt_put(o, ch);
			if (flags & FMT_LEFT)
				fmt_pad(o, ' ', width - 1);
			break;
		}
		case 's':
			put_str(o, va_arg(ap, const char *), width, prec, flags);
			break;
		case 'n':
			(void)va_arg(ap, void *); /* not supported: nothing written */
			break;
		case '%':
			fmt_put(o, '%');
			break;
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			if (ff) {
				struct fmt_spec spec = {flags, width, prec, lmod, conv};
				ff(o, &spec, &ap);
			} else {
				fmt_put(o, '%');
				fmt_put(o, conv);
			}
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: print nothing more */
			break;
		default: /* unknown conversion: show it rather than guess */
			fmt_put(o, '%');
			fmt_put(o, conv);
			break;
		}
	}
	va_end(ap);
	if (!o->sink && o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {.buf = buf, .size = size};

	return (int)fmt_format(&o, fmt, ap, NULL);
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
