# make sdk: the SDK for writing programs out of the tree (sdk/README.md.in),
# in build/sdk/<arch>/. Included by the top Makefile after user.mk.
# `make sdk` builds both architectures; `make sdk ARCH=...` the one given.

SDK_OUT := build/sdk/$(ARCH)
# muon-cc compiles and links as user.mk does, less the warnings, the
# optimisation and the dependency files (the caller's to choose) and the
# tree's include and linker-script paths (the SDK's own instead).
SDK_CFLAGS := $(filter-out -O2 -g -Wall -Wextra -Werror -MMD -MP -Iinclude -isystem \
	$(shell $(USER_CC) -print-file-name=include),$(USER_CFLAGS))
SDK_LDFLAGS := $(filter-out -L libc -T $(USER_LDSCRIPT),$(USER_LDFLAGS))
SDK_BOOT := $(addprefix $(B)/bin/,proc namesrv shmmgr devc-ser)

# The kernel the SDK boots: x86-64's ELF as it is; aarch64's objects, in
# their link order, without the embedded boot image: muon-image links them
# (--whole-archive) with the user's (arch/aarch64/ifs.S), which gives the
# Image the tree's link would.
SDK_KERNEL_x86_64 := $(B)/muon.elf
SDK_KERNEL_aarch64 := $(B)/sdk/kernel.a
$(B)/sdk/kernel.a: $(filter-out $(B)/arch/aarch64/ifs.S.o,$(KERNEL_OBJS))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	@rm -f $@
	$(Q)$(USER_AR) rcsD $@ $^

ifeq ($(origin ARCH),file)
sdk:
	$(MAKE) ARCH=x86_64 sdk
	$(MAKE) ARCH=aarch64 sdk
else
sdk: $(USER_LIBC) $(USER_CRT0) $(SDK_BOOT) $(MKIFS) $(SDK_KERNEL_$(ARCH))
	@echo "  SDK     $(SDK_OUT)"
	$(Q)SDK_ARCH=$(ARCH) SDK_IFS_ARCH=$(IFS_ARCH_$(ARCH)) SDK_CC='$(USER_CC)' \
		SDK_LD='$(USER_LD)' SDK_CFLAGS='$(strip $(SDK_CFLAGS))' \
		SDK_LDFLAGS='$(strip $(SDK_LDFLAGS))' SDK_B=$(B) \
		SDK_KERNEL=$(SDK_KERNEL_$(ARCH)) sdk/mksdk $(SDK_OUT)
endif

.PHONY: sdk
