/*
 * What the boot loader told us, in one arch-neutral form. Each arch's entry
 * code fills a struct boot_info (from multiboot2 or the DTB) and hands it to
 * kmain().
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <kernel/compiler.h>

#define BOOT_MAX_RANGES 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024

struct boot_range {
	uint64_t base; /* physical address */
	uint64_t size; /* bytes */
};

struct boot_module {
	uint64_t base; /* physical address of the module's first byte */
	uint64_t size;
	char name[32]; /* the loader's string for it (GRUB's module2 argument) */
};

struct boot_info {
	struct boot_range ram[BOOT_MAX_RANGES]; /* usable RAM */
	unsigned nram;
	/* ranges inside RAM that must never be handed out: firmware, DTB, modules */
	struct boot_range reserved[BOOT_MAX_RANGES];
	unsigned nreserved;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned nmodules;
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[48]; /* who booted us, for the banner */
};

/* What kmain() was given, kept for tests and later stages. */
extern const struct boot_info *kernel_boot_info;
/* The clock's raw ticks (arch_timer_ticks) when kmain began: the
 * kernel's entry, for KerInfo's boot_ns (the clock runs from the
 * machine's reset, firmware and loader included). */
extern uint64_t kernel_entry_ticks;

/* Append helpers; they drop (and count) entries once the arrays are full. */
void boot_add_ram(struct boot_info *bi, uint64_t base, uint64_t size);
void boot_add_reserved(struct boot_info *bi, uint64_t base, uint64_t size);

/* Generic entry, called by the arch once its console works. */
NORETURN void kmain(struct boot_info *bi);

#endif
