/*
 * Interrupts for user-mode drivers, with real lines raised by real
 * devices (intrdev.h: the spare timer and the console UART KerInfo
 * names; x86-64 through the IOAPIC as the ACPI MADT describes it,
 * aarch64 through the GIC):
 *  - InterruptAttachEvent with SIGEV_INTR; a firing wakes InterruptWait,
 *    one that came first is pending and returns at once (the UART, whose
 *    line rises in the register write), and is consumed;
 *    a thread blocked in InterruptWait shows STATE_INTR and is woken;
 *  - the kernel masks the line when it fires: raising it again is not
 *    delivered (a bounded TimerTimeout wait gives ETIMEDOUT) until
 *    InterruptUnmask; masks nest and InterruptMask/Unmask return the
 *    count; a level line (aarch64's RTC) still up is delivered at the
 *    unmask, an edge that came while masked (x86-64's PIT) is lost, as
 *    the IOAPIC ignores edges on a masked pin;
 *  - _NTO_INTR_FLAGS_NO_UNMASK; detaching a masked attachment leaves the
 *    line to the others; the UART's line;
 *  - SIGEV_SIGNAL through an attachment: the signal, si_code SI_IRQ and
 *    its value;
 *  - SIGEV_PULSE through an attachment (event.c): one pulse a firing,
 *    none while masked, and a pulse still queued at detach withdrawn;
 *  - EPERM without _NTO_ABILITY_IO / INTERRUPT / MEM_PHYS (a child),
 *    EINVAL, ESRCH, ENOTSUP for bad arguments; mmap_device_memory refuses
 *    RAM;
 *  - attachment counts back at baseline after detach and after a child
 *    that attached (and left its line masked) dies without detaching.
 * QNX pages: InterruptAttachEvent, InterruptWait, InterruptMask,
 * InterruptUnmask (7.0: "the current mask count"; ESRCH for an id not
 * returned by an attach), ThreadCtl (_NTO_TCTL_IO), mmap_device_memory,
 * TimerTimeout (_NTO_TIMEOUT_INTR).
 *
 * Main runs SCHED_FIFO at 10, above the one thread it starts.
 */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/kinfo.h>

#include "../../proc/proc.h"
#include "intrdev.h"
#include "msgtest.h"

#define MAIN_PRIO    10
#define EXITED(code) ((code) << 8)
#define MS	     1000000ull
#define ST_INTR	     16

#if defined(__x86_64__)
#define SPARE_LEVEL 0 /* the PIT's edge */
#else
#define SPARE_LEVEL 1 /* the RTC's level */
#endif

static struct ifs fs;
static struct intrdev dev;
static int spare, main_tid;
static struct sigevent intr_ev;

/* InterruptWait bounded by ms (0: at once). */
static int wait_ms(uint64_t ms)
{
	if (ms)
		timeout_in(_NTO_TIMEOUT_INTR, ms * MS);
	else
		timeout_now(_NTO_TIMEOUT_INTR);
	return InterruptWait_r(0, NULL);
}

static int attached(void)
{
	return (int)counts().interrupts;
}

static pid_t spawn(const char *role, uint64_t abilities)
{
	char *argv[] = {"child", (char *)role, NULL};
	pid_t pid = proc_spawn_abilities(&fs, "child", argv, NULL, MAIN_PRIO, SCHED_FIFO,
					 abilities);
	if (pid < 0)
		printf("# spawn child %s: error %d\n", role, -pid);
	return pid;
}

static int wait_child(pid_t pid)
{
	int st = -1;
	timeout_in(_NTO_TIMEOUT_JOIN, 20000 * MS);
	return ProcWait_r(pid, &st) == pid ? st : -1;
}

/* --- the devices and the lines KerInfo names (3 + 2) ---------------------------- */

static void devices(void)
{
	CHECK_EQ(intrdev_open(&dev), 0);
	spare = (int)dev.info.timer_line;
	CHECK(dev.info.lines > (uint32_t)spare && dev.info.lines > dev.info.uart_line);
#if defined(__x86_64__)
	/* QEMU's MADT moves ISA IRQ 0 to GSI 2 (BIOS and UEFI alike): the
	 * kernel read it; COM1 keeps IRQ 4. */
	CHECK_EQ(spare, 2);
	CHECK_EQ(dev.info.uart_line, 4);
#else
	/* virt's DTB: PL011 at SPI 1, PL031 at SPI 2. */
	CHECK_EQ(dev.info.uart_line, 32 + 1);
	CHECK_EQ(spare, 32 + 2);
#endif
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_IO, 0), 0);
}

