/*
 * Kernel calls for user-mode drivers: interrupt attachments
 * (InterruptAttachEvent, InterruptDetach, InterruptWait, InterruptMask,
 * InterruptUnmask) and device memory (KerMapDevice, KerUnmapDevice, under libc's
 * mmap_device_memory). Argument checking, abilities and copying; the
 * work is in interrupt.c and process.c.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/boot.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/interrupt.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <sys/ktypes.h>
#include <sys/mman.h>

static bool may(unsigned aid)
{
	return process_may(current_thread()->proc, aid);
}

long sys_InterruptAttachEvent(const uint64_t a[6])
{
	int intr = (int)a[0];
	const struct sigevent *uev = (const struct sigevent *)(uintptr_t)a[1];
	unsigned flags = (unsigned)a[2];
	struct sigevent ev;
	int err;

	if (!may(PROCMGR_AID_INTERRUPT))
		return -EPERM;
	if (intr < 0)
		return -EINVAL;
	if (copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	/* SIGEV_INTR is ours; the rest as any event (event.c). */
	if (SIGEV_GET_TYPE(&ev) != SIGEV_INTR && (err = event_check(&ev)))
		return err;
	return interrupt_attach((unsigned)intr, &ev, flags);
}

long sys_InterruptDetach(const uint64_t a[6])
{
	/* No ability needed: a process that dropped it may still let go. */
	return interrupt_detach((int)a[0]);
}

long sys_InterruptWait(const uint64_t a[6])
{
	if ((int)a[0] || a[1])
		return -ENOTSUP; /* QNX: the reserved arguments must be 0, NULL */
	return interrupt_wait();
}

static long mask(const uint64_t a[6], int delta)
{
	int intr = (int)a[0];

	if (!may(PROCMGR_AID_INTERRUPT))
		return -EPERM;
	if (intr < 0)
		return -EINVAL;
	return interrupt_mask((unsigned)intr, (int)a[1], delta);
}

long sys_InterruptMask(const uint64_t a[6])
{
	return mask(a, 1);
}

long sys_InterruptUnmask(const uint64_t a[6])
{
	return mask(a, -1);
}

/* Does [pa, pa + size) touch RAM the kernel manages? */
static bool is_ram(uint64_t pa, uint64_t size)
{
	const struct boot_info *bi = kernel_boot_info;

	for (unsigned i = 0; i < bi->nram; i++)
		if (pa < bi->ram[i].base + bi->ram[i].size && bi->ram[i].base < pa + size)
			return true;
	return false;
}

long sys_KerMapDevice(const uint64_t a[6])
{
	uint64_t pa = a[0], size = ALIGN_UP((uint64_t)a[1], PAGE_SIZE);
	int prot = (int)a[2];
	struct process *p = current_thread()->proc;

	if (!may(PROCMGR_AID_MEM_PHYS))
		return -EPERM;
	if ((pa & (PAGE_SIZE - 1)) || !a[1] || size < a[1] || pa + size < pa ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_NOCACHE)) || !(prot & PROT_READ))
		return -EINVAL;
	if (is_ram(pa, size))
		return -EINVAL; /* not device memory: RAM is the pmm's to hand out */
	uintptr_t va = process_map_device(p, pa, size, VM_READ | (prot & PROT_WRITE ? VM_WRITE : 0));
	return va ? (long)va : -ENOMEM;
}

long sys_KerUnmapDevice(const uint64_t a[6])
{
	uintptr_t va = (uintptr_t)a[0];
	uint64_t size = ALIGN_UP((uint64_t)a[1], PAGE_SIZE);
	struct process *p = current_thread()->proc;

	if ((va & (PAGE_SIZE - 1)) || !a[1] || !user_range(va, size))
		return -EINVAL;
	/* Only what KerMapDevice mapped: every page a device page. */
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		int level;
		pte_t e = pt_lookup(p->root, va + off, &level);
		if (!e || level || !(arch_pte_prot(e) & VM_DEVICE))
			return -EINVAL;
	}
	process_unmap_anywhere(p, va, size);
	return 0;
}
