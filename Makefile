# Muon build. make ARCH=x86_64|aarch64 [BOARD=virt|rpi4]; outputs in build/<arch>/.
# Targets: all image iso sdcard run debug test bench sdk deps compile_commands format clean.

ARCH ?= x86_64
ifeq ($(ARCH),x86_64)
BOARD ?= pc
else ifeq ($(ARCH),aarch64)
BOARD ?= virt
else
$(error unknown ARCH '$(ARCH)': use ARCH=x86_64 or ARCH=aarch64)
endif
ifeq ($(filter $(ARCH)/$(BOARD),x86_64/pc aarch64/virt aarch64/rpi4),)
$(error unknown BOARD '$(BOARD)' for ARCH=$(ARCH): x86_64 has pc, aarch64 has virt and rpi4)
endif

B := build/$(ARCH)
PYTHON ?= python3
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CC_x86_64 := gcc
CC_aarch64 := aarch64-linux-gnu-gcc

CFLAGS_COMMON := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer \
	-fno-common -fno-strict-aliasing -nostdinc \
	-isystem $(shell $(CC_$(ARCH)) -print-file-name=include) \
	-Ikernel/include -Iinclude -Iarch/common -Iarch/$(ARCH)/include \
	-DMUON_VERSION='"$(VERSION)"' -DMUON_ARCH='"$(ARCH)"' -MMD -MP

include arch/$(ARCH)/arch.mk

CC := $(CC_$(ARCH))
CFLAGS := $(CFLAGS_COMMON) $(ARCH_CFLAGS)