/* --- bad arguments (16) ---------------------------------------------------------- */

static void bad_arguments(void)
{
	struct sigevent bad = {.sigev_notify = 99};

	CHECK_EQ(InterruptAttachEvent_r(-1, &intr_ev, 0), -EINVAL);
	CHECK_EQ(InterruptAttachEvent_r((int)dev.info.lines, &intr_ev, 0), -EINVAL);
#if defined(__x86_64__)
	CHECK_EQ(InterruptAttachEvent_r(4096, &intr_ev, 0), -EINVAL);
#else
	CHECK_EQ(InterruptAttachEvent_r(27, &intr_ev, 0), -EINVAL); /* a PPI: the kernel's timer */
#endif
	CHECK_EQ(InterruptAttachEvent_r(spare, &intr_ev, 0x40), -EINVAL); /* unknown flag */
	CHECK_EQ(InterruptAttachEvent_r(spare, &bad, 0), -EINVAL);
	CHECK_EQ(InterruptAttachEvent_r(spare, NULL, 0), -EFAULT);
	CHECK_EQ(InterruptWait_r(1, NULL), -ENOTSUP);
	uint64_t t = 1;
	CHECK_EQ(InterruptWait_r(0, &t), -ENOTSUP);
	CHECK_EQ(wait_ms(0), -ETIMEDOUT); /* nothing attached, nothing pending */
	CHECK_EQ(InterruptMask_r(spare, 4242), -ESRCH);
	CHECK_EQ(InterruptUnmask_r(spare, -1), -ESRCH); /* none of ours on it */
	CHECK_EQ(InterruptUnmask_r(-5, 1), -EINVAL);
	CHECK_EQ(InterruptDetach_r(0), -ESRCH);
	CHECK_EQ(InterruptDetach_r(4242), -ESRCH);
	CHECK_EQ(ThreadCtl_r(1234, NULL), -EINVAL);
	CHECK_EQ(attached(), 0);
}

/* --- mmap_device_memory (5) ------------------------------------------------------ */

static void device_memory(void)
{
	int prot = PROT_READ | PROT_WRITE | PROT_NOCACHE;
#if defined(__x86_64__)
	/* The HPET QEMU's pc and q35 have (ACPI's HPET table says where):
	 * its capabilities name the vendor, 0x8086, in bits 31:16. */
	uint64_t phys = 0xfed00000, ram = 0x200000;
	volatile uint32_t *m = mmap_device_memory(NULL, 4096, PROT_READ | PROT_NOCACHE, 0, phys);
	CHECK(m != MAP_FAILED && m[0] >> 16 == 0x8086);
#else
	/* The RTC mapped again: its peripheral id reads 0x31 (PL031). */
	uint64_t phys = dev.info.timer_base, ram = 0x40000000;
	volatile uint32_t *m = mmap_device_memory(NULL, 4096, prot, 0, phys);
	CHECK(m != MAP_FAILED && (m[0xfe0 / 4] & 0xff) == 0x31);
#endif
	CHECK_EQ(munmap_device_memory((void *)m, 4096), 0);
	CHECK(munmap_device_memory((void *)m, 4096) == -1 && errno == EINVAL);
	/* RAM is not device memory; a physical address must be page-aligned. */
	CHECK(mmap_device_memory(NULL, 4096, prot, 0, ram) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap_device_memory(NULL, 4096, prot, 0, phys + 8) == MAP_FAILED && errno == EINVAL);
}

/* --- the spare line: fire, mask, unmask, wake (24) ------------------------------- */

static volatile int raiser_saw;

/* Below main: it runs once main blocks, and says in what state. With
 * more CPUs it may start on another before main has blocked: it looks
 * again until main is in INTR, a bounded number of times. */
static void *raiser(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++)
		if ((raiser_saw = state_of(MYPID, main_tid)) == ST_INTR)
			break;
	ThreadCtl_r(_NTO_TCTL_IO, 0); /* per thread: not inherited here */
	spare_raise(&dev);
	return NULL;
}

