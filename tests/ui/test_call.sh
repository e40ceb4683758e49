#!/bin/sh
# tests/ui/test_call.sh: a call on screen.  Bob runs the TUI (signed in,
# sound to a WAV file, calls on 127.0.0.1); alice calls him with
# `confab call`.  The call pops up over the view with alice's name and
# what bob's CRM knows of her; `a` answers; the call screen shows the
# timer and the same authentication string as alice's side; S shows the
# line's figures, m mutes, x holds (alice reads it); h hangs up; a CRM
# note about the call is offered and saved; the call log has the call.
# A second call is declined with r, and alice hears so.  Calling carol,
# who is offline, offers a voice mail: it is recorded, sent, and carol
# plays it; a voice mail from alice plays in bob's message reader with
# pause and seek.
# See tests/ui/lib.sh.

. tests/ui/lib.sh
. tests/ui/server.sh

WAVQ=${WAVQ:-$PWD/build/tools/wavq}
srv_start
echo 'alice pass 11' >"$tmp/apw"
echo 'bob pass 222' >"$tmp/bpw"
srv_d admin init --company "Acme Ltd" --admin alice --name "Alice Archer" \
	--email alice@acme.test --password-file "$tmp/apw"
srv_d admin add-user bob --company "Acme Ltd" --name "Bob Baker" --perm crm-view --perm crm-edit \
	--email bob@acme.test --password-file "$tmp/bpw"
echo 'carol pass 33' >"$tmp/cpw"
srv_d admin add-user carol --company "Acme Ltd" --name "Carol Cole" \
	--email carol@acme.test --password-file "$tmp/cpw"
: >"$tmp/none.conf"
cat >"$tmp/b.conf" <<CONF
set server = $url
set audio_input = file:$tmp/bob_says.wav
set audio_output = file:$tmp/bob_heard.wav
set audio_ring = null
set media_address = 127.0.0.1
CONF
"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" login --server "$url" --user alice \
	--password-file "$tmp/apw" >/dev/null 2>&1 || not_ok "alice signs in"
"$CONFAB" -D "$tmp/b" -C "$tmp/b.conf" login --server "$url" --user bob \
	--password-file "$tmp/bpw" >/dev/null 2>&1 || not_ok "bob signs in"
"$CONFAB" -D "$tmp/b" -C "$tmp/b.conf" contacts add --name "Alice Archer" \
	--email alice@acme.test >/dev/null 2>&1
"$CONFAB" -D "$tmp/b" -C "$tmp/b.conf" crm add "Alice Archer" \
	--status customer --next "send the quote" >/dev/null 2>&1
"$WAVQ" gen "$tmp/speech.wav" 20 5
"$WAVQ" gen "$tmp/bob_says.wav" 60 6
"$WAVQ" gen "$tmp/vm.wav" 4 7
"$CONFAB" -D "$tmp/b" -C "$tmp/b.conf" contacts add --name "Carol Cole" \
	--email carol@acme.test >/dev/null 2>&1

apid=
it_calls_cleanup() { [ -n "$apid" ] && kill "$apid" 2>/dev/null; }
trap 'it_calls_cleanup; srv_stop; ui_cleanup' EXIT
# alice_call ARGS...: alice calls bob in the background
alice_call() {
	"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" call bob --local-addr 127.0.0.1 \
		--audio-out null "$@" >"$tmp/alice.out" 2>"$tmp/alice.err" &
	apid=$!
}
alice_says() {	# PATTERN: wait up to 10 s for a line of alice's output
	i=0
	while ! grep -q "$1" "$tmp/alice.out" && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	grep -q "$1" "$tmp/alice.out"
}
alice_done() {	# wait up to 20 s for alice's call to end; its status in ast
	i=0
	while kill -0 "$apid" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1; i=$((i + 1))
	done
	wait "$apid"
	ast=$?
	apid=
}

ui_spawn bob "$tmp/b" "$tmp/b.conf"
ui_assert_screen "bob @ 127\.0\.0\.1" "bob's TUI is signed in"

