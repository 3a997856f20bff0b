/*
 * Interrupt attachments (kernel/interrupt.c): a user driver attaches an
 * event to an interrupt line (InterruptAttachEvent); when the line fires
 * the kernel masks it and delivers the event; the driver unmasks it when
 * it has served the device (InterruptUnmask). QNX semantics; the lines
 * are the arch's (arch/irq.h).
 */
#ifndef KERNEL_INTERRUPT_H
#define KERNEL_INTERRUPT_H

#include <kernel/compiler.h>
#include <sys/ktypes.h>

struct process;

#define INTR_ATTACH_MAX 64	 /* attachments in the whole system */
#define INTR_PER_PROCESS 16	 /* attachments one process may hold: EAGAIN */
#define INTR_LINE_MAX 1024	 /* lines the table has room for */

/* Attach ev (checked: SIGEV_INTR, or one event_deliver takes: SIGEV_PULSE,
 * SIGEV_SIGNAL...) to line for
 * the calling thread with _NTO_INTR_FLAGS_*; the id (> 0) or -EINVAL,
 * -EAGAIN. The caller checked the ability. */
int interrupt_attach(unsigned line, const struct sigevent *ev, unsigned flags);
/* Detach the caller's attachment id: 0, -ESRCH, -EPERM. */
int interrupt_detach(int id);
/* Mask (delta 1) or unmask (-1) line for the caller's attachment id (-1:
 * its first on that line); the attachment's mask count, or -EINVAL,
 * -ESRCH, -EPERM. */
int interrupt_mask(unsigned line, int id, int delta);
/* InterruptWait: block in STATE_INTR until a SIGEV_INTR of the caller's
 * fires; one that fired since the last wait returns at once. */
long interrupt_wait(void);
/* Process teardown: every attachment of p goes. */
void interrupt_process_exit(struct process *p);
/* Attachments in use, for the counts tests check. */
uint64_t interrupt_count(void);

/* From the arch's IRQ handler (arch/irq.h), interrupts off. */
void interrupt_line_fired(unsigned line);
/* Lines that fired inside a kernel call's interrupt window are delivered
 * here, at the end of the call (syscall_dispatch). */
void interrupt_run_deferred(void);

#endif
