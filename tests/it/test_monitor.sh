#!/bin/sh
# tests/it/test_monitor.sh: contact requests, the online monitor and the
# event log against a real confabd: a request arrives as an event, only an
# accepted watcher sees presence, a waiting long-poll wakes within a second
# of a presence change, events survive a SIGKILL of the server and are
# delivered once from a cursor, and SIGTERM answers the waiting polls.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-mon
IT_SHOW="out err" IT_SHOW_LINES=6
. "$(dirname "$0")/lib.sh"

acme
start

A() { client a "$@"; }
B() { client b "$@"; }
A login --server "$url" --user alice --password-file "$tmp/alice"
B login --server "$url" --user bob --password-file "$tmp/bob"

B events
bcur=$(sed -n 's/^cursor //p' "$tmp/out")
check "events without a cursor give the current one ($bcur)" test -n "$bcur"

A monitor request bob "Can I add you?"
check "alice asks to add bob" \
	sh -c '[ "$1" = 0 ] && grep -qx "bob: pending" "$2"' sh "$status" "$tmp/out"
A monitor list
check "while pending, alice sees no presence for bob" \
	sh -c 'grep -q "^bob	Bob Baker	pending" "$1"' sh "$tmp/out"
B events --cursor "$bcur"
check "bob gets the request as an event, with the message" \
	sh -c 'grep -q "contact_request.*\"from\":\"alice\".*Can I add you" "$1"' sh "$tmp/out"
bcur=$(sed -n 's/^cursor //p' "$tmp/out")
B monitor list
check "bob's monitor lists the request waiting for him" \
	sh -c 'grep -q "^alice	Alice Archer	asks to add you: Can I add you?" "$1"' sh "$tmp/out"
B monitor accept carol
check "answering someone who did not ask is refused" test "$status" = 1
B monitor accept alice
check "bob accepts" \
	sh -c '[ "$1" = 0 ] && grep -qx "alice: accepted" "$2"' sh "$status" "$tmp/out"
A events --cursor 0
check "alice hears of it" grep -q 'contact_accepted.*"user":"bob"' "$tmp/out"
acur=$(sed -n 's/^cursor //p' "$tmp/out")
A monitor list
check "now alice sees bob's presence" grep -q "^bob	Bob Baker	online" "$tmp/out"

# ---- a waiting long-poll wakes when bob's presence changes ------------------------
"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" events --cursor "$acur" \
	--wait 20 >"$tmp/poll" 2>&1 &
poll=$!
sleep 1
t0=$(date +%s.%N)
B presence set busy "on a call"
wait "$poll"
t1=$(date +%s.%N)
dt=$(python3 -c "print(round($t1 - $t0, 2))")
check "the long-poll answers with bob's presence" \
	grep -q 'presence.*"user":"bob".*"state":"busy".*"note":"on a call"' "$tmp/poll"
check "within a second of the change (${dt}s)" \
	python3 -c "import sys; sys.exit(0 if $dt < 1.0 else 1)"
acur=$(sed -n 's/^cursor //p' "$tmp/poll")

# ---- events are durable: SIGKILL, restart on the same port, resume from the cursor ------
B presence set away "lunch"
stop KILL
start "$port"
A events --cursor "$acur"
check "after SIGKILL and restart the event is there, once" \
	sh -c '[ "$(grep -c "presence.*\"state\":\"away\"" "$1")" = 1 ] && [ "$(grep -c "presence" "$1")" = 1 ]' \
	sh "$tmp/out"
acur=$(sed -n 's/^cursor //p' "$tmp/out")
A events --cursor "$acur"
check "read from the new cursor, nothing again" \
	sh -c '! grep -q presence "$1"' sh "$tmp/out"

# ---- signing out makes bob offline for his watchers ----------------------------------------
B logout
A events --cursor "$acur" --wait 5
check "bob's sign-out reaches alice as offline" \
	grep -q 'presence.*"user":"bob".*"state":"offline"' "$tmp/out"

# ---- removing; SIGTERM answers a waiting poll -------------------------------------------------
A monitor remove bob
check "alice removes bob from her monitor" grep -qx "bob: removed" "$tmp/out"
A monitor list
check "and he is gone from it" sh -c '! grep -q "^bob" "$1"' sh "$tmp/out"
acur=$(A events; sed -n 's/^cursor //p' "$tmp/out")
"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" events --cursor "$acur" \
	--wait 30 >"$tmp/poll" 2>&1 &
poll=$!
sleep 0.5
kill -TERM "$pid"
i=0
while kill -0 "$poll" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "SIGTERM answers a waiting long-poll at once" \
	sh -c '! kill -0 "$1" 2>/dev/null' sh "$poll"
wait "$pid" 2>/dev/null
st=$?
pid=
check "and confabd exits 0 ($st)" test "$st" = 0
exit $((failed > 0))
