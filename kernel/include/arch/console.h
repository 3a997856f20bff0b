/* The arch seam, console part: polled byte output on the boot console. */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

#include <stddef.h>

/* Write n bytes; "\n" becomes "\r\n". Safe with interrupts off and from
 * exception handlers (polled, no locks that a fault could hold). */
void arch_console_write(const char *s, size_t n);

#endif
