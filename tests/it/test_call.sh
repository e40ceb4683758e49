#!/bin/sh
# tests/it/test_call.sh: real calls between two confab clients through a
# real confabd on loopback: `confab agent --auto-answer` (bob) and
# `confab call` (alice) with WAV files in and out.  The speech alice sends
# arrives in bob's file, found by cross-correlation, intelligible (STOI),
# with its mouth-to-ear delay measured; both sides show the same short
# authentication string and write the call log with the line's quality;
# the echo agent (the sound test) sends alice's voice back; a call can be
# declined from the agent's command input, held there (alice reads it),
# ends after --duration, and
# reaches nobody when bob is offline, then leaves a voice mail that bob
# plays back.  The machine has no sound card:
# devices are files or null.  No TURN is configured, and the clients
# take calls on 127.0.0.1 only, so they find their direct path on
# loopback with host candidates alone.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.
IT_TMP=confab-calls
IT_SHOW="out err agent.out agent.err" IT_SHOW_LINES=8 IT_LOG_LINES=8
. "$(dirname "$0")/lib.sh"

WAVQ=${WAVQ:-$top/build/tools/wavq}
apid=
cpid=
it_at_exit() {
	[ -n "$apid" ] && kill "$apid" 2>/dev/null && wait "$apid" 2>/dev/null
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null
	:
}

acme
start
client a login --server "$url" --user alice --password-file "$tmp/alice"
check "alice signs in" [ "$status" = 0 ]
client b login --server "$url" --user bob --password-file "$tmp/bob"
check "bob signs in" [ "$status" = 0 ]
"$WAVQ" gen "$tmp/speech.wav" 4 7 || not_ok "wavq gen"

# agent ARGS...: bob's agent in the background, output in agent.out;
# waits for "ready"
agent_in=/dev/null
agent() {
	: >"$tmp/agent.out"
	"$CONFAB" -D "$tmp/b" -C "$tmp/none.conf" agent --local-addr 127.0.0.1 "$@" \
		<"$agent_in" >"$tmp/agent.out" 2>"$tmp/agent.err" &
	apid=$!
	[ "$agent_in" = /dev/null ] || exec 7>"$agent_in"
	waitfor "$tmp/agent.out" '^ready bob'
}
# agent_cmd ARGS...: the same, taking commands written to fd 7
agent_cmd() {
	[ -p "$tmp/cmd" ] || mkfifo "$tmp/cmd"
	agent_in=$tmp/cmd
	agent "$@"
	_rc=$?
	agent_in=/dev/null
	return $_rc
}
# agent_done: wait (up to 20 s) for the agent to exit by itself, with 0
agent_done() {
	exit_wait "$apid"
	ast=$?
	apid=
	[ "$ast" = 0 ]
}
# js FILE EXPR: python over a JSON file as j
js() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(($2))" "$1" 2>/dev/null; }

# ---- a call: speech from alice's file into bob's -------------------------------
check "bob's agent gets ready" agent --auto-answer --count 1 \
	--audio-out "$tmp/bob_heard.wav" --stats-json "$tmp/bstats.json"
client a call --local-addr 127.0.0.1 bob --audio-in "$tmp/speech.wav" \
	--audio-out "$tmp/alice_heard.wav" --stats-json "$tmp/astats.json"
check "the call is answered (exit 0)" [ "$status" = 0 ]
check "alice sees it ring" grep -q '^ringing' "$tmp/out"
check "alice connects on a direct path" grep -q '^connected direct udp host-host' "$tmp/out"
check "alice's call ends when her file has been sent" \
	grep -q '^ended answered [4-7]s' "$tmp/out"
check "bob's agent takes the call and exits after one (--count 1)" agent_done
check "bob's agent printed the incoming call" \
	grep -q '^incoming alice [^ ]* Alice Archer' "$tmp/agent.out"
