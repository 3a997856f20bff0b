/*
 * The line discipline (POSIX's general terminal interface, the parts a
 * serial console needs): input processing (ISTRIP, IGNCR, ICRNL,
 * INLCR), signals from VINTR, VQUIT and VSUSP to the foreground process
 * group (ISIG, flushing input unless NOFLSH), canonical editing (VERASE
 * and ^H, VKILL, VEOF, VEOL, lines of at most MAX_CANON bytes) with echo
 * (ECHO, ECHOE, ECHOK, ECHONL), raw input (VMIN and VTIME: io.c keeps
 * a read's time), and output processing (OPOST, ONLCR). Input
 * waits in a ring of 16-bit entries, where a line ended by VEOF carries
 * a marker no read delivers; output waits in a byte ring for the UART.
 */
#include <signal.h>
#include <string.h>
#include <sys/neutrino.h>
#include <time.h>

#include "devc-ser.h"

#define MAX_CANON 255
#define RX_SIZE	  1024 /* entries (powers of two: indices wrap by mask) */
#define TX_SIZE	  8192
#define EOF_MARK  0x100 /* ends a line at VEOF; never delivered */

struct termios tty_termios;
int tty_pgrp;
uint64_t rx_stamp;

static uint16_t rx[RX_SIZE];
static size_t rx_head, rx_count;
static char line[MAX_CANON];
static size_t nline;
static char tx[TX_SIZE];
static size_t tx_head, tx_count;
static bool changed; /* input came or output left since tty_changed() */

bool tty_changed(void)
{
	bool was = changed;

	changed = false;
	return was;
}

void tty_init(void)
{
	static const cc_t cc[NCCS] = {
	    [VINTR] = 0x03,  [VQUIT] = 0x1c, [VERASE] = 0x7f, [VKILL] = 0x15, [VEOF] = 0x04,
	    [VSTART] = 0x11, [VSTOP] = 0x13, [VSUSP] = 0x1a,  [VMIN] = 1,
	};
	tty_termios = (struct termios){
	    .c_iflag = ICRNL,
	    .c_oflag = OPOST | ONLCR,
	    .c_cflag = CS8 | CREAD | CLOCAL,
	    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN,
	    .c_ispeed = B115200,
	    .c_ospeed = B115200,
	};
	memcpy(tty_termios.c_cc, cc, sizeof(cc));
}

static bool canonical(void)
{
	return tty_termios.c_lflag & ICANON;
}

/* --- output -------------------------------------------------------------- */

static void tx_byte(char c)
{
	tx[(tx_head + tx_count++) & (TX_SIZE - 1)] = c;
}

