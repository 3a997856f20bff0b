/*
 * Platform discovery from a validated device tree: one pass that collects
 * what the kernel needs to boot (RAM, reservations, command line, console
 * UART, interrupt controller, timer interrupts, PSCI) into a plain struct.
 * Addresses are CPU physical addresses: reg values are translated through
 * the parents' ranges, honouring each parent's #address-cells/#size-cells.
 */
#ifndef DTB_H
#define DTB_H

#include "fdt.h"

#define DT_MAX_MEM	32
#define DT_MAX_RESERVED 32
#define DT_BOOTARGS_MAX 256
#define DT_MODEL_MAX	64

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
	struct {
		enum dt_uart_kind kind;
		uint64_t base, size;
		bool from_stdout_path; /* false: first enabled pl011 found */
		uint32_t clock_hz;     /* clock-frequency if given, else 0 */
		uint32_t intid;	       /* its GIC INTID, or 0 if unknown */
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
	unsigned warnings; /* malformed but skippable things we ignored */
};

/* Fill p from f (which fdt_init accepted). 0 or an FDT_ERR_* code. */
int dtb_parse(const struct fdt *f, struct dt_platform *p);

const char *dt_uart_kind_name(enum dt_uart_kind k);
const char *dt_psci_name(enum dt_psci_method m);

#endif
