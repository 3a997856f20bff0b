# aarch64: a Linux arm64 Image (objcopy of muon.elf) for QEMU -kernel,
# U-Boot booti (make sdcard) and the Raspberry Pi 4 firmware.
LD_aarch64 := aarch64-linux-gnu-ld
OBJCOPY_aarch64 := aarch64-linux-gnu-objcopy
# general-regs-only: no FP/SIMD state to save in the kernel; no outline
# atomics (no libgcc); leaf frame records so backtraces see every frame.
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mno-outline-atomics \
	-mno-omit-leaf-frame-pointer -mcmodel=small \
	-fno-asynchronous-unwind-tables -Iarch/aarch64
# kernel/fastpath.c: the callee-saved registers too are the caller's to
# lose (only the kernel-call entry calls it; vectors.S's fast_entry), and
# no frame records (a backtrace from inside stops at the fast call).
FASTPATH_CFLAGS := $(foreach r,19 20 21 22 23 24 25 26 27 28,-fcall-used-x$(r)) \
	-fomit-frame-pointer -momit-leaf-frame-pointer --param logical-op-non-short-circuit=0
ARCH_SRCS := $(wildcard arch/aarch64/*.c arch/aarch64/*.S) \
	arch/common/fdt.c arch/common/dtb.c arch/common/pl011.c arch/common/bcm2835_aux.c \
	arch/common/gicv2.c arch/common/gicv3.c
RUN_IMAGE := $(B)/Image-default

image: $(B)/Image

$(B)/Image: $(B)/muon.elf
	$(OBJCOPY_aarch64) -O binary $< $@

# make run's kernel: the same objects with the default boot image
# (boot/default.build) embedded instead of the tests'.
$(B)/default/ifs.S.o: arch/aarch64/ifs.S $(B)/default/boot.ifs
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -D__ASSEMBLY__ -DIFS_PATH='"$(abspath $(B)/default/boot.ifs)"' -c $< -o $@
# (muon-default.elf is linked by the top Makefile, which knows the objects.)
$(B)/Image-default: $(B)/muon-default.elf
	$(OBJCOPY_aarch64) -O binary $< $@

iso:
	$(error 'make iso' is for ARCH=x86_64; aarch64 boots the Image directly or from 'make sdcard')

ifeq ($(BOARD),rpi4)
# make sdcard BOARD=rpi4 [UBOOT=1] [CMDLINE='...']: an SD card image for a
# Raspberry Pi 4 (tools/mksdcard --board rpi4; the firmware, DTB and U-Boot
# come from Debian packages, tools/rpi4-boot-files). Written every time:
# it takes a second, and CMDLINE may have changed.
RPI4_SDCARD := $(B)/rpi4$(if $(UBOOT),-uboot)-sdcard.img
sdcard: $(RPI4_SDCARD)

$(RPI4_SDCARD): $(B)/Image rpi4-sdcard-always
	tools/mksdcard --board rpi4 $(if $(UBOOT),--uboot) $(B)/Image $@ '$(CMDLINE)'
	@echo "$@: write it to a card with: tools/flash $@ /dev/sdX"
.PHONY: rpi4-sdcard-always
rpi4-sdcard-always:
else
sdcard: $(B)/disk.img

$(B)/disk.img: $(B)/Image tools/mksdcard boot/boot.cmd.in
	tools/mksdcard $(B)/Image $@
endif

# The boot image embedded in the kernel (arch/aarch64/ifs.S; DESIGN.md §2:
# one file for the loader): EMBED_IFS, by default the image the top
# Makefile builds from boot/user-tests.build. `EMBED_IFS=` builds a kernel
# without one, `EMBED_IFS=path` embeds another. ifs.path records the choice
# so that changing it rebuilds ifs.S.o.
EMBED_IFS ?= $(B)/boot.ifs
A64_IFS := $(if $(strip $(EMBED_IFS)),$(abspath $(EMBED_IFS)))
# (The prerequisite is the path as make knows it, so its rule rebuilds it;
# the assembler gets the absolute one.)
$(B)/arch/aarch64/ifs.S.o: $(B)/arch/aarch64/ifs.path $(strip $(EMBED_IFS))
$(B)/arch/aarch64/ifs.S.o: CFLAGS += $(if $(A64_IFS),-DIFS_PATH='"$(A64_IFS)"')
$(B)/arch/aarch64/ifs.path: a64-ifs-check
	@mkdir -p $(dir $@)
	@echo '$(A64_IFS)' | cmp -s - $@ || echo '$(A64_IFS)' > $@
.PHONY: a64-ifs-check
a64-ifs-check:
