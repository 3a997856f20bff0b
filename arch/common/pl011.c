/*
 * PL011 UART driver, polled (see pl011.h). Used as the aarch64 boot
 * console, so it takes no locks and works from exception handlers.
 */
#include "pl011.h"

#include "mmio.h"

#define UART_DR	   0x00
#define UART_FR	   0x18
#define UART_IBRD  0x24
#define UART_FBRD  0x28
#define UART_LCR_H 0x2c
#define UART_CR	   0x30
#define UART_IMSC  0x38
#define UART_ICR   0x44

#define FR_BUSY	  (1u << 3)
#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define LCR_FEN	  (1u << 4)
#define LCR_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE	  (1u << 8)
#define CR_RXE	  (1u << 9)

void pl011_init(uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
	mmio_write32(base + UART_IMSC, 0);    /* polled: no interrupts */
	mmio_write32(base + UART_ICR, 0x7ff); /* and none pending */
	if (clock_hz && baud) {
		/* Divisor in 1/64ths: clock / (16 * baud), rounded. The TRM
		 * wants the UART disabled and idle while it changes. */
		uint32_t div64 = (uint32_t)(((uint64_t)clock_hz * 4 + baud / 2) / baud);
		while (mmio_read32(base + UART_FR) & FR_BUSY)
			;
		mmio_write32(base + UART_CR, 0);
		mmio_write32(base + UART_IBRD, div64 >> 6);
		mmio_write32(base + UART_FBRD, div64 & 63);
		mmio_write32(base + UART_LCR_H, LCR_WLEN8 | LCR_FEN); /* latches the divisor */
		mmio_write32(base + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
		return;
	}
	uint32_t cr = mmio_read32(base + UART_CR);
	if ((cr & (CR_UARTEN | CR_TXE | CR_RXE)) != (CR_UARTEN | CR_TXE | CR_RXE))
		mmio_write32(base + UART_CR, cr | CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UART_FR) & FR_TXFF)
		;
	mmio_write32(base + UART_DR, (uint8_t)c);
}

void pl011_write(uintptr_t base, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc(base, '\r');
		pl011_putc(base, s[i]);
	}
}

int pl011_getc(uintptr_t base)
{
	if (mmio_read32(base + UART_FR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + UART_DR) & 0xff);
}
