#!/bin/sh
# tests/it/test_login.sh: `confab login`, `whoami` and `logout` against a
# real confabd on loopback: the session file is private, the token works,
# signing out revokes it on the server, and errors say what went wrong.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-login
. "$(dirname "$0")/lib.sh"
sock=confab-login-$$
it_at_exit() { tmux -L "$sock" kill-server 2>/dev/null; }

c() { client a "$@"; }

echo 'correct horse 1' >"$tmp/pw"
echo 'not the password' >"$tmp/badpw"
dq admin init --company "Acme Ltd" \
	--admin alice --email alice@acme.test --password-file "$tmp/pw"
start

c whoami
check "whoami before signing in says so" \
	sh -c '[ "$1" = 1 ] && grep -q "not signed in" "$2"' sh "$status" "$tmp/err"
c login --server "$url" --user alice --password-file "$tmp/badpw"
check "a wrong password: exit 1 and the server's words" \
	sh -c '[ "$1" = 1 ] && grep -q "wrong username or password" "$2"' sh "$status" "$tmp/err"
check "nothing is stored after a failed sign-in" test ! -e "$tmp/a/session.json"
c login --server "http://127.0.0.1:1" --user alice --password-file "$tmp/pw"
check "an unreachable server is named" \
	sh -c '[ "$1" = 1 ] && grep -q "cannot reach http://127.0.0.1:1" "$2"' sh "$status" "$tmp/err"
c login --server "ftp://x" --user alice --password-file "$tmp/pw"
check "a server that is not an http(s) URL is bad usage" test "$status" = 2

c login --server "$url" --user alice --password-file - <"$tmp/pw"
check "login (password on stdin) says where and who" \
	sh -c '[ "$1" = 0 ] && grep -q "signed in to .* as alice (Acme Ltd)" "$2"' sh "$status" "$tmp/out"
mode=$(stat -c %a "$tmp/a/session.json")
check "the session file is private (mode $mode)" test "$mode" = 600
token=$(session_token "$tmp/a/session.json")
c whoami
check "whoami asks the server" \
	sh -c '[ "$1" = 0 ] && grep -q "^alice on .* (Acme Ltd)" "$2" && grep -q "permissions: admin" "$2"' \
	sh "$status" "$tmp/out"
c whoami --json
check "whoami --json is the server's user object" \
	sh -c '[ "$1" = 0 ] && grep -q "\"username\": \"alice\"" "$2"' sh "$status" "$tmp/out"
# the interface's status bar says who is signed in
tmux -L "$sock" new-session -d -x 120 -y 20 env TERM=xterm-256color \
	LC_ALL=C.UTF-8 "$CONFAB" -D "$tmp/a" -C "$tmp/none.conf"
i=0
until tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q "alice @ 127.0.0.1"; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.05
done
check "the status bar shows alice @ the server" \
	sh -c 'tmux -L "$1" capture-pane -p | grep -q "confab . alice @ 127.0.0.1:[0-9]"' sh "$sock"
tmux -L "$sock" send-keys Q
sleep 0.3
tmux -L "$sock" kill-server 2>/dev/null

c logout
check "logout says so" \
	sh -c '[ "$1" = 0 ] && grep -q "signed out of" "$2"' sh "$status" "$tmp/out"
check "the session file is gone" test ! -e "$tmp/a/session.json"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/v1/me")
check "the token is revoked on the server ($code)" test "$code" = 401
c logout
check "logout again: not signed in, exit 0" \
	sh -c '[ "$1" = 0 ] && grep -q "not signed in" "$2"' sh "$status" "$tmp/out"

stop
exit $((failed > 0))
