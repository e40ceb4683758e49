# tests/ui/lib.sh: helpers for the screen tests, sourced by tests/ui/test_*.sh.
#
# In the style of tmux's own regress/ scripts: confab runs for real inside a
# detached tmux session of a fixed size, on its own tmux socket (so the
# user's tmux server is never touched), with a fresh data directory and an
# empty config.  Keys go in with `tmux send-keys`; what a user would see comes
# back from `tmux capture-pane -p`.  Every wait polls the screen (50 ms steps,
# with a timeout); nothing relies on a fixed sleep alone.
#
# POSIX sh (dash): tests/check.sh runs these with `sh`.
#
#   ui_start [COLS ROWS] [ARGS...]  start confab (default 120x30); ARGS are
#                                   extra confab options.  UI_DATA and UI_CONF
#                                   choose the data dir / config file.
#   ui_keys KEY...                  tmux send-keys (key names: Enter, Escape,
#                                   BTab, C-s, Down ...)
#   ui_type TEXT                    send TEXT literally (send-keys -l)
#   ui_wait_for REGEX [SECS]        wait until the screen matches (grep -E);
#                                   on timeout print "not ok" and the screen
#   ui_wait_gone REGEX [SECS]       wait until the screen no longer matches
#   ui_screen                       print the screen
#   ui_assert_screen REGEX MSG      ok when the screen matches (waits a bit)
#   ui_assert_not_screen REGEX MSG  ok when the screen does not match (or
#                                   stops matching within the timeout;
#                                   synchronise on something first)
#   ui_on_screen REGEX [SECS]       quiet: does the screen match (default 1 s)
#   ui_quit                         press Q and wait for confab to exit 0
#   ui_pid                          the confab process id
#   ok MSG / not_ok MSG / check MSG COMMAND...
#
# At exit the tmux server is killed, sanitizer reports ($tmp/asan*) and a
# non-zero exit status of confab fail the test, and the temp dir goes away.
# The script's exit status is 1 when any check failed.
#
# Needs tmux (3.x) and python3 (display widths, colour detection, test data).

CONFAB=${CONFAB:-build/asan/confab}
case $CONFAB in
/*) ;;
*) CONFAB=$PWD/$CONFAB ;;
esac
if [ ! -x "$CONFAB" ]; then
	echo "not ok - $CONFAB is not built (make build/asan/confab)"
	exit 1
fi
if ! command -v tmux >/dev/null 2>&1; then
	echo "not ok - tmux is not installed"
	exit 1
fi

# run from inside tmux or not, the tests' server is their own
unset TMUX TMUX_PANE

# the screen is UTF-8: grep and sed must read it so
LC_ALL=C.UTF-8
export LC_ALL
# B: a vertical box line as capture-pane shows it: "x" (ncurses draws with the
# VT100 alternate character set), "│" (UTF-8 line drawing) or "|" (--ascii)
B='[x│|]'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-ui.XXXXXX") || exit 1
UI_SOCK=confab-ui-$$
UI_DATA=$tmp/data
UI_CONF=$tmp/none.conf
UI_TARGET=
UI_N=0
UI_PIDS=
UI_SOCKET_PATH=
UI_EXIT_CHECKED=0
UI_TIMEOUT=${UI_TIMEOUT:-5}
failed=0

# remain-on-exit keeps a pane whose program ended, so its exit status can be
# read (#{pane_dead_status}); it is set before the first session starts.
cat >"$tmp/tmux.conf" <<'EOF'
set -g remain-on-exit on
set -g status off
set -g history-limit 0
set -s escape-time 0
set -g exit-empty on
EOF

ui_tmux() {
	tmux -L "$UI_SOCK" -f "$tmp/tmux.conf" "$@"
}

ok() {
	echo "ok - $1"
}

not_ok() {
	echo "not ok - $1"
	failed=$((failed + 1))
}

# check MSG COMMAND...: ok when COMMAND succeeds
check() {
	_msg=$1
	shift
	if "$@"; then ok "$_msg"; else not_ok "$_msg"; fi
}

ui_screen() {
	ui_tmux capture-pane -p -t "$UI_TARGET" 2>/dev/null
}

ui_dump() {
	echo "#   screen ($(ui_tmux display -p -t "$UI_TARGET" \
		'#{pane_width}x#{pane_height}' 2>/dev/null)):"
	ui_screen | sed 's/^/#   |/'
}

ui_dead() {
	[ "$(ui_tmux display -p -t "$UI_TARGET" '#{pane_dead}' 2>/dev/null)" \
		!= 0 ]
}

ui_pid() {
	ui_tmux display -p -t "$UI_TARGET" '#{pane_pid}'
}

# ui_start [COLS ROWS] [ARGS...]
ui_start() {
	_cols=120
	_rows=30
	case ${1:-}/${2:-} in
	[0-9]*/[0-9]*)
		_cols=$1
		_rows=$2
		shift 2
		;;
	esac
	_old=
	if [ -n "$UI_TARGET" ]; then	# the previous run must be over
		ui_dead || not_ok "ui_start: the previous confab is still running"
		_old=$UI_TARGET
	fi
	UI_N=$((UI_N + 1))
	UI_TARGET=ui$UI_N
	UI_EXIT_CHECKED=0
	# multiple arguments: tmux runs the command without a shell, and env
	# execs confab, so the pane's pid is confab's
	ui_tmux new-session -d -s "$UI_TARGET" -x "$_cols" -y "$_rows" \
		env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
		"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/asan" \
		"UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/asan-ubsan" \
		"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" "$@" || {
		not_ok "ui_start: tmux new-session failed"
		return 1
	}
	UI_PIDS="$UI_PIDS $(ui_pid)"
	[ -n "$UI_SOCKET_PATH" ] ||
		UI_SOCKET_PATH=$(ui_tmux display -p '#{socket_path}' 2>/dev/null)
	# only now drop the old session: the server exits with its last one
	[ -n "$_old" ] && ui_tmux kill-session -t "$_old" 2>/dev/null
	return 0
}

