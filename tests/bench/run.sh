#!/bin/sh
# tests/bench/run.sh: what `make bench` runs (make has built everything).
#
#   1. bench_contacts at 100k: import, list load, search per keystroke, RSS
#   2. bench_start against that database: the TUI's first screen and RSS
#   3. 1M contacts: import (informative) and search (p95 <= 20 ms), plus the
#      TUI start at 1M (informative).  Skip with BENCH_1M=0.
#   3c. CRM at 100k records with notes: search per keystroke (p95 <= 10 ms),
#      also with a status filter, and the list load (informative).
#   3d. diary: a month's agenda of 10k appointments (p95 <= 20 ms)
#   3e. confabd: authenticated GET /v1/me with keep-alive, measured with
#       wrk (>= 20,000 req/s).  3e-3g each start a real confabd with 1000
#       users watching one; skip all three with BENCH_SERVER=0.
#   3f. confabd: a presence change fanned out to 1000 long-polling
#       watchers (p99 <= 50 ms from the POST to each watcher's event)
#   3g. confabd: 10,000 idle long-polls held (confabd RSS <= 300 MB)
#   4. a summary table of every figure with its target.
#
# Environment:
#   BENCH_1M=0         skip the 1M step
#   BENCH_1M_DIR=DIR   keep the 1M data in DIR and reuse it next time
#                      (--search-only when DIR/confab.db exists)
#   BENCH_N=N          size of the first step (default 100000)
#   BENCH_STRICT=1     exit 1 when a target is not met
#   BENCH_KEEP=1       keep the scratch directory
#   BENCH_SERVER=0     skip the confabd steps (3e-3g)
#   BENCH_WRK_ARGS=..  wrk's load for 3e (default "-t2 -c64 -d10s")
#   BENCH_BUILD=DIR    the build directory (default build; make passes B)
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BENCH_BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
bin="$build/bench"
confab="$build/confab"
confabd="$build/confabd"
server=${BENCH_SERVER:-1}
need="$bin/bench_contacts $bin/bench_start $bin/bench_crm $bin/bench_diary $confab"
[ "$server" != 0 ] && need="$need $bin/bench_server $confabd"
for b in $need; do
	if [ ! -x "$b" ]; then
		echo "run.sh: $b is missing; run 'make bench'" >&2
		exit 2
	fi
done

scratch=$(mktemp -d /tmp/confab-bench.XXXXXX) || exit 2
# shellcheck disable=SC2317  # called by the trap
cleanup() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "run.sh: scratch data kept in $scratch"
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CONFAB_BENCH_RESULTS="$scratch/results"
export CONFAB_BENCH_RESULTS
: > "$CONFAB_BENCH_RESULTS"

n=${BENCH_N:-100000}
fail=0
t_start=$(date +%s)

hr() { printf '%s\n' "------------------------------------------------------------------------"; }

hr
echo "confab benchmarks — $(date '+%Y-%m-%d %H:%M')"
echo "host: $(nproc) CPU(s), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo '?')"
echo "(wall-clock figures on a busy machine run slower; the import also"
echo " prints its CPU time)"

hr
echo "1. address book at $n contacts (library)"
"$bin/bench_contacts" "$n" --data "$scratch/small" --keep || fail=1

hr
echo "2. TUI start at $n contacts"
"$bin/bench_start" "$scratch/small" --confab "$confab" --runs 5 || fail=1
rm -rf "$scratch/small"

if [ "${BENCH_1M:-1}" != 0 ]; then
	hr
	dir1m=${BENCH_1M_DIR:-$scratch/1m}
	if [ -n "${BENCH_1M_DIR:-}" ] && [ -f "$dir1m/confab.db" ]; then
		echo "3. 1M contacts: search on the database kept in $dir1m"
		"$bin/bench_contacts" 1000000 --data "$dir1m" --search-only || fail=1
	else
		echo "3. 1M contacts: generate, import (informative), search" \
		     "(BENCH_1M=0 skips this)"
		"$bin/bench_contacts" 1000000 --data "$dir1m" --keep || fail=1
		rm -f "$dir1m/cards.vcf"
	fi
	hr
	echo "3b. TUI start at 1M contacts (informative)"
	"$bin/bench_start" "$dir1m" --confab "$confab" --runs 3 || fail=1
else
	hr
	echo "3. 1M step skipped (BENCH_1M=0)"
fi

hr
echo "3c. CRM at $n records with notes (library)"
"$bin/bench_crm" "$n" --data "$scratch/crm" || fail=1

hr
echo "3d. diary: a month's agenda over 10k appointments, 1/3 recurring"
"$bin/bench_diary" 10000 --data "$scratch/diary" || fail=1
rm -rf "$scratch/crm" "$scratch/diary"

if [ "$server" != 0 ]; then
	# each step starts its own confabd (-O2 build) on 127.0.0.1, port 0
	srv() {
		"$bin/bench_server" --confabd "$confabd" --data "$scratch/server" \
			--wrk-args "${BENCH_WRK_ARGS:--t2 -c64 -d10s}" "$@" || fail=1
		rm -rf "$scratch/server"
	}
	hr
	echo "3e. confabd: authenticated GET throughput with keep-alive (wrk)"
	srv --only tput
	hr
	echo "3f. confabd: presence change to 1000 long-polling watchers"
	srv --only fanout
	hr
	echo "3g. confabd: 10,000 idle long-polls"
	srv --only idle
else
	hr
	echo "3e-3g. confabd steps skipped (BENCH_SERVER=0)"
fi

hr
echo "Summary ($(( $(date +%s) - t_start )) s in all)"
awk -F'|' '
	BEGIN { printf "  %-44s %12s %-4s  %-12s %s\n", "figure", "value", "", "target", "status"
		printf "  %-44s %12s %-4s  %-12s %s\n", "------", "-----", "", "------", "------" }
	{ printf "  %-44s %12s %-4s  %-12s %s\n", $1, $2, $3, $4, ($5 == "info" ? "" : $5)
	  if ($5 == "NOT met") missed++ ; if ($5 == "met") met++ }
	END { printf "\n  targets met: %d, not met: %d\n", met, missed
	      exit missed > 0 }' "$CONFAB_BENCH_RESULTS"
missed=$?
hr
if [ "$fail" != 0 ]; then
	echo "run.sh: a benchmark failed to run (see above)" >&2
	exit 1
fi
if [ "$missed" != 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	exit 1
fi
exit 0
