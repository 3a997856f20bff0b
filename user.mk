# User programs for $(ARCH): libc and a way to link programs against it.
# Included by the top Makefile (after ARCH, B, CC_*, LD_* and Q are set);
# defines no default goal.
#
# libc:     $(USER_LIBC) = $(B)/libc/libc.a, from libc/*.c,
#           libc/arch/$(ARCH)/*.[cS] but crt0.S, and lib/fmt.c (the
#           printf formatter, shared with the kernel); $(USER_CRT0) is the
#           process entry (_start), linked first into every program.
# Programs: $(call user_program,NAME,SOURCES[,CFLAGS]) defines
#           $(B)/bin/NAME, a static ELF from SOURCES (.c or .S, paths from
#           the top directory) + crt0 + libc + libgcc, laid out by
#           libc/arch/$(ARCH)/user.ld (text at 0x400000; R, RX and RW
#           segments, none RWX; entry _start). CFLAGS are extra compile
#           flags for SOURCES (a source shared by programs is compiled once:
#           give it the same flags). Call it at the top level of a makefile
#           read after this one, e.g.
#               $(call user_program,hello,tests/user/hello.c)
#           The program joins USER_PROGRAMS and the `user` target.
# Targets:  user (every program), libc (libc.a and crt0).
# Objects:  $(B)/user/<source>.u.o, with .d dependency files beside them
#           (the distinct suffix keeps them clear of the kernel's rules).

_user_saved_goal := $(.DEFAULT_GOAL)

USER_CC := $(CC_$(ARCH))
USER_LD := $(LD_$(ARCH))
USER_AR_x86_64 := ar
USER_AR_aarch64 := aarch64-linux-gnu-ar
USER_AR := $(USER_AR_$(ARCH))

# User code may use FP/SIMD (the kernel saves it per thread). aarch64: no
# outline atomics (they need getauxval at start-up, which libgcc's
# constructor would call); leaf frame records so backtraces see every frame.
USER_ARCH_CFLAGS_x86_64 := -m64 -march=x86-64
USER_ARCH_CFLAGS_aarch64 := -march=armv8-a -mno-outline-atomics -mno-omit-leaf-frame-pointer
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
	-isystem $(shell $(USER_CC) -print-file-name=include) -Iinclude \
	-fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer -fno-common \
	-ffunction-sections -fdata-sections $(USER_ARCH_CFLAGS_$(ARCH)) -MMD -MP
# libc's own sources also see libc/arch/$(ARCH) (kcall.h) and kernel/include
# (kernel/fmt.h); GCC must not turn string.c's loops into calls to
# memset/memcpy, i.e. into themselves.
LIBC_CFLAGS := -Ilibc/arch/$(ARCH) -Ikernel/include -fno-tree-loop-distribute-patterns

USER_LIBGCC := $(shell $(USER_CC) $(USER_ARCH_CFLAGS_$(ARCH)) -print-libgcc-file-name)
USER_LDSCRIPT := libc/arch/$(ARCH)/user.ld
USER_LDFLAGS := -static -nostdlib -z max-page-size=4096 -z common-page-size=4096 \
	-z noexecstack --gc-sections -L libc -T $(USER_LDSCRIPT)
# bin/NAME, what boot images carry, keeps its symbols (tools/bench/profile
# names code by them) but not DWARF, which made each program several
# times its code and the boot image the aarch64 kernel embeds too big to
# map; user/NAME.elf keeps it for gdb. (ld's own --strip-debug moved
# the data segment to 0x1000 with this layout, so objcopy strips.)
USER_OBJCOPY_x86_64 := objcopy
USER_OBJCOPY_aarch64 := aarch64-linux-gnu-objcopy
USER_OBJCOPY := $(USER_OBJCOPY_$(ARCH))

LIBC_SRCS := $(wildcard libc/*.c) lib/string.c \
	$(filter-out %/crt0.S,$(wildcard libc/arch/$(ARCH)/*.c libc/arch/$(ARCH)/*.S)) \
	lib/fmt.c
LIBC_OBJS := $(patsubst %,$(B)/user/%.u.o,$(LIBC_SRCS))
USER_CRT0 := $(B)/user/libc/arch/$(ARCH)/crt0.S.u.o
USER_LIBC := $(B)/libc/libc.a

$(B)/user/%.c.u.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [U]  $<")
	$(Q)$(USER_CC) $(USER_CFLAGS) $(USER_EXTRA_CFLAGS) -c $< -o $@

$(B)/user/%.S.u.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS [U]  $<")
	$(Q)$(USER_CC) $(USER_CFLAGS) $(USER_EXTRA_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(LIBC_OBJS) $(USER_CRT0): USER_EXTRA_CFLAGS := $(LIBC_CFLAGS)

$(USER_LIBC): $(LIBC_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	@rm -f $@
	$(Q)$(USER_AR) rcsD $@ $^

libc: $(USER_LIBC) $(USER_CRT0)

-include $(LIBC_OBJS:.o=.d) $(USER_CRT0:.o=.d)

USER_PROGRAMS :=

define _user_program
USER_OBJS_$(1) := $$(patsubst %,$$(B)/user/%.u.o,$(2))
$$(USER_OBJS_$(1)): USER_EXTRA_CFLAGS := $(3)
$$(B)/user/$(1).elf: $$(USER_CRT0) $$(USER_OBJS_$(1)) $$(USER_LIBC) $$(USER_LDSCRIPT) \
		libc/user-sections.ld
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD [U]  $$@")
	$$(Q)$$(USER_LD) $$(USER_LDFLAGS) -o $$@ $$(USER_CRT0) $$(USER_OBJS_$(1)) \
		--start-group $$(USER_LIBC) $$(USER_LIBGCC) --end-group
$$(B)/bin/$(1): $$(B)/user/$(1).elf
	@mkdir -p $$(dir $$@)
	$$(Q)$$(USER_OBJCOPY) --strip-debug $$< $$@
USER_PROGRAMS += $$(B)/bin/$(1)
user: $$(B)/bin/$(1)
-include $$(USER_OBJS_$(1):.o=.d)
endef
user_program = $(eval $(call _user_program,$(1),$(2),$(3)))

# --- programs -----------------------------------------------------------------
# The libc smoke test: printf, then exit status 3.
$(call user_program,hello,tests/user/hello.c)

user: libc

.PHONY: user libc

.DEFAULT_GOAL := $(_user_saved_goal)
