/*
 * x86-64 GDT and TSS. Layout fixed by SYSCALL/SYSRET: kernel code, kernel
 * data, user data, user code (STAR's user base 0x10 gives SS 0x18, CS
 * 0x20), then the 16-byte TSS descriptor. The TSS holds IST stacks so a
 * double fault, NMI or machine check always has a good stack to report on.
 */
#include "x86.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

#define IST_STACK_SIZE 8192

static struct tss tss;
static uint8_t ist_stacks[3][IST_STACK_SIZE] ALIGNED(16);

/* Accessed bits preset so the CPU never writes to the table. */
static uint64_t gdt[7] = {
	0,
	0x00af9b000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf93000000ffff, /* 0x10 kernel data */
	0x00cff3000000ffff, /* 0x18 user data */
	0x00affb000000ffff, /* 0x20 user code, 64-bit */
	0, 0,               /* 0x28 TSS */
};

void x86_set_rsp0(uintptr_t top)
{
	tss.rsp[0] = top;
}

void x86_gdt_init(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uintptr_t)ist_stacks[i] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: user port I/O faults */
	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt[6] = base >> 32;

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof(gdt) - 1, (uintptr_t)gdt};

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
