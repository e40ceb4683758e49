#!/bin/sh
# tests/it/test_messages.sh: messages between users through a real confabd,
# driven with the CLI: send to one and to many, read (marks read, on the
# server too), reply and reply-all, forward, trash / restore / purge,
# search, attachments with their checksum, the idempotent resend of a key,
# announcements to markets (and refused without the permission),
# reminders delivered by the server on time, contact requests in the
# inbox, and the outbox while the server is down: queued (exit 75), sent
# once by `confab sync` when it is back.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-msg
IT_SHOW="out err" IT_SHOW_LINES=8 IT_LOG_LINES=5
. "$(dirname "$0")/lib.sh"

acme
echo 'carol pass 333' >"$tmp/carol"
dq admin add-user carol --company "Acme Ltd" --email carol@acme.test \
	--name "Carol Clark" --password-file "$tmp/carol"
start

A() { client a "$@"; }
B() { client b "$@"; }
C() { client c "$@"; }
A login --server "$url" --user alice --password-file "$tmp/alice"
B login --server "$url" --user bob --password-file "$tmp/bob"
C login --server "$url" --user carol --password-file "$tmp/carol"
has() { grep -q -- "$1" "$tmp/out"; }
# json_get EXPR: python expression over the JSON in $tmp/out (as j)
json_get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$tmp/out"; }

# ---- send and read --------------------------------------------------------------
A msg send --to bob --subject "Lunch" "Lunch at noon? Café downstairs."
check "alice sends bob a message (exit 0)" test "$status" = 0
B msg list
check "bob's inbox lists it, unread, from Alice" \
	sh -c 'grep -q "	N	.*	Alice Archer	text	Lunch" "$1"' sh "$tmp/out"
id=$(cut -f1 "$tmp/out" | head -1)
B msg list --unread --json
check "--unread --json gives the message with its fields" \
	test "$(json_get 'len(j), j[0]["from"], j[0]["subject"], j[0]["read"]')" = "1 alice Lunch False"
B msg read "$id"
check "bob reads it: headers and body" \
	sh -c 'grep -q "^From: Bob\|^From: Alice Archer <alice>" "$1" && grep -q "^Subject: Lunch" "$1" && grep -q "Café downstairs" "$1"' sh "$tmp/out"
B msg list --unread
check "read on the server too: nothing unread after a fresh pull" test ! -s "$tmp/out"
A msg list --folder sent
check "alice's sent folder has it, addressed to bob" \
	sh -c 'grep -q "	to bob	text	Lunch" "$1"' sh "$tmp/out"

# ---- many recipients, reply, reply-all, forward ------------------------------------
A msg send --to "bob, carol" --subject "Plan" "Q3 plan attached soon."
C msg list
cid=$(grep "Plan" "$tmp/out" | cut -f1)
check "carol gets the message sent to bob and carol" test -n "$cid"
C msg reply "$cid" --all "Sounds good."
B msg list
check "reply-all from carol reaches bob with Re:" \
	sh -c 'grep -q "Carol Clark	text	Re: Plan" "$1"' sh "$tmp/out"
A msg list
check "and alice" sh -c 'grep -q "Carol Clark	text	Re: Plan" "$1"' sh "$tmp/out"
C msg reply "$cid" "Just to you."
B msg list
check "a plain reply goes to the sender only" \
	sh -c '! grep -q "Just to you" "$1"' sh "$tmp/out"
B msg list --json
check "the reply carries reply_to (reply-all)" \
	test "$(json_get '[m.get("reply_to", 0) > 0 for m in j if m["subject"] == "Re: Plan"]')" = "[True]"
bid=$(grep "	Lunch" "$tmp/out" | cut -f1)
B msg list
bid=$(grep "	Lunch" "$tmp/out" | cut -f1)
B msg forward "$bid" --to carol "FYI"
C msg list
fid=$(grep "Fwd: Lunch" "$tmp/out" | cut -f1)
C msg read "$fid"
check "forward: carol gets Fwd: with the original quoted" \
	sh -c 'grep -q "Forwarded message from alice" "$1" && grep -q "Café downstairs" "$1"' sh "$tmp/out"

# ---- trash, restore, purge ------------------------------------------------------------
B msg delete "$bid"
B msg list
check "delete moves it out of the inbox" sh -c '! grep -q "	Lunch" "$1"' sh "$tmp/out"
B msg list --folder trash
check "into the trash" sh -c 'grep -q "	Lunch" "$1"' sh "$tmp/out"
B msg restore "$bid"
B msg list
check "restore brings it back to the inbox" sh -c 'grep -q "	Lunch" "$1"' sh "$tmp/out"
B msg delete "$bid" --purge
B msg list --folder trash
t1=$(grep -c "	Lunch" "$tmp/out")
client b2 login --server "$url" --user bob --password-file "$tmp/bob"
client b2 msg list --folder trash
t2=$(grep -c "	Lunch" "$tmp/out")
client b2 msg list
t3=$(grep -c "	Lunch" "$tmp/out")
check "purged: gone here and on a second machine ($t1 $t2 $t3)" \
	test "$t1$t2$t3" = 000
