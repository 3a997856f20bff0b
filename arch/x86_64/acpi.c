/*
 * ACPI, only as far as interrupts need it: find the RSDP (the loader's
 * copy from multiboot2, else the BIOS areas: the EBDA's first KiB and
 * 0xE0000-0xFFFFF), follow the XSDT or RSDT to the MADT ("APIC") and
 * take the first IOAPIC (address, GSI base), the interrupt source
 * overrides (which GSI an ISA IRQ arrives on, its polarity and trigger)
 * and the enabled processors' local APIC ids (smp.c starts them).
 * Without a MADT the ISA defaults hold: IOAPIC at 0xFEC00000, GSI n =
 * IRQ n, edge-triggered, active high.
 *
 * Runs from x86_entry on the boot tables, which map the first 4 GiB at
 * the direct-map offset: tables above that are not read. Every length
 * and checksum is checked before a byte past a header is used.
 * Entry points: x86_acpi_init, x86_isa_gsi, x86_madt.
 */
#include "x86.h"
#include "../../lib/bytes.h"

#include <kernel/cpu.h>
#include <kernel/kprintf.h>
#include <kernel/string.h>
#include <kernel/vm.h>

#define READABLE_TOP (4ull << 30) /* what the boot tables map */
#define SDT_HEADER 36
#define SDT_MAX (1u << 20)        /* no table we read is larger */

struct x86_madt x86_madt = {.ioapic_pa = 0xfec00000};

static bool sum_ok(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s += *p++;
	return s == 0;
}

static bool rsdp_ok(const uint8_t *p, uint32_t avail)
{
	return avail >= 20 && !memcmp(p, "RSD PTR ", 8) && sum_ok(p, 20);
}

/* The RSDP in [pa, pa + len), on 16-byte boundaries, or NULL. */
static const uint8_t *scan(uint64_t pa, uint64_t len)
{
	for (uint64_t off = 0; off + 20 <= len; off += 16)
		if (rsdp_ok(phys_to_virt(pa + off), 20))
			return phys_to_virt(pa + off);
	return NULL;
}

/* A system description table at pa with signature sig (NULL: any),
 * whole and summing to zero; NULL otherwise. *len gets its length. */
static const uint8_t *table(uint64_t pa, const char *sig, uint32_t *len)
{
	if (!pa || pa >= READABLE_TOP - SDT_HEADER)
		return NULL;
	const uint8_t *t = phys_to_virt(pa);
	uint32_t n = rd32(t + 4);
	if (n < SDT_HEADER || n > SDT_MAX || pa + n > READABLE_TOP || (sig && memcmp(t, sig, 4)) ||
	    !sum_ok(t, n))
		return NULL;
	*len = n;
	return t;
}

/* The MADT named by the RSDP at r, or NULL. */
static const uint8_t *find_madt(const uint8_t *r, uint32_t rlen, uint32_t *len)
{
	/* ACPI 2.0+: the XSDT's 64-bit entries; else the RSDT's 32-bit. */
	bool x = r[15] >= 2 && rlen >= 36 && rd32(r + 20) >= 36 && sum_ok(r, 36);
	uint32_t n;
	const uint8_t *sdt = x ? table(rd64(r + 24), "XSDT", &n) : NULL;
	if (!sdt) {
		x = false;
		sdt = table(rd32(r + 16), "RSDT", &n);
	}
	if (!sdt)
		return NULL;
	unsigned esize = x ? 8 : 4;
	for (uint32_t off = SDT_HEADER; off + esize <= n; off += esize) {
		uint64_t pa = x ? rd64(sdt + off) : rd32(sdt + off);
		const uint8_t *m = table(pa, "APIC", len);
		if (m)
			return m;
	}
	return NULL;
}

static void parse_madt(const uint8_t *m, uint32_t n)
{
	bool ioapic = false;

	for (uint32_t off = 44; off + 2 <= n;) {
		uint8_t type = m[off], len = m[off + 1];
		if (len < 2 || len > n - off)
			break;
		const uint8_t *e = m + off;
		/* Processor local APIC (x2APIC: type 9), enabled or online
		 * capable; the first CPUS_MAX. */
		uint32_t flags = type == 0 && len >= 8 ? rd32(e + 4) : type == 9 && len >= 16 ? rd32(e + 8) : 0;
		if ((flags & 3) && x86_madt.ncpus < CPUS_MAX)
			x86_madt.apic_id[x86_madt.ncpus++] = type == 0 ? e[3] : rd32(e + 4);
		if (type == 1 && len >= 12 && !ioapic) { /* I/O APIC: the first one */
			ioapic = true;
			x86_madt.ioapic_pa = rd32(e + 4);
			x86_madt.gsi_base = rd32(e + 8);
		} else if (type == 2 && len >= 10 && e[2] == 0 && e[3] < 16 &&
			   x86_madt.nover < ARRAY_SIZE(x86_madt.over)) {
			/* Interrupt source override, bus 0 (ISA) */
			x86_madt.over[x86_madt.nover++] = (struct x86_override){
			    e[3], rd32(e + 4), (uint16_t)(e[8] | e[9] << 8)};
		}
		off += len;
	}
	x86_madt.found = ioapic;
	if (!ioapic)
		x86_madt.nover = 0;
}

void x86_acpi_init(const uint8_t *rsdp, uint32_t rsdp_len)
{
	uint32_t n = 0;
	const uint8_t *m = NULL;

	if (!rsdp || !rsdp_ok(rsdp, rsdp_len)) {
		/* The EBDA's segment is at 0x40E in the BIOS data area. */
		uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
		rsdp = ebda >= 0x80000 && ebda < 0xa0000 ? scan(ebda, 1024) : NULL;
		if (!rsdp)
			rsdp = scan(0xe0000, 0x20000);
		rsdp_len = 36; /* a BIOS area holds the whole structure */
	}
	if (rsdp)
		m = find_madt(rsdp, rsdp_len, &n);
	if (m)
		parse_madt(m, n);
	if (x86_madt.found)
		kprintf("acpi: MADT: %u CPUs, IOAPIC at 0x%llx, GSI base %u, %u ISA overrides\n",
			x86_madt.ncpus, (unsigned long long)x86_madt.ioapic_pa, x86_madt.gsi_base,
			x86_madt.nover);
	else
		kprintf("acpi: no MADT (%s): IOAPIC at 0x%llx with ISA defaults\n",
			rsdp ? "not in the RSDT/XSDT" : "no RSDP",
			(unsigned long long)x86_madt.ioapic_pa);
}

unsigned x86_isa_gsi(unsigned irq, uint16_t *flags)
{
	for (unsigned i = 0; i < x86_madt.nover; i++)
		if (x86_madt.over[i].irq == irq) {
			*flags = x86_madt.over[i].flags;
			return x86_madt.over[i].gsi;
		}
	*flags = 0; /* conforming to the bus: ISA is edge, active high */
	return irq;
}
