#!/bin/sh
# The whole test suite, as `make check` runs it: unit tests (cmocka), the
# CLI and screen tests against the ASan+UBSan build, integration tests with a
# real confabd (tests/it), the man page check, and
# a short run of every fuzzer over its seed corpus.
# Prints one line per suite and a closing "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

B=build
export CONFAB="$PWD/$B/asan/confab"
export CONFABD="$PWD/$B/asan/confabd"
export LC_ALL=C.UTF-8
# Sanitizers: any report fails the run.  The TUI sends stderr to its log
# file, so reports are also written to a per-test directory (log_path).
export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

passed=0
failed=0
failures=""

run() {	# name command...
	name=$1
	shift
	log=$(mktemp)
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "PASS  $name ($(($(date +%s) - start))s)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL  $name ($(($(date +%s) - start))s)"
		sed 's/^/      /' "$log" | tail -60
	fi
	rm -f "$log"
}

for t in $(find $B/asan/tests -type f -perm -u+x -name 'test_*' | sort); do
	run "unit/${t#$B/asan/tests/}" "$t"
done
for t in tests/cli/test_*.sh; do
	[ -e "$t" ] && run "cli/$(basename "$t" .sh)" sh "$t"
done
for t in tests/ui/test_*.sh; do
	[ -e "$t" ] && run "ui/$(basename "$t" .sh)" sh "$t"
done
for t in tests/it/test_*.sh; do
	[ -e "$t" ] && run "it/$(basename "$t" .sh)" sh "$t"
done
run "man/keys" sh tests/check_man.sh

fuzz_one() {	# binary corpus
	work=$(mktemp -d)
	cp -r "$2"/. "$work"/ 2>/dev/null
	"$1" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "$work" 2>&1 | tail -15
	rc=$?
	status=0
	# libFuzzer leaves crash-* / leak-* / timeout-* files on a finding
	if ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1; then
		status=1
		mkdir -p $B/fuzz/findings
		mv crash-* leak-* timeout-* oom-* $B/fuzz/findings/ 2>/dev/null
		echo "fuzz findings saved in $B/fuzz/findings"
	fi
	rm -rf "$work"
	return $status
}
for f in $B/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=${f##*/fuzz_}
	run "fuzz/$n (${FUZZ_SECONDS}s)" fuzz_one "$f" "tests/fuzz/corpus/$n"
done

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
