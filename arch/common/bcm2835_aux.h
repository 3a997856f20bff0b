/*
 * The Broadcom BCM2835/BCM2711 mini UART (the "aux" UART, the Raspberry
 * Pi 4's serial console on GPIO 14/15 unless config.txt moves the PL011
 * there): polled output, no interrupts, for the boot console. Registers
 * as the BCM2835 ARM Peripherals manual (section 2.2) gives them; the
 * caller maps the AUX block (aux) and the UART (uart), virtual bases.
 */
#ifndef BCM2835_AUX_H
#define BCM2835_AUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the firmware left the mini UART enabled and transmitting. */
bool bcm2835_aux_running(uintptr_t aux, uintptr_t uart);
/* Enable it in the AUX block and set it up for polled 8-bit output at
 * baud, from clock_hz (the VPU core clock it divides). */
void bcm2835_aux_init(uintptr_t aux, uintptr_t uart, uint32_t clock_hz, uint32_t baud);
/* Write n bytes, "\n" as "\r\n". */
void bcm2835_aux_write(uintptr_t uart, const char *s, size_t n);

#endif
