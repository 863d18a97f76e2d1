# SPDX-License-Identifier: MIT
# Build, test, benchmark and install ucp. GNU make, no configure step.
# Paths and tools use ?= so the environment or the command line can
# override them; project flags are added to the user's, never replace them.

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d

CC              ?= cc
CFLAGS          ?= -O2 -g
PKG_CONFIG      ?= pkg-config
INSTALL         ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 0755
INSTALL_DATA    ?= $(INSTALL) -m 0644
CLANG_FORMAT    ?= clang-format

WARNINGS     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	       -Wpointer-arith -Wwrite-strings -Wformat=2 -Wundef -Wvla \
	       -Wimplicit-fallthrough
UCP_CPPFLAGS = -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -iquote src -iquote cmd -MMD -MP
UCP_CFLAGS   = -std=gnu11 -pthread $(WARNINGS)
UCP_LDFLAGS  = -pthread
# Developer builds also carry the test hooks (UCP_TEST_STOP_AFTER).
# A distribution's hardening defaults, each unless the user's flags choose
# otherwise (dpkg-buildflags, say): stack protector, _FORTIFY_SOURCE (which
# needs optimisation), PIE, RELRO and immediate binding. Not under the
# sanitizers, which bring their own checks.
ifndef SANITIZE
ifeq ($(findstring stack-protector,$(CFLAGS)),)
UCP_CFLAGS  += -fstack-protector-strong
endif
ifeq ($(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),)
ifneq ($(filter-out -O0,$(filter -O%,$(CFLAGS))),)
UCP_CPPFLAGS += -D_FORTIFY_SOURCE=2
endif
endif
ifeq ($(findstring pie,$(CFLAGS) $(LDFLAGS)),)
UCP_CFLAGS  += -fPIE
UCP_LDFLAGS += -pie
endif
ifeq ($(findstring relro,$(LDFLAGS)),)
UCP_LDFLAGS += -Wl,-z,relro,-z,now
endif
endif
ifeq ($(DEVELOPER),1)
UCP_CFLAGS  += -Werror
UCP_CPPFLAGS += -DUCP_TEST_HOOKS
endif
ifdef SANITIZE
UCP_CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
UCP_LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifeq ($(V),1)
Q =
else
Q = @
endif

# Don't require the -dev packages just to clean.
ifeq ($(filter clean format format-check check-deps man-lint dist,$(MAKECMDGOALS)),)
XXHASH_LIBS := $(shell $(PKG_CONFIG) --libs libxxhash)
DEP_CFLAGS  := $(shell $(PKG_CONFIG) --cflags liburing libxxhash libarchive zlib libzstd)
# libarchive is loaded when an archive mode needs it (src/archive_dl.h),
# by its soname, read off the library the headers belong to; libzstd when
# --tar writes zstd (src/zstdw.h), by its soname, libzstd.so.1.
DEP_LIBS    := $(shell $(PKG_CONFIG) --libs liburing zlib) $(XXHASH_LIBS) -ldl
ARCHIVE_LIBS := $(shell $(PKG_CONFIG) --libs libarchive)
ARCHIVE_SONAME ?= $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir libarchive)/libarchive.so" 2>/dev/null | \
		    awk '$$1 == "SONAME" { print $$2 }')
ifneq ($(ARCHIVE_SONAME),)
UCP_CPPFLAGS += -DUCP_ARCHIVE_SONAME='"$(ARCHIVE_SONAME)"'
endif
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka)
URING_VER   := $(shell $(PKG_CONFIG) --modversion liburing)
UCP_CPPFLAGS += -DUCP_LIBURING_VERSION='"$(URING_VER)"'
endif