KERNEL_SRCS := $(wildcard kernel/*.c) $(wildcard lib/*.c) $(wildcard tests/kernel/*.c) \
	$(wildcard tests/kernel/$(ARCH)/*.c) $(ARCH_SRCS)
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(KERNEL_SRCS)) $(ARCH_KERNEL_OBJS)

all: image

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The IPC fast path: every general register the caller's to lose
# (FASTPATH_CFLAGS, arch.mk): its functions are the kernel-call entry's
# alone, and it needs none kept.
$(B)/kernel/fastpath.c.o: CFLAGS += $(FASTPATH_CFLAGS)
$(B)/kernel/fastpath.c.o: arch/$(ARCH)/arch.mk

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/muon.elf: $(KERNEL_OBJS) arch/$(ARCH)/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD_$(ARCH)) -nostdlib -z max-page-size=4096 -z noexecstack \
		-T arch/$(ARCH)/linker.ld -o $@ $(KERNEL_OBJS)

-include $(KERNEL_OBJS:.o=.d)

ifeq ($(ARCH),aarch64)
# make run's kernel: the default boot image embedded (arch/aarch64/arch.mk).
DEFAULT_OBJS := $(filter-out $(B)/arch/aarch64/ifs.S.o,$(KERNEL_OBJS)) $(B)/default/ifs.S.o
$(B)/muon-default.elf: $(DEFAULT_OBJS) arch/$(ARCH)/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD_$(ARCH)) -nostdlib -z max-page-size=4096 -z noexecstack \
		-T arch/$(ARCH)/linker.ld -o $@ $(DEFAULT_OBJS)
endif

# lib/string.c is memcpy & co.: GCC must not turn its loops into calls to
# themselves.
$(B)/lib/string.c.o: CFLAGS += -fno-tree-loop-distribute-patterns

# --- user space and the boot image -------------------------------------------
include user.mk

# proc, the utilities (utils/), and the user tests: each tests/user/test_*.c
# is a program; child and msgpeer are their helpers. Programs that load
# others link proc's loader and lib/.
LOADER_SRCS := proc/loader.c lib/ifs.c lib/elf.c
$(call user_program,proc,proc/main.c proc/server.c proc/procs.c proc/ability.c proc/mem.c \
	proc/info.c proc/namesrv.c proc/pgrp.c $(LOADER_SRCS))
$(call user_program,namesrv,servers/namesrv/main.c servers/namesrv/names.c \
	servers/namesrv/paths.c servers/namesrv/dirs.c)
$(call user_program,shmmgr,servers/shmmgr/main.c servers/shmmgr/objects.c \
	servers/shmmgr/handles.c)
# devc-ser drives the console UART: a 16550 on x86-64, a PL011 or the
# Raspberry Pi's mini UART (a 16550 with its registers in memory) on aarch64.
DEVC_SER_UART_x86_64 := servers/devc-ser/uart16550.c
DEVC_SER_UART_aarch64 := servers/devc-ser/pl011.c servers/devc-ser/uart16550.c
$(call user_program,devc-ser,servers/devc-ser/main.c servers/devc-ser/io.c \
	servers/devc-ser/tty.c $(DEVC_SER_UART_$(ARCH)))
$(call user_program,pipe,servers/pipe/main.c servers/pipe/pipe.c)
$(call user_program,pidin,utils/pidin.c)
# The other utilities: one file each.
UTILS := sh echo cat ls sleep uname uptime kill slay on
$(foreach u,$(UTILS),$(call user_program,$(u),utils/$(u).c))
$(call user_program,child,tests/user/child.c)
$(call user_program,msgpeer,tests/user/msgpeer.c)
$(call user_program,bench,tests/bench/bench.c)
# The examples (examples/README.md): one program each.
EXAMPLES := checksum name_server event unblock prio_inherit pool_server shm_share robust_mutex
$(foreach e,$(EXAMPLES),$(call user_program,$(e),examples/$(e).c))
USER_TESTS := $(patsubst tests/user/%.c,%,$(wildcard tests/user/test_*.c))
$(foreach t,$(USER_TESTS),$(call user_program,$(t),tests/user/$(t).c \
	$(if $(filter test_spawn test_msg_stress test_msg_death test_forge test_core \
	test_flags test_thread_exit test_libc test_stdio test_timer test_event test_intr test_signal \
	test_smp,$(t)),$(LOADER_SRCS))))

MKIFS := build/host/mkifs
IFS_ARCH_x86_64 := x86_64
IFS_ARCH_aarch64 := aarch64le

# The image the tests boot: every user program, from boot/user-tests.build;
# the one `make run` boots: the system and its shell, boot/default.build.
$(B)/boot.ifs: boot/user-tests.build $(USER_PROGRAMS) $(MKIFS)
	@$(if $(Q),echo "  MKIFS   $@")
	$(Q)$(MKIFS) -D ARCH=$(IFS_ARCH_$(ARCH)) -D B=$(abspath $(B)) $< $@
$(B)/default/boot.ifs: boot/default.build $(USER_PROGRAMS) $(MKIFS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MKIFS   $@")
	$(Q)$(MKIFS) -D ARCH=$(IFS_ARCH_$(ARCH)) -D B=$(abspath $(B)) $< $@

# --- host tools and tests --------------------------------------------------
include tests/host/host.mk

# --- the SDK (make sdk) -------------------------------------------------------
include sdk/sdk.mk

# --- running and testing ------------------------------------------------------
QEMU_TEST := $(PYTHON) tools/qemu-test

# CPUS=N: QEMU's -smp N (pc and virt; the Pi 4 has its four).
RUN_SMP := $(if $(CPUS),--qemu-arg=-smp --qemu-arg=$(CPUS))

run: deps-check $(RUN_IMAGE)
	$(QEMU_TEST) --arch $(ARCH) --board $(BOARD) --interactive --image $(RUN_IMAGE) $(RUN_SMP)

debug: deps-check $(RUN_IMAGE)
	$(QEMU_TEST) --arch $(ARCH) --board $(BOARD) --interactive --gdb --image $(RUN_IMAGE) $(RUN_SMP)

test: deps-check
	$(MAKE) ARCH=x86_64 image iso build/x86_64/boot.ifs build/x86_64/muon-default.iso
	$(MAKE) ARCH=aarch64 image sdcard build/aarch64/Image-default
	$(MAKE) host-build
	$(MAKE) ARCH=x86_64 sdk
	$(MAKE) ARCH=aarch64 sdk
	$(PYTHON) tools/run-tests

# Instructions per operation, Muon beside Linux (tools/bench/run): the
# table on the console and in build/bench.md.
bench: deps-check
	$(MAKE) ARCH=x86_64 image build/x86_64/boot.ifs build/x86_64/default/boot.ifs
	$(MAKE) ARCH=aarch64 image build/aarch64/Image-default
	$(PYTHON) tools/bench/run

deps:
	tools/deps install

deps-check:
	@tools/deps check

compile_commands:
	rm -rf build
	bear -- $(MAKE) ARCH=x86_64 image
	bear --append -- $(MAKE) ARCH=aarch64 image
	bear --append -- $(MAKE) host-build

format:
	clang-format -i $(shell git ls-files '*.c' '*.h')

clean:
	rm -rf build

.PHONY: all image iso sdcard run debug test bench deps deps-check compile_commands format clean