# ui_spawn NAME DATA CONF [ARGS...]: start another confab in its own tmux
# session NAME (120x30) on data dir DATA, leaving the others running, and
# make it the target; ui_use NAME switches between them.
ui_spawn() {
	_name=$1 _data=$2 _conf=$3
	shift 3
	ui_tmux new-session -d -s "$_name" -x 120 -y 30 \
		env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
		"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/asan" \
		"UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/asan-ubsan" \
		"$CONFAB" -D "$_data" -C "$_conf" "$@" || {
		not_ok "ui_spawn: tmux new-session failed"
		return 1
	}
	UI_TARGET=$_name
	UI_EXIT_CHECKED=0
	UI_PIDS="$UI_PIDS $(ui_pid)"
	[ -n "$UI_SOCKET_PATH" ] ||
		UI_SOCKET_PATH=$(ui_tmux display -p '#{socket_path}' 2>/dev/null)
}

ui_use() {
	UI_TARGET=$1
}

ui_keys() {
	ui_tmux send-keys -t "$UI_TARGET" "$@"
}

ui_type() {
	ui_tmux send-keys -t "$UI_TARGET" -l "$1"
}

# _ui_poll MODE REGEX SECS: MODE "in" waits until the screen matches, "out"
# until it does not; returns 1 on timeout or when confab has exited
_ui_poll() {
	_n=$(($3 * 20))
	while :; do
		ui_screen >"$tmp/screen"
		if grep -Eq -- "$2" "$tmp/screen"; then
			[ "$1" = in ] && return 0
		else
			[ "$1" = out ] && return 0
		fi
		if ui_dead; then
			echo "# confab exited (status" \
				"$(ui_tmux display -p -t "$UI_TARGET" \
					'#{pane_dead_status}'))"
			return 1
		fi
		_n=$((_n - 1))
		[ "$_n" -le 0 ] && return 1
		sleep 0.05
	done
}

# ui_wait_for REGEX [SECS]
ui_wait_for() {
	_ui_poll in "$1" "${2:-$UI_TIMEOUT}" && return 0
	not_ok "timed out waiting for /$1/"
	ui_dump
	return 1
}

# ui_wait_gone REGEX [SECS]
ui_wait_gone() {
	_ui_poll out "$1" "${2:-$UI_TIMEOUT}" && return 0
	not_ok "timed out waiting for /$1/ to go away"
	ui_dump
	return 1
}

# ui_assert_screen REGEX MSG: the screen shows REGEX (within the timeout)
ui_assert_screen() {
	if _ui_poll in "$1" "$UI_TIMEOUT"; then
		ok "$2"
	else
		not_ok "$2"
		echo "#   expected /$1/"
		ui_dump
		return 1
	fi
}

# ui_assert_not_screen REGEX MSG: the screen does not show REGEX (or stops
# showing it within the timeout).  A blank screen passes: synchronise on
# something that must be there first.
ui_assert_not_screen() {
	if _ui_poll out "$1" "$UI_TIMEOUT"; then
		ok "$2"
	else
		not_ok "$2"
		echo "#   unexpected /$1/"
		ui_dump
		return 1
	fi
}

