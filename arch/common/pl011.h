/*
 * ARM PL011 UART (PrimeCell UART TRM, DDI 0183): polled console output
 * and input. The caller maps the registers (ioremap) and passes the
 * virtual base.
 */
#ifndef PL011_H
#define PL011_H

#include <stddef.h>
#include <stdint.h>

/* Make the UART usable for polled I/O with its interrupts masked. If
 * clock_hz and baud are both non-zero, program the divisor and 8N1;
 * otherwise keep whatever line settings firmware or QEMU left. */
void pl011_init(uintptr_t base, uint32_t clock_hz, uint32_t baud);
void pl011_putc(uintptr_t base, char c);
/* Write n bytes, "\n" as "\r\n". */
void pl011_write(uintptr_t base, const char *s, size_t n);
/* A received byte, or -1 if none is waiting. */
int pl011_getc(uintptr_t base);

#endif
