/*
 * devc-ser, the serial console server: the console UART (the one
 * KerInfo(KER_INFO_DEVICES) names: a 16550 on x86-64, a PL011 or the
 * Raspberry Pi's mini UART on aarch64) as a resource manager at /dev/ser1 and /dev/console, driven
 * from user mode. Its interrupt comes as a pulse (InterruptAttachEvent)
 * on the same channel as the clients' messages, and one thread serves
 * both, so the rings and the held requests need no lock (devc-ser.h).
 * The kernel keeps writing its own messages to the UART with polled
 * output; this server owns reception and the UART's interrupt.
 *
 * Set-up here (and the choice of driver); handlers in io.c, the line
 * discipline in tty.c, the device in uart16550.c or pl011.c. Abilities it keeps: interrupts and
 * signalling (^C to the foreground group goes through proc, which
 * checks it); the device access it needed at set-up goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/iofunc.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/procmgr.h>
#include <time.h>

#include "devc-ser.h"
#include "io.h"

#define INTR_PRIO 24 /* the interrupt's pulse: above ordinary clients */

static int intr_line, intr_id;

/* The drivers this arch has: x86-64 COM1; aarch64 the PL011, or the
 * Raspberry Pi's mini UART (a 16550 at heart). */
#if defined(__x86_64__)
static const struct uart_driver *const drivers[] = {&uart_16550};
#else
static const struct uart_driver *const drivers[] = {&uart_pl011, &uart_16550};
#endif
static const struct uart_driver *uart;

volatile uint32_t *uart_map(const struct ker_info_devices *d)
{
	uint64_t page = d->uart_base & ~(uint64_t)0xfff;
	void *va = mmap_device_memory(NULL, 4096, PROT_READ | PROT_WRITE | PROT_NOCACHE, 0, page);

	return va == MAP_FAILED ? NULL : (volatile uint32_t *)((char *)va + (d->uart_base - page));
}

int uart_init(const struct ker_info_devices *d)
{
	int r = -ENODEV;

	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]) && r == -ENODEV; i++)
		if ((r = drivers[i]->init(d)) == 0)
			uart = drivers[i];
	return r;
}

void uart_service(void)
{
	uart->service();
}

bool uart_idle(void)
{
	return uart->idle();
}

static int on_intr(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)ctp;
	(void)code;
	(void)flags;
	(void)handle;
	uart_service();
	InterruptUnmask(intr_line, intr_id);
	/* An edge while the line was masked is lost (x86-64's IOAPIC): what
	 * came meanwhile is served now. */
	io_progress();
	return 0;
}

/* A raw read's VTIME may be up. */
static int on_timer(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)ctp;
	(void)code;
	(void)flags;
	(void)handle;
	io_progress();
	return 0;
}

static int on_unblock(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code;
	(void)flags;
	(void)handle;
	io_unblock(ctp->msg->pulse.value.sival_int);
	return 0;
}

static void fail(const char *what, int err)
{
	printf("devc-ser: %s: %s\n", what, strerror(err));
	exit(1);
}

int main(void)
{
	static resmgr_connect_funcs_t connect;
	static resmgr_io_funcs_t io;
	static iofunc_attr_t attr;
	struct ker_info_devices dev;
	struct sigevent ev;
	dispatch_t *dpp;
	dispatch_context_t *ctp;
	int r;

	if ((r = KerInfo_r(KER_INFO_DEVICES, &dev, sizeof(dev))) < 0)
		fail("KerInfo", -r);
	tty_init();
	if ((r = uart_init(&dev)) < 0)
		fail("the console UART", -r);
	int chid = ChannelCreate(_NTO_CHF_UNBLOCK | _NTO_CHF_DISCONNECT);
	if (chid < 0 || !(dpp = dispatch_create_channel(chid, 0)))
		fail("channel", errno);
	int code = pulse_attach(dpp, MSG_FLAG_ALLOC_PULSE, 0, on_intr, NULL);
	if (code < 0 || pulse_attach(dpp, 0, _PULSE_CODE_UNBLOCK, on_unblock, NULL) == -1)
		fail("pulse_attach", errno);
	int coid = ConnectAttach(ND_LOCAL_NODE, 0, chid, _NTO_SIDE_CHANNEL, 0);
	if (coid < 0)
		fail("ConnectAttach", errno);
	SIGEV_PULSE_INIT(&ev, coid, INTR_PRIO, code, 0);
	intr_line = (int)dev.uart_line;
	if ((intr_id = InterruptAttachEvent(intr_line, &ev, _NTO_INTR_FLAGS_TRK_MSK)) < 0)
		fail("InterruptAttachEvent", errno);
	int tcode = pulse_attach(dpp, MSG_FLAG_ALLOC_PULSE, 0, on_timer, NULL);
	if (tcode < 0)
		fail("pulse_attach", errno);
	SIGEV_PULSE_INIT(&ev, coid, INTR_PRIO, tcode, 0);
	if ((io_timer = TimerCreate(CLOCK_MONOTONIC, &ev)) < 0)
		fail("TimerCreate", errno);

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &connect, _RESMGR_IO_NFUNCS, &io);
	io.read = io_read;
	io.write = io_write;
	io.devctl = io_devctl;
	io.close_ocb = io_close_ocb;
	iofunc_attr_init(&attr, S_IFCHR | 0666, NULL, NULL);
	if (resmgr_attach(dpp, NULL, "/dev/ser1", _FTYPE_ANY, 0, &connect, &io, &attr) < 0 ||
	    resmgr_attach(dpp, NULL, "/dev/console", _FTYPE_ANY, 0, &connect, &io, &attr) < 0)
		fail("resmgr_attach", errno);

	const unsigned dom = PROCMGR_ADN_ROOT | PROCMGR_ADN_NONROOT;
	r = procmgr_ability(0, dom | PROCMGR_AOP_ALLOW | PROCMGR_AID_INTERRUPT,
			    dom | PROCMGR_AOP_ALLOW | PROCMGR_AID_SIGNAL,
			    dom | PROCMGR_AOP_DENY | PROCMGR_AOP_LOCK | PROCMGR_AID_EOL);
	if (r)
		fail("dropping abilities", r);
	if (!(ctp = dispatch_context_alloc(dpp)))
		fail("dispatch_context_alloc", errno);
	uart_service(); /* what arrived before the interrupt was ours */
	for (;;) {
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
		/* A handler that served the UART (a write filling the FIFO) may
		 * have taken input or made room that held requests wait for. */
		if (tty_changed())
			io_progress();
	}
}
