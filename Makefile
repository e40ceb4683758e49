# confab — one non-recursive Makefile.  `make help` lists the targets.
.SUFFIXES:
.SECONDARY:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
FUZZCC  ?= clang
PKG_CONFIG ?= pkg-config
# The call engine (src/call/): audio, codec, DSP, SRTP, ICE, Ogg Opus.
CALL_PKGS := opus speexdsp portaudio-2.0 libsrtp2 nice libopusenc opusfile
PKGS    := ncursesw sqlite3 jansson libical libcurl libsodium caca $(CALL_PKGS)
# Header-only for us: stb_image is compiled once, in src/common/image.c.
HDR_PKGS := stb
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
# confabd links neither ncurses nor libical: its own list.
SERVER_PKGS := sqlite3 jansson libsodium libmicrohttpd libcurl
CPPFLAGS_ALL := -std=c11 -D_GNU_SOURCE -I. -Isrc $(shell $(PKG_CONFIG) --cflags $(PKGS) $(SERVER_PKGS) $(HDR_PKGS) 2>/dev/null)
LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
SERVER_LIBS := $(shell $(PKG_CONFIG) --libs $(SERVER_PKGS) 2>/dev/null) -lpthread
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

B ?= build

# One exception to the sanitizers, for one file: stb_image 2.27 (Debian
# 12), compiled into src/common/image.c, shifts by 32 or more in its JPEG
# bit reader on some malformed files.  That only yields wrong bits for a
# picture that is broken anyway; the memory errors fuzzing found are kept
# out by image.c's checks, and everything else stays checked.  (GCC 12
# ignores the narrower -fno-sanitize=shift-exponent.)
$(B)/asan/obj/src/common/image.o $(B)/fuzz/obj/src/common/image.o: \
	SAN_FILE := -fno-sanitize=shift