# ---- the call pops up over the address book -------------------------------------
alice_call --audio-in "$tmp/speech.wav" --stats-json "$tmp/a.json"
ui_assert_screen "Incoming call" "an incoming call pops up"
ui_assert_screen "Alice Archer" "... with the caller's name"
ui_assert_screen "in your address book as Alice Archer" \
	"... found in the address book by her email"
ui_assert_screen "CRM: customer - next: send the quote" \
	"... and what CRM knows of her"
ui_assert_screen "Call from Alice Archer" "the status bar says who calls"
ui_keys a
ui_assert_screen "Alice Archer +talking +00:0" "a answers: the call screen shows it talking, with a timer"
alice_says '^connected'
sas=$(sed -n 's/^connected .* SAS \([^ ]*\)$/\1/p' "$tmp/alice.out" | tr 'a-z' 'A-Z' | sed 's/./& /g; s/ $//')
check "alice's side is connected" [ -n "$sas" ]
ui_assert_screen "Authentication string: +$sas" \
	"bob's screen shows the authentication string alice's shows ($sas)"
ui_assert_screen "Microphone +\[" "the microphone's level meter is shown"
ui_assert_screen "Call: Alice Archer 00:0" "the status bar shows the call and its timer"
ui_keys S
ui_assert_screen "Path +direct, udp host 127\.0\.0\.1" "S shows the path"
ui_assert_screen "Codec +Opus 48 kHz, 20 ms frames" "... the codec"
ui_assert_screen "Jitter +[0-9.]+ ms" "... the jitter"
ui_assert_screen "SRTP +forged 0, replayed 0" "... and SRTP's counters"
ui_keys m
ui_assert_screen "MUTED" "m mutes the microphone"
ui_keys m
ui_assert_screen "Microphone on" "m again unmutes"
ui_keys d
ui_assert_screen "Switch which device" "d asks which device to switch"
ui_keys 2
ui_assert_screen "Other: type a device" "... and offers the devices, or a name"
ui_keys Up Enter
ui_wait_for "Device \(a name"
ui_type "file:$tmp/switched.wav"
ui_keys Enter
ui_assert_screen "Loudspeaker: file:" "the loudspeaker is switched mid-call"
sleep 2
ui_assert_screen "Alice Archer +talking +00:0[2-9]" "the timer runs"
check "the call's sound now goes to the new device" \
	sh -c "'$WAVQ' level '$tmp/switched.wav' | grep -q '\"samples\": [1-9][0-9]\{4,\}'"
ui_keys x
ui_assert_screen "Alice Archer +on hold" "x puts the call on hold"
check "alice's side reads that bob holds it" alice_says '^held by bob$'
ui_keys x
ui_assert_screen "Alice Archer +talking" "x again takes it back"
check "... and alice reads so" alice_says '^resumed by bob$'
ui_keys h
alice_done
check "alice's call ends answered when bob hangs up" \
	grep -q '^ended answered .*Bob Baker hung up' "$tmp/alice.out"
ui_assert_screen "Add a note about the call to Alice Archer's CRM record\?" \
	"after the call a CRM note is offered"
ui_keys y
ui_assert_screen "Call \(0 min 0[2-9] s\): " "the note starts with the call's length"
ui_type "talked about the quote"
ui_keys Enter
ui_assert_screen "Note added to Alice Archer's CRM record" "the note is saved"
"$CONFAB" -D "$tmp/b" -C "$tmp/b.conf" crm show "Alice Archer" >"$tmp/crm" 2>&1
check "the CRM timeline has the note" grep -q "talked about the quote" "$tmp/crm"
check "bob's output file holds alice's voice" \
	sh -c "'$WAVQ' level '$tmp/bob_heard.wav' | grep -qv '\"peak\": 0}'"

ui_keys 6
ui_assert_screen "Alice Archer +alice +PC .* Answered" \
	"the call log tab lists the call as soon as it ended"
"$CONFAB" -D "$tmp/b" -C "$tmp/b.conf" calls list --json >"$tmp/log" 2>&1
check "the log entry is incoming and answered, with quality" python3 -c "import json,sys
v = json.load(open('$tmp/log')); c = v[0]
sys.exit(0 if c['direction'] == 'in' and c['outcome'] == 'answered' and c['peer'] == 'alice' and c.get('mos', 0) > 1 else 1)"

