/*
 * devc-ser, the serial console server: shared declarations. main.c sets
 * up (the UART, its interrupt, /dev/ser1 and /dev/console, abilities);
 * io.c has the resource manager's handlers and the requests it holds;
 * tty.c the line discipline and the two rings; uart16550.c (x86-64) or
 * pl011.c (aarch64) the device. Everything runs in one thread, so
 * nothing here takes a lock.
 */
#ifndef DEVC_SER_H
#define DEVC_SER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/kinfo.h>
#include <termios.h>

/* --- the UART (uart16550.c, pl011.c; main.c picks) ---------------------- */

struct uart_driver {
	/* Take the UART d names: reach its registers, receive interrupts
	 * on. 0, or -errno (ENODEV: not this driver's kind). */
	int (*init)(const struct ker_info_devices *d);
	void (*service)(void);
	bool (*idle)(void);
};
extern const struct uart_driver uart_16550, uart_pl011;

/* A memory-mapped UART's registers (d->uart_base, uncached), for the
 * drivers' init: NULL with errno when they cannot be mapped. */
volatile uint32_t *uart_map(const struct ker_info_devices *d);
/* The driver in use (main.c), once uart_init() found it: 0 or -errno. */
int uart_init(const struct ker_info_devices *d);
/* Serve the device: every received byte to tty_received(), the TX ring
 * into the FIFO, the TX interrupt on while bytes wait (in the ring, or
 * in the FIFO while a drain waits for them: io_draining()). */
void uart_service(void);
/* Whether the last byte has left the line. Once the FIFO is empty it
 * waits (briefly: at most a character's time on hardware) for the
 * shift register. */
bool uart_idle(void);

/* --- the line discipline (tty.c) --------------------------------------- */

extern struct termios tty_termios;
extern int tty_pgrp;	  /* the foreground process group; 0: none */
extern uint64_t rx_stamp; /* CLOCK_MONOTONIC when the last byte came */

void tty_init(void);
/* New settings; leaving canonical mode makes the line typed so far
 * input. */
void tty_set(const struct termios *t);
/* A byte from the line: input processing, editing, echo, signals. */
void tty_received(unsigned char c);
/* Whether input came or output left the ring since the last call: held
 * requests may go on (io_progress), whoever served the UART. */
bool tty_changed(void);

/* Output: bytes waiting for the UART. tx_put queues n bytes of a
 * client's output (ONLCR applied) if the ring has room for the worst
 * case, else none: returns whether it did. */
bool tx_put(const char *s, size_t n);
size_t tx_pending(void);
/* Take up to n queued bytes for the FIFO. */
size_t tx_take(char *buf, size_t n);
void tx_flush(void);

/* Input ready for a read of at most n bytes: how many it takes now, 0
 * when it must wait (canonical: no line yet; raw: fewer than VMIN, or
 * VMIN 0 with VTIME and nothing yet). timed_out: the read's VTIME has
 * run out (io.c keeps the time), so what has come will do. A read ready
 * with 0 bytes (a line of only VEOF, a raw read that timed out or asked
 * for nothing) has *zero set. */
size_t rx_ready(size_t n, bool timed_out, bool *zero);
/* Copy the next n bytes of input without taking them; rx_consume takes
 * them (and the VEOF that ends a line, when the read reached it). */
void rx_peek(char *buf, size_t n);
void rx_consume(size_t n);
void rx_flush(void);

/* --- the requests held (io.c) ------------------------------------------ */

/* Answer the held reads, writes and drains that can go on now. */
void io_progress(void);
/* Whether a drain waits for the line to go idle. */
bool io_draining(void);
/* The timer io.c arms for a raw read's VTIME (main.c makes it, with a
 * pulse that calls io_progress). */
extern int io_timer;

#endif
