/*
 * A SIGSEGV handler for tests that fault on purpose: it records the
 * fault, then makes the page readable and writable (a fresh zero page
 * where nothing was mapped, else the page opened up) so the instruction
 * succeeds when retried. segv_catch() installs it.
 */
#ifndef TESTS_USER_SEGV_H
#define TESTS_USER_SEGV_H

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

static volatile int faults, fault_code;
static volatile uintptr_t fault_addr;

static void on_segv(int signo, siginfo_t *si, void *ctx)
{
	(void)signo;
	(void)ctx;
	faults++;
	fault_code = si->si_code;
	fault_addr = (uintptr_t)si->si_addr;
	void *page = (void *)(fault_addr & ~4095ul);
	if (si->si_code == SEGV_MAPERR)
		mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
	else
		mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static inline void segv_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
}

#endif
