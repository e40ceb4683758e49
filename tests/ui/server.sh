# tests/ui/server.sh: a real confabd for the screen tests, sourced after
# tests/ui/lib.sh.
#
#   srv_d ARGS...        confabd on the test's data dir ($tmp/srv, config
#                        $tmp/d.conf with password_cost = min), output
#                        appended to $tmp/d.out (`srv_d admin init ...`)
#   srv_start [PORT]     start confabd on 127.0.0.1:PORT (0: a free port),
#                        wait for "listening on" and set dpid, port, url;
#                        not ok and exit 1 when it does not start
#   srv_stop [-9]        stop it (SIGTERM, SIGKILL after 5 s; -9: at once)
#                        and report any sanitizer output in its log
#
# The EXIT trap stops confabd (resuming it first, should a test have
# stopped it with SIGSTOP) before lib.sh's cleanup.

CONFABD=${CONFABD:-build/asan/confabd}
case $CONFABD in /*) ;; *) CONFABD=$PWD/$CONFABD ;; esac
if [ ! -x "$CONFABD" ]; then
	echo "not ok - $CONFABD is not built (make build/asan/confabd)"
	exit 1
fi
printf 'password_cost = min\n' >"$tmp/d.conf"
dpid=

srv_d() {
	"$CONFABD" -c "$tmp/d.conf" -d "$tmp/srv" "$@" >>"$tmp/d.out" 2>&1
}

srv_start() {
	: >"$tmp/d.log"
	"$CONFABD" -c "$tmp/d.conf" -d "$tmp/srv" -l "127.0.0.1:${1:-0}" \
		2>"$tmp/d.log" &
	dpid=$!
	_n=200
	until grep -q 'listening on' "$tmp/d.log"; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ] || ! kill -0 "$dpid" 2>/dev/null; then
			not_ok "confabd starts"
			sed 's/^/#   /' "$tmp/d.log"
			exit 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$tmp/d.log")
	url=http://127.0.0.1:$port
}

srv_stop() {
	[ -n "$dpid" ] || return 0
	if [ "${1:-}" = -9 ]; then
		kill -9 "$dpid" 2>/dev/null
	else
		kill "$dpid" 2>/dev/null
		_n=100
		while kill -0 "$dpid" 2>/dev/null && [ "$_n" -gt 0 ]; do
			sleep 0.05
			_n=$((_n - 1))
		done
		kill -9 "$dpid" 2>/dev/null
	fi
	wait "$dpid" 2>/dev/null
	dpid=
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
		"$tmp/d.log" 2>/dev/null; then
		not_ok "confabd: sanitizer report"
		grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error' \
			"$tmp/d.log" | head -40 | sed 's/^/#   /'
	fi
}

trap '[ -n "$dpid" ] && kill -CONT "$dpid" 2>/dev/null; srv_stop; ui_cleanup' EXIT
