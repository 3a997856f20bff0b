/*
 * aarch64 in-kernel tests of what the Raspberry Pi 4 needs (bcm2711.c,
 * the console choice in entry.c), run when the device tree says it is a
 * Pi 4 (QEMU's raspi4b in make test, or a board): the console is the
 * UART stdout-path names, its pins have the functions its pinctrl-0
 * gives, the firmware answers a clock-rate question, and power-off will
 * go through the PM watchdog. Elsewhere they say so and check nothing.
 */
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/vm.h>

#include "a64.h"
#include "dtb.h"

static bool on_rpi4(const struct dt_platform *p)
{
	if (!strncmp(p->model, "Raspberry Pi 4", 14))
		return true;
	kprintf("# not a Raspberry Pi 4 (%s): nothing checked\n", p->model);
	return false;
}

KTEST(a64_rpi4_console)
{
	const struct dt_platform *p = a64_platform();

	if (!on_rpi4(p))
		return;
	KT_EXPECT(p->uart.kind == DT_UART_BCM2835_AUX || p->uart.kind == DT_UART_PL011);
	KT_EXPECT_EQ(a64_console_base(), (uintptr_t)phys_to_virt(p->uart.base));
	if (p->uart.kind == DT_UART_BCM2835_AUX) {
		/* Debian's tree: the mini UART, enabled in the AUX block */
		KT_EXPECT_EQ(p->uart.base, 0xfe215040);
		KT_EXPECT_EQ(p->uart.aux_base, 0xfe215000);
		volatile uint32_t *aux = phys_to_virt(p->uart.aux_base);
		KT_EXPECT(aux[1] & 1); /* AUX_ENABLES: mini UART on */
	}
	/* Every pin of the console has its function now (GPFSELn). */
	KT_ASSERT(p->uart.gpio_base != 0);
	KT_EXPECT(p->uart.npins >= 2);
	volatile uint32_t *gpio = phys_to_virt(p->uart.gpio_base);
	for (unsigned i = 0; i < p->uart.npins; i++) {
		unsigned pin = p->uart.pins[i].pin;
		KT_EXPECT_EQ((gpio[pin / 10] >> (pin % 10 * 3)) & 7, p->uart.pins[i].function);
	}
}

KTEST(a64_rpi4_firmware_and_power)
{
	const struct dt_platform *p = a64_platform();

	if (!on_rpi4(p))
		return;
	KT_EXPECT_EQ(p->psci, DT_PSCI_NONE);
	KT_EXPECT_EQ(p->pm_base, 0xfe100000);
	KT_EXPECT_EQ(p->fw_mbox.base, 0xfe00b880);
	/* The VPU core clock (QEMU says 350 MHz, a board 200-550 MHz). */
	uint32_t core = a64_rpi_firmware_clock(p, RPI_CLOCK_CORE);
	KT_EXPECT(core >= 100000000 && core <= 1000000000);
	/* Asked twice, the same answer: the mailbox is left as found. */
	KT_EXPECT_EQ(a64_rpi_firmware_clock(p, RPI_CLOCK_CORE), core);
}