sas_a=$(sed -n 's/^connected .* SAS \([^ ]*\)$/\1/p' "$tmp/out")
sas_b=$(sed -n 's/^connected .* SAS \([^ ]*\)$/\1/p' "$tmp/agent.out")
check "both sides show the same 4-character SAS ($sas_a)" \
	[ -n "$sas_a" ] && [ "$sas_a" = "$sas_b" ] && [ ${#sas_a} = 4 ]
check "bob heard alice hang up" grep -q '^ended answered' "$tmp/agent.out"

"$WAVQ" compare "$tmp/speech.wav" "$tmp/bob_heard.wav" >"$tmp/q.json"
cat "$tmp/q.json"
stoi=$(js "$tmp/q.json" 'j["stoi"]')
check "bob's file holds alice's speech, intelligible (STOI $stoi > 0.9)" \
	python3 -c "import sys; sys.exit(0 if $stoi > 0.9 else 1)"
# mouth-to-ear: the lag between the files plus the gap between the moment
# alice's input sample 0 was captured and bob's output sample 0 played
m2e=$(python3 -c "import json
q = json.load(open('$tmp/q.json')); a = json.load(open('$tmp/astats.json'))
b = json.load(open('$tmp/bstats.json'))
print('%.1f' % (q['delay_ms'] + (b['audio']['out_t0_us'] - a['audio']['in_t0_us']) / 1000))")
echo "# mouth-to-ear delay, loopback: $m2e ms"
check "mouth-to-ear delay $m2e ms is under 150 ms (unloaded: about 50)" \
	python3 -c "import sys; sys.exit(0 if 0 < $m2e < 150 else 1)"
check "alice's stats: SRTP, no forgeries, RTT known" python3 -c "import json,sys
a = json.load(open('$tmp/astats.json'))
ok = a['srtp']['protected'] > 150 and a['srtp']['forged'] == 0 and a['audio']['rtt_ms'] >= 0 \
     and a['call']['outcome'] == 'answered' and a['call']['direction'] == 'out' and a['path']['relayed'] is False
sys.exit(0 if ok else 1)"
check "bob received every packet alice sent" python3 -c "import json,sys
a = json.load(open('$tmp/astats.json')); b = json.load(open('$tmp/bstats.json'))
sys.exit(0 if b['audio']['lost'] == 0 and b['audio']['packets_recv'] >= a['audio']['packets_sent'] - 5 else 1)"

client a calls list --json
check "alice's call log: outgoing, answered, with quality" python3 -c "import json,sys
v = json.load(open('$tmp/out'))
c = v[0]
sys.exit(0 if len(v) == 1 and c['direction'] == 'out' and c['outcome'] == 'answered' and c['peer'] == 'bob' \
	and c['duration'] >= 4 and c.get('mos', 0) > 3.5 else 1)"
client b calls list --json
check "bob's call log: incoming, answered" python3 -c "import json,sys
v = json.load(open('$tmp/out'))
sys.exit(0 if len(v) == 1 and v[0]['direction'] == 'in' and v[0]['outcome'] == 'answered' and v[0]['peer'] == 'alice' else 1)"

# ---- the sound test: the echo agent sends alice's voice back ------------------------
check "the echo agent gets ready" agent --auto-answer --echo --count 1 \
	--stats-json "$tmp/estats.json"
client a call --local-addr 127.0.0.1 bob --audio-in "$tmp/speech.wav" --audio-out "$tmp/echo.wav" \
	--frame-ms 10
check "the echo call is answered" [ "$status" = 0 ]
check "the echo agent exits after the call" agent_done
"$WAVQ" compare "$tmp/speech.wav" "$tmp/echo.wav" >"$tmp/q.json"
cat "$tmp/q.json"
check "alice hears herself back, intelligible (STOI > 0.85), delayed" \
	python3 -c "import json,sys
q = json.load(open('$tmp/q.json')); sys.exit(0 if q['stoi'] > 0.85 and q['delay_ms'] > 10 else 1)"
# the agent plays 20 ms at a time and alice sends 10 ms packets: its
# buffer holds a local frame, so nothing is concealed on loopback
check "the echo agent conceals nothing (10 ms packets, 20 ms playout)" python3 -c "import json,sys
j = json.load(open('$tmp/estats.json'))['jbuf']; sys.exit(0 if j['concealed'] <= 1 and j['played'] > 350 else 1)"

# ---- declined from the agent's command input; --duration --------------------------
agent_cmd --count 1
( waitfor "$tmp/agent.out" '^incoming alice'; echo reject >&7 ) &
client a call --local-addr 127.0.0.1 bob --audio-in "$tmp/speech.wav" --audio-out null
wait $!
exec 7>&-
check "a declined call exits 3" [ "$status" = 3 ]
check "alice reads that bob declined" grep -q '^ended rejected 0s Bob Baker declined' "$tmp/out"
check "the agent ends after declining" agent_done

# ---- hold from the agent's command input: alice reads it ------------------------------
agent_cmd --count 1 --auto-answer
"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" call --local-addr 127.0.0.1 bob --duration 30 \
	--audio-in null --audio-out null >"$tmp/hold.out" 2>&1 &
cpid=$!
waitfor "$tmp/agent.out" '^connected ' && echo hold >&7
check "bob's agent puts the call on hold" waitfor "$tmp/agent.out" '^on hold'
check "alice reads that bob holds it" waitfor "$tmp/hold.out" '^held by bob$'
echo resume >&7
check "... and that he takes it back" waitfor "$tmp/hold.out" '^resumed by bob$'
echo hangup >&7
wait "$cpid"
cpid=
check "the held call ends normally, connected once" \
	sh -c '[ "$(grep -c "^connected " "$1")" = 1 ] && grep -q "^ended answered" "$1"' sh "$tmp/hold.out"
exec 7>&-
agent_done

check "the auto-answering agent gets ready" agent --auto-answer --count 1
t0=$(now)
client a call --local-addr 127.0.0.1 bob --duration 2 --audio-in null --audio-out null
dur=$(since "$t0")
check "--duration 2 ends the call after 2 s of talking" \
	grep -q '^ended answered 2s' "$tmp/out"
check "... and the command exits soon after ($dur s)" \
	python3 -c "import sys; sys.exit(0 if $dur < 12 else 1)"
agent_done

# ---- offline --------------------------------------------------------------------
client a call --local-addr 127.0.0.1 bob --duration 1 --audio-in null --audio-out null
check "calling bob with no client running exits 3" [ "$status" = 3 ]
check "alice reads that bob is offline" grep -q '^ended failed 0s Bob Baker is offline' "$tmp/out"
# ---- voice mail when nobody answers ------------------------------------------------
"$WAVQ" gen "$tmp/vm.wav" 3 21
client a call --local-addr 127.0.0.1 bob --voicemail --audio-in "$tmp/vm.wav" \
	--audio-out null
check "an unanswered call with --voicemail still exits 3" [ "$status" = 3 ]
check "... and leaves a voice mail" grep -q '^voice mail sent: 3\.0 s' "$tmp/out"
client b msg list --json
vmid=$(js "$tmp/out" '[m["id"] for m in j if m["kind"] == "voicemail"][0]')
check "bob's inbox has a message of kind voicemail" [ -n "$vmid" ]
client b voicemail play "$vmid" --audio-out "$tmp/vm_heard.wav"
check "bob plays it back" grep -q '^played' "$tmp/out"
"$WAVQ" compare "$tmp/vm.wav" "$tmp/vm_heard.wav" >"$tmp/q.json"
check "the voice mail holds alice's recording (STOI > 0.9)" \
	python3 -c "import json,sys; sys.exit(0 if json.load(open('$tmp/q.json'))['stoi'] > 0.9 else 1)"
client b voicemail play 999999 --audio-out null
check "playing a message that does not exist fails" [ "$status" = 1 ]

client a calls list --json
check "the log has all seven of alice's calls" \
	[ "$(js "$tmp/out" 'len(j)')" = 7 ]
client a call --local-addr 127.0.0.1 nosuchuser --audio-in null --audio-out null
check "calling a user who does not exist fails (exit 1)" [ "$status" = 1 ]
check "... saying so" grep -q "no user 'nosuchuser'" "$tmp/err"
client a call
check "confab call without a user is a usage error" [ "$status" = 2 ]

exit $failed
