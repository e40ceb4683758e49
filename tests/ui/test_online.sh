#!/bin/sh
# tests/ui/test_online.sh: the signed-in suite on screen, against a real
# confabd on loopback.  The first TUI finds a new server and creates the
# company and its admin; a second TUI signs in with the form; a contact
# request goes out from one monitor and is accepted in the other; presence
# changes, sign-out and sign-in show live on the other screen; confabd is
# killed with SIGKILL and restarted and the link comes back by itself;
# "forgotten your password?" sets a new one with a reset code; auto-away
# marks an idle user away and the next key brings them back.

. tests/ui/lib.sh

. tests/ui/server.sh
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
srv_start "$port"

printf 'set server = %s\nset auto_away = 0.05\n' "$url" >"$tmp/a.conf"
printf 'set server = %s\n' "$url" >"$tmp/b.conf"

# --- first start: the TUI offers to create the company ----------------------
ui_spawn a "$tmp/a" "$tmp/a.conf"
ui_assert_screen "is new\. Create your company" "first start offers to set up the new server"
ui_keys y
ui_wait_for "Company name"
ui_type "Acme Ltd"; ui_keys Tab
ui_type "alice"; ui_keys Tab
ui_type "Alice Archer"; ui_keys Tab
ui_type "alice@acme.test"; ui_keys Tab
ui_type "short"; ui_keys Tab
ui_type "short"; ui_keys C-s
ui_assert_screen "at least 8 characters" "a short password is refused in the form"
ui_keys C-u
ui_type "alice pass 1"; ui_keys Tab C-u
ui_type "alice pass 2"; ui_keys C-s
ui_assert_screen "passwords differ" "differing passwords are refused"
ui_keys C-u
ui_type "alice pass 1"; ui_keys C-s
ui_assert_screen "Acme Ltd is ready" "the company is created"
ui_assert_screen "alice @ 127\.0\.0\.1:$port" "the status bar shows alice signed in"
"$CONFAB" -D "$tmp/a" -C "$tmp/a.conf" whoami >"$tmp/who" 2>&1
check "the session is stored: whoami names alice with every permission" \
	grep -q "admin.*user-admin" "$tmp/who"

echo 'bob pass 22' >"$tmp/bobpw"
srv_d admin add-user bob \
	--email bob@acme.test --name "Bob Baker" --password-file "$tmp/bobpw" \
	>/dev/null 2>&1
# alice keeps the address book entry for Bob that gets a presence icon
"$CONFAB" -D "$tmp/a" -C "$tmp/a.conf" contacts add --name "Bob Baker" \
	--email bob@acme.test >/dev/null 2>&1

# --- the second TUI signs in through the form --------------------------------
ui_spawn b "$tmp/b" "$tmp/b.conf"
ui_keys 2
ui_assert_screen "not signed in to a confab" "signed out, the monitor says how to sign in"
ui_keys L
ui_wait_for "Sign in to a confab server"
ui_assert_screen "Server +$url" "the form offers the configured server"
ui_keys Tab
ui_type bob; ui_keys Tab
ui_type "wrong password"; ui_keys C-s
ui_assert_screen "wrong username or password" "a wrong password is refused with the server's reason"
ui_wait_for "Sign in to a confab server"
ui_keys Down Down C-u
ui_type "bob pass 22"; ui_keys C-s
ui_assert_screen "bob @ 127\.0\.0\.1:$port" "bob is signed in"
ui_assert_screen "Nobody in your monitor yet" "bob's monitor starts empty"

# --- contact request ---------------------------------------------------------
ui_keys a
ui_wait_for "which colleague"
ui_type alice; ui_keys Enter
ui_wait_for "short message"
ui_type "hello from Bob"; ui_keys Enter
ui_assert_screen "pending.*hello from Bob" "bob's request shows as pending"

ui_use a
ui_assert_screen "Bob Baker asks to add you" "alice is told of the request as it happens"
ui_keys 2
ui_assert_screen "Bob Baker +bob +asks: hello from Bob" "the request is in alice's monitor"
ui_keys y
ui_assert_screen "Add bob to your monitor too\?" "accepting offers to add bob back"
ui_keys n
ui_use b
ui_assert_screen "Alice Archer accepted" "bob hears the request was accepted"
ui_assert_screen "Available \(1\)" "alice is available in bob's monitor"
ui_assert_screen "● Alice Archer +alice +online" "with the online icon"