# ui_on_screen REGEX [SECS]: quietly, whether the screen shows REGEX within
# SECS (default 1): for tests that must branch, not assert
ui_on_screen() {
	_ui_poll in "$1" "${2:-1}" >/dev/null
}

# ui_exit_status: confab's exit status once it has exited, else empty
ui_exit_status() {
	ui_tmux display -p -t "$UI_TARGET" '#{?pane_dead,#{pane_dead_status},}'
}

# _ui_dead_status: the exit status of a dead pane ("signal N" when killed).
# The pty may close before tmux has reaped the process, so give the status a
# moment to arrive.  tmux 3.3a now and then never reaps a pane's process at
# all (it stays a zombie, #{pane_dead_status} stays empty): then read the
# zombie's exit code, field 52 of /proc/PID/stat, in waitpid(2) form.
_ui_dead_status() {
	_k=40
	while :; do
		_s=$(ui_exit_status)
		[ -n "$_s" ] && break
		_p=$(ui_pid)
		_z=$(sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null)
		case $_z in
		Z*)
			_c=$(echo "$_z" | awk '{ print $50 }')
			if [ $((_c & 127)) -eq 0 ]; then
				_s=$((_c >> 8))
			else
				_s="signal $((_c & 127))"
			fi
			break
			;;
		esac
		_k=$((_k - 1))
		[ "$_k" -le 0 ] && break
		sleep 0.05
	done
	echo "$_s"
}

# ui_wait_exit [SECS]: wait for confab to exit; check its status is 0
ui_wait_exit() {
	_n=$((${1:-$UI_TIMEOUT} * 20))
	while ! ui_dead; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			not_ok "confab did not exit"
			ui_dump
			return 1
		fi
		sleep 0.05
	done
	_st=$(_ui_dead_status)
	UI_EXIT_CHECKED=1
	if [ "$_st" = 0 ]; then
		ok "confab exited with status 0"
	else
		not_ok "confab exited with status '${_st}'"
		ui_dump
		return 1
	fi
}

ui_quit() {
	ui_keys Q
	ui_wait_exit
}

# A pid gone from the process table, or a zombie, has finished writing.
_ui_running() {
	kill -0 "$1" 2>/dev/null || return 1
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z*) return 1 ;;
	esac
	return 0
}

ui_cleanup() {
	# a confab that already exited must have exited 0
	if [ -n "$UI_TARGET" ] && [ "$UI_EXIT_CHECKED" = 0 ] && ui_dead; then
		_st=$(_ui_dead_status)
		[ "$_st" = 0 ] || not_ok "confab left exit status '${_st}'"
	fi
	ui_tmux kill-server 2>/dev/null
	[ -n "$UI_SOCKET_PATH" ] && rm -f "$UI_SOCKET_PATH"
	# let every confab finish (leak reports are written at exit)
	for _p in $UI_PIDS; do
		_n=100
		while _ui_running "$_p" && [ "$_n" -gt 0 ]; do
			sleep 0.05
			_n=$((_n - 1))
		done
	done
	for _f in "$tmp"/asan*; do
		[ -e "$_f" ] || continue
		not_ok "sanitizer report $(basename "$_f")"
		sed 's/^/#   /' "$_f" | head -80
	done
	if [ "$failed" -ne 0 ] && [ -f "$UI_DATA/confab.log" ]; then
		echo "# confab.log (last lines):"
		tail -20 "$UI_DATA/confab.log" | sed 's/^/#   /'
	fi
	rm -rf "$tmp"
	if [ "$failed" -ne 0 ]; then
		echo "# $failed failed"
		exit 1
	fi
	exit 0
}

trap ui_cleanup EXIT
trap 'not_ok "interrupted"; exit 1' INT TERM HUP

# max_width FILE: the widest line of FILE in display columns
max_width() {
	python3 -X utf8 -c '
import sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    w = max(w, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                   for ch in line))
print(w)
' "$1"
}

# disp_col TEXT LINE: the display column (0-based) where TEXT starts in LINE
# (wide East Asian characters take two columns), -1 when absent
disp_col() {
	python3 -X utf8 -c '
import sys, unicodedata
text, line = sys.argv[1], sys.argv[2]
i = line.find(text)
if i < 0:
    print(-1)
else:
    print(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
              for ch in line[:i]))
' "$1" "$2"
}