static void spare_line(void)
{
	int id = InterruptAttachEvent_r(spare, &intr_ev, _NTO_INTR_FLAGS_TRK_MSK);
	CHECK(id > 0);
	CHECK_EQ(attached(), 1);
	/* An edge from before anything was attached may come at once on
	 * hardware: an IOAPIC may hold one made while the line was masked,
	 * as when the kernel silenced the PIT (lapic.c). Taken, and the line
	 * unmasked again (TRK_MSK masked it); then it is quiet until
	 * raised. */
	int stale = wait_ms(2) == 0;
	if (stale)
		printf("# an edge from before the attach came at once\n");
	CHECK(!stale || InterruptUnmask_r(spare, id) == 0);
	CHECK_EQ(wait_ms(2), -ETIMEDOUT); /* quiet until raised */

	/* It fires (QEMU's PIT raises its line from a host timer a moment
	 * after its status says so: wait for it), once. */
	spare_raise(&dev);
	CHECK_EQ(wait_ms(1000), 0);
	CHECK_EQ(wait_ms(0), -ETIMEDOUT);

	/* Masked by the kernel when it fired: raised again (x86-64: a new
	 * edge; aarch64: the level never fell), nothing comes. */
	if (!SPARE_LEVEL) {
		spare_clear(&dev);
		spare_raise(&dev);
	}
	CHECK_EQ(wait_ms(5), -ETIMEDOUT);
	/* Masks nest; the count is returned. */
	CHECK_EQ(InterruptMask_r(spare, id), 2);
	CHECK_EQ(InterruptUnmask_r(spare, id), 1);
	CHECK_EQ(wait_ms(2), -ETIMEDOUT);
	CHECK_EQ(InterruptUnmask_r(spare, id), 0);
	/* Open again: a level still up is delivered now; an edge that came
	 * while masked is gone. */
	CHECK_EQ(wait_ms(0), SPARE_LEVEL ? 0 : -ETIMEDOUT);
	spare_clear(&dev);
	CHECK_EQ(InterruptUnmask_r(spare, -1), 0); /* -1: our attachment on the line */

	/* A blocked InterruptWait (STATE_INTR) is woken by the firing. */
	int tid = tstart(raiser, NULL, MAIN_PRIO - 1);
	CHECK_EQ(wait_ms(2000), 0);
	CHECK_EQ(raiser_saw, ST_INTR);
	CHECK_EQ(tjoin(tid), 0);

	/* A second attachment on the line (SIGEV_NONE: a firing wakes us
	 * once, through the first): a firing masks both. Detaching the
	 * second while it holds masks leaves the line to the first, which
	 * unmasked: the next raise reaches it. */
	struct sigevent none = {.sigev_notify = SIGEV_NONE};
	int id2 = InterruptAttachEvent_r(spare, &none, _NTO_INTR_FLAGS_END);
	spare_clear(&dev);
	CHECK_EQ(InterruptUnmask_r(spare, id), 0);
	spare_raise(&dev);
	CHECK(id2 > 0 && wait_ms(1000) == 0);
	spare_clear(&dev);
	CHECK(InterruptUnmask_r(spare, id) == 0 && InterruptMask_r(spare, id2) == 2);
	CHECK_EQ(InterruptDetach_r(id2), 0);
	spare_raise(&dev);
	CHECK_EQ(wait_ms(1000), 0);
	spare_clear(&dev);
	CHECK_EQ(InterruptDetach_r(id), 0);
	CHECK_EQ(InterruptDetach_r(id), -ESRCH);
	CHECK_EQ(attached(), 0);
}

/* --- _NTO_INTR_FLAGS_NO_UNMASK (4) ----------------------------------------------- */

static void no_unmask(void)
{
	int id = InterruptAttachEvent_r(spare, &intr_ev, _NTO_INTR_FLAGS_NO_UNMASK);
	spare_raise(&dev);
	CHECK(id > 0 && wait_ms(2) == -ETIMEDOUT); /* attached masked */
	spare_clear(&dev);
	CHECK_EQ(InterruptUnmask_r(spare, id), 0);
	spare_raise(&dev);
	CHECK_EQ(wait_ms(1000), 0);
	spare_clear(&dev);
	CHECK_EQ(InterruptDetach_r(id), 0);
}

/* --- SIGEV_PULSE through an attachment (7) ----------------------------------- */

