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
#   3d2. messages: history search over 1M messages in the local mailbox,
#       per keystroke (p95 <= 20 ms), insert rate and database size
#       (informative); at 100k with BENCH_1M=0 (then no target).
#   3e. confabd: authenticated GET /v1/me with keep-alive, measured with
#       wrk (>= 20,000 req/s).  3e-3i each start a real confabd with 1000
#       users watching one; skip them all with BENCH_SERVER=0.
#   3f. confabd: a presence change fanned out to 1000 long-polling
#       watchers (p99 <= 50 ms from the POST to each watcher's event)
#   3g. confabd: 10,000 idle long-polls held (confabd RSS <= 300 MB)
#   3h. confabd: a message POSTed to a user holding a long-poll, until
#       the poll's reply with it is in, 500 rounds (p99 <= 20 ms)
#   3i. confabd: messages stored (POST answered) per second over 10 s,
#       32 connections, as single POSTs (informative) and as batches of
#       100, what the client's outbox sends (>= 5,000 messages/s); the
#       senders' mailboxes are counted afterwards against the answers.
#   3j. sync: step 1's address book sent to a fresh confabd, then the
#       first `confab sync` of a new machine, which gets it all (<= 5 s)
#   3k. calls (tests/bench/bench_call.sh, a few minutes): mouth-to-ear
#       delay with 20 ms frames (p50 <= 60 ms) and 10 ms frames (p50 <=
#       40 ms), CPU per call and side with echo cancellation and noise
#       suppression (<= 3 % of a core), quality at 0-20 % loss and the
#       delay added by 10-60 ms of jitter through tests/tools/udp_relay;
#       the same figures for baresip side by side (informative; skipped
#       when it is not installed).  Skip the step with BENCH_CALL=0.
#   4. a summary table of every figure with its target.
#
# Environment:
#   BENCH_1M=0         skip the 1M step (and search 100k messages, not 1M)
#   BENCH_1M_DIR=DIR   keep the 1M data in DIR and reuse it next time
#                      (--search-only when DIR/confab.db exists)
#   BENCH_N=N          size of the first step (default 100000)
#   BENCH_STRICT=1     exit 1 when a target is not met
#   BENCH_KEEP=1       keep the scratch directory
#   BENCH_SERVER=0     skip the confabd steps (3e-3j)
#   BENCH_LIB=0        skip the library steps (1-3d2; then 3j too, which
#                      needs step 1's address book)
#   BENCH_CALL=0       skip the call step (3k)
#   BENCH_CALL_RUNS=N, BENCH_CALL_BARESIP=0: see bench_call.sh
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
lib=${BENCH_LIB:-1}
need=$confab
[ "$lib" != 0 ] && need="$need $bin/bench_contacts $bin/bench_start $bin/bench_crm \
	$bin/bench_diary $bin/bench_messages"
[ "$server" != 0 ] && need="$need $bin/bench_server $confabd"
[ "${BENCH_CALL:-1}" != 0 ] && need="$need $confabd"
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

if [ "$lib" != 0 ]; then
	hr
	echo "1. address book at $n contacts (library)"
	"$bin/bench_contacts" "$n" --data "$scratch/small" --keep || fail=1

	hr
	echo "2. TUI start at $n contacts"
	"$bin/bench_start" "$scratch/small" --confab "$confab" --runs 5 || fail=1
	# $scratch/small stays for 3j (machine A's address book)

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

	hr
	if [ "${BENCH_1M:-1}" != 0 ]; then
		echo "3d2. messages: history search over 1M messages (library)"
		"$bin/bench_messages" 1000000 --data "$scratch/msg" || fail=1
	else
		echo "3d2. messages: history search over 100k messages (BENCH_1M=0)"
		"$bin/bench_messages" 100000 --data "$scratch/msg" || fail=1
	fi
	rm -rf "$scratch/msg"
else
	hr
	echo "1-3d2. library steps skipped (BENCH_LIB=0)"
fi

