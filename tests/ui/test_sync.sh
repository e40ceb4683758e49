#!/bin/sh
# tests/ui/test_sync.sh: the address book the same on two machines while
# the TUI runs, against a real confabd on loopback.  A contact added on
# another machine appears on the running TUI's screen by itself; one added
# in the TUI reaches the other machine without any command; with the
# server killed, a contact added in the TUI waits and goes when the server
# is back.

. tests/ui/lib.sh

. tests/ui/server.sh
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
srv_start "$port"
echo 'alice pass 1' >"$tmp/pw"
srv_d admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--name "Alice Archer" --password-file "$tmp/pw" >/dev/null 2>&1
printf 'set server = %s\n' "$url" >"$tmp/a.conf"

# B: the other machine, driven with the CLI
B() { "$CONFAB" -D "$tmp/b" -C "$tmp/a.conf" "$@" >"$tmp/out" 2>&1; }
B login --server "$url" --user alice --password-file "$tmp/pw"
B contacts add --name "Grace Hopper" --email grace@navy.test
B sync

"$CONFAB" -D "$tmp/a" -C "$tmp/a.conf" login --server "$url" --user alice \
	--password-file "$tmp/pw" >/dev/null 2>&1
ui_spawn a "$tmp/a" "$tmp/a.conf"
ui_assert_screen "Grace Hopper" "the TUI's first sync brings the other machine's contact"

B contacts add --name "Ada Lovelace" --email ada@example.org
B sync
ui_assert_screen "Ada Lovelace" "a contact added elsewhere appears on the running TUI"

# a contact added in the TUI goes to the server by itself
ui_keys a
ui_wait_for "New contact"
ui_keys Tab; ui_type "Dennis"; ui_keys Tab Tab; ui_type "Ritchie"
ui_keys C-s
ui_assert_screen "Dennis Ritchie" "the TUI adds a contact"
found=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	B sync
	B contacts list
	if grep -q "Dennis Ritchie" "$tmp/out"; then found=1; break; fi
	sleep 0.5
done
check "it reaches the other machine with no command in the TUI" test $found = 1

# the server goes away: the edit waits, and goes when it is back
srv_stop -9
ui_keys a
ui_wait_for "New contact"
ui_keys Tab; ui_type "Ken"; ui_keys Tab Tab; ui_type "Thompson"
ui_keys C-s
ui_assert_screen "Ken Thompson" "while the server is down the TUI still saves"
srv_start "$port"
found=0
for i in $(seq 1 40); do
	B sync
	B contacts list
	if grep -q "Ken Thompson" "$tmp/out"; then found=1; break; fi
	sleep 0.5
done
check "once the server is back the waiting contact arrives, once" \
	sh -c '[ "$1" = 1 ] && [ "$(grep -c "Ken Thompson" "$2")" = 1 ]' sh "$found" "$tmp/out"
ui_quit
