/*
 * aarch64 in-kernel tests of platform discovery: the DTB the kernel booted
 * with is parsed again, must give what the boot path kept, and on QEMU virt
 * the values QEMU puts there (RAM at 0x40000000, a PL011 that is the
 * console, a GIC, PSCI). Also the devices found: the GIC version matches
 * the hardware's ID registers and the timer interrupt arrives.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/timer.h>
#include <kernel/cmdline.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/timer.h>
#include <kernel/string.h>
#include <kernel/vm.h>

#include "a64.h"
#include "dtb.h"
#include "fdt.h"

static bool on_qemu_virt(const struct dt_platform *p)
{
	return !strcmp(p->model, "linux,dummy-virt");
}

/* Parse the boot DTB again into *p. */
static int reparse(struct fdt *f, struct dt_platform *p)
{
	int err = fdt_init(f, phys_to_virt(a64_dtb_pa()), a64_dtb_size());

	return err ? err : dtb_parse(f, p);
}

KTEST(a64_dtb_reparse_matches_boot)
{
	static struct dt_platform p;
	const struct dt_platform *boot = a64_platform();
	struct fdt f;

	KT_ASSERT(a64_dtb_pa() != 0);
	KT_ASSERT_EQ(reparse(&f, &p), 0);
	KT_EXPECT_EQ(f.totalsize, a64_dtb_size());
	/* Same blob, same parser: the same answer, byte for byte. */
	KT_EXPECT(!memcmp(&p, boot, sizeof(p)));
	KT_EXPECT_EQ(p.warnings, 0);
	/* The DTB stays readable (the direct map covers it, vm_init kept it)
	 * and it lies in RAM the page allocator was told to leave alone. */
	bool in_ram = false;
	for (unsigned i = 0; i < p.nmem; i++)
		in_ram |= a64_dtb_pa() >= p.mem[i].base &&
			  a64_dtb_pa() + a64_dtb_size() <= p.mem[i].base + p.mem[i].size;
	KT_EXPECT(in_ram);
}

KTEST(a64_dtb_qemu_virt_values)
{
	static struct dt_platform p;
	struct fdt f;

	KT_ASSERT_EQ(reparse(&f, &p), 0);
	if (!on_qemu_virt(&p)) {
		kprintf("# not QEMU virt (%s): virt-specific values not checked\n", p.model);
		return;
	}
	KT_EXPECT_EQ(p.nmem, 1);
	KT_EXPECT_EQ(p.mem[0].base, 0x40000000);
	KT_EXPECT(p.mem[0].size >= MiB(128));
	/* The console is the PL011 QEMU names in stdout-path, at 0x09000000,
	 * and it is what arch_console_write() writes to. */
	KT_EXPECT_EQ(p.uart.kind, DT_UART_PL011);
	KT_EXPECT(p.uart.from_stdout_path);
	KT_EXPECT_EQ(p.uart.base, 0x09000000);
	KT_EXPECT_EQ(a64_console_base(), (uintptr_t)phys_to_virt(p.uart.base));
	KT_EXPECT(p.gic.version == 2 || p.gic.version == 3);
	KT_EXPECT_EQ(p.gic.dist_base, 0x08000000);
	if (p.gic.version == 2)
		KT_EXPECT_EQ(p.gic.cpu_base, 0x08010000);
	else
		KT_EXPECT_EQ(p.gic.redist_base, 0x080a0000);
	KT_EXPECT_EQ(p.timer.nirq, 4);
	KT_EXPECT_EQ(p.timer.intid[DT_TIMER_VIRT], 27);
	KT_EXPECT_EQ(p.timer.intid[DT_TIMER_PHYS], 30);
	/* hvc without EL2, smc when QEMU emulates EL2 and EL3 for us */
	KT_EXPECT(p.psci != DT_PSCI_NONE);
	KT_EXPECT_EQ(p.psci, a64_entry_el() == 2 ? DT_PSCI_SMC : DT_PSCI_HVC);
}

/* The generic walkers on the live tree, including our own command line. */
KTEST(a64_dtb_walk_live_tree)
{
	struct fdt f;
	int chosen, n, depth = 0, nodes = 0;

	KT_ASSERT_EQ(fdt_init(&f, phys_to_virt(a64_dtb_pa()), a64_dtb_size()), 0);
	chosen = fdt_path(&f, "/chosen", 7);
	KT_ASSERT(chosen >= 0);
	const char *args = fdt_getprop_str(&f, chosen, "bootargs");
	KT_ASSERT(args != NULL);
	KT_EXPECT(cmdline_has(args, "ktest"));
	KT_EXPECT(fdt_getprop_str(&f, chosen, "stdout-path") != NULL);
	for (n = fdt_root(&f); n >= 0; n = fdt_next_node(&f, n, &depth))
		nodes++;
	KT_EXPECT_EQ(n, FDT_ERR_NOTFOUND);
	KT_EXPECT(nodes > 3);
	KT_EXPECT(fdt_path(&f, "/no-such-node", 13) < 0);
}

KTEST(a64_gic_matches_hardware)
{
	const struct dt_platform *p = a64_platform();
	int hw = a64_gic_hw_revision();

	KT_EXPECT_EQ(a64_gic_version(), p->gic.version);
	/* ArchRev: 2 for GICv2; 3 (or 4 for a v4 GIC) for GICv3 */
	if (p->gic.version == 2)
		KT_EXPECT_EQ(hw, 2);
	else
		KT_EXPECT(hw == 3 || hw == 4);
	KT_EXPECT(a64_gic_lines() >= 64);
	if (p->gic.version == 3)
		KT_EXPECT(read_sysreg(S3_0_C12_C12_5) & 1); /* ICC_SRE_EL1.SRE */
}

static volatile int expiries;

static void count_expiry(struct ktimer *t)
{
	(void)t;
	expiries++;
}

/* The virtual timer's PPI arrives through the GIC, and nothing else does:
 * three kernel timers, each armed 1 ms ahead once the one before has
 * fired, make (at least) three interrupts. (Armed all at once 1 ms apart,
 * a slow host could serve two with one interrupt.) */
KTEST(a64_timer_irq_count_advances)
{
	const struct a64_irq_stats *s = a64_irq_stats();
	uint64_t t0 = s->timer, start = arch_timer_now_ns();
	static struct ktimer k[3];

	KT_EXPECT_EQ(a64_timer_intid(), 27);
	expiries = 0;
	for (int i = 0; i < 3; i++) {
		ktimer_arm(&k[i], arch_timer_now_ns() + 1000000, count_expiry);
		while (expiries < i + 1 && arch_timer_now_ns() - start < 500000000ull)
			arch_wait_for_interrupt();
	}
	KT_EXPECT_EQ(expiries, 3);
	KT_EXPECT(s->timer >= t0 + 3);
	KT_EXPECT_EQ(s->unexpected, 0);
	KT_EXPECT(s->total >= s->timer);
	/* CNTVOFF is 0 (we set it at EL2; QEMU does without): the virtual
	 * count follows the physical one. */
	uint64_t v = read_sysreg(cntvct_el0), ph = read_sysreg(cntpct_el0);
	KT_EXPECT(ph >= v && ph - v < read_sysreg(cntfrq_el0));
}
