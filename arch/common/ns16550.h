/* 16550-compatible UART, polled. Register access goes through callbacks so
 * the same driver serves port I/O (PC COM ports) and MMIO UARTs. */
#ifndef COMMON_NS16550_H
#define COMMON_NS16550_H

#include <stdint.h>

struct ns16550 {
	uintptr_t base; /* I/O port or mapped address of register 0 */
	unsigned shift; /* register stride: reg n at base + (n << shift) */
	uint8_t (*read)(uintptr_t addr);
	void (*write)(uintptr_t addr, uint8_t v);
};

/* 8N1 at baud from a clock_hz UART clock, FIFOs on, interrupts off. */
void ns16550_init(struct ns16550 *u, uint32_t clock_hz, uint32_t baud);
void ns16550_putc(struct ns16550 *u, char c);

#endif
