/*
 * Raising real interrupt lines from user mode, for test_intr and its
 * child roles (child.c): the spare timer device and the console UART,
 * found through KerInfo(KER_INFO_DEVICES), never hard-coded.
 *  x86-64: port I/O after ThreadCtl(_NTO_TCTL_IO). The spare is the
 *    PIT's channel 0 in mode 0 (its output rises at the terminal count:
 *    an edge on ISA IRQ 0's GSI), the UART is COM1, whose THR-empty
 *    interrupt (IER bit 1) rises at once since the kernel's polled
 *    console leaves the THR empty.
 *  aarch64: registers mapped with mmap_device_memory. The spare is the
 *    PL031 RTC: its match register set to the current count raises its
 *    (level) interrupt at once, until cleared; the UART is the PL011,
 *    whose TX interrupt (IMSC bit 5) is up since the kernel wrote to it.
 * Each raise returns once the device has raised its line (seen in its
 * own status where reading it has no side effect): no clock is used to
 * synchronise.
 */
#ifndef TESTS_USER_INTRDEV_H
#define TESTS_USER_INTRDEV_H

#include <errno.h>
#include <stdint.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
#include <sys/neutrino.h>

struct intrdev {
	struct ker_info_devices info;
	volatile uint32_t *rtc, *uart; /* aarch64: the mapped registers */
	uint32_t uart_imsc;            /* aarch64: PL011 IMSC as found */
};

#if defined(__x86_64__)
static inline void io_out8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t io_in8(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
#endif

/* KerInfo and device access: 0, or the failing call's -errno. */
static inline int intrdev_open(struct intrdev *d)
{
	long r = KerInfo_r(KER_INFO_DEVICES, &d->info, sizeof(d->info));
	if (r < 0)
		return (int)r;
#if defined(__x86_64__)
	return ThreadCtl_r(_NTO_TCTL_IO, 0);
#else
	int prot = PROT_READ | PROT_WRITE | PROT_NOCACHE;
	d->rtc = mmap_device_memory(NULL, 4096, prot, 0, d->info.timer_base);
	d->uart = mmap_device_memory(NULL, 4096, prot, 0, d->info.uart_base);
	if (d->rtc == MAP_FAILED || d->uart == MAP_FAILED)
		return -errno;
	d->uart_imsc = d->uart[0x38 / 4];
	return 0;
#endif
}

/* The spare line goes up. */
static inline void spare_raise(struct intrdev *d)
{
#if defined(__x86_64__)
	uint16_t pit = (uint16_t)d->info.timer_base;
	io_out8(pit + 3, 0x30); /* channel 0, low then high byte, mode 0 */
	io_out8(pit, 2);
	io_out8(pit, 0);
	do
		io_out8(pit + 3, 0xe2); /* read back channel 0's status */
	while (!(io_in8(pit) & 0x80)); /* bit 7: OUT, up at the terminal count */
#else
	d->rtc[0x10 / 4] = 1; /* RTCIMSC: the match interrupt on */
	do
		d->rtc[0x04 / 4] = d->rtc[0x00 / 4]; /* RTCMR = RTCDR: a match now */
	while (!(d->rtc[0x14 / 4] & 1)); /* RTCRIS (a second may tick between) */
#endif
}

/* The spare line goes down (x86-64: the PIT's output, low until the next
 * count; aarch64: the RTC's interrupt cleared and off). */
static inline void spare_clear(struct intrdev *d)
{
#if defined(__x86_64__)
	io_out8((uint16_t)d->info.timer_base + 3, 0x30);
#else
	d->rtc[0x1c / 4] = 1; /* RTCICR */
	d->rtc[0x10 / 4] = 0;
#endif
}

static inline void uart_raise(struct intrdev *d)
{
#if defined(__x86_64__)
	/* IER: THR empty. The line rises in this write (reading IIR to see
	 * it would clear it). */
	io_out8((uint16_t)d->info.uart_base + 1, 0x02);
#else
	d->uart[0x38 / 4] = d->uart_imsc | 1u << 5; /* IMSC: TX */
	while (!(d->uart[0x40 / 4] & 1u << 5)) /* UARTMIS: TX up */
		;
#endif
}

/* Back as the kernel's polled console wants it. */
static inline void uart_clear(struct intrdev *d)
{
#if defined(__x86_64__)
	io_out8((uint16_t)d->info.uart_base + 1, 0);
#else
	d->uart[0x38 / 4] = d->uart_imsc;
	d->uart[0x44 / 4] = 1u << 5; /* UARTICR: TX */
#endif
}

#endif
