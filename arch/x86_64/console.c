/* x86-64 boot console: the first PC serial port (COM1, I/O port 0x3f8). */
#include "x86.h"

#include <arch/console.h>
#include <ns16550.h>

static uint8_t port_read(uintptr_t port)
{
	return inb((uint16_t)port);
}

static void port_write(uintptr_t port, uint8_t v)
{
	outb((uint16_t)port, v);
}

static struct ns16550 com1 = {0x3f8, 0, port_read, port_write};

void x86_serial_init(void)
{
	ns16550_init(&com1, 1843200, 115200);
}

void arch_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			ns16550_putc(&com1, '\r');
		ns16550_putc(&com1, s[i]);
	}
}
