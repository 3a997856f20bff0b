# x86-64: a multiboot2 ELF (muon.elf) booted by GRUB from an ISO.
LD_x86_64 := ld
ARCH_CFLAGS := -m64 -march=x86-64 -mcmodel=kernel -mno-red-zone \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables
ARCH_SRCS := $(wildcard arch/x86_64/*.c arch/x86_64/*.S) arch/common/ns16550.c
# kernel/fastpath.c: the callee-saved registers too are the caller's to
# lose (only the kernel-call entry calls it; vectors.S's FAST_CALLS), and
# no frame pointer (rbp, which GCC will not make call-used, is one more
# register, pushed on every fast call; reserving it instead, -ffixed-rbp,
# saves the push but costs the round trips more in spills; a backtrace
# from inside stops at the fast call).
FASTPATH_CFLAGS := -fcall-used-rbx -fcall-used-r12 -fcall-used-r13 -fcall-used-r14 \
	-fcall-used-r15 -fomit-frame-pointer --param logical-op-non-short-circuit=0

# The kernel's long message copies (ARCH_COPY_SIMD, kernel/msg.c): lib/string.c's
# memcpy loop built again with the SSE registers, as user programs get it.
ARCH_KERNEL_OBJS := $(B)/lib/string-simd.o
$(B)/lib/string-simd.o: lib/string.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (SIMD)")
	$(Q)$(CC) $(filter-out -mgeneral-regs-only,$(CFLAGS)) -fno-tree-loop-distribute-patterns \
		-DSTRING_SIMD_COPY -c $< -o $@
RUN_IMAGE := $(B)/muon-default.iso

image: $(B)/muon.elf

iso: $(B)/muon.iso

# The ISO boots the kernel with the boot image as its multiboot2 module:
# the tests' image, or (make run) the default one.
$(B)/muon.iso: $(B)/muon.elf $(B)/boot.ifs tools/mkiso boot/grub.cfg.in
	tools/mkiso $(B)/muon.elf $@ "" $(B)/boot.ifs
$(B)/muon-default.iso: $(B)/muon.elf $(B)/default/boot.ifs tools/mkiso boot/grub.cfg.in
	tools/mkiso $(B)/muon.elf $@ "" $(B)/default/boot.ifs

sdcard:
	$(error 'make sdcard' is for ARCH=aarch64; x86_64 boots from 'make iso')
