/*
 * BCM2835/BCM2711 mini UART driver, polled (see bcm2835_aux.h). The boot
 * console on a Raspberry Pi 4 with the stock device tree: no locks, usable
 * from exception handlers.
 */
#include "bcm2835_aux.h"

#include "mmio.h"

#define AUX_ENABLES	0x04 /* in the AUX block */
#define AUX_ENABLE_UART (1u << 0)

/* Offsets from the mini UART's own registers (AUX block + 0x40). */
#define MU_IO	0x00
#define MU_IER	0x04
#define MU_IIR	0x08
#define MU_LCR	0x0c
#define MU_MCR	0x10
#define MU_LSR	0x14
#define MU_CNTL 0x20
#define MU_BAUD 0x28

#define IIR_CLEAR_FIFOS 0x06	  /* write: empty both FIFOs */
#define LCR_8BIT	0x03	  /* the manual documents bit 0; 8-bit needs both */
#define LSR_TX_ROOM	(1u << 5) /* the FIFO takes at least one byte */
#define CNTL_RX_TX	0x03	  /* receiver and transmitter on */

bool bcm2835_aux_running(uintptr_t aux, uintptr_t uart)
{
	/* The UART's registers read as nothing useful while it is disabled. */
	return (mmio_read32(aux + AUX_ENABLES) & AUX_ENABLE_UART) &&
	       (mmio_read32(uart + MU_CNTL) & 0x02);
}

void bcm2835_aux_init(uintptr_t aux, uintptr_t uart, uint32_t clock_hz, uint32_t baud)
{
	/* baud = clock / (8 * (divisor + 1)), rounded to the nearest. */
	uint32_t div = (uint32_t)(((uint64_t)clock_hz + 4ull * baud) / (8ull * baud));

	mmio_write32(aux + AUX_ENABLES, mmio_read32(aux + AUX_ENABLES) | AUX_ENABLE_UART);
	mmio_write32(uart + MU_CNTL, 0); /* quiet while the line changes */
	mmio_write32(uart + MU_IER, 0);	 /* polled */
	mmio_write32(uart + MU_LCR, LCR_8BIT);
	mmio_write32(uart + MU_MCR, 0);
	mmio_write32(uart + MU_IIR, IIR_CLEAR_FIFOS);
	mmio_write32(uart + MU_BAUD, (div ? div - 1 : 0) & 0xffff);
	mmio_write32(uart + MU_CNTL, CNTL_RX_TX);
}

static void aux_putc(uintptr_t uart, char c)
{
	while (!(mmio_read32(uart + MU_LSR) & LSR_TX_ROOM))
		;
	mmio_write32(uart + MU_IO, (uint8_t)c);
}

void bcm2835_aux_write(uintptr_t uart, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			aux_putc(uart, '\r');
		aux_putc(uart, s[i]);
	}
}
