# Host-side unit tests and fuzz targets (included by the top Makefile).
# A unit test tests/host/test_<x>.c lists the sources it tests in
# test_<x>_SRCS; a fuzz target tests/host/fuzz_<x>.c in fuzz_<x>_SRCS.
# Its seed corpus, if any, is tests/host/corpus/<x>/.

HB := build/host
HOST_CC := gcc
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DHOST_TEST \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Ikernel/include -Iarch/common -Itests/host
FUZZ_CC := clang
FUZZ_CFLAGS := -g -O1 -DHOST_TEST -fsanitize=fuzzer,address \
	-Ikernel/include -Iarch/common -Itests/host
FUZZ_RUNS ?= 200000

# What each test or fuzz target links with.
test_pmm_SRCS := kernel/pmm.c
test_fmt_SRCS := lib/fmt.c
test_cmdline_SRCS := kernel/cmdline.c
test_multiboot2_SRCS := arch/x86_64/multiboot2.c
fuzz_multiboot2_SRCS := arch/x86_64/multiboot2.c
test_fdt_SRCS := arch/common/fdt.c arch/common/dtb.c
fuzz_fdt_SRCS := arch/common/fdt.c arch/common/dtb.c
test_libc_string_SRCS := $(HB)/libc_host.a
test_libc_stdlib_SRCS := $(HB)/libc_host.a
test_libc_stdio_SRCS := $(HB)/libc_host.a
fuzz_strtod_SRCS := $(HB)/libc_fuzz.a
fuzz_printf_SRCS := $(HB)/libc_fuzz.a
test_malloc_SRCS := $(HB)/libc_host.a
$(HB)/test_malloc: HOST_CFLAGS += -pthread

# libc's pure pieces for the test_libc_* tests: compiled for the host with
# libc's own headers only (-nostdinc -Iinclude), then every global symbol
# renamed muon_<name> (memcpy -> muon_memcpy, errno -> muon_errno, and the
# kernel calls they make, KerConsoleWrite_r -> muon_KerConsoleWrite_r,
# which the tests provide), so nothing clashes with the host C library.
LIBC_HOST_SRCS := lib/string.c libc/strerror.c libc/ctype.c libc/stdlib.c libc/strtod.c \
	libc/env.c libc/qsort.c libc/sysconf.c libc/fmt_float.c \
	libc/stdio.c libc/exit.c libc/errno.c lib/fmt.c libc/malloc.c
LIBC_HOST_OBJS := $(patsubst %.c,$(HB)/libc/%.o,$(LIBC_HOST_SRCS))
LIBC_HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DHOST_TEST \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-ffreestanding -fno-tree-loop-distribute-patterns -fno-stack-protector \
	-nostdinc -isystem $(shell $(HOST_CC) -print-file-name=include) \
	-Iinclude -Ikernel/include -MMD -MP

$(HB)/libc/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(LIBC_HOST_CFLAGS) -c $< -o $@

# $(call renamed_archive,OUT,OBJS): OBJS with every global symbol renamed
# muon_<name>, in the archive OUT.
define renamed_archive
	nm -g $(2) | awk 'NF >= 2 && $$NF !~ /^(__asan|__ubsan|__sanitizer|__lsan|__sancov|_GLOBAL_OFFSET_TABLE_)/ \
		{ print $$NF " muon_" $$NF }' | sort -u > $(1).syms
	rm -f $(1)
	for o in $(2); do objcopy --redefine-syms=$(1).syms $$o $$o.muon.o || exit 1; done
	ar rcs $(1) $(addsuffix .muon.o,$(2))
endef

$(HB)/libc_host.a: $(LIBC_HOST_OBJS)
	$(call renamed_archive,$@,$^)

# The same pieces for the fuzz targets, compiled by clang with ASan and
# the fuzzer's coverage (no UBSan: its gcc runtime is not clang's).
LIBC_FUZZ_OBJS := $(patsubst %.c,$(HB)/libc-fuzz/%.o,$(LIBC_HOST_SRCS))
LIBC_FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DHOST_TEST \
	-fsanitize=address,fuzzer-no-link -ffreestanding -fno-builtin -fno-stack-protector \
	-nostdinc -isystem $(shell $(FUZZ_CC) -print-resource-dir 2>/dev/null)/include \
	-Iinclude -Ikernel/include -MMD -MP

$(HB)/libc-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(LIBC_FUZZ_CFLAGS) -c $< -o $@

$(HB)/libc_fuzz.a: $(LIBC_FUZZ_OBJS)
	$(call renamed_archive,$@,$^)

-include $(LIBC_FUZZ_OBJS:.o=.d)
-include $(LIBC_HOST_OBJS:.o=.d)

# fuzz_malloc: the same archive; the target provides what malloc calls
# (mmap, munmap, abort, ...).
fuzz_malloc_SRCS := $(HB)/libc_fuzz.a

HOST_TESTS := $(patsubst tests/host/%.c,%,$(wildcard tests/host/test_*.c))
FUZZERS := $(patsubst tests/host/%.c,%,$(wildcard tests/host/fuzz_*.c))

# Every header a test's sources may include: a change to any rebuilds them
# (they are small; a stale one once hid a header the host cannot reach).
HOST_HDRS := $(wildcard tests/host/*.h kernel/include/*/*.h arch/common/*.h include/*.h \
	include/*/*.h)

.SECONDEXPANSION:
$(HB)/test_%: tests/host/test_%.c $$(test_$$*_SRCS) $(HOST_HDRS)
	@mkdir -p $(HB)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(test_$*_SRCS)

$(HB)/fuzz_%: tests/host/fuzz_%.c $$(fuzz_$$*_SRCS) $(HOST_HDRS)
	@mkdir -p $(HB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(fuzz_$*_SRCS)

host-build: $(addprefix $(HB)/,$(HOST_TESTS) $(FUZZERS))

host-test: host-build
	$(PYTHON) tools/run-tests --only host

.PHONY: host-build host-test

# Boot image tooling: lib/ifs.c and lib/elf.c (shared with the kernel and
# proc) and the host tool build/host/mkifs. -iquote: include/ holds the
# target's public headers, which must not shadow the host's <...> ones.
HOST_CFLAGS += -iquote include
FUZZ_CFLAGS += -iquote include
MKIFS_SRCS := $(wildcard tools/mkifs/*.c) lib/ifs.c

$(HB)/mkifs: $(MKIFS_SRCS) tools/mkifs/mkifs.h include/muon/ifs.h
	@mkdir -p $(HB)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(MKIFS_SRCS)

test_ifs_SRCS := lib/ifs.c tools/mkifs/image.c
fuzz_ifs_SRCS := lib/ifs.c
test_elf_SRCS := lib/elf.c
fuzz_elf_SRCS := lib/elf.c
test_mkifs_SRCS := lib/ifs.c
# test_mkifs runs the tool on tests/host/mkifs/*.build.
$(HB)/test_mkifs: $(HB)/mkifs
$(HB)/test_ifs $(HB)/fuzz_ifs $(HB)/test_mkifs: include/muon/ifs.h
$(HB)/test_elf $(HB)/fuzz_elf: include/muon/elf.h

host-build: $(HB)/mkifs
