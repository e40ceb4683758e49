#!/bin/sh
# tests/it/test_presence_timeout.sh: presence lapses when a client goes
# quiet.  With presence_timeout = 3, a user whose only client stops
# polling is shown offline and their watcher hears of it; a long-poll held
# open keeps them there; their next request, or signing in again, brings
# back what they had chosen (busy, with its note), and the watcher hears
# that too.  A restart gives everyone the grace period afresh, and SIGTERM
# stops the sweep thread at once.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-pto
IT_CONFIG='presence_timeout = 3'
IT_SHOW="out err body" IT_SHOW_LINES=6 IT_LOG_LINES=6
. "$(dirname "$0")/lib.sh"
poll=
it_at_exit() { [ -n "$poll" ] && kill "$poll" 2>/dev/null; }

acme

between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }

A() { client a "$@"; }
B() { client b "$@"; }
# bob's presence as alice's directory shows it: "state note"
bob_state() {
	api "$(session_token "$tmp/a/session.json")" GET /v1/users/bob
	python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["presence"]; print(p["state"], p.get("note") or "")' \
		"$tmp/body"
}
# alice_wait SECONDS: alice's next events after $acur, into $tmp/poll
alice_wait() {
	"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" events --cursor "$acur" \
		--wait "$1" >"$tmp/poll" 2>&1
	acur=$(sed -n 's/^cursor //p' "$tmp/poll")
}

start
A login --server "$url" --user alice --password-file "$tmp/alice"
B login --server "$url" --user bob --password-file "$tmp/bob"
A monitor request bob "Can I add you?"
B monitor accept alice
B presence set busy "in a meeting"
t0=$(now)
A events
acur=$(sed -n 's/^cursor //p' "$tmp/out")
check "bob is busy (in a meeting)" test "$(bob_state)" = "busy in a meeting"

# ---- bob's client goes quiet: offline, and alice hears of it -----------------------------
alice_wait 15
dt=$(since "$t0")
check "alice's poll brings bob's offline" \
	grep -q 'presence.*"user":"bob".*"state":"offline"' "$tmp/poll"
check "after the timeout, not before (${dt}s; timeout 3 s)" between "$dt" 2.5 7
check "the directory shows him offline, without the note" test "$(bob_state)" = "offline "
check "the log says why" grep -q "presence: bob: no session heard from for 3 s" "$tmp/log"

# ---- he polls again: busy again, with the note ---------------------------------------------------
B events
t0=$(now)
alice_wait 10
dt=$(since "$t0")
check "bob's next poll brings back busy, note and all" \
	grep -q 'presence.*"user":"bob".*"state":"busy".*"note":"in a meeting"' "$tmp/poll"
check "alice hears of it at once (${dt}s)" between "$dt" 0 1.5
check "the directory agrees" test "$(bob_state)" = "busy in a meeting"

# ---- a long-poll held open counts as there ------------------------------------------------------------
B events
bcur=$(sed -n 's/^cursor //p' "$tmp/out")
"$CONFAB" -D "$tmp/b" -C "$tmp/none.conf" events --cursor "$bcur" --wait 8 \
	>"$tmp/bpoll" 2>&1 &
poll=$!
sleep 6
check "6 s into bob's 8 s poll he is still busy" test "$(bob_state)" = "busy in a meeting"
wait "$poll"
poll=
alice_wait 15
check "when his poll ends and none follows, offline again" \
	grep -q 'presence.*"user":"bob".*"state":"offline"' "$tmp/poll"

# ---- signing in again also brings the choice back ---------------------------------------------------
tok1=$(session_token "$tmp/b/session.json")
B login --server "$url" --user bob --password-file "$tmp/bob"
alice_wait 10
check "bob signing in again is busy (in a meeting), not just online" \
	grep -q 'presence.*"user":"bob".*"state":"busy".*"note":"in a meeting"' "$tmp/poll"

# ---- a restart: everyone gets the grace period again ------------------------------------------------
B presence set dnd "focus time"
alice_wait 5
check "bob chooses dnd (focus time)" \
	grep -q 'presence.*"user":"bob".*"state":"dnd".*"note":"focus time"' "$tmp/poll"
stop
start "$port"
check "just after a restart bob is as he was" test "$(bob_state)" = "dnd focus time"
alice_wait 15
check "and offline once the grace period passes without him" \
	grep -q 'presence.*"user":"bob".*"state":"offline"' "$tmp/poll"
B events
alice_wait 10
check "his choice made before the restart comes back too" \
	grep -q 'presence.*"user":"bob".*"state":"dnd".*"note":"focus time"' "$tmp/poll"

# ---- signing out --------------------------------------------------------------------------------------
t0=$(now)
B logout
alice_wait 10
dt=$(since "$t0")
check "bob signs out while his first session sleeps: offline at once (${dt}s)" \
	sh -c 'grep -q "presence.*\"user\":\"bob\".*\"state\":\"offline\"" "$1" && awk -v x="$2" "BEGIN { exit !(x < 1.5) }"' \
	sh "$tmp/poll" "$dt"
curl -s -o /dev/null -X POST -H "Authorization: Bearer $tok1" "$url/v1/logout"
B login --server "$url" --user bob --password-file "$tmp/bob"
check "signed out of every session, his choice is gone: signing in is online" \
	test "$(bob_state)" = "online "

# ---- SIGTERM stops the sweep thread at once -----------------------------------------------------------
t0=$(now)
stop
dt=$(since "$t0")
check "SIGTERM: status 0 ($st) within a second (${dt}s)" \
	sh -c '[ "$1" = 0 ] && awk -v x="$2" "BEGIN { exit !(x < 1.0) }"' sh "$st" "$dt"
if grep -q 'runtime error\|Sanitizer' "$tmp/log"; then
	not_ok "no sanitizer reports"
fi
exit $((failed > 0))
