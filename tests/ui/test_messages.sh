#!/bin/sh
# tests/ui/test_messages.sh: the Messages tab on screen, two TUIs (alice
# and bob) against a real confabd on loopback.  Alice writes to bob with
# the recipient completed from the directory; bob is alerted (message
# line, unread counters, notify_command), reads it and replies; alice's
# Sent shows it.  Alice (admin) announces to the Retail market bob
# follows: bob's screen shows the banner and the pinned announcement
# until he reads it; bob's own announcement is refused, and Sent says
# why.  Alice sets a reminder for bob 3 s ahead: it pops up on bob's
# screen when it comes due, not before.  With the server gone, what
# alice sends is pending, and is sent once it is back.

. tests/ui/lib.sh
. tests/ui/server.sh

echo 'alice pass 1' >"$tmp/apw"
echo 'bob pass 22' >"$tmp/bpw"
srv_d admin init --company "Acme Ltd" --admin alice --name "Alice Archer" \
	--email alice@acme.test --password-file "$tmp/apw"
srv_d admin add-user bob --email bob@acme.test --name "Bob Baker" \
	--password-file "$tmp/bpw"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
srv_start "$port"

# bob's alerts also run a command: it leaves what it was told in a file
cat >"$tmp/notify.sh" <<EOF
#!/bin/sh
printf '%s: %s\n' "\$1" "\$2" >>"$tmp/notified"
EOF
chmod +x "$tmp/notify.sh"
printf 'set server = %s\n' "$url" >"$tmp/a.conf"
printf 'set server = %s\nset notify_command = "%s"\n' "$url" \
	"$tmp/notify.sh" >"$tmp/b.conf"

# cli WHO ARGS...: confab's command line as alice (a) or bob (b)
cli() {
	_who=$1
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/asan-cli" \
		"$CONFAB" -D "$tmp/$_who" -C "$tmp/$_who.conf" "$@" \
		>>"$tmp/cli.out" 2>&1
}
check "alice signs in" cli a login --server "$url" --user alice \
	--password-file "$tmp/apw"
check "bob signs in" cli b login --server "$url" --user bob \
	--password-file "$tmp/bpw"
check "the company works in two markets" cli a company set \
	--market Retail --market Wholesale
check "bob follows the Retail market" cli b profile set --market Retail

# line_of REGEX: the screen line number of the first match (0: none)
line_of() {
	ui_screen | grep -nE -- "$1" | head -1 | cut -d: -f1 | grep . || echo 0
}

ui_spawn a "$tmp/a" "$tmp/a.conf"
ui_spawn b "$tmp/b" "$tmp/b.conf"
ui_wait_for "bob @ 127\.0\.0\.1:$port · online"

# --- (1) a message, from alice's compose to bob's reader ------------------------
ui_use a
ui_wait_for "alice @ 127\.0\.0\.1:$port · online"
ui_keys 5
ui_assert_screen "^  Inbox +Sent +Trash " "tab 5 shows the folders"
ui_assert_screen "No messages\. c writes one" "an empty inbox says how to write"
ui_keys c
ui_wait_for "New message"
ui_type "bo"
ui_assert_screen "Tab: bob \(Bob Baker\)" "the directory offers bob as you type"
ui_keys Tab
ui_assert_screen "To +bob, " "Tab completes the recipient"
ui_keys Tab
ui_type "Lunch on Friday"
ui_keys Tab
ui_type "Shall we meet at noon?"
ui_keys Enter
ui_type "Alice"
ui_keys C-s
ui_assert_screen "Message to bob on its way" "sending closes the form"

ui_use b
ui_assert_screen "New message from Alice Archer: Lunch on Friday" \
	"bob is told at once, wherever he is"
ui_assert_screen "5 Messages \(1\) " "the tab title counts the unread message"
ui_assert_screen "\|  1 unread " "so does the status bar"
check "the alert ran bob's notify_command" \
	grep -q "New message from Alice Archer: Lunch on Friday" "$tmp/notified"
ui_keys 5
ui_assert_screen "^ N .*Alice Archer +Lunch on Friday" "the message is in bob's inbox, unread"
ui_keys Enter
ui_assert_screen "From +Alice Archer <alice>" "the reader shows who wrote"
ui_assert_screen "Subject +Lunch on Friday" "and the subject"
ui_assert_screen "Shall we meet at noon\?" "and the body"
ui_assert_screen "5 Messages +│" "reading it marks it read"
ui_keys r
ui_wait_for "Subject +Re: Lunch on Friday"
ui_assert_screen "> Shall we meet at noon\?" "a reply quotes the message"
ui_type "Noon is fine."
ui_keys C-s
ui_assert_screen "Message to alice on its way" "bob replies from the reader"
ui_keys q

