/*
 * The boot image (IFS), embedded in the kernel: the single Image file is
 * all a loader passes on aarch64 (DESIGN.md §2). Built with
 * -DIFS_PATH="<file>" (arch.mk) when there is one, else empty; entry.c
 * reports a non-empty one to the generic code as the module "boot.ifs".
 * linker.ld puts .ifs at the end of rodata, so vm_init() maps it
 * read-only; it starts on a page of its own.
 */
	.section .ifs, "a"
	.balign 4096
	.globl a64_ifs_start
a64_ifs_start:
#ifdef IFS_PATH
	.incbin IFS_PATH
#endif
	.globl a64_ifs_end
a64_ifs_end:
