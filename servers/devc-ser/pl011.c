/*
 * devc-ser's PL011 driver (aarch64; the registers mapped with
 * mmap_device_memory). Receive and receive-timeout interrupts stay on;
 * the TX interrupt is on only while the TX ring holds bytes. Output goes
 * out a burst at a time: at most 16 bytes, and only when the FIFO (32
 * bytes) is empty, leaving half of it to the kernel, which writes its
 * own messages here with polled output, so the two only interleave.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/neutrino.h>

#include "devc-ser.h"

#define DR   (0x00 / 4)
#define FR   (0x18 / 4)
#define IMSC (0x38 / 4)
#define MIS  (0x40 / 4)
#define ICR  (0x44 / 4)

#define FR_BUSY	   (1u << 3)
#define FR_RXFE	   (1u << 4)
#define FR_TXFE	   (1u << 7)
#define INT_RX	   (1u << 4)
#define INT_TX	   (1u << 5)
#define INT_RT	   (1u << 6)
#define BURST	   16
#define IDLE_SPINS 100000 /* FR reads: far more than one byte's time */

static volatile uint32_t *regs;
static uint32_t imsc;

static int init(const struct ker_info_devices *d)
{
	if (d->uart_kind != KER_UART_PL011)
		return -ENODEV;
	if (!(regs = uart_map(d)))
		return -errno;
	imsc = INT_RX | INT_RT;
	regs[IMSC] = imsc;
	return 0;
}

static void service(void)
{
	for (int round = 0; round < 64; round++) {
		/* Cleared before the FIFO is drained: a byte that comes after
		 * the last read raises it again. Cleared after, such a byte
		 * sat in the FIFO with its interrupt gone (QEMU's PL011
		 * raises RX only as the level reaches the trigger, and has no
		 * receive timeout): typed input stopped short. */
		regs[ICR] = INT_RX | INT_RT;
		while (!(regs[FR] & FR_RXFE))
			tty_received((unsigned char)regs[DR]);
		while (tx_pending() && (regs[FR] & FR_TXFE)) {
			char burst[BURST];
			size_t n = tx_take(burst, BURST);
			for (size_t i = 0; i < n; i++)
				regs[DR] = (unsigned char)burst[i];
		}
		/* While a drain waits for the FIFO to empty, the TX interrupt
		 * stays up (a level below the trigger), so it fires until the
		 * FIFO is empty: a few character times. */
		bool waiting = tx_pending() || (io_draining() && !(regs[FR] & FR_TXFE));
		uint32_t want = INT_RX | INT_RT | (waiting ? INT_TX : 0);
		if (!waiting)
			regs[ICR] = INT_TX;
		if (want != imsc)
			regs[IMSC] = imsc = want;
		if (!(regs[MIS] & imsc))
			return;
	}
}

static bool idle(void)
{
	if (!(regs[FR] & FR_TXFE))
		return false; /* the TX interrupt will tell */
	for (int i = 0; i < IDLE_SPINS; i++)
		if (!(regs[FR] & FR_BUSY))
			return true;
	return false;
}

const struct uart_driver uart_pl011 = {init, service, idle};
