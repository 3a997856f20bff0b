/* Fatal errors: panic() prints a message and a backtrace, then halts. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/compiler.h>

NORETURN PRINTF_LIKE(1, 2) void panic(const char *fmt, ...);

/* Walk frame pointers from fp (the frame record {prev fp, return address}
 * has the same shape on x86-64 and aarch64) and print each return address. */
void backtrace_print(uintptr_t fp);

/* The end of every fatal path (panic, unexpected exception): says so on the
 * console, in the form tools/qemu-test looks for, and stops this CPU. */
NORETURN void fatal_halt(void);

#define KASSERT(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, \
			      __LINE__);                                       \
	} while (0)

#endif
