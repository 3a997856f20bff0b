/*
 * Platform discovery from a validated device tree: one pass that collects
 * what the kernel needs to boot (RAM, reservations, command line, console
 * UART with its clock, pins and baud rate, interrupt controller, timer
 * interrupts, the CPUs and how to start them, PSCI, and on the Raspberry
 * Pi the PM watchdog and the firmware's mailbox) into a plain struct.
 * Addresses are CPU physical addresses: reg values are translated through
 * the parents' ranges, honouring each parent's #address-cells/#size-cells.
 */
#ifndef DTB_H
#define DTB_H

#include "fdt.h"

#define DT_MAX_MEM	32
#define DT_MAX_RESERVED 32
/* Room for what the Pi firmware puts in front of cmdline.txt (~250 bytes). */
#define DT_BOOTARGS_MAX 1024
#define DT_MAX_PINS	8
#define DT_MODEL_MAX	64
#define DT_MAX_CPUS	8 /* = the kernel's CPUS_MAX: more are only counted */

struct dt_range {
	uint64_t base; /* physical address */
	uint64_t size; /* bytes */
};

enum dt_uart_kind {
	DT_UART_NONE,
	DT_UART_PL011,	     /* arm,pl011 */
	DT_UART_NS16550,     /* ns16550a and friends */
	DT_UART_BCM2835_AUX, /* the Pi's mini UART */
	DT_UART_OTHER,	     /* stdout-path names something we cannot drive */
};

/* How a secondary CPU is started (a cpu node's enable-method). */
enum dt_cpu_method {
	DT_CPU_NONE,	   /* none we know: it cannot be started */
	DT_CPU_PSCI,	   /* "psci": PSCI CPU_ON */
	DT_CPU_SPIN_TABLE, /* "spin-table": an address written to cpu-release-addr */
};

struct dt_cpu {
	uint64_t mpidr; /* reg: its MPIDR affinity (Aff3 at [39:32]) */
	enum dt_cpu_method method;
	uint64_t release_addr; /* spin-table: cpu-release-addr, else 0 */
};

enum dt_psci_method {
	DT_PSCI_NONE,
	DT_PSCI_HVC,
	DT_PSCI_SMC,
};

/* Index of each interrupt in the architected timer's "interrupts". */
enum dt_timer_irq {
	DT_TIMER_SEC_PHYS,
	DT_TIMER_PHYS,
	DT_TIMER_VIRT,
	DT_TIMER_HYP_PHYS,
	DT_TIMER_HYP_VIRT,
	DT_TIMER_NIRQ,
};

struct dt_platform {
	char model[DT_MODEL_MAX];	 /* root "model", or "" */
	struct dt_range mem[DT_MAX_MEM]; /* /memory reg entries */
	unsigned nmem;
	/* /memreserve/ entries, /reserved-memory children, the initrd */
	struct dt_range reserved[DT_MAX_RESERVED];
	unsigned nreserved;
	unsigned dropped_mem, dropped_reserved; /* entries that did not fit */
	bool has_bootargs;
	char bootargs[DT_BOOTARGS_MAX];	   /* /chosen bootargs, truncated */
	uint64_t initrd_start, initrd_end; /* /chosen linux,initrd-*, or 0 */
	unsigned ncpus;			   /* /cpus children with device_type "cpu" */
	struct dt_cpu cpu[DT_MAX_CPUS];	   /* the first of them, in tree order */
	struct {
		enum dt_uart_kind kind;
		uint64_t base, size;
		/* false: the fallback, the first enabled UART we can drive */
		bool from_stdout_path;
		bool stdout_unusable; /* stdout-path named a UART we cannot drive */
		/* clock-frequency, or that of the fixed-clock its first clocks
		 * entry names; else 0 (a Pi's cprman clocks have no rate here) */
		uint32_t clock_hz;
		uint32_t intid;	   /* its GIC INTID, or 0 if unknown */
		uint32_t baud;	   /* stdout-path's options ("115200n8"), else 0 */
		uint64_t aux_base; /* bcm2835-aux-uart: the AUX block that enables it */
		/* pinctrl-0 on a brcm,bcm2835-gpio (or bcm2711) controller: the
		 * controller's registers and each pin's function (FSEL value) */
		uint64_t gpio_base;
		unsigned npins;
		struct {
			uint8_t pin, function;
		} pins[DT_MAX_PINS];
	} uart;
	struct {
		uint64_t base, size; /* the first arm,pl031 RTC; 0 if none */
		uint32_t intid;	     /* its GIC INTID */
	} rtc;
	struct {
		int version; /* 0 = none found, 2 or 3 */
		uint64_t dist_base, dist_size;
		uint64_t cpu_base, cpu_size;	   /* v2: CPU interface */
		uint64_t redist_base, redist_size; /* v3: first redistributor region */
		uint32_t redist_regions;	   /* v3: #redistributor-regions */
	} gic;
	struct {
		bool found;
		unsigned nirq;		       /* entries present in the DT */
		uint32_t intid[DT_TIMER_NIRQ]; /* GIC INTIDs (PPI n = 16 + n) */
		uint32_t clock_frequency;      /* optional override, else 0 */
	} timer;
	enum dt_psci_method psci;
	uint64_t pm_base; /* brcm,bcm2835-pm-wdt: the PM block (watchdog, reset), or 0 */
	struct {
		/* brcm,bcm2835-mbox that raspberrypi,bcm2835-firmware uses, or 0 */
		uint64_t base;
		/* its bus's first dma-ranges entry: RAM at dma_cpu is at dma_bus
		 * for the VideoCore, dma_size bytes of it (0: none given) */
		uint64_t dma_cpu, dma_bus, dma_size;
	} fw_mbox;
	unsigned warnings; /* malformed but skippable things we ignored */
};

/* Fill p from f (which fdt_init accepted). 0 or an FDT_ERR_* code. */
int dtb_parse(const struct fdt *f, struct dt_platform *p);

const char *dt_uart_kind_name(enum dt_uart_kind k);
const char *dt_psci_name(enum dt_psci_method m);

#endif