# result NAME VALUE UNIT TARGET: a line for the summary (TARGET 0: info)
result() {
	_st=info _t=-
	if [ "$4" != 0 ]; then
		_t="<= $4"
		_st=$(awk -v v="$2" -v t="$4" 'BEGIN { print (v <= t) ? "met" : "NOT met" }')
		printf '  %-44s %10.2f %-4s (target <= %s %s: %s)\n' "$1" "$2" "$3" "$4" "$3" "$_st"
	else
		printf '  %-44s %10.2f %-4s\n' "$1" "$2" "$3"
	fi
	printf '%s|%.2f|%s|%s|%s\n' "$1" "$2" "$3" "$_t" "$_st" >>"$CONFAB_BENCH_RESULTS"
}

# 3j: machine A (step 1's database) sends its contacts to a fresh
# confabd; then a new machine's first `confab sync` is timed.
sync_step() {
	_d=$scratch/sync
	mkdir -p "$_d"
	printf 'password_cost = min\n' >"$_d/confabd.conf"
	echo 'bench pass 1' >"$_d/pw"
	"$confabd" --config "$_d/confabd.conf" --data-dir "$_d/data" admin init \
		--company Bench --admin bench --email bench@bench.test \
		--password-file "$_d/pw" >/dev/null 2>&1 || return 1
	"$confabd" --config "$_d/confabd.conf" --data-dir "$_d/data" \
		--listen 127.0.0.1:0 2>"$_d/log" &
	_pid=$!
	_i=0
	until grep -q 'listening on' "$_d/log"; do
		_i=$((_i + 1))
		[ $_i -gt 100 ] && { kill $_pid; return 1; }
		sleep 0.05
	done
	_url=http://127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$_d/log")
	_c() { _dir=$1; shift; "$confab" -D "$_dir" -C /dev/null "$@"; }
	_rc=0
	_c "$scratch/small" login --server "$_url" --user bench --password-file "$_d/pw" >/dev/null &&
	_t0=$(date +%s.%N) &&
	_c "$scratch/small" sync --quiet &&
	_t1=$(date +%s.%N) &&
	_c "$_d/new" login --server "$_url" --user bench --password-file "$_d/pw" >/dev/null &&
	_t2=$(date +%s.%N) &&
	_c "$_d/new" sync --quiet &&
	_t3=$(date +%s.%N) || _rc=1
	if [ $_rc = 0 ]; then
		_got=$(_c "$_d/new" contacts list | wc -l)
		_want=$(_c "$scratch/small" contacts list | wc -l)
		echo "  the new machine has $_got contacts (machine A: $_want)"
		[ "$_got" = "$_want" ] || _rc=1
		result "sync: machine A sends $n contacts (info)" \
			"$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { print b - a }')" s 0
		result "sync: first sync of a new machine, $n contacts" \
			"$(awk -v a="$_t2" -v b="$_t3" 'BEGIN { print b - a }')" s 5
	fi
	kill $_pid 2>/dev/null
	wait $_pid 2>/dev/null
	rm -rf "$_d"
	return $_rc
}

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
	hr
	echo "3h. confabd: a message to a long-polling recipient, 500 rounds"
	srv --only msglat
	hr
	echo "3i. confabd: sustained message throughput (single and batched)"
	srv --only msgtput
	hr
	if [ "$lib" != 0 ]; then
		echo "3j. sync: the first sync of a new machine ($n contacts of step 1)"
		sync_step || fail=1
	else
		echo "3j. sync skipped: it needs step 1 (BENCH_LIB=0)"
	fi
	rm -rf "$scratch/small"
else
	hr
	echo "3e-3j. confabd steps skipped (BENCH_SERVER=0)"
fi

if [ "${BENCH_CALL:-1}" != 0 ]; then
	hr
	echo "3k. calls: mouth-to-ear delay, CPU, quality under loss and jitter;"
	echo "    confab and baresip side by side (BENCH_CALL=0 skips this)"
	BENCH_BUILD="$build" sh "$top/tests/bench/bench_call.sh" || fail=1
else
	hr
	echo "3k. call step skipped (BENCH_CALL=0)"
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
