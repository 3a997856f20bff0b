/* Kernel command line: space-separated words, "key" or "key=value". */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/compiler.h>

/* True if the word key (alone or as key=...) is present. */
bool cmdline_has(const char *cmdline, const char *key);
/* Copy the value of key=value into buf; false if absent or has no '='. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

#endif