client b2 msg read "$bid"
check "reading a purged message says it is not there" \
	sh -c '[ "$1" = 1 ] && grep -q "no message" "$2"' sh "$status" "$tmp/err"

# ---- search --------------------------------------------------------------------------
A msg send --to bob --subject "Invoice 4711" "The invoice for Müller GmbH is overdue."
B msg search "mull inv"
check "search by prefixes, accents folded (mull finds Müller)" \
	sh -c 'grep -q "Invoice 4711" "$1" && [ $(wc -l <"$1") = 1 ]' sh "$tmp/out"
B msg search "carol"
check "search by sender" sh -c 'grep -q "Re: Plan" "$1"' sh "$tmp/out"

# ---- attachments ------------------------------------------------------------------------
printf 'minutes of the meeting\n' >"$tmp/minutes.txt"
A msg send --to bob --subject "Minutes" --attach "$tmp/minutes.txt" "See the file."
check "a message with an attachment is sent" test "$status" = 0
B msg list
mid=$(grep "Minutes" "$tmp/out" | cut -f1)
check "the list marks the attachment" sh -c 'grep -q "Minutes \[attachment\]" "$1"' sh "$tmp/out"
B msg read "$mid"
check "reading shows its name, type and size" \
	sh -c 'grep -q "^Attachment: [0-9]* minutes.txt (text/plain, 23 bytes)" "$1"' sh "$tmp/out"
aid=$(sed -n 's/^Attachment: \([0-9]*\) .*/\1/p' "$tmp/out")
B msg attachment "$aid" -o "$tmp/got.txt"
check "bob downloads it, the same bytes" cmp -s "$tmp/minutes.txt" "$tmp/got.txt"
C msg attachment "$aid" -o "$tmp/c.txt"
check "carol, who did not get it, cannot" \
	sh -c '[ "$1" = 1 ] && [ ! -e "$2" ]' sh "$status" "$tmp/c.txt"
head -c 3000 /dev/urandom >"$tmp/noise.bin"
printf '\0' >>"$tmp/noise.bin"
A msg send --to bob --attach "$tmp/noise.bin" "binary"
check "a file of no known type is refused before sending" \
	sh -c '[ "$1" = 1 ] && grep -q "not a kind of file" "$2"' sh "$status" "$tmp/err"
ta=$(session_token "$tmp/a/session.json")
curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $ta" \
	-H "Content-Type: image/png" --data-binary @"$tmp/minutes.txt" \
	"$url/v1/attachments?name=x.png" >"$tmp/code"
check "the server checks the content against the declared type (415)" \
	test "$(cat "$tmp/code")" = 415

# ---- idempotency ------------------------------------------------------------------------
for i in 1 2; do
	api "$ta" POST /v1/messages '{"to":["carol"],"body":"once only","key":"k-42"}'
	echo "$code" >>"$tmp/codes"
done
C msg list
check "the same key twice: 201 then 200, and carol has it once" \
	sh -c '[ "$(tr "\n" " " <"$1")" = "201 200 " ] && [ $(grep -c "once only" "$2") = 1 ]' \
	sh "$tmp/codes" "$tmp/out"

# ---- unknown recipients ---------------------------------------------------------------------
A msg send --to nobody "hello?"
check "an unknown recipient is refused with the server's reason (exit 1)" \
	sh -c '[ "$1" = 1 ] && grep -q "no user nobody" "$2"' sh "$status" "$tmp/err"
A msg outbox
check "and not left in the outbox" test ! -s "$tmp/out"

# ---- announcements ----------------------------------------------------------------------------
A company set --market Retail --market Banking --region Europe
B profile set --market Retail
B announce --subject "Nope" "not allowed"
check "bob, without the permission, cannot announce" \
	sh -c '[ "$1" = 1 ] && grep -q "announcements permission" "$2"' sh "$status" "$tmp/err"
A announce --market Retail --subject "Retail briefing" --expires +7d "Friday 9:00."
check "alice announces to the Retail market" test "$status" = 0
B msg list --json
check "bob, who follows Retail, gets it with its expiry" \
	test "$(json_get '[(m["kind"], m["to"], m.get("expires", 0) > 0) for m in j if m["subject"] == "Retail briefing"]')" = "[('announcement', ['market:Retail'], True)]"