# The client: common + store (no curses) form "core"; views need curses.
CORE_SRC := $(sort $(wildcard src/common/*.c src/net/*.c src/call/*.c store/*.c store/formats/*.c) \
            $(filter-out src/app/main.c,$(wildcard src/app/*.c)))
VIEW_SRC := $(sort $(wildcard views/*.c))
MAIN_SRC := src/app/main.c
SERVER_SRC := $(sort $(wildcard src/server/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))

obj = $(patsubst %.c,$(1)/obj/%.o,$(2))

CORE_OBJ      := $(call obj,$(B),$(CORE_SRC))
VIEW_OBJ      := $(call obj,$(B),$(VIEW_SRC))
MAIN_OBJ      := $(call obj,$(B),$(MAIN_SRC))
ASAN_CORE_OBJ := $(call obj,$(B)/asan,$(CORE_SRC))
ASAN_VIEW_OBJ := $(call obj,$(B)/asan,$(VIEW_SRC))
ASAN_MAIN_OBJ := $(call obj,$(B)/asan,$(MAIN_SRC))
SERVER_OBJ    := $(call obj,$(B),$(SERVER_SRC))
ASAN_SERVER_OBJ := $(call obj,$(B)/asan,$(SERVER_SRC))
FUZZ_CORE_OBJ := $(call obj,$(B)/fuzz,$(CORE_SRC))
FUZZ_SERVER_OBJ := $(call obj,$(B)/fuzz,$(filter-out src/server/main.c,$(SERVER_SRC)))

UNIT_BIN  := $(patsubst tests/unit/%.c,$(B)/asan/tests/%,$(UNIT_SRC))
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
BENCH_BIN := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRC))

.PHONY: all run check bench asan fuzz fuzz-build install uninstall clean deps help unit man-keys tools

all: $(B)/confab $(B)/confabd

help:
	@echo "make            build build/confab and build/confabd"
	@echo "make run        install missing packages, build, start confab on .run/"
	@echo "make check      install missing packages, build, run every test (ASan+UBSan)"
	@echo "make asan       build the sanitizer variant build/asan/confab"
	@echo "make bench      run the benchmarks under tests/bench/"
	@echo "make fuzz       long fuzzing runs (FUZZ_SECONDS=$(FUZZ_SECONDS) per target)"
	@echo "make install    install binaries and man pages (PREFIX, DESTDIR)"
	@echo "make uninstall  remove what make install installed"
	@echo "make unit       build the unit tests (ASan+UBSan)"
	@echo "make fuzz-build build the fuzzers without running them"
	@echo "make man-keys   regenerate confab(1)'s key list from the key table"
	@echo "make tools      build the test tools (tests/tools: the UDP impairment relay)"
	@echo "make deps       install missing Debian packages"
	@echo "make clean      remove build/"

deps:
	@scripts/deps.sh

# ---- normal build ---------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(OPT) $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libcore.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/confab: $(MAIN_OBJ) $(VIEW_OBJ) $(B)/libcore.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(VIEW_OBJ) $(B)/libcore.a $(LIBS)

$(B)/confabd: $(SERVER_OBJ) $(B)/libcore.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(SERVER_OBJ) $(B)/libcore.a $(SERVER_LIBS)

# ---- sanitizer build ------------------------------------------------------
$(B)/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -O1 -g $(SAN) $(SAN_FILE) $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/asan/libcore.a: $(ASAN_CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/confab: $(ASAN_MAIN_OBJ) $(ASAN_VIEW_OBJ) $(B)/asan/libcore.a
	$(CC) -g $(SAN) -o $@ $(ASAN_MAIN_OBJ) $(ASAN_VIEW_OBJ) $(B)/asan/libcore.a $(LIBS)

$(B)/asan/confabd: $(ASAN_SERVER_OBJ) $(B)/asan/libcore.a
	$(CC) -g $(SAN) -o $@ $(ASAN_SERVER_OBJ) $(B)/asan/libcore.a $(SERVER_LIBS)

$(B)/asan/libviews.a: $(ASAN_VIEW_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Unit tests link the views too (key table, completion); the archive
# brings in only what a test uses.
$(B)/asan/tests/%: tests/unit/%.c $(B)/asan/libviews.a $(B)/asan/libcore.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -O1 -g $(SAN) $(WARN) $(CFLAGS) -o $@ $< $(B)/asan/libviews.a $(B)/asan/libcore.a $(TEST_LIBS) $(LIBS)

asan: $(B)/asan/confab $(B)/asan/confabd $(UNIT_BIN)
unit: $(UNIT_BIN)

# ---- fuzzing (clang libFuzzer) --------------------------------------------
FUZZ_SECONDS ?= 600
$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS_ALL) -O1 -g -fsanitize=fuzzer-no-link,address,undefined $(SAN_FILE) $(WARN) -MMD -MP -c $< -o $@

$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_CORE_OBJ)
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS_ALL) -O1 -g -fsanitize=fuzzer,address,undefined $(WARN) -o $@ $< $(FUZZ_CORE_OBJ) $(LIBS)

# confabd's request handling: its own objects and libraries.
$(B)/fuzz/fuzz_server: tests/fuzz/fuzz_server.c $(FUZZ_CORE_OBJ) $(FUZZ_SERVER_OBJ)
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS_ALL) -O1 -g -fsanitize=fuzzer,address,undefined $(WARN) -o $@ $< $(FUZZ_SERVER_OBJ) $(FUZZ_CORE_OBJ) $(LIBS) $(SERVER_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: deps $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$${f##*/fuzz_}; \
	  mkdir -p $(B)/fuzz/corpus-$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	      $(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; done

# ---- benchmarks -----------------------------------------------------------
$(B)/bench/%: tests/bench/%.c $(wildcard tests/bench/*.h) $(B)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -O2 -g $(WARN) $(CFLAGS) -o $@ $< $(B)/libcore.a $(LIBS)

bench: deps all $(BENCH_BIN)
	@BENCH_BUILD=$(B) tests/bench/run.sh

# ---- the two quick-start commands ----------------------------------------
RUN_DIR ?= $(CURDIR)/.run
run: deps
	@$(MAKE) --no-print-directory all
	@B=$(B) RUN_DIR=$(RUN_DIR) scripts/run.sh

# ---- test tools --------------------------------------------------------------
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOL_SRC))

$(B)/tools/%: tests/tools/%.c $(wildcard tests/tools/*.h)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(CFLAGS) -o $@ $< -lm

# Tools that use the client's core (call/quality, call/wav).
CORE_TOOL_SRC := $(sort $(wildcard tests/tools/core/*.c))
TOOL_BIN += $(patsubst tests/tools/core/%.c,$(B)/tools/%,$(CORE_TOOL_SRC))

$(B)/tools/%: tests/tools/core/%.c $(B)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(OPT) $(WARN) $(CFLAGS) -o $@ $< $(B)/libcore.a $(LIBS)

tools: $(TOOL_BIN)

check: deps
	@$(MAKE) --no-print-directory all asan fuzz-build $(BENCH_BIN) $(TOOL_BIN)
	@tests/check.sh

# confab(1)'s key list is generated from the key table (views/keys.c).
man-keys: $(B)/confab
	@KEYS="$$($(B)/confab keys --roff)" awk \
	  '/^\.\\" KEYS-BEGIN/ { print; print ENVIRON["KEYS"]; skip = 1; next } \
	   /^\.\\" KEYS-END/ { skip = 0 } !skip { print }' man/confab.1 > man/confab.1.new
	@mv man/confab.1.new man/confab.1

# ---- install --------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(B)/confab $(DESTDIR)$(BINDIR)/confab
	install -m 0755 $(B)/confabd $(DESTDIR)$(BINDIR)/confabd
	install -m 0644 man/confabd.8 $(DESTDIR)$(MANDIR)/man8/confabd.8
	install -m 0644 man/confab.1 $(DESTDIR)$(MANDIR)/man1/confab.1
	install -m 0644 man/confab.conf.5 $(DESTDIR)$(MANDIR)/man5/confab.conf.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/confab $(DESTDIR)$(BINDIR)/confabd \
	      $(DESTDIR)$(MANDIR)/man1/confab.1 \
	      $(DESTDIR)$(MANDIR)/man5/confab.conf.5 \
	      $(DESTDIR)$(MANDIR)/man8/confabd.8

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