bool tx_put(const char *s, size_t n)
{
	bool onlcr = (tty_termios.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);

	if (TX_SIZE - tx_count < (onlcr ? 2 * n : n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (onlcr && s[i] == '\n')
			tx_byte('\r');
		tx_byte(s[i]);
	}
	return true;
}

size_t tx_pending(void)
{
	return tx_count;
}

size_t tx_take(char *buf, size_t n)
{
	n = n < tx_count ? n : tx_count;
	for (size_t i = 0; i < n; i++)
		buf[i] = tx[(tx_head + i) & (TX_SIZE - 1)];
	tx_head = (tx_head + n) & (TX_SIZE - 1);
	tx_count -= n;
	changed |= n > 0;
	return n;
}

void tx_flush(void)
{
	tx_count = 0;
}

/* Echo is best effort: with the ring full it is dropped. */
static void echo(const char *s, size_t n)
{
	tx_put(s, n);
}

/* --- input ---------------------------------------------------------------- */

static void rx_push(uint16_t v)
{
	if (rx_count < RX_SIZE)
		rx[(rx_head + rx_count++) & (RX_SIZE - 1)] = v;
}

static uint16_t rx_at(size_t i)
{
	return rx[(rx_head + i) & (RX_SIZE - 1)];
}

void rx_flush(void)
{
	rx_count = 0;
	nline = 0;
}

/* The line being edited goes to the readers, ended by end (a byte, or
 * EOF_MARK). */
static void line_done(uint16_t end)
{
	for (size_t i = 0; i < nline; i++)
		rx_push((unsigned char)line[i]);
	nline = 0;
	rx_push(end);
}

void tty_set(const struct termios *t)
{
	bool was_canonical = canonical();

	tty_termios = *t;
	if (was_canonical && !canonical()) {
		/* What was typed so far is input now; VEOF means nothing. */
		size_t n = rx_count, kept = 0;
		for (size_t i = 0; i < n; i++)
			if (rx_at(i) != EOF_MARK)
				rx[(rx_head + kept++) & (RX_SIZE - 1)] = rx_at(i);
		rx_count = kept;
		for (size_t i = 0; i < nline; i++)
			rx_push((unsigned char)line[i]);
		nline = 0;
	}
}

static void interrupt(int signo, const char *shown)
{
	if (!(tty_termios.c_lflag & NOFLSH))
		rx_flush();
	if (tty_termios.c_lflag & ECHO)
		echo(shown, strlen(shown));
	if (tty_pgrp > 0)
		killpg(tty_pgrp, signo);
}

static void edit(unsigned char c)
{
	const cc_t *cc = tty_termios.c_cc;
	tcflag_t lflag = tty_termios.c_lflag;
	bool echoing = lflag & ECHO;

	if ((cc[VERASE] && c == cc[VERASE]) || c == '\b') {
		if (nline) {
			nline--;
			if (echoing)
				echo(lflag & ECHOE ? "\b \b" : (char *)&c, lflag & ECHOE ? 3 : 1);
		}
	} else if (cc[VKILL] && c == cc[VKILL]) {
		if (echoing && (lflag & ECHOE))
			while (nline--)
				echo("\b \b", 3);
		else if (echoing && (lflag & ECHOK))
			echo("\n", 1);
		nline = 0;
	} else if (cc[VEOF] && c == cc[VEOF]) {
		line_done(EOF_MARK);
	} else if (c == '\n' || (cc[VEOL] && c == cc[VEOL])) {
		if (echoing || (c == '\n' && (lflag & ECHONL)))
			echo((char *)&c, 1);
		line_done(c);
	} else if (nline < MAX_CANON - 1) { /* room for the newline */
		line[nline++] = (char)c;
		if (echoing)
			echo((char *)&c, 1);
	}
}

void tty_received(unsigned char c)
{
	const struct termios *t = &tty_termios;

	changed = true;
	ClockTime(CLOCK_MONOTONIC, NULL, &rx_stamp);
	if (!(t->c_cflag & CREAD))
		return;
	if (t->c_iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r' && (t->c_iflag & IGNCR))
		return;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (t->c_iflag & INLCR))
		c = '\r';
	if (t->c_lflag & ISIG) {
		if (t->c_cc[VINTR] && c == t->c_cc[VINTR])
			return interrupt(SIGINT, "^C\n");
		if (t->c_cc[VQUIT] && c == t->c_cc[VQUIT])
			return interrupt(SIGQUIT, "^\\\n");
		if (t->c_cc[VSUSP] && c == t->c_cc[VSUSP])
			return interrupt(SIGTSTP, "^Z\n");
	}
	if (canonical())
		return edit(c);
	rx_push(c);
	if (t->c_lflag & ECHO)
		echo((char *)&c, 1);
}

size_t rx_ready(size_t n, bool timed_out, bool *zero)
{
	*zero = false;
	if (canonical()) {
		for (size_t i = 0; i < rx_count; i++) {
			uint16_t v = rx_at(i);
			if (v != '\n' && v != EOF_MARK &&
			    !(tty_termios.c_cc[VEOL] && v == tty_termios.c_cc[VEOL]))
				continue;
			size_t line_bytes = v == EOF_MARK ? i : i + 1;
			size_t take = n < line_bytes ? n : line_bytes;
			*zero = !take;
			return take;
		}
		return 0;
	}
	size_t vmin = tty_termios.c_cc[VMIN];
	bool timed = tty_termios.c_cc[VTIME];
	if (!vmin && (!timed || timed_out || rx_count)) {
		*zero = !rx_count;
		return n < rx_count ? n : rx_count;
	}
	if (rx_count < (n < vmin ? n : vmin) && !(timed_out && rx_count))
		return 0;
	return n < rx_count ? n : rx_count;
}

void rx_peek(char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)rx_at(i);
}

void rx_consume(size_t n)
{
	uint16_t last = n ? rx_at(n - 1) : 0;

	rx_head = (rx_head + n) & (RX_SIZE - 1);
	rx_count -= n;
	/* The read reached a line VEOF ended (not the empty line after a
	 * newline): its marker goes with it. */
	bool ended = last == '\n' || (tty_termios.c_cc[VEOL] && last == tty_termios.c_cc[VEOL]);
	if (canonical() && !ended && rx_count && rx_at(0) == EOF_MARK) {
		rx_head = (rx_head + 1) & (RX_SIZE - 1);
		rx_count--;
	}
}
