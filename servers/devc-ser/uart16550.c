/*
 * devc-ser's 16550 driver: COM1 on x86-64 (I/O ports; ThreadCtl's I/O
 * privilege in the one thread that serves it), and the Raspberry Pi's
 * mini UART on aarch64, a 16550 in all devc-ser uses (registers 4 bytes
 * apart, mapped with mmap_device_memory; an 8-byte FIFO; its LSR bit 5
 * means room for a byte and bit 6 an empty FIFO, as Linux's 8250 driver
 * also treats it). Receive interrupts stay on (RX trigger at one byte);
 * the THR-empty interrupt is on only while bytes wait. Output goes out a
 * burst at a time, and only once the FIFO is empty, because the kernel
 * writes its own messages here too: on a 16550 at most 15 of its 16
 * bytes (the kernel's polled putc waits for an empty FIFO and then
 * writes one byte), on the mini UART 4 of 8 (the kernel's writes while
 * there is room: it has the other half). So the two never overfill the
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
#define IDLE_SPINS 100000 /* LSR reads: far more than one byte's time */

static uint8_t ier;
static uint8_t empty; /* the LSR bit that says the TX FIFO is empty */
static unsigned burst;

#if defined(__x86_64__)
static uint16_t base;

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

static int init(const struct ker_info_devices *d)
{
	if (d->uart_kind != KER_UART_16550)
		return -ENODEV;
	int r = ThreadCtl_r(_NTO_TCTL_IO, 0);
	if (r < 0)
		return r;
	base = (uint16_t)d->uart_base;
	out8(FCR, FCR_ON);
	out8(MCR, MCR_ON);
	empty = LSR_THRE;
	burst = 15;
	ier = IER_RX;
	out8(IER, ier);
	return 0;
}
#else
static volatile uint32_t *regs;

static inline void out8(unsigned reg, uint8_t v)
{
	regs[reg] = v;
}

static inline uint8_t in8(unsigned reg)
{
	return (uint8_t)regs[reg];
}

static int init(const struct ker_info_devices *d)
{
	if (d->uart_kind != KER_UART_BCM2835_AUX)
		return -ENODEV;
	if (!(regs = uart_map(d)))
		return -errno;
	/* The firmware or the kernel set the line up; its FIFOs are always
	 * on (writing FCR would clear them). */
	empty = LSR_TEMT;
	burst = 4;
	ier = IER_RX;
	out8(IER, ier);
	return 0;
}
#endif

static void service(void)
{
	/* Bounded: a line that never quietens cannot keep us here. */
	for (int round = 0; round < 64; round++) {
		uint8_t lsr;
		while ((lsr = in8(LSR)) & LSR_DR)
			tty_received(in8(RBR));
		while (tx_pending() && (lsr & empty)) {
			char bytes[16];
			size_t n = tx_take(bytes, burst);
			for (size_t i = 0; i < n; i++)
				out8(THR, (uint8_t)bytes[i]);
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

static bool idle(void)
{
	if (!(in8(LSR) & empty))
		return false; /* the THR-empty interrupt will tell */
	for (int i = 0; i < IDLE_SPINS; i++)
		if (in8(LSR) & LSR_TEMT)
			return true;
	return false;
}

const struct uart_driver uart_16550 = {init, service, idle};
