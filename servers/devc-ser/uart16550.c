/*
 * devc-ser's 16550 driver (x86-64: COM1 by I/O port, ThreadCtl's I/O
 * privilege in the one thread that serves it). Receive interrupts stay
 * on (RX trigger at one byte); the THR-empty interrupt is on only while
 * the TX ring holds bytes. Output goes out a burst at a time: at most
 * 15 bytes, and only once the FIFO (16 bytes) is empty, because the
 * kernel writes its own messages here too: its polled putc waits for an
 * empty FIFO and then writes one byte, so the two never overfill the
 * FIFO, and their bytes only interleave.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/neutrino.h>

#include "devc-ser.h"

enum { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, MCR = 4, LSR = 5 };
#define IER_RX	   0x01
#define IER_THRE   0x02
#define IIR_NONE   0x01 /* no interrupt pending */
#define FCR_ON	   0x01 /* FIFOs on, nothing cleared, RX trigger 1 byte */
#define MCR_ON	   0x0b /* DTR, RTS, OUT2 (a PC gates the IRQ with OUT2) */
#define LSR_DR	   0x01
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define BURST	   15
#define IDLE_SPINS 100000 /* LSR reads: far more than one byte's time */

static uint16_t base;
static uint8_t ier;

static inline void out8(unsigned reg, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"((uint16_t)(base + reg)));
}

static inline uint8_t in8(unsigned reg)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)(base + reg)));
	return v;
}

int uart_init(const struct ker_info_devices *d)
{
	if (d->uart_kind != KER_UART_16550)
		return -ENODEV;
	int r = ThreadCtl_r(_NTO_TCTL_IO, 0);
	if (r < 0)
		return r;
	base = (uint16_t)d->uart_base;
	out8(FCR, FCR_ON);
	out8(MCR, MCR_ON);
	ier = IER_RX;
	out8(IER, ier);
	return 0;
}

void uart_service(void)
{
	/* Bounded: a line that never quietens cannot keep us here. */
	for (int round = 0; round < 64; round++) {
		uint8_t lsr;
		while ((lsr = in8(LSR)) & LSR_DR)
			tty_received(in8(RBR));
		while (tx_pending() && (lsr & LSR_THRE)) {
			char burst[BURST];
			size_t n = tx_take(burst, BURST);
			for (size_t i = 0; i < n; i++)
				out8(THR, (uint8_t)burst[i]);
			lsr = in8(LSR);
		}
		bool waiting = tx_pending() || (io_draining() && !(lsr & LSR_TEMT));
		uint8_t want = IER_RX | (waiting ? IER_THRE : 0);
		if (want != ier)
			out8(IER, ier = want);
		/* Reading IIR also ends a THR-empty interrupt. */
		if (in8(IIR) & IIR_NONE)
			return;
	}
}

bool uart_idle(void)
{
	if (!(in8(LSR) & LSR_THRE))
		return false; /* the THR-empty interrupt will tell */
	for (int i = 0; i < IDLE_SPINS; i++)
		if (in8(LSR) & LSR_TEMT)
			return true;
	return false;
}
