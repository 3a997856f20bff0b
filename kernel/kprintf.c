/* kprintf: format into a stack buffer and write it to the arch console. */
#include <arch/console.h>
#include <kernel/fmt.h>
#include <kernel/kprintf.h>
#include <kernel/string.h>

int kvprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	arch_console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void kputs(const char *s)
{
	arch_console_write(s, strlen(s));
}
