/*
 * Symbols every arch's linker.ld must define (all page-aligned except the
 * ktests pair, which is ALIGN(16)). Order in the image: text, rodata (holding .ktests), data,
 * bss. vm_init() maps text RX, rodata R, data+bss RW, all from these.
 */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

#include <kernel/ktest.h>

extern char __kernel_start[]; /* first byte of the image: start of text */
extern char __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[];  /* data then bss */
extern char __kernel_end[];  /* end of bss */
extern const struct ktest __ktests_start[], __ktests_end[];

#endif
