/*
 * Tests that make kernel calls in their own assembly: the registers such
 * a call may change besides its arguments and result, as libc's raw call
 * declares them (libc/arch/<arch>/kcall.h), for an asm clobber list:
 * aarch64's x6, x7 and x10-x17; x86-64's are syscall's own rcx and r11
 * (and on both, the argument registers the call does not take as
 * inputs).
 */
#ifndef TESTS_USER_RAWCALL_H
#define TESTS_USER_RAWCALL_H

#define A64_KCALL_CLOBBERS "x6", "x7", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17"
#define X86_KCALL_CLOBBERS "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9"

#endif