# The objects and programs depend on the flags they were built with: a
# build with others (DEVELOPER=1, SANITIZE=..., CC=clang, CFLAGS=...)
# remakes them all rather than linking objects of two builds together.
# .build-flags is rewritten only when the flags change (not by the goals
# that build nothing).
ifeq ($(filter clean format format-check check-deps man-lint dist lint,$(MAKECMDGOALS)),)
BUILD_FLAGS = $(CC) $(UCP_CPPFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(UCP_CFLAGS) $(CFLAGS) $(UCP_LDFLAGS) $(LDFLAGS)
ifneq ($(strip $(BUILD_FLAGS)),$(strip $(file <.build-flags)))
$(file >.build-flags,$(BUILD_FLAGS))
endif
endif

SRC_OBJS  = $(patsubst %.c,%.o,$(wildcard src/*.c))
CMD_OBJS  = $(patsubst %.c,%.o,$(wildcard cmd/*.c))
UNIT_BINS = $(patsubst %.c,%,$(wildcard tests/unit/test_*.c))
HELPERS   = tests/helpers/noiouring tests/helpers/vanish.so tests/helpers/noholes.so \
	    tests/helpers/mkarchive \
	    tests/helpers/mkmany tests/helpers/sparsecmp tests/helpers/treesum

all: ucp

$(SRC_OBJS) $(CMD_OBJS) $(UNIT_BINS:%=%.o) tests/unit/copy_ut.o tests/unit/fake_ring.o $(HELPERS): .build-flags

ucp: $(CMD_OBJS) $(SRC_OBJS)
	@echo "  LD    $@"
	$(Q)$(CC) $(CFLAGS) $(UCP_LDFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(LDLIBS)

%.o: %.c
	@echo "  CC    $@"
	$(Q)$(CC) $(UCP_CPPFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(TEST_CFLAGS_$(@D)) $(UCP_CFLAGS) $(CFLAGS) -c -o $@ $<

# Unit tests see static functions through UCP_STATIC and link only their
# module and the modules below it (a second check of the layering).
TEST_CFLAGS_tests/unit = $(TEST_CFLAGS) -DUCP_UNIT_TEST
tests/unit/%.o: tests/unit/%.c
	@echo "  CC    $@"
	$(Q)$(CC) $(UCP_CPPFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(TEST_CFLAGS) -DUCP_UNIT_TEST $(UCP_CFLAGS) $(CFLAGS) -c -o $@ $<

# copy.c is built a second time for the fake ring, with statics visible.
tests/unit/copy_ut.o: src/copy.c
	@echo "  CC    $@"
	$(Q)$(CC) $(UCP_CPPFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) -DUCP_UNIT_TEST $(UCP_CFLAGS) $(CFLAGS) -c -o $@ $<

tests/unit/test_walk: tests/unit/test_walk.o src/walk.o
# options.c is included by its test, to reach the table.
tests/unit/test_options: tests/unit/test_options.o cmd/escape.o src/filter.o src/fileslist.o src/pathset.o src/u64set.o src/tarname.o
tests/unit/test_progress: tests/unit/test_progress.o src/progress.o src/rate.o
tests/unit/test_meta: tests/unit/test_meta.o src/meta.o
tests/unit/test_links: tests/unit/test_links.o src/links.o
tests/unit/test_filter: tests/unit/test_filter.o src/filter.o src/fileslist.o
tests/unit/test_fileslist: tests/unit/test_fileslist.o src/fileslist.o
tests/unit/test_hash: tests/unit/test_hash.o src/hash.o
tests/unit/test_hash: TEST_LIBS += $(XXHASH_LIBS)
tests/unit/test_tarpath: tests/unit/test_tarpath.o src/tarpath.o
tests/unit/test_tarname: tests/unit/test_tarname.o src/tarname.o
tests/unit/test_tarlinks: tests/unit/test_tarlinks.o src/tarlinks.o
tests/unit/test_linkwait: tests/unit/test_linkwait.o src/linkwait.o
tests/unit/test_bufcache: tests/unit/test_bufcache.o src/bufcache.o
tests/unit/test_paxtime: tests/unit/test_paxtime.o src/paxtime.o
# paxprobe.c is included by its test, to reach the statics.
tests/unit/test_paxprobe: tests/unit/test_paxprobe.o src/archive_dl.o src/paxtime.o
tests/unit/test_paxprobe: TEST_LIBS += -ldl
tests/unit/test_pathset: tests/unit/test_pathset.o src/pathset.o src/fileslist.o src/u64set.o
tests/unit/test_dirchain: tests/unit/test_dirchain.o src/dirchain.o
tests/unit/test_subtree: tests/unit/test_subtree.o src/subtree.o src/walk.o
tests/unit/test_scan: tests/unit/test_scan.o src/scan.o src/path.o
tests/unit/test_tarin: tests/unit/test_tarin.o src/tarin.o
tests/unit/test_plan: tests/unit/test_plan.o src/plan.o
tests/unit/test_fold: tests/unit/test_fold.o src/fold.o src/u64set.o
tests/unit/test_replace: tests/unit/test_replace.o src/replace.o
tests/unit/test_status: tests/unit/test_status.o src/status.o
tests/unit/test_path: tests/unit/test_path.o src/path.o
tests/unit/test_sched: tests/unit/test_sched.o src/sched.o src/walk.o src/path.o src/status.o
tests/unit/test_tarin: TEST_LIBS += $(shell $(PKG_CONFIG) --libs zlib)
tests/unit/test_report: tests/unit/test_report.o cmd/report.o cmd/escape.o src/rate.o
tests/unit/test_copy: tests/unit/test_copy.o tests/unit/copy_ut.o tests/unit/fake_ring.o src/plan.o src/replace.o src/path.o \
	src/sched.o src/plain.o src/meta.o src/links.o src/walk.o src/progress.o src/status.o
# sync.c is included by its test, to reach the statics.
tests/unit/test_sync: tests/unit/test_sync.o tests/unit/copy_ut.o tests/unit/fake_ring.o src/plan.o src/replace.o src/path.o \
	src/tree.o src/sched.o src/plain.o src/meta.o src/links.o src/walk.o src/progress.o src/status.o \
	src/filter.o src/fileslist.o src/hash.o src/pathset.o src/u64set.o src/dirchain.o src/subtree.o \
	src/fold.o
tests/unit/test_sync: TEST_LIBS += $(XXHASH_LIBS)
# The cached shortcut's RWF_NOWAIT reads, answered by the test.
tests/unit/test_copy: TEST_LIBS += -Wl,--wrap=preadv64v2
# fault.o: the fault hooks (src/fault.h) every I/O module may call.
$(UNIT_BINS): src/fault.o
	@echo "  LD    $@"
	$(Q)$(CC) $(CFLAGS) $(UCP_LDFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS)

tests/helpers/noiouring tests/helpers/mkmany tests/helpers/sparsecmp: %: %.c
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Built without sanitizers: it is preloaded into the binary under test.
tests/helpers/vanish.so: tests/helpers/vanish.c
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) $(CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl
tests/helpers/noholes.so: tests/helpers/noholes.c
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) $(CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl
# Lists a tree with a hash of each file, for the tree comparisons.
tests/helpers/treesum: tests/helpers/treesum.c
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) $(CFLAGS) $(LDFLAGS) -o $@ $< $(XXHASH_LIBS)
# Writes archives with arbitrary member names for the extraction tests.
tests/helpers/mkarchive: tests/helpers/mkarchive.c
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) $(DEP_CFLAGS) -std=gnu11 $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) $(CFLAGS) $(UCP_LDFLAGS) $(LDFLAGS) -o $@ $< $(ARCHIVE_LIBS)

check: ucp $(UNIT_BINS) $(HELPERS)
	tests/check.sh ./ucp $(UNIT_BINS)
test: check
# The unit tests and one CLI mode (--engine=uring), for make distcheck.
check-quick: ucp $(UNIT_BINS) $(HELPERS)
	tests/check.sh --quick ./ucp $(UNIT_BINS)

bench/gen bench/evict: %: %.c
	$(CC) -std=gnu11 -O2 $(WARNINGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

bench/memrate: bench/memrate.c
	$(CC) -std=gnu11 -O2 -pthread $(WARNINGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# libFuzzer harnesses (clang), each with its seed corpus in
# tests/fuzz/corpus/NAME; what they find goes to tests/fuzz/work/ (new
# inputs, crash files). `make fuzz` runs each for FUZZ_TIME seconds,
# FUZZ_TIME_NAME for one of them; `make fuzz-NAME` runs one alone.
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 60
FUZZ_NAMES    = tarpath size options filter quote tarin list
FUZZ_BINS     = $(FUZZ_NAMES:%=tests/fuzz/fuzz_%)
FUZZ_CFLAGS   = -std=gnu11 -g -O1 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
		-iquote src -iquote cmd -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all
tests/fuzz/fuzz_tarpath: src/tarpath.c
tests/fuzz/fuzz_size: cmd/options.c cmd/escape.c src/filter.c src/fileslist.c src/pathset.c src/u64set.c
tests/fuzz/fuzz_options: cmd/options.c cmd/escape.c src/filter.c src/fileslist.c src/pathset.c src/u64set.c
tests/fuzz/fuzz_filter: src/filter.c src/fileslist.c
tests/fuzz/fuzz_quote: cmd/report.c cmd/escape.c src/rate.c
tests/fuzz/fuzz_tarin: src/tarin.c
tests/fuzz/fuzz_tarin: FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs zlib)
tests/fuzz/fuzz_list: src/untar.c src/linkwait.c src/u64set.c src/paxtime.c src/paxprobe.c src/replace.c src/archive_dl.c src/tarin.c src/tarpath.c src/dirchain.c src/meta.c src/status.c src/plan.c src/progress.c cmd/report.c cmd/escape.c src/rate.c
tests/fuzz/fuzz_list: FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs zlib) -ldl
$(FUZZ_BINS): tests/fuzz/%: tests/fuzz/%.c $(wildcard src/*.h cmd/*.h)
	@echo "  FUZZ  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

fuzz: $(FUZZ_NAMES:%=fuzz-%)
$(FUZZ_NAMES:%=fuzz-%): fuzz-%: tests/fuzz/fuzz_%
	@mkdir -p tests/fuzz/work/$*
	$< -max_total_time=$(or $(FUZZ_TIME_$*),$(FUZZ_TIME)) -print_final_stats=1 $(FUZZ_ARGS) \
		-artifact_prefix=$(CURDIR)/tests/fuzz/work/$*- \
		tests/fuzz/work/$* tests/fuzz/corpus/$*
# getopt_long is not instrumented, so the fuzzer cannot learn the option
# names by itself: a dictionary of them, from the table.
tests/fuzz/work/options.dict: cmd/options.c
	@mkdir -p $(@D)
	$(Q)sed -n 's/^\t{ "\([a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/"--\1"/p' $< >$@
fuzz-options: tests/fuzz/work/options.dict
fuzz-options: FUZZ_ARGS = -dict=tests/fuzz/work/options.dict

# ThreadSanitizer: ucp built apart, in build/tsan/ (the normal objects
# stay), then CLI cases that run many threads, with the default engine and
# with --engine=threads (tests/sancheck.sh); t_sync_first interrupts a run,
# for the signal handler and the cancel flag. Any report fails.
TSAN_CC    ?= $(CC)
TSAN_CASES ?= t_basic_dir t_many_files t_sync_basic t_sync_delete t_sizes t_deep t_sync_first
TSAN_OBJS   = $(patsubst %.c,build/tsan/%.o,$(wildcard src/*.c cmd/*.c))
build/tsan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC    $@"
	$(Q)$(TSAN_CC) $(UCP_CPPFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) -std=gnu11 -pthread $(WARNINGS) \
		$(if $(filter 1,$(DEVELOPER)),-Werror) -g -O1 -fno-omit-frame-pointer -fsanitize=thread -c -o $@ $<
build/tsan/ucp: $(TSAN_OBJS)
	@echo "  LD    $@"
	$(Q)$(TSAN_CC) -pthread -fsanitize=thread $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(LDLIBS)
tsan: build/tsan/ucp $(HELPERS)
	tests/sancheck.sh tsan build/tsan/ucp $(TSAN_CASES)

# The normal build (no SANITIZE) under valgrind's memcheck, leaks
# included: with --engine=threads, then with the default engine without the
# checks of uninitialised values, which memcheck cannot make through
# io_uring (tests/sancheck.sh). Any report fails.
VALGRIND_CASES ?= t_basic_dir t_sync_basic t_sync_delete t_sizes t_stats t_tar_roundtrip
valgrind: ucp $(HELPERS)
	tests/sancheck.sh valgrind ./ucp $(VALGRIND_CASES)

bench: ucp bench/gen bench/evict bench/memrate
	bench/run.sh $(BENCH_ARGS)

install: ucp
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL_PROGRAM) ucp $(DESTDIR)$(BINDIR)/ucp
	$(INSTALL_DATA) man/ucp.1 $(DESTDIR)$(MANDIR)/man1/ucp.1
	$(INSTALL_DATA) completions/ucp.bash $(DESTDIR)$(BASHCOMPDIR)/ucp
	$(INSTALL_DATA) completions/_ucp $(DESTDIR)$(ZSHCOMPDIR)/_ucp
	$(INSTALL_DATA) completions/ucp.fish $(DESTDIR)$(FISHCOMPDIR)/ucp.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ucp $(DESTDIR)$(MANDIR)/man1/ucp.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/ucp $(DESTDIR)$(ZSHCOMPDIR)/_ucp \
	      $(DESTDIR)$(FISHCOMPDIR)/ucp.fish

# A source tarball of the committed tree, named after UCP_VERSION in ucp.h.
VERSION  := $(shell sed -n 's/^\#define UCP_VERSION "\(.*\)"/\1/p' src/ucp.h)
DISTNAME  = ucp-$(VERSION)
dist:
	git -c safe.directory='$(CURDIR)' archive --format=tar.gz --prefix=$(DISTNAME)/ -o $(DISTNAME).tar.gz HEAD
	@echo "  DIST  $(DISTNAME).tar.gz"

# Unpack the tarball elsewhere, then build and test it there.
distcheck: dist
	rm -rf $(DISTNAME).check
	mkdir $(DISTNAME).check
	tar -xzf $(DISTNAME).tar.gz -C $(DISTNAME).check
	$(MAKE) -C $(DISTNAME).check/$(DISTNAME) DEVELOPER=1 check-quick
	rm -rf $(DISTNAME).check
	@echo "  DISTCHECK $(DISTNAME).tar.gz: ok"

FORMAT_FILES = $(wildcard src/*.[ch] cmd/*.[ch] tests/unit/*.[ch] tests/helpers/*.c tests/fuzz/*.c)
format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)
format-check:
	$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_FILES)

# cmd/ sees the engine only through ucp.h; liburing stays in ring.c/copy.c,
# xxhash in hash.c, zlib in tarin.c. Layers, lowest first: sched, the
# engines (plain, then copy), the modes (tree, then sync), ucp.c; no module
# cycle anywhere in src/ (scripts/depcycles.sh).
check-deps:
	@bad=$$(grep -l '#include "\(walk\|copy\|ring\|sched\|plain\|progress\|util\|tree\|sync\)\.h"' cmd/*.c cmd/*.h); \
	 if [ -n "$$bad" ]; then echo "cmd/ includes engine internals: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include <liburing' src/*.c src/*.h | grep -v -e src/ring.c -e src/copy.c); \
	 if [ -n "$$bad" ]; then echo "liburing outside ring.c/copy.c: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include <archive' src/*.c src/*.h cmd/*.c cmd/*.h | grep -v -e src/archive_dl.h); \
	 if [ -n "$$bad" ]; then echo "libarchive outside archive_dl.h: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include "archive_dl\.h"' src/*.c src/*.h cmd/*.c cmd/*.h | \
		grep -v -e src/archive_dl.c -e src/tar.c -e src/untar.c -e src/paxprobe.c -e src/version.c); \
	 if [ -n "$$bad" ]; then echo "libarchive outside tar.c, untar.c, paxprobe.c and version.c: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include <zstd' src/*.c src/*.h cmd/*.c cmd/*.h | grep -v -e src/zstdw.c); \
	 if [ -n "$$bad" ]; then echo "libzstd outside zstdw.c: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include <zlib' src/*.c src/*.h cmd/*.c cmd/*.h | grep -v -e src/tarin.c); \
	 if [ -n "$$bad" ]; then echo "zlib outside tarin.c: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include <xxhash' src/*.c src/*.h cmd/*.c cmd/*.h | grep -v -e src/hash.c); \
	 if [ -n "$$bad" ]; then echo "xxhash outside hash.c: $$bad"; exit 1; fi
	@bad=$$(grep -lE '(^|[^_a-z])(exit|abort|printf|puts|fputs|perror|getenv)\(|std(out|err)' src/*.c); \
	 if [ -n "$$bad" ]; then echo "src/ prints or exits: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include "\(copy\|plain\|tree\|sync\)\.h"' src/sched.c src/sched.h); \
	 if [ -n "$$bad" ]; then echo "sched includes an engine or a mode: $$bad"; exit 1; fi
	@bad=$$(grep -l '#include "\(copy\|tree\|sync\)\.h"' src/plain.c src/plain.h; \
	       grep -l '#include "\(tree\|sync\)\.h"' src/copy.c src/copy.h); \
	 if [ -n "$$bad" ]; then echo "an engine includes a mode, or plain the ring engine: $$bad"; exit 1; fi
	@scripts/depcycles.sh src
	@echo "check-deps: ok"

man-lint:
	mandoc -Tlint -Wwarning man/ucp.1

# clang-tidy (.clang-tidy) over src/ and cmd/; findings not in
# scripts/lint-baseline.txt fail.
CLANG_TIDY ?= clang-tidy
lint:
	scripts/lint.sh $(CLANG_TIDY) -- $(UCP_CPPFLAGS) $(DEP_CFLAGS) -std=gnu11

clean:
	rm -f ucp $(UNIT_BINS) $(HELPERS) $(FUZZ_BINS) bench/gen bench/evict bench/memrate src/*.[od] cmd/*.[od] tests/unit/*.[od]
	rm -rf ucp-*.tar.gz ucp-*.check tests/fuzz/work build .build-flags

-include $(wildcard src/*.d cmd/*.d tests/unit/*.d build/tsan/*/*.d)

.PHONY: all check check-quick test fuzz $(FUZZ_NAMES:%=fuzz-%) bench install uninstall format format-check check-deps man-lint clean
.PHONY: dist distcheck lint tsan valgrind
.DELETE_ON_ERROR:
