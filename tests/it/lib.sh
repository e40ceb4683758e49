# tests/it/lib.sh: helpers for the integration tests, sourced by
# tests/it/test_*.sh.
#
# A real confabd (build/asan/confabd or $CONFABD) runs on loopback with a
# temporary data directory; the tests drive it with curl and confab
# (build/asan/confab or $CONFAB).  Both paths are made absolute.
#
# POSIX sh (dash): tests/check.sh runs these with `sh`.
#
# Set before sourcing (all optional):
#   IT_TMP=NAME          the temp dir is ${TMPDIR:-/tmp}/NAME.XXXXXX
#                        (default confab-it)
#   IT_CONFIG=LINES      config lines after `password_cost = min`
#   IT_SHOW="FILE..."    files of $tmp whose first lines not_ok shows
#                        (default "out err"); IT_SHOW_LINES how many (5)
#   IT_LOG_LINES=N       not_ok also shows the last N lines of $tmp/log (0)
#
# Variables:
#   tmp                  the temp dir (removed at exit)
#   conf                 confabd's config, $tmp/confabd.conf, written here
#   pid port url         the running confabd (set by start)
#   itdir top            tests/it and the top of the tree
#   failed               the number of failed checks
#   code secs fast       the last http/api answer: status, seconds, and 1
#                        when it took under a second; its body is $tmp/body
#   status               the exit status of the last client command
#
# Helpers:
#   ok MSG / not_ok MSG / check MSG COMMAND...
#   d ARGS... / dq ARGS...   confabd with $conf and $tmp/data (`d admin ...`);
#                        dq sends its output to /dev/null
#   start [PORT]         start confabd on 127.0.0.1:PORT (default 0: a free
#                        one), wait for "listening on" in $tmp/log (which
#                        it truncates) and set pid, port and url; on a
#                        timeout or an early exit: not ok, exit 1
#   stop [SIGNAL]        send confabd SIGNAL (default TERM), wait for it;
#                        sets st (its exit status) and clears pid
#   http METHOD PATH [BODY] [TOKEN]   a request to $url; sets code, secs,
#                        fast and $tmp/body
#   api TOKEN METHOD PATH [BODY|@FILE]   the same, the token first
#   field NAME           a top-level JSON field of $tmp/body
#   acme [ARGS...]       the company "Acme Ltd": its admin alice ("Alice
#                        Archer") and bob ("Bob Baker"), passwords in
#                        $tmp/alice and $tmp/bob; ARGS go to bob's add-user
#   login USER PWFILE    sign in with curl; prints the token
#   client DIR ARGS...   confab with data dir $tmp/DIR and no config file,
#                        output in $tmp/out and $tmp/err; sets status
#   session_token FILE   the token in a confab session.json
#   now / since T0       the time (seconds.nanoseconds) / seconds since T0
#
# At exit (also on INT, TERM, HUP) confabd ($pid, when set) is killed with
# SIGKILL, the test's it_at_exit runs (define it to stop what else the test
# started: SMTP sinks, pollers, a tmux server) and the temp dir is removed.
# The script's exit status is 1 when any check failed.

