#!/bin/sh
# tests/it/test_proxy.sh: confab reaches confabd through an HTTP or a SOCKS5
# proxy when `set proxy = URL` says so (sign-in, the CLI and the TUI's
# live link), goes direct without it, and a proxy that is not there is a
# clear error.  The proxies are tests/it/proxy.py, started here.

IT_TMP=confab-proxy
. tests/it/lib.sh

pp=
it_at_exit() { [ -n "$pp" ] && kill $pp 2>/dev/null; }
acme
start

proxy() {	# MODE VAR: start a proxy; VAR gets its port
	python3 "$itdir/proxy.py" "$1" "$tmp/$1.log" >"$tmp/$1.port" \
		2>"$tmp/$1.err" </dev/null &
	pp="$pp $!"
	i=0
	until [ -s "$tmp/$1.port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { not_ok "the $1 proxy starts"; exit 1; }
		sleep 0.05
	done
	eval "$2=\$(cat \"\$tmp/\$1.port\")"
}
proxy http hport
proxy socks5 sport

printf 'set proxy = http://127.0.0.1:%s\n' "$hport" >"$tmp/h.conf"
printf 'set proxy = socks5h://127.0.0.1:%s\n' "$sport" >"$tmp/s.conf"
printf 'set proxy = http://127.0.0.1:1\n' >"$tmp/dead.conf"
printf 'set proxy = ftp://x\n' >"$tmp/bad.conf"
C() { _c=$1; _d=$2; shift 2
	"$CONFAB" -D "$tmp/$_d" -C "$tmp/$_c" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?; }

C h.conf hp login --server "$url" --user alice --password-file "$tmp/alice"
check "sign-in through an HTTP proxy" test "$status" = 0
check "the HTTP proxy carried it" grep -q "^http POST /v1/login$" "$tmp/http.log"
C h.conf hp directory search bob
check "a signed-in command through the HTTP proxy" \
	sh -c '[ "$1" = 0 ] && grep -q "^http GET /v1/users$" "$2"' sh "$status" "$tmp/http.log"

C s.conf sp login --server "$url" --user bob --password-file "$tmp/bob"
check "sign-in through a SOCKS5 proxy" test "$status" = 0
check "the SOCKS5 proxy carried it" \
	grep -q "^socks5 127.0.0.1:$port$" "$tmp/socks5.log"

: >"$tmp/http.log"
C none.conf np login --server "$url" --user alice --password-file "$tmp/alice"
check "without the setting confab goes direct" \
	sh -c '[ "$1" = 0 ] && [ ! -s "$2" ]' sh "$status" "$tmp/http.log"

C dead.conf dp login --server "$url" --user alice --password-file "$tmp/alice"
check "a proxy that is not there is a clear error" \
	sh -c '[ "$1" = 1 ] && grep -qi "cannot reach" "$2"' sh "$status" "$tmp/err"
C bad.conf bp whoami
check "a proxy URL confab cannot use is reported with its line" \
	grep -q "bad.conf:1: proxy takes a URL" "$tmp/err"

# the TUI's event stream through the proxy: bob (via SOCKS5) sees alice's
# presence change live
C s.conf sp monitor request alice
C h.conf hp monitor accept bob
: >"$tmp/socks5.log"
if command -v tmux >/dev/null 2>&1; then
	tmux -L "confab-proxy-$$" new-session -d -x 120 -y 30 \
		env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm \
		"$CONFAB" -D "$tmp/sp" -C "$tmp/s.conf"
	i=0
	until tmux -L "confab-proxy-$$" capture-pane -p | grep -q "bob @"; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
	done
	tmux -L "confab-proxy-$$" send-keys 2
	C h.conf hp presence set busy "through a proxy"
	i=0
	until tmux -L "confab-proxy-$$" capture-pane -p |
	      grep -q "alice .*busy .*through a proxy"; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
	done
	check "the TUI's live link runs through the proxy" \
		sh -c 'tmux -L "$1" capture-pane -p | grep -q "alice .*busy .*through a proxy" &&
		       grep -q "^socks5 " "$2"' sh "confab-proxy-$$" "$tmp/socks5.log"
	tmux -L "confab-proxy-$$" kill-server 2>/dev/null
fi
exit $((failed > 0))