# alice asks back, through the directory and the context menu
ui_use a
ui_keys D
ui_wait_for "Company directory"
ui_keys /
ui_type bob
ui_wait_for "Bob Baker +bob"
ui_keys Enter Enter
ui_wait_for "Bob Baker"
ui_keys Down Down Down Down Down Down
ui_assert_screen "Ask to add to my monitor" "the directory's menu offers to ask"
ui_assert_screen "Video call +\(comes with" "video calls are listed, marked not yet available"
ui_keys 2
ui_assert_screen "Not available yet" "a disabled entry refuses, not fakes"
ui_keys Escape
ui_keys a
ui_wait_for "short message"
ui_keys Enter
ui_assert_screen "Request sent to bob" "alice's request is sent"
ui_use b
ui_assert_screen "Alice Archer +alice +asks" "bob sees alice's request"
ui_keys y
ui_assert_screen "alice can now see your presence" "bob, already watching alice, is not asked again"
ui_use a
ui_keys Escape Escape
ui_assert_screen "Online monitor" "back from the directory"
ui_assert_screen "● Bob Baker +bob +online" "bob shows online in alice's monitor"
ui_keys 1 C-l
ui_assert_screen "● Bob Baker" "the address book entry with bob's email shows his presence"
ui_keys 2

# --- presence ----------------------------------------------------------------
ui_keys p
ui_wait_for "Your presence"
ui_keys 3
ui_wait_for "Status note"
ui_type "in a meeting"; ui_keys Enter
ui_assert_screen "You: busy — in a meeting" "alice sets busy with a note"
ui_use b
ui_assert_screen "Alice Archer +alice +busy +in a meeting" "bob sees alice busy, live"

# sign-out and sign-in show on the other screen
ui_keys O
ui_wait_for "Sign out of"
ui_keys y
ui_assert_screen "local profile \(not signed in\)" "bob signs out"
ui_use a
ui_assert_screen "Bob Baker +bob +offline" "alice sees bob go offline"
ui_use b
ui_keys L
ui_wait_for "Sign in to a confab server"
ui_keys Tab C-u
ui_type bob; ui_keys Tab
ui_type "bob pass 22"; ui_keys C-s
ui_assert_screen "bob @ 127\.0\.0\.1:$port" "bob signs in again"
ui_use a
ui_assert_screen "Bob Baker +bob +online" "alice sees bob come back online"

# --- the server dies and comes back ---------------------------------------------
srv_stop -9
ui_use b
ui_assert_screen "Offline, retrying" "bob's monitor says the server is gone"
srv_start "$port"
ui_keys C-l
ui_assert_screen "bob @ 127\.0\.0\.1:$port · online" "the link comes back after a restart"
ui_use a
ui_keys C-l
ui_keys p
ui_wait_for "Your presence"
ui_keys 1
ui_wait_for "Status note"
ui_keys C-u Enter
ui_use b
ui_assert_screen "Alice Archer +alice +online" "a presence change after the restart arrives"

# --- auto-away (alice: 3 s of no keys) -------------------------------------------
ui_use a
ui_keys 2
sleep 4
ui_use b
ui_assert_screen "Alice Archer +alice +away" "an idle alice goes away by herself"
ui_use a
ui_keys j
ui_use b
ui_assert_screen "Alice Archer +alice +online" "and comes back at her next key"

# --- forgotten password ----------------------------------------------------------------
ui_keys O
ui_wait_for "Sign out of"
ui_keys y
ui_wait_for "not signed in to a confab"
ui_keys F
ui_wait_for "Forgotten your password"
ui_type bob; ui_keys Enter
ui_assert_screen "code you were sent" "the reset asks for the code"
code=$("$CONFABD" -c "$tmp/d.conf" -d "$tmp/srv" admin reset-code bob 2>/dev/null)
ui_type "$code"; ui_keys Tab
ui_type "bob new pass"; ui_keys Tab
ui_type "bob new pass"; ui_keys C-s
ui_assert_screen "Your password is changed" "the code sets a new password"
ui_wait_for "Sign in to a confab server"
ui_keys Tab C-u
ui_type bob; ui_keys Tab
ui_type "bob new pass"; ui_keys C-s
ui_assert_screen "bob @ 127\.0\.0\.1:$port" "bob signs in with the new password"

ui_quit
ui_use a
ui_quit
