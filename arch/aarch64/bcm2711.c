/*
 * What a Raspberry Pi 4 (BCM2711) needs beyond the generic devices, each
 * found through the device tree (dtb.h), never assumed:
 *  - the console UART's pins: the functions its pinctrl-0 names (GPIO 14
 *    and 15 as ALT5 for the mini UART in the stock tree), set when the
 *    firmware did not;
 *  - clock rates from the VideoCore firmware through the property mailbox
 *    (the UART clocks come from cprman, whose rates the tree does not give);
 *  - power-off through the PM block's watchdog (the tree has no PSCI):
 *    the reset-status register names partition 63, which the firmware
 *    treats as "halt", and the watchdog then resets the chip.
 * The registers are those of the BCM2711 ARM Peripherals manual and the
 * firmware's mailbox property interface.
 */
#include <kernel/vm.h>

#include "a64.h"
#include "mmio.h"

/* GPIO: function select, 3 bits a pin, 10 pins a register. */
#define GPFSEL(pin)   (((pin) / 10u) * 4u)
#define FSEL_SHIFT(p) (((p) % 10u) * 3u)

unsigned a64_rpi_console_pins(const struct dt_platform *p)
{
	unsigned changed = 0;

	if (!p->uart.gpio_base || !p->uart.npins)
		return 0;
	uintptr_t gpio = (uintptr_t)a64_ioremap(p->uart.gpio_base, 0x1000);
	for (unsigned i = 0; i < p->uart.npins; i++) {
		unsigned pin = p->uart.pins[i].pin, fn = p->uart.pins[i].function;
		uint32_t v = mmio_read32(gpio + GPFSEL(pin));
		if (((v >> FSEL_SHIFT(pin)) & 7) == fn)
			continue; /* the firmware did it */
		v &= ~(7u << FSEL_SHIFT(pin));
		mmio_write32(gpio + GPFSEL(pin), v | fn << FSEL_SHIFT(pin));
		changed++;
	}
	return changed;
}

/* Mailbox 0 carries answers to us, mailbox 1 our requests. */
#define MBOX_READ	   0x00
#define MBOX_STATUS	   0x18
#define MBOX_WRITE	   0x20
#define MBOX_WSTATUS	   0x38
#define MBOX_FULL	   (1u << 31)
#define MBOX_EMPTY	   (1u << 30)
#define MBOX_CH_PROPERTY   8
#define TAG_GET_CLOCK_RATE 0x00030002u
#define PROP_RESPONSE_OK   0x80000000u
#define MBOX_WAIT_MS	   100

/* One request buffer, alone in its cache line (the VideoCore reads RAM,
 * not our caches). */
static volatile uint32_t mbox_buf[16] ALIGNED(64);

static uint64_t counter_ms(void)
{
	return read_sysreg(cntpct_el0) / (read_sysreg(cntfrq_el0) / 1000 ?: 1);
}

/* Wait for the status bit to clear; false after MBOX_WAIT_MS. */
static bool mbox_wait(uintptr_t reg, uint32_t busy)
{
	uint64_t end = counter_ms() + MBOX_WAIT_MS;

	while (mmio_read32(reg) & busy)
		if (counter_ms() > end)
			return false;
	return true;
}

static void cache_line(const volatile void *p, bool clean)
{
	if (clean)
		__asm__ volatile("dc cvac, %0" ::"r"(p) : "memory");
	else
		__asm__ volatile("dc ivac, %0" ::"r"(p) : "memory");
	dsb(sy);
}

uint32_t a64_rpi_firmware_clock(const struct dt_platform *p, uint32_t clock_id)
{
	uint64_t pa = kimage_to_phys((const void *)mbox_buf), bus = pa;

	if (!p->fw_mbox.base)
		return 0;
	if (p->fw_mbox.dma_size) {
		if (pa < p->fw_mbox.dma_cpu || pa - p->fw_mbox.dma_cpu >= p->fw_mbox.dma_size)
			return 0; /* the VideoCore cannot reach our buffer */
		bus = p->fw_mbox.dma_bus + (pa - p->fw_mbox.dma_cpu);
	}
	if (bus > 0xffffffffu)
		return 0;
	uintptr_t mb = (uintptr_t)a64_ioremap(p->fw_mbox.base, 0x1000);
	const uint32_t req[] = {8 * 4, 0, TAG_GET_CLOCK_RATE, 8, 0, clock_id, 0, 0};
	for (unsigned i = 0; i < 8; i++)
		mbox_buf[i] = req[i];
	cache_line(mbox_buf, true);
	if (!mbox_wait(mb + MBOX_WSTATUS, MBOX_FULL))
		return 0;
	mmio_write32(mb + MBOX_WRITE, (uint32_t)bus | MBOX_CH_PROPERTY);
	for (;;) { /* answers on other channels are not ours */
		if (!mbox_wait(mb + MBOX_STATUS, MBOX_EMPTY))
			return 0;
		if (mmio_read32(mb + MBOX_READ) == ((uint32_t)bus | MBOX_CH_PROPERTY))
			break;
	}
	cache_line(mbox_buf, false);
	if (mbox_buf[1] != PROP_RESPONSE_OK || !(mbox_buf[4] & PROP_RESPONSE_OK) ||
	    mbox_buf[5] != clock_id)
		return 0;
	return mbox_buf[6];
}

/* PM block: reset control, reset status, watchdog; writes need the
 * password in the top byte. */
#define PM_RSTC		  0x1c
#define PM_RSTS		  0x20
#define PM_WDOG		  0x24
#define PM_PASSWORD	  0x5a000000u
#define PM_RSTC_WRCFG	  0x30u
#define PM_RSTC_FULL_RST  0x20u
#define PM_RSTS_PARTITION 0x555u /* partition number, one bit in two */
#define PM_WDOG_TICKS	  10	 /* about 150 us */
#define PARTITION_HALT	  63	 /* the firmware halts instead of booting */

static uintptr_t pm_va;

bool a64_rpi_pm_init(const struct dt_platform *p)
{
	if (p->pm_base)
		pm_va = (uintptr_t)a64_ioremap(p->pm_base, 0x1000);
	return pm_va != 0;
}

/* Restart into the firmware with the given boot partition (the 6 bits
 * spread over the even bits of RSTS). */
static void pm_restart(unsigned partition)
{
	uint32_t part = 0;

	for (unsigned b = 0; b < 6; b++)
		part |= ((partition >> b) & 1u) << (2 * b);
	uint32_t rsts = mmio_read32(pm_va + PM_RSTS) & 0xffffffu & ~PM_RSTS_PARTITION;
	mmio_write32(pm_va + PM_RSTS, PM_PASSWORD | rsts | part);
	mmio_write32(pm_va + PM_WDOG, PM_PASSWORD | PM_WDOG_TICKS);
	uint32_t rstc = mmio_read32(pm_va + PM_RSTC) & 0xffffffu & ~PM_RSTC_WRCFG;
	mmio_write32(pm_va + PM_RSTC, PM_PASSWORD | rstc | PM_RSTC_FULL_RST);
}

void a64_rpi_poweroff(void)
{
	if (pm_va)
		pm_restart(PARTITION_HALT);
}
