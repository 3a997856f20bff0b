/* 16550 UART driver, polled output (see ns16550.h). */
#include "ns16550.h"

enum { THR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_THRE 0x20

static void wr(struct ns16550 *u, unsigned reg, uint8_t v)
{
	u->write(u->base + (reg << u->shift), v);
}

static uint8_t rd(struct ns16550 *u, unsigned reg)
{
	return u->read(u->base + (reg << u->shift));
}

void ns16550_init(struct ns16550 *u, uint32_t clock_hz, uint32_t baud)
{
	uint32_t div = clock_hz / (16 * baud);

	wr(u, IER, 0);
	wr(u, LCR, LCR_DLAB);
	wr(u, DLL, div & 0xff);
	wr(u, DLM, (div >> 8) & 0xff);
	wr(u, LCR, LCR_8N1);
	wr(u, FCR, 0x07); /* enable and clear both FIFOs */
	wr(u, MCR, 0x03); /* DTR, RTS */
}

void ns16550_putc(struct ns16550 *u, char c)
{
	while (!(rd(u, LSR) & LSR_THRE))
		;
	wr(u, THR, (uint8_t)c);
}
