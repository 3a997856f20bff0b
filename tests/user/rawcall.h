/*
 * Tests that make kernel calls in their own assembly: the registers such
 * a call may change besides its arguments and result, as libc's raw call
 * declares them (libc/arch/<arch>/kcall.h). aarch64: x6, x7 and x10-x17,
 * for an asm clobber list; x86-64's are syscall's own rcx and r11.
 */
#ifndef TESTS_USER_RAWCALL_H
#define TESTS_USER_RAWCALL_H

#define A64_KCALL_CLOBBERS "x6", "x7", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17"

#endif