ui_use a
ui_assert_screen "^ N .*Bob Baker +Re: Lunch on Friday" "the reply reaches alice's inbox"
ui_keys s
ui_assert_screen "^   .* bob +Lunch on Friday" "alice's Sent shows her message"
ui_assert_not_screen "\[pending\]" "and it is not pending"

# --- (2) an announcement to the market bob follows ---------------------------------
ui_keys a
ui_wait_for "New announcement"
ui_type "Office closed Friday"
ui_keys Tab
ui_assert_screen "Tab: Retail +Wholesale" "the company's markets are offered"
ui_type "Ret"
ui_keys Tab
ui_assert_screen "Markets +Retail, " "Tab completes the market"
ui_keys Tab Tab Tab
ui_type "For maintenance."
ui_keys C-s
ui_assert_screen "Announcement on its way" "alice announces to Retail"
ui_assert_screen "market:Retail +\[Announcement\] Office closed Friday" \
	"Sent shows the announcement with its audience"

# and then a message, newer than the announcement
ui_keys c
ui_wait_for "New message"
ui_type "bob"
ui_keys Tab
ui_type "Minutes"
ui_keys Tab
ui_type "Of the meeting."
ui_keys C-s
ui_wait_for "Message to bob on its way"

ui_use b
ui_assert_screen "Announcement from Alice Archer: Office closed Friday +\(tab 5\)" \
	"bob sees the announcement banner"
ui_assert_screen "^ N .*\[Announcement\] Office closed Friday" "it is in his inbox"
ui_wait_for "Alice Archer +Minutes"
ann=$(line_of "\[Announcement\] Office closed")
newer=$(line_of "Alice Archer +Minutes")
check "the unread announcement is pinned above newer messages" \
	[ "$ann" -gt 0 ] && [ "$ann" -lt "$newer" ]
ui_keys 1
ui_assert_screen "Announcement from Alice Archer: Office closed" \
	"the banner stays on the other tabs"
ui_keys 5 g Enter
ui_assert_screen "Kind +Announcement" "bob reads the announcement"
ui_assert_screen "For maintenance\." "with its text"
ui_keys q
ui_assert_not_screen "Announcement from Alice Archer: Office closed" \
	"read, the banner goes away"

# bob may not announce: the server refuses, and Sent says so
ui_keys a
ui_wait_for "New announcement"
ui_type "Hello everyone"
ui_keys C-s
ui_wait_gone "New announcement"
ui_keys s
ui_assert_screen "\[refused: making announcements needs the announcements permission\]" \
	"a refused announcement shows the server's reason"
ui_assert_screen "1 refused \(see Sent\)" "the status bar counts it"
ui_keys d
ui_wait_for "Cancel \"Hello everyone\"\?"
ui_keys y
ui_assert_not_screen "\[refused:" "d drops a refused one"
ui_keys i

# --- (3) a reminder for bob, 3 s ahead ---------------------------------------------
ui_use a
ui_keys m
ui_wait_for "New reminder"
ui_assert_screen "To +alice " "a reminder is for yourself unless you say"
ui_keys BTab BTab C-u
ui_type bob
ui_keys Tab Tab
ui_type "+3s"
ui_keys Tab
ui_type "Call the plumber"
t0=$(date +%s)
ui_keys C-s
ui_assert_screen "Reminder set for bob" "alice sets a reminder for bob"
ui_use b
if ui_on_screen "Call the plumber" 1; then
	not_ok "the reminder waits for its time"
else
	ok "the reminder waits for its time"
fi
ui_assert_screen "Reminder from Alice Archer" "it pops up on bob's screen"
t1=$(date +%s)
check "when it came due (after $((t1 - t0)) s)" [ $((t1 - t0)) -ge 2 ]
ui_assert_screen "Call the plumber" "with its text"
ui_keys Enter
ui_assert_not_screen "Enter: done" "Enter closes the pop-up"
ui_assert_screen "^   .*Alice Archer +\[Reminder\] Call the plumber" \
	"the reminder stays in the inbox, read"

# --- with the server away, a message waits in the outbox -------------------------------
srv_stop -9
ui_use a
ui_keys c
ui_wait_for "New message"
ui_type "bob"
ui_keys Tab
ui_type "Offline hello"
ui_keys Tab
ui_type "Sent while the server was away."
ui_keys C-s
ui_keys s
ui_assert_screen "bob +\[pending\] Offline hello" "Sent shows it pending"
ui_assert_screen "1 to send" "the status bar counts it"
srv_start "$port"
ui_keys C-l
ui_assert_not_screen "\[pending\]" "once the server is back it is sent"
ui_use b
ui_keys C-l
ui_assert_screen "^ N .*Alice Archer +Offline hello" "and bob gets it"

ui_quit
ui_use a
ui_quit