# ---- a second call, declined ------------------------------------------------------
alice_call --audio-in null --duration 5
ui_assert_screen "Incoming call" "the next call pops up over the call log"
ui_keys r
alice_done
check "declined: alice's call exits 3" [ "$ast" = 3 ]
check "... and she reads that bob declined" grep -q '^ended rejected' "$tmp/alice.out"
ui_assert_not_screen "Incoming call" "the pop-up is gone"

# ---- calling carol, who is not there: a voice mail -------------------------------
ui_keys 1
ui_keys /
ui_type "carol"
ui_keys Enter
ui_wait_for "Carol Cole"
ui_keys c
ui_assert_screen "Carol Cole is offline\. Leave a voice mail\?" \
	"calling a colleague who is offline offers a voice mail"
ui_keys y
ui_assert_screen "New voice mail" "y opens the recorder"
ui_assert_screen "For Carol Cole" "... for carol"
ui_assert_screen "Recording 0:0[1-9] of 3:00" "... which records"
sleep 1
ui_keys Enter
ui_assert_screen "Voice mail sent to Carol Cole \(0:0[2-9]\)" "Enter sends it"
# carol signs in only now: a session she just opened would count as there
"$CONFAB" -D "$tmp/c" -C "$tmp/none.conf" login --server "$url" --user carol \
	--password-file "$tmp/cpw" >/dev/null 2>&1 || not_ok "carol signs in"
i=0
while [ $i -lt 100 ]; do
	"$CONFAB" -D "$tmp/c" -C "$tmp/none.conf" msg list --json >"$tmp/cmsg" 2>&1
	grep -q voicemail "$tmp/cmsg" && break
	sleep 0.1; i=$((i + 1))
done
cvm=$(python3 -c "import json; print([m['id'] for m in json.load(open('$tmp/cmsg')) if m['kind'] == 'voicemail'][0])" 2>/dev/null)
check "carol has the voice mail" [ -n "$cvm" ]
"$CONFAB" -D "$tmp/c" -C "$tmp/none.conf" voicemail play "$cvm" \
	--audio-out "$tmp/carol_heard.wav" >/dev/null 2>&1
"$WAVQ" compare "$tmp/bob_says.wav" "$tmp/carol_heard.wav" 60000 >"$tmp/q.json" 2>&1
check "... and it holds what bob's microphone gave (STOI > 0.8)" python3 -c "import json,sys
sys.exit(0 if json.load(open('$tmp/q.json'))['stoi'] > 0.8 else 1)"

# ---- a voice mail from alice plays in bob's message reader ------------------------
"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" voicemail send bob \
	--audio-in "$tmp/vm.wav" >"$tmp/vmsend" 2>&1
check "alice sends bob a voice mail" grep -q '^voice mail sent' "$tmp/vmsend"
ui_keys 5
ui_assert_screen "Voice mail \(0:04\)" "bob's inbox shows the voice mail"
ui_keys g Enter
ui_assert_screen "Voice mail 0:00 .* p: play" "the reader shows the player"
ui_keys p
ui_assert_screen "playing  p: pause" "p plays it"
ui_keys p
ui_assert_screen "paused  p: go on" "p again pauses"
ui_keys Right
ui_assert_screen "Voice mail 0:0[5-9]|Voice mail 0:04 .* 0:04  played" "Right seeks 5 s on"
ui_keys Left Left
ui_assert_screen "Voice mail 0:00" "Left seeks back"
ui_keys p
ui_assert_screen "played  p: again" "it plays to the end"
"$WAVQ" compare "$tmp/vm.wav" "$tmp/bob_heard.wav" 30000 >"$tmp/q.json" 2>&1
check "what bob heard is alice's voice mail (STOI > 0.8)" python3 -c "import json,sys
sys.exit(0 if json.load(open('$tmp/q.json'))['stoi'] > 0.8 else 1)"
ui_keys q

ui_quit