static void pulse_line(void)
{
	int chid = ChannelCreate_r(0), coid = ConnectAttach_r(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	struct sigevent ev;
	struct _pulse p = {0};

	SIGEV_PULSE_INIT(&ev, coid, MAIN_PRIO, 200, 0); /* code above 127 */
	CHECK_EQ(InterruptAttachEvent_r(spare, &ev, 0), -EINVAL);
	SIGEV_PULSE_INIT(&ev, coid, MAIN_PRIO, 7, 0x1234);
	int id = InterruptAttachEvent_r(spare, &ev, 0);
	CHECK(chid > 0 && coid > 0 && id > 0);
	spare_raise(&dev);
	timeout_in(_NTO_TIMEOUT_RECEIVE, 1000 * MS);
	int r = MsgReceive_r(chid, &p, sizeof(p), NULL);
	CHECK(r == 0 && p.code == 7 && p.value.sival_int == 0x1234);

	/* Masked: no pulse for a second raise. */
	if (!SPARE_LEVEL) {
		spare_clear(&dev);
		spare_raise(&dev);
	}
	timeout_in(_NTO_TIMEOUT_RECEIVE, 5 * MS);
	CHECK_EQ(MsgReceive_r(chid, &p, sizeof(p), NULL), -ETIMEDOUT);

	/* Unmasked, raised, with a SIGEV_INTR attachment beside it: when
	 * InterruptWait returns, the same firing has queued the pulse.
	 * Detaching takes it back off the channel (it is the attachment's
	 * own). */
	int id2 = InterruptAttachEvent_r(spare, &intr_ev, _NTO_INTR_FLAGS_END);
	spare_clear(&dev);
	InterruptUnmask_r(spare, id);
	spare_raise(&dev);
	CHECK(id2 > 0 && wait_ms(1000) == 0);
	spare_clear(&dev);
	CHECK(InterruptDetach_r(id) == 0 && InterruptDetach_r(id2) == 0);
	timeout_now(_NTO_TIMEOUT_RECEIVE);
	CHECK_EQ(MsgReceive_r(chid, &p, sizeof(p), NULL), -ETIMEDOUT);
	ConnectDetach_r(coid);
	ChannelDestroy_r(chid);
}

/* --- SIGEV_SIGNAL through an attachment (2) ------------------------------------ */

static void signal_line(void)
{
	struct sigevent ev;
	sigset_t set;
	siginfo_t si;
	struct timespec to = {1, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	SIGEV_SIGNAL_VALUE_INIT(&ev, SIGUSR1, 77);
	int id = InterruptAttachEvent_r(spare, &ev, 0);
	spare_raise(&dev);
	CHECK(id > 0 && sigtimedwait(&set, &si, &to) == SIGUSR1);
	CHECK(si.si_code == SI_IRQ && si.si_value.sival_int == 77);
	spare_clear(&dev);
	InterruptDetach_r(id);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* --- the console UART's line (3) --------------------------------------------------- */

static void uart_line(void)
{
	int line = (int)dev.info.uart_line;
	int id = InterruptAttachEvent_r(line, &intr_ev, 0);

	/* No output between raise and clear: the kernel's console writes
	 * this UART. Its line rises in the register write, so the firing is
	 * pending before InterruptWait, which returns at once. */
	uart_raise(&dev);
	int r = wait_ms(0);
	uart_clear(&dev);
	CHECK(id > 0 && r == 0);
	CHECK_EQ(InterruptUnmask_r(line, id), 0);
	CHECK_EQ(InterruptDetach_r(id), 0);
}

/* --- other processes (5) ------------------------------------------------------------ */

static void children(void)
{
	/* Without the abilities: EPERM for all of it (child.c). */
	CHECK_EQ(wait_child(spawn("intr-eperm", 0)), EXITED(0));

	/* A child attaches the spare line, lets it fire (so it holds a mask)
	 * and dies without detaching: its attachment goes with it. */
	CHECK_EQ(wait_child(spawn("intr-die", _NTO_ABILITY_IO | _NTO_ABILITY_INTERRUPT | _NTO_ABILITY_MEM_PHYS)),
		 EXITED(0));
	CHECK_EQ(attached(), 0);
	/* ... and the line works for the next driver. */
	spare_clear(&dev);
	int id = InterruptAttachEvent_r(spare, &intr_ev, 0);
	spare_raise(&dev);
	CHECK(id > 0 && wait_ms(1000) == 0);
	spare_clear(&dev);
	CHECK_EQ(InterruptDetach_r(id), 0);
}

int main(void)
{
	tap_plan(5 + 16 + 5 + 24 + 4 + 7 + 2 + 3 + 5 + 1);
	set_self_prio(MAIN_PRIO);
	main_tid = 1;
	proc_open_image(&fs);
	SIGEV_INTR_INIT(&intr_ev);
	struct ker_info_counts before = counts();

	devices();
	bad_arguments();
	device_memory();
	spare_line();
	no_unmask();
	pulse_line();
	signal_line();
	uart_line();
	children();
	struct ker_info_counts after = counts();
	CHECK(after.interrupts == before.interrupts && after.processes == before.processes &&
	      after.threads == before.threads);
	return tap_done();
}