CONFABD=${CONFABD:-build/asan/confabd}
CONFAB=${CONFAB:-build/asan/confab}
case $CONFABD in /*) ;; *) CONFABD=$PWD/$CONFABD ;; esac
case $CONFAB in /*) ;; *) CONFAB=$PWD/$CONFAB ;; esac
itdir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$itdir/../.." && pwd)

IT_SHOW=${IT_SHOW-out err}
IT_SHOW_LINES=${IT_SHOW_LINES:-5}
IT_LOG_LINES=${IT_LOG_LINES:-0}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/${IT_TMP:-confab-it}.XXXXXX") || exit 1
pid=
failed=0

# it_at_exit: the test's own cleanup; redefine it after sourcing
it_at_exit() { :; }

it_cleanup() {
	_st=$?
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	it_at_exit
	rm -rf "$tmp"
	[ "$failed" -gt 0 ] && _st=1
	exit "$_st"
}
trap it_cleanup EXIT
trap 'exit 1' INT TERM HUP

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	failed=$((failed + 1))
	for _f in $IT_SHOW; do
		[ -s "$tmp/$_f" ] &&
			sed "s/^/#   $_f: /" "$tmp/$_f" | head -"$IT_SHOW_LINES"
	done
	if [ "$IT_LOG_LINES" -gt 0 ] && [ -f "$tmp/log" ]; then
		sed 's/^/#   log: /' "$tmp/log" | tail -"$IT_LOG_LINES"
	fi
}
# check MSG COMMAND...: ok when COMMAND succeeds
check() {
	_m=$1
	shift
	if "$@"; then ok "$_m"; else not_ok "$_m"; fi
}

conf=$tmp/confabd.conf
printf 'password_cost = min\n' >"$conf"
if [ -n "${IT_CONFIG-}" ]; then
	printf '%s\n' "$IT_CONFIG" >>"$conf"
fi

d() { "$CONFABD" --config "$conf" --data-dir "$tmp/data" "$@"; }
dq() { d "$@" >/dev/null 2>&1; }

# start [PORT]
start() {
	: >"$tmp/log"
	"$CONFABD" --config "$conf" --data-dir "$tmp/data" \
		--listen "127.0.0.1:${1:-0}" 2>>"$tmp/log" &
	pid=$!
	_i=0
	until grep -q 'listening on' "$tmp/log"; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
			not_ok "confabd starts"
			exit 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$tmp/log")
	url=http://127.0.0.1:$port
}

# stop [SIGNAL]
stop() {
	kill -"${1:-TERM}" "$pid"
	wait "$pid" 2>/dev/null
	st=$?
	pid=
}

# http METHOD PATH [BODY] [TOKEN]
http() {
	set -- "$1" "$2" "${3-}" "${4-}"
	_out=$(curl -s -o "$tmp/body" -w '%{http_code} %{time_total}' -X "$1" \
		${4:+-H "Authorization: Bearer $4"} ${3:+--data-binary "$3"} \
		"$url$2")
	code=${_out% *}
	secs=${_out#* }
	fast=$(awk -v s="$secs" 'BEGIN { print (s < 1.0) }')
}
# api TOKEN METHOD PATH [BODY|@FILE]
api() { http "$2" "$3" "${4-}" "$1"; }

# field NAME: a top-level JSON field of the last body
field() {
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print(v.get(sys.argv[2], ""))' \
		"$tmp/body" "$1" 2>/dev/null
}

# acme [ARGS...]: Acme Ltd with alice and bob (ARGS: more of bob's options)
acme() {
	echo 'alice pass 1' >"$tmp/alice"
	echo 'bob pass 22' >"$tmp/bob"
	dq admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
		--name "Alice Archer" --password-file "$tmp/alice"
	dq admin add-user bob --company "Acme Ltd" --email bob@acme.test \
		--name "Bob Baker" --password-file "$tmp/bob" "$@"
}

# login USER PWFILE -> token
login() {
	curl -s -X POST --data-binary "{\"username\":\"$1\",\"password\":\"$(cat "$2")\"}" \
		"$url/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))'
}

# client DIR ARGS...
client() {
	_dir=$1
	shift
	"$CONFAB" -D "$tmp/$_dir" -C "$tmp/none.conf" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# session_token FILE
session_token() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$1"
}

# waitfor FILE PATTERN: until a line of FILE matches (up to 15 s)
waitfor() {
	_w=0
	while ! grep -q "$2" "$1" && [ $_w -lt 150 ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	grep -q "$2" "$1"
}
# exit_wait PID [TENTHS]: wait up to TENTHS tenths of a second (default
# 200) for PID to exit by itself; returns its exit status, or 124 when it
# had to be killed
exit_wait() {
	_w=0
	while kill -0 "$1" 2>/dev/null && [ $_w -lt "${2:-200}" ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill "$1"
		wait "$1"
		return 124
	fi
	wait "$1"
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
