/*
 * x86-64's TSS lives in struct cpu (gdt.c, ARCH_CPU_WORDS): the TSS the
 * CPU has loaded (found as the CPU finds it: the task register's GDT
 * descriptor) starts 4 bytes into this CPU's struct cpu, so its rsp0,
 * where interrupts and exceptions from user mode switch stacks, is the
 * word the switch stores (cpu->kstack_top); its IST entries are the
 * three stacks the IDT's #DF, NMI and #MC take, and it has no I/O bitmap.
 */
#include <kernel/cpu.h>
#include <kernel/ktest.h>
#include <kernel/string.h>

static uint64_t tss_word(uint64_t base, unsigned off)
{
	uint64_t v;

	memcpy(&v, (const void *)(uintptr_t)(base + off), sizeof(v));
	return v;
}

KTEST(x86_tss_in_struct_cpu)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr;
	uint16_t tr;

	__asm__ volatile("sgdt %0\n\tstr %1" : "=m"(gdtr), "=r"(tr));
	const uint64_t *d = (const uint64_t *)(uintptr_t)(gdtr.base + (tr & ~7u));
	uint64_t base = (d[0] >> 16 & 0xffffff) | (d[0] >> 56 & 0xff) << 24 | d[1] << 32;
	uint32_t limit = (uint32_t)((d[0] & 0xffff) | (d[0] >> 48 & 0xf) << 16);
	struct cpu *c = this_cpu();

	KT_EXPECT_EQ(base, (uint64_t)(uintptr_t)c + 4);
	KT_EXPECT_EQ(limit, 103u);
	KT_EXPECT_EQ(tss_word(base, 4), (uint64_t)c->kstack_top); /* rsp0 */
	uint64_t ist1 = tss_word(base, 36), ist2 = tss_word(base, 44), ist3 = tss_word(base, 52);
	KT_EXPECT(ist1 != 0 && ist1 < ist2 && ist2 < ist3 && ist3 - ist1 < 65536);
	uint16_t iomap;
	memcpy(&iomap, (const void *)(uintptr_t)(base + 102), sizeof(iomap));
	KT_EXPECT(iomap > limit); /* no I/O bitmap: user port I/O faults */
}
