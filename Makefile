# Top-level Makefile: builds libfrog, libxfs and the three tools in one
# non-recursive make.  The first `make` on a fresh clone installs missing
# build dependencies (tools/install-deps), generates ./configure with
# autoconf and runs it, as xfsprogs does.
#
# Variants: objects go to build/$(VARIANT); the default variant also
# places the tools at mkfs/mkfs.xfs, repair/xfs_repair and db/xfs_db.
#   make                   default build (-O2, -Werror)
#   make SANITIZE=asan     AddressSanitizer + UndefinedBehaviorSanitizer
#   make SANITIZE=tsan     ThreadSanitizer
#   make check             build, then run the whole test suite
#   make testnew CASE=x    capture expected output for tests/x

.DEFAULT_GOAL := all
SHELL := /bin/bash

-include include/builddefs

include/builddefs include/config.h &: configure include/builddefs.in include/config.h.in
	./configure --quiet

configure include/config.h.in &: configure.ac | deps
	autoheader && autoconf

.PHONY: deps
deps:
	@tools/install-deps build

SANITIZE ?=
VARIANT := $(if $(SANITIZE),$(SANITIZE),default)
O := build/$(VARIANT)

WARNFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
OPTFLAGS := -O2 -g
SAN_FLAGS_asan := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -O1
SAN_FLAGS_tsan := -fsanitize=thread -O1
SAN_FLAGS := $(SAN_FLAGS_$(SANITIZE))

ALL_CFLAGS := -std=gnu11 $(OPTFLAGS) $(WARNFLAGS) -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-I. -Iinclude -MMD -MP $(SAN_FLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SAN_FLAGS) -Wl,-z,now $(LDFLAGS)
LIBS := $(LIBUUID) $(LIBURCU) $(LIBPTHREAD) -lm

objs = $(patsubst %.c,$(O)/%.o,$(1))

LIBFROG_OBJS := $(call objs,$(sort $(wildcard libfrog/*.c)))
LIBXFS_OBJS := $(call objs,$(sort $(wildcard libxfs/*.c)))
MKFS_OBJS := $(call objs,$(sort $(wildcard mkfs/*.c)))
REPAIR_OBJS := $(call objs,$(sort $(wildcard repair/*.c)))
DB_OBJS := $(call objs,$(sort $(wildcard db/*.c)))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(patsubst bench/%.c,$(O)/bench/%,$(BENCH_SRCS))

TOOLS := $(O)/mkfs/mkfs.xfs $(O)/repair/xfs_repair $(O)/db/xfs_db

.PHONY: all tools unit bench check demo testnew clean distclean
all: tools unit bench
ifeq ($(VARIANT),default)
all: mkfs/mkfs.xfs repair/xfs_repair db/xfs_db
endif

tools: $(TOOLS)
unit: $(UNIT_BINS)
bench: $(BENCH_BINS)

$(O)/%.o: %.c include/config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libfrog.a: $(LIBFROG_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(O)/libxfs.a: $(LIBXFS_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

LIBDEPS := $(O)/libxfs.a $(O)/libfrog.a

$(O)/mkfs/mkfs.xfs: $(MKFS_OBJS) $(LIBDEPS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(MKFS_OBJS) $(LIBDEPS) $(LIBS)
$(O)/repair/xfs_repair: $(REPAIR_OBJS) $(LIBDEPS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(REPAIR_OBJS) $(LIBDEPS) $(LIBS)
$(O)/db/xfs_db: $(DB_OBJS) $(LIBDEPS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(DB_OBJS) $(LIBDEPS) $(LIBS)

mkfs/mkfs.xfs: $(O)/mkfs/mkfs.xfs
	cp -f $< $@
repair/xfs_repair: $(O)/repair/xfs_repair
	cp -f $< $@
db/xfs_db: $(O)/db/xfs_db
	cp -f $< $@

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBDEPS)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBDEPS) $(LIBS)
$(O)/bench/%: $(O)/bench/%.o $(LIBDEPS)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBDEPS) $(LIBS)

# The test suite: default build, ASan+UBSan and TSan builds of the unit
# tests, then the case runner (which prints "N passed, N failed").
check:
	@tools/install-deps test
	$(MAKE) all
	$(MAKE) SANITIZE=asan unit tools
	$(MAKE) SANITIZE=tsan unit
	tests/run $(CASES)

demo: all
	tools/demo

testnew:
	tests/run --capture $(CASE)

clean:
	rm -rf build mkfs/mkfs.xfs repair/xfs_repair db/xfs_db

distclean: clean
	rm -rf configure config.log config.status autom4te.cache include/builddefs include/config.h

-include $(shell find $(O) -name "*.d" 2>/dev/null)
.SECONDARY:
