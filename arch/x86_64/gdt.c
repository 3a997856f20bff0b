/*
 * x86-64 GDT and TSS, one of each per CPU (the TSS holds the CPU's own
 * kernel stack pointer, and lives in its struct cpu: ARCH_CPU_WORDS).
 * Layout fixed by SYSCALL/SYSRET: kernel code,
 * kernel data, user data, user code (STAR's user base 0x10 gives SS 0x18,
 * CS 0x20), then the 16-byte TSS descriptor. The TSS holds IST stacks so
 * a double fault, NMI or machine check always has a good stack to report
 * on.
 */
#include "x86.h"

#include <arch/user.h>
#include <kernel/cpu.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* CPU cpu's TSS: at +4 in its struct cpu, so that rsp[0] is kstack_top.
 * Long mode's CPU never writes a TSS, and reads only rsp[0], the IST
 * entries the IDT names and iomap_base: the struct's words the TSS's
 * other fields cover (self's upper half, scratch as rsp[1]) are free. */
_Static_assert(offsetof(struct cpu, kstack_top) == 4 + offsetof(struct tss, rsp),
	       "the TSS's rsp0 is cpu->kstack_top");
_Static_assert(offsetof(struct cpu, arch) == 24 &&
		   4 + sizeof(struct tss) <= 24 + sizeof(((struct cpu *)0)->arch),
	       "the TSS past rsp1 is in cpu->arch");
static struct tss *tss_of(unsigned cpu)
{
	return (struct tss *)((uint8_t *)&cpus[cpu] + 4);
}
static uint8_t boot_ist[X86_IST_SIZE] ALIGNED(16);

/* Accessed bits preset so the CPU never writes to the table. */
static const uint64_t gdt_template[7] = {
	0,
	0x00af9b000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf93000000ffff, /* 0x10 kernel data */
	0x00cff3000000ffff, /* 0x18 user data */
	0x00affb000000ffff, /* 0x20 user code, 64-bit */
	0, 0,               /* 0x28 TSS */
};
static uint64_t gdt[CPUS_MAX][7];

void x86_gdt_init(unsigned cpu, uint8_t *ist)
{
	struct tss *t = tss_of(cpu);
	uint64_t *g = gdt[cpu], base = (uintptr_t)t, limit = sizeof(*t) - 1;

	if (!ist)
		ist = boot_ist;
	for (int i = 0; i < 3; i++)
		t->ist[i] = (uintptr_t)ist + (i + 1) * X86_IST_SIZE / 3;
	t->iomap_base = sizeof(*t); /* no I/O bitmap: user port I/O faults */
	for (int i = 0; i < 7; i++)
		g[i] = gdt_template[i];
	g[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
	       ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	g[6] = base >> 32;

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof(gdt[0]) - 1, (uintptr_t)g};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
			 : "rax", "memory");
}
