/* x86-64 IDT: 256 interrupt gates to the stubs in vectors.S; double fault,
 * NMI and machine check run on their own IST stacks (gdt.c). */
#include "x86.h"

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type; /* 0x8e: present, DPL 0, 64-bit interrupt gate */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

extern const uint64_t x86_vector_table[256];
static struct idt_gate idt[256];

void x86_idt_init(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t a = x86_vector_table[v];
		idt[v] = (struct idt_gate){(uint16_t)a, SEL_KCODE, 0, 0x8e,
					   (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
	}
	idt[8].ist = 1;  /* #DF */
	idt[2].ist = 2;  /* NMI */
	idt[18].ist = 3; /* #MC */
	x86_idt_load();
}

void x86_idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof(idt) - 1, (uintptr_t)idt};
	__asm__ volatile("lidt %0" ::"m"(ptr));
}