C msg list
check "carol, who does not, does not" sh -c '! grep -q "Retail briefing" "$1"' sh "$tmp/out"
A announce --market Nowhere --subject "x" "y"
check "an unknown market is refused" \
	sh -c '[ "$1" = 1 ] && grep -q "no market" "$2"' sh "$status" "$tmp/err"
A announce --subject "All hands" "Everyone, 10:00."
C msg list
check "an announcement without markets reaches everyone" \
	sh -c 'grep -q "announcement	All hands" "$1"' sh "$tmp/out"

# ---- reminders ------------------------------------------------------------------------------------
A remind --to bob --at +2s "Call the customer back"
check "alice sets bob a reminder" test "$status" = 0
B msg list
check "it is not in bob's inbox before its time" \
	sh -c '! grep -q "Call the customer" "$1"' sh "$tmp/out"
bc=$(curl -s -H "Authorization: Bearer $(session_token "$tmp/b/session.json")" \
	"$url/v1/events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cursor"])')
t0=$(now)
curl -s -m 10 -o "$tmp/ev" -H "Authorization: Bearer $(session_token "$tmp/b/session.json")" \
	"$url/v1/events?cursor=$bc&timeout=8"
waited=$(since "$t0")
check "bob's waiting poll gets it as a message event on time (${waited}s)" \
	sh -c 'grep -q "\"kind\":\"message\".*\"reminder\".*Call the customer" "$1" && awk -v w="$2" "BEGIN { exit !(w >= 0.5 && w < 4) }"' \
	sh "$tmp/ev" "$waited"
B msg list
check "and then it is in his inbox" \
	sh -c 'grep -q "reminder	Reminder" "$1"' sh "$tmp/out"
A remind --at "$(date -d '+1 hour' '+%Y-%m-%d %H:%M')" "later"
check "a reminder an hour ahead is accepted" test "$status" = 0
A remind --at "yesterday-ish" "x"
check "a time that is not one is refused (usage)" test "$status" = 2

# a reminder falls due while the server is down: delivered at start
A remind --to carol --at +2s "While you were out"
stop TERM
sleep 3
start "$port"
C msg list
check "a reminder due while confabd was down arrives when it starts" \
	sh -c 'grep -q "reminder	Reminder" "$1"' sh "$tmp/out"

# ---- contact requests in the inbox ------------------------------------------------------------------
C monitor request bob "May I add you?"
B msg list
check "a contact request shows in the inbox" \
	sh -c 'grep -q "Carol Clark	contact_request	Contact request" "$1"' sh "$tmp/out"

# ---- offline: queued, then sent once ---------------------------------------------------------------
stop KILL
A msg send --to bob --subject "Offline 1" "written while the server was away"
check "with the server down, send queues it (exit 75)" \
	sh -c '[ "$1" = 75 ] && grep -q "waiting in the outbox" "$2"' sh "$status" "$tmp/err"
A msg send --to bob --subject "Offline 2" "second"
A msg list --folder sent --offline
check "sent shows both as pending" \
	test "$(grep -c '	pending	' "$tmp/out")" = 2
A sync
check "sync says what is pending and why (exit 75)" \
	sh -c '[ "$1" = 75 ] && grep -q "2 waiting in the outbox, not sent: cannot reach" "$2"' \
	sh "$status" "$tmp/err"
start "$port"
A sync
check "with the server back, sync sends them (exit 0)" \
	sh -c '[ "$1" = 0 ] && grep -q "^sent 2, refused 0" "$2"' sh "$status" "$tmp/out"
A sync
check "and a second sync has nothing to send" \
	sh -c 'grep -q "^sent 0, refused 0" "$1"' sh "$tmp/out"
B msg list
check "bob has each once, in the order written" \
	sh -c '[ "$(grep -c "Offline" "$1")" = 2 ] && grep -n "Offline" "$1" | head -1 | grep -q "Offline 2"' \
	sh "$tmp/out"

# ---- bad input -----------------------------------------------------------------------------------
api "$ta" POST /v1/messages '{"to":["bob"],"body":123}'
check "a body that is not text: 400 naming the field" \
	sh -c '[ "$1" = 400 ] && grep -q "body" "$2"' sh "$code" "$tmp/body"
api "$ta" POST /v1/messages '{"messages":[]}'
check "an empty batch: 400" test "$code" = 400
api "$ta" GET "/v1/messages?since=abc"
check "a bad revision: 400" test "$code" = 400
api "$ta" PATCH /v1/messages/999999 '{"read":true}'
check "changing a message that is not yours: 404" test "$code" = 404
A msg list --offline
check "after all that, the local mailbox still reads" test "$status" = 0
