#!/bin/sh
# tests/it/test_call_signal.sh: call signalling through a real confabd,
# driven with curl: the invite forks to both of bob's sessions (their
# waiting long-polls wake), ringing and the answer reach alice with the
# answer object intact, "answered-elsewhere" tells bob's other session,
# a second answer is refused; reject, busy, cancel and hangup, with their
# state checks; trickled candidates and hold reach only the other side
# (and, once answered, name the answering session); the ring timeout
# makes a missed call (call_ring_timeout = 2; the other flows then run
# with 60 so that a loaded machine cannot make them race it), also
# across a restart;
# GET /v1/calls for reconnecting clients; disabled users, video
# without the permission, other companies and non-parties (404); an
# offline callee and one in do-not-disturb; TURN credentials accepted by
# a real coturn turnserver (and refused when tampered with), STUN only
# without a secret, 503 with neither, and the config checks.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

# a free port for turnserver (UDP and TCP), at random so that runs side
# by side do not meet; its relays take the 60 ports above it
tport=$(python3 -c 'import random, socket
for p in random.sample(range(20000, 44000, 100), 100):
    try:
        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", p))
        b = socket.socket(); b.bind(("127.0.0.1", p)); a.close(); b.close(); print(p); break
    except OSError: pass')
secret=it-secret-$$
IT_TMP=confab-call
IT_SHOW="body" IT_SHOW_LINES=4 IT_LOG_LINES=5
IT_CONFIG="call_ring_timeout = 2
turn_uris = turn:127.0.0.1:$tport?transport=udp, turn:127.0.0.1:$tport?transport=tcp
stun_uris = stun:127.0.0.1:$tport
turn_secret = $secret
turn_ttl = 600"
. "$(dirname "$0")/lib.sh"

tpid=
it_at_exit() {
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
	for p in $polls; do kill "$p" 2>/dev/null; done
}
polls=

acme --perm phone
add() {	# USER [ARGS...]: a user of Acme Ltd, password in $tmp/USER
	echo "$1 pass 4444" >"$tmp/$1"
	_u=$1
	shift
	dq admin add-user "$_u" --company "Acme Ltd" --email "$_u@acme.test" \
		--password-file "$tmp/$_u" "$@"
}
add carol --perm phone
add dave
add erin --perm phone
echo 'zed pass 55555' >"$tmp/zed"
dq admin init --company "Globex" --admin zed --email zed@globex.test \
	--password-file "$tmp/zed"
start

ta=$(login alice "$tmp/alice")
tb1=$(login bob "$tmp/bob")
tb2=$(login bob "$tmp/bob")
tc=$(login carol "$tmp/carol")
te=$(login erin "$tmp/erin")
tz=$(login zed "$tmp/zed")

# jb EXPR: python over the last reply ($tmp/body) as j
jb() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(($1))" "$tmp/body" 2>/dev/null; }
# cur TOKEN: where the token's user's event log is now
cur() {
	curl -s -H "Authorization: Bearer $1" "$url/v1/events" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["cursor"])'
}
# evs TOKEN CURSOR [TIMEOUT] [FILE]: the events after CURSOR (waiting up to
# TIMEOUT s for the first) into FILE (default $tmp/ev)
evs() {
	curl -s -m 20 -o "${4:-$tmp/ev}" -H "Authorization: Bearer $1" \
		"$url/v1/events?cursor=$2&timeout=${3:-0}"
}
# evq EXPR [FILE]: python over events: e (all), c ("call" data),
# k ("call-candidate" data)
evq() {
	python3 -c "import json,sys
e=json.load(open(sys.argv[1]))['events']
c=[x['data'] for x in e if x['kind']=='call']
k=[x['data'] for x in e if x['kind']=='call-candidate']
print(($1))" "${2:-$tmp/ev}" 2>/dev/null
}
sid() { api "$1" GET /v1/calls; jb 'j["session"]'; }
sa=$(sid "$ta")
sb1=$(sid "$tb1")
sb2=$(sid "$tb2")
check "every reply names the session that asked ($sa $sb1 $sb2)" \
	sh -c '[ -n "$1" ] && [ "$2" != "$3" ] && [ "$1" != "$2" ]' sh "$sa" "$sb1" "$sb2"

offer='{"v":1,"key":"q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=","ice":{"ufrag":"aBc1","pwd":"0123456789abcdef0123456789"},"audio":{"codec":"opus","rate":48000,"ptime":20,"fec":true,"dtx":false,"ssrc":12345},"video":false,"name":"Alice Archer"}'
answer='{"v":1,"key":"3q2+796tvu/erb7v3q2+796tvu/erb7v3q2+796tvu8=","ice":{"ufrag":"xYz9","pwd":"fedcba9876543210fedcba9876"},"audio":{"codec":"opus","rate":48000,"ptime":10,"fec":true,"dtx":false,"ssrc":678},"video":false}'
# same JSON FILE TEXT: the object at python path in FILE equals TEXT
same() { python3 -c "import json,sys; print($1 == json.loads(sys.argv[2]))" "$tmp/ev" "$2"; }

# clean: confabd stopped with status 0 and its log has no sanitizer report
# (start truncates the log: called before every restart)
clean() {
	stop
	check "confabd stops cleanly ($st)" test "$st" = 0
	if grep -q 'runtime error\|Sanitizer' "$tmp/log"; then
		not_ok "no sanitizer reports"
		grep -A8 'runtime error\|Sanitizer' "$tmp/log" | head -30 | sed 's/^/#   /'
	fi
}

newcall() {	# TOKEN TO [OFFER]: sets id
	api "$1" POST /v1/calls "{\"to\":\"$2\",\"offer\":${3:-$offer}}"
	id=$(jb 'j["call"]["id"]')
}

# ---- the ring timeout ------------------------------------------------------------------------------------
ca=$(cur "$ta")
cb=$(cur "$tb1")
newcall "$ta" bob
t0=$(now)
evs "$ta" "$ca" 8
took=$(since "$t0")
check "unanswered for call_ring_timeout (2 s), the call is missed (${took}s)" \
	sh -c '[ "$1" = "[(missed, False)]" ] && awk -v w="$2" "BEGIN { exit !(w >= 1.5 && w < 4) }"' \
	sh "$(evq '[(d["state"], "by" in d) for d in c]' | tr -d "'")" "$took"
evs "$tb1" "$cb"
check "bob's sessions hear it too" \
	test "$(evq '[d["state"] for d in c]')" = "['ringing', 'missed']"
api "$ta" GET "/v1/calls/$id"
check "GET says missed" test "$(jb 'j["call"]["state"]')" = missed
api "$tb1" POST "/v1/calls/$id/answer" "{\"answer\":$answer}"
check "a missed call cannot be answered (409)" test "$code" = 409
api "$tb1" GET /v1/calls
check "no live calls are left" test "$(jb 'j["calls"]')" = "[]"


# a call ringing when confabd stops is missed when it is back, once due
newcall "$ta" bob
ca=$(cur "$ta")
clean
sleep 2.2
start
evs "$ta" "$ca" 5
check "a call left ringing over a restart is missed at start" \
	test "$(evq '[(d["id"], d["state"]) for d in c]')" = "[('$id', 'missed')]"

# the other flows take their time: a longer ring timeout for them
clean
sed -i 's/^call_ring_timeout = 2$/call_ring_timeout = 60/' "$conf"
start
for t in "$ta" "$tb1" "$tb2" "$tc" "$te" "$tz"; do	# they are back
	api "$t" GET /v1/calls
done

# ---- the invite forks to every session of bob -------------------------------------------------
ca=$(cur "$ta")
cb=$(cur "$tb1")
evs "$tb1" "$cb" 10 "$tmp/ev1" &
polls="$polls $!"
evs "$tb2" "$cb" 10 "$tmp/ev2" &
polls="$polls $!"
sleep 0.5
t0=$(now)
api "$ta" POST /v1/calls "{\"to\":\"bob\",\"offer\":$offer}"
check "alice calls bob: 201, ringing" \
	test "$code $(jb 'j["call"]["state"], j["call"]["from"], j["call"]["to"]')" = "201 ('ringing', 'alice', 'bob')"
id=$(jb 'j["call"]["id"]')
check "the call id is random text ($id)" \
	sh -c 'echo "$1" | grep -Eq "^[A-Za-z0-9_-]{20,}$"' sh "$id"
wait $polls
polls=
woke=$(since "$t0")
for n in 1 2; do
	cp "$tmp/ev$n" "$tmp/ev"
	check "bob's session $n is woken by the invite with the offer intact (${woke}s)" \
		test "$(evq '[(d["id"], d["state"], d["from"], d["from_name"], "to_session" in d) for d in c]')$(same 'json.load(open(sys.argv[1]))["events"][0]["data"]["offer"]' "$offer")" = "[('$id', 'ringing', 'alice', 'Alice Archer', False)]True"
done

api "$tb1" GET /v1/calls
check "GET /v1/calls gives bob the ringing call with its offer (for a restarted client)" \
	test "$(jb '[(x["id"], x["state"], x["offer"]["ice"]["ufrag"]) for x in j["calls"]]')" = "[('$id', 'ringing', 'aBc1')]"

# ---- ringing, answer, answered elsewhere ------------------------------------------------------------
api "$tb1" POST "/v1/calls/$id/ringing"
check "bob's first session rings (200)" test "$code" = 200
evs "$ta" "$ca"
check "alice hears it is ringing, from that session, meant for hers" \
	test "$(evq '[(d["state"], d["session"], d["to_session"]) for d in c]')" = "[('ringing', $sb1, $sa)]"
api "$ta" POST "/v1/calls/$id/ringing"
check "the caller cannot say ringing (403)" test "$code" = 403
api "$ta" POST "/v1/calls/$id/hold" '{"on":true}'
check "a call still ringing cannot be held (409)" \
	sh -c '[ "$1" = 409 ] && grep -q "only an answered call" "$2"' sh "$code" "$tmp/body"
ca=$(cur "$ta")
cb=$(cur "$tb1")
api "$tb2" POST "/v1/calls/$id/answer" "{\"answer\":$answer}"
check "bob answers on his second session: 200, answered by it" \
	test "$code $(jb 'j["call"]["state"], j["call"]["answer_session"]')" = "200 ('answered', $sb2)"
evs "$ta" "$ca"
check "alice gets the answer, intact, from bob's second session" \
	test "$(evq '[(d["state"], d["session"], d["to_session"]) for d in c]')$(same 'json.load(open(sys.argv[1]))["events"][0]["data"]["answer"]' "$answer")" = "[('answered', $sb2, $sa)]True"
evs "$tb1" "$cb"
check "bob's sessions hear answered-elsewhere, naming the answering one (no answer in it)" \
	test "$(evq '[(d["state"], d["session"], "to_session" in d, "answer" in d) for d in c]')" = "[('answered-elsewhere', $sb2, False, False)]"
api "$tb1" POST "/v1/calls/$id/answer" "{\"answer\":$answer}"
check "a second answer, from the other session, is refused (409)" \
	sh -c '[ "$1" = 409 ] && grep -q "answered already (elsewhere)" "$2"' sh "$code" "$tmp/body"
api "$tb2" POST "/v1/calls/$id/answer" "{\"answer\":$answer}"
check "so is a repeated one (409)" test "$code" = 409

# ---- trickled candidates ------------------------------------------------------------------------------
ca=$(cur "$ta")
cb=$(cur "$tb1")
api "$ta" POST "/v1/calls/$id/candidate" '{"candidate":"candidate:1 1 UDP 2130706431 192.0.2.10 40000 typ host","mid":"audio","index":0}'
check "alice trickles a candidate (200)" test "$code" = 200
api "$tb2" POST "/v1/calls/$id/candidate" '{"candidate":"candidate:2 1 UDP 1694498815 198.51.100.7 50000 typ srflx raddr 10.0.0.2 rport 50000"}'
check "bob's answering session trickles one (200)" test "$code" = 200
api "$tb1" POST "/v1/calls/$id/candidate" '{"candidate":"candidate:9 1 UDP 1 10.9.9.9 9 typ host"}'
check "bob's other session may not (409, answered elsewhere)" \
	sh -c '[ "$1" = 409 ] && grep -q "answered elsewhere" "$2"' sh "$code" "$tmp/body"
api "$ta" POST "/v1/calls/$id/candidate" '{"end":true}'
check "alice ends her candidates (200)" test "$code" = 200
evs "$tb1" "$cb"
check "bob gets alice's candidates only, for his answering session" \
	test "$(evq '[(d["from"], d.get("candidate", "")[:11], d.get("mid"), d.get("index"), d.get("end", False), d["to_session"]) for d in k]')" = "[('alice', 'candidate:1', 'audio', 0, False, $sb2), ('alice', '', None, None, True, $sb2)]"
evs "$ta" "$ca"
check "alice gets bob's only, meant for her session" \
	test "$(evq '[(d["from"], d["candidate"][:11], d["session"], d["to_session"]) for d in k]')" = "[('bob', 'candidate:2', $sb2, $sa)]"
api "$ta" POST "/v1/calls/$id/candidate" '{"candidate":""}'
check "an empty candidate is refused, pointing to end (400)" \
	sh -c '[ "$1" = 400 ] && grep -q "end" "$2"' sh "$code" "$tmp/body"
api "$ta" POST "/v1/calls/$id/candidate" '{"mid":"audio"}'
check "a candidate needs its text (400)" test "$code" = 400

# ---- hold ------------------------------------------------------------------------------------------------
ca=$(cur "$ta")
cb=$(cur "$tb1")
api "$ta" POST "/v1/calls/$id/hold" '{"on":true}'
check "alice puts the call on hold (200)" test "$code $(jb 'j["on"]')" = "200 True"
api "$tb1" POST "/v1/calls/$id/hold" '{"on":true}'
check "bob's other session may not hold it (409)" \
	sh -c '[ "$1" = 409 ] && grep -q "another session" "$2"' sh "$code" "$tmp/body"
api "$tb2" POST "/v1/calls/$id/hold" '{"on":"yes"}'
check "on must be true or false (400)" test "$code" = 400
api "$tb2" POST "/v1/calls/$id/hold" '{"on":false}'
check "bob's answering session takes its hold off (200)" test "$code" = 200
evs "$tb1" "$cb"
check "bob hears alice's hold, for his answering session" \
	test "$(python3 -c "import json,sys
e=json.load(open(sys.argv[1]))['events']
print([(x['data']['from'], x['data']['on'], x['data']['to_session']) for x in e if x['kind']=='call-hold'])" "$tmp/ev")" = "[('alice', True, $sb2)]"
evs "$ta" "$ca"
check "alice hears bob's, meant for her session" \
	test "$(python3 -c "import json,sys
e=json.load(open(sys.argv[1]))['events']
print([(x['data']['from'], x['data']['on'], x['data']['to_session']) for x in e if x['kind']=='call-hold'])" "$tmp/ev")" = "[('bob', False, $sa)]"
api "$tc" POST "/v1/calls/$id/hold" '{"on":true}'
check "carol, not a party, cannot hold it (404)" test "$code" = 404

# ---- state checks, then hang up ----------------------------------------------------------------------
api "$ta" POST "/v1/calls/$id/cancel"
check "an answered call cannot be cancelled (409, says hang up)" \
	sh -c '[ "$1" = 409 ] && grep -q "hang up instead" "$2"' sh "$code" "$tmp/body"
api "$tb1" POST "/v1/calls/$id/reject"
check "nor rejected (409)" test "$code" = 409
api "$tc" POST "/v1/calls/$id/hangup"
check "carol, not a party, cannot hang it up (404)" test "$code" = 404
api "$tc" GET "/v1/calls/$id"
check "nor see it (404)" test "$code" = 404
api "$tz" GET "/v1/calls/$id"
check "nor can a user of another company (404)" test "$code" = 404
ca=$(cur "$ta")
cb=$(cur "$tb1")
api "$tb2" POST "/v1/calls/$id/hangup" '{"reason":"done talking"}'
check "bob hangs up: ended" test "$code $(jb 'j["call"]["state"]')" = "200 ended"
evs "$ta" "$ca"
check "alice hears: ended by bob, with the reason" \
	test "$(evq '[(d["state"], d["by"], d["reason"], d["to_session"]) for d in c]')" = "[('ended', 'bob', 'done talking', $sa)]"
api "$ta" POST "/v1/calls/$id/hangup"
check "hanging up twice is refused (409)" test "$code" = 409
api "$ta" POST "/v1/calls/$id/candidate" '{"end":true}'
check "no candidates after the end (409)" test "$code" = 409
api "$ta" GET "/v1/calls/$id"
check "GET: ended, by bob, offer and answer no longer kept" \
	test "$(jb 'j["call"]["state"], j["call"]["ended_by"], "offer" in j["call"], "answer" in j["call"], j["call"]["ended_at"] >= j["call"]["answered_at"] > 0')" = "('ended', 'bob', False, False, True)"
n=$(sqlite3 "$tmp/data/confabd.db" "SELECT count(*) FROM calls WHERE id = '$id' AND offer IS NULL AND answer IS NULL AND answer_session = $sb2 AND end_reason = 'done talking'")
check "the database keeps the call without its offer and answer" test "$n" = 1

# ---- reject, busy, cancel -------------------------------------------------------------------------------
newcall "$ta" bob
ca=$(cur "$ta")
cb=$(cur "$tb1")
api "$ta" POST "/v1/calls/$id/candidate" '{"candidate":"candidate:1 1 UDP 2130706431 192.0.2.10 40000 typ host"}'
api "$tb1" POST "/v1/calls/$id/candidate" '{"candidate":"candidate:3 1 UDP 1 10.0.0.3 3 typ host"}'
check "the callee cannot send candidates before answering (409)" \
	sh -c '[ "$1" = 409 ] && grep -q "answer call" "$2"' sh "$code" "$tmp/body"
api "$tb1" POST "/v1/calls/$id/reject" '{"reason":"in a meeting"}'
check "bob rejects (200)" test "$code $(jb 'j["call"]["state"]')" = "200 rejected"
evs "$ta" "$ca"
check "alice hears rejected, with the reason" \
	test "$(evq '[(d["state"], d["by"], d.get("reason")) for d in c]')" = "[('rejected', 'bob', 'in a meeting')]"
evs "$tb2" "$cb"
check "before the answer, alice's candidate went to all of bob's sessions; the rejection too" \
	test "$(evq '[("to_session" in d) for d in k]')$(evq '[(d["state"], d["session"], "to_session" in d) for d in c]')" = "[False][('rejected', $sb1, False)]"
api "$ta" POST "/v1/calls/$id/cancel"
check "a rejected call cannot be cancelled (409)" test "$code" = 409

newcall "$ta" bob
ca=$(cur "$ta")
api "$tb2" POST "/v1/calls/$id/busy"
check "bob answers busy (200)" test "$code $(jb 'j["call"]["state"]')" = "200 busy"
evs "$ta" "$ca"
check "alice hears busy" test "$(evq '[d["state"] for d in c]')" = "['busy']"

newcall "$ta" bob
cb=$(cur "$tb1")
api "$tb1" POST "/v1/calls/$id/cancel"
check "the callee cannot cancel (403)" test "$code" = 403
api "$ta" POST "/v1/calls/$id/hangup"
check "a ringing call cannot be hung up (409, says cancel)" \
	sh -c '[ "$1" = 409 ] && grep -q "the caller cancels" "$2"' sh "$code" "$tmp/body"
api "$ta" POST "/v1/calls/$id/cancel"
check "alice cancels (200)" test "$code $(jb 'j["call"]["state"]')" = "200 cancelled"
evs "$tb2" "$cb"
check "all of bob's sessions hear cancelled (they stop ringing)" \
	test "$(evq '[(d["state"], d["by"], "to_session" in d) for d in c]')" = "[('cancelled', 'alice', False)]"
api "$tb1" POST "/v1/calls/$id/answer" "{\"answer\":$answer}"
check "a cancelled call cannot be answered (409)" test "$code" = 409

# ---- video needs the permission -------------------------------------------------------------------------
voffer=$(echo "$offer" | sed 's/"video":false/"video":true/')
vanswer=$(echo "$answer" | sed 's/"video":false/"video":true/')
api "$tb1" POST /v1/calls "{\"to\":\"alice\",\"offer\":$voffer}"
check "bob, without the video permission, cannot place a video call (403)" \
	sh -c '[ "$1" = 403 ] && grep -q "video permission" "$2"' sh "$code" "$tmp/body"
api "$tb1" POST /v1/calls "{\"to\":\"alice\",\"offer\":$offer}"
check "a voice call he can (201)" test "$code" = 201
api "$tb1" POST "/v1/calls/$(jb 'j["call"]["id"]')/cancel"
newcall "$ta" bob "$voffer"
check "alice (video permission) places a video call to bob (201, video)" \
	test "$code $(jb 'j["call"]["video"]')" = "201 True"
api "$tb1" POST "/v1/calls/$id/answer" "{\"answer\":$vanswer}"
check "bob cannot answer it with video (403)" test "$code" = 403
api "$tb1" POST "/v1/calls/$id/answer" "{\"answer\":$answer}"
check "he answers with voice only (200)" test "$code" = 200
api "$ta" POST "/v1/calls/$id/hangup"
check "alice hangs up (200)" test "$code" = 200

# ---- who can be called, and bad requests ----------------------------------------------------------------
ce=$(cur "$tb1")
api "$ta" POST /v1/calls "{\"to\":\"dave\",\"offer\":$offer}"
check "dave, never signed in, is offline: 201 state offline at once" \
	test "$code $(jb 'j["call"]["state"], "ended_at" in j["call"]')" = "201 ('offline', True)"
api "$ta" GET "/v1/calls/$(jb 'j["call"]["id"]')"
check "and it stays offline" test "$(jb 'j["call"]["state"]')" = offline
api "$tb1" POST /v1/presence '{"state":"dnd"}'
cb=$(cur "$tb1")
api "$ta" POST /v1/calls "{\"to\":\"bob\",\"offer\":$offer}"
check "bob in do-not-disturb: state dnd" test "$code $(jb 'j["call"]["state"]')" = "201 dnd"
evs "$tb1" "$cb"
check "bob gets a missed-call notice, not a ringing invite" \
	test "$(evq '[(d["state"], "offer" in d) for d in c]')" = "[('dnd', False)]"
api "$tb1" POST /v1/presence '{"state":"online"}'

api "$ta" PATCH /v1/users/erin '{"disabled":true}'
check "alice disables erin" test "$code" = 200
api "$te" POST /v1/calls "{\"to\":\"alice\",\"offer\":$offer}"
check "erin, disabled, cannot call (her session ended: 401)" test "$code" = 401
api "$ta" POST /v1/calls "{\"to\":\"erin\",\"offer\":$offer}"
check "nor be called (404)" test "$code" = 404
api "$tz" POST /v1/calls "{\"to\":\"bob\",\"offer\":$offer}"
check "zed of Globex cannot call bob of Acme (404)" test "$code" = 404
api "$ta" POST /v1/calls "{\"to\":\"zed\",\"offer\":$offer}"
check "nor alice zed (404)" test "$code" = 404
api "$ta" POST /v1/calls "{\"to\":\"alice\",\"offer\":$offer}"
check "nobody calls themselves (400)" test "$code" = 400
api "$ta" POST /v1/calls '{"to":"bob","offer":"v=0"}'
check "an offer must be an object (400)" \
	sh -c '[ "$1" = 400 ] && grep -q "offer" "$2"' sh "$code" "$tmp/body"
big=$(python3 -c 'print("{\"x\":\"" + "a" * 40000 + "\"}")')
api "$ta" POST /v1/calls "{\"to\":\"bob\",\"offer\":$big}"
check "an offer over 32 KiB is refused (400)" test "$code" = 400
http POST /v1/calls "{\"to\":\"bob\",\"offer\":$offer}"
check "without a token: 401" test "$code" = 401
api "$ta" GET /v1/calls/nosuchcall
check "an unknown call: 404" test "$code" = 404
api "$ta" POST "/v1/calls/..%2f/answer" "{\"answer\":$answer}"
check "a malformed call id: 404" test "$code" = 404
api "$ta" DELETE "/v1/calls/$id"
check "DELETE is not a method on calls (405)" test "$code" = 405
evs "$tb1" "$ce"
check "none of these rang bob" \
	test "$(evq '[d["state"] for d in c if d["state"] == "ringing"]')" = "[]"

# ---- TURN credentials, checked by a real coturn ---------------------------------------------------------
http GET /v1/turn
check "GET /v1/turn needs a token (401)" test "$code" = 401
api "$tb1" GET /v1/turn
tu=$(jb 'j["username"]')
tw=$(jb 'j["password"]')
check "credentials: EXPIRY:bob, ttl 600, TURN then STUN URIs" \
	test "$code $(jb 'j["ttl"], j["uris"], int(j["username"].split(":")[0]) - int(__import__("time").time()) in range(590, 605), j["expires"] == int(j["username"].split(":")[0])')" = "200 (600, ['turn:127.0.0.1:$tport?transport=udp', 'turn:127.0.0.1:$tport?transport=tcp', 'stun:127.0.0.1:$tport'], True, True)"
check "the username is the expiry and bob's name" \
	sh -c 'echo "$1" | grep -Eq "^[0-9]{10}:bob$"' sh "$tu"
want=$(python3 -c 'import hmac,hashlib,base64,sys; print(base64.b64encode(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha1).digest()).decode())' "$secret" "$tu")
check "the password is base64(HMAC-SHA1(secret, username))" test "$tw" = "$want"

if command -v turnserver >/dev/null && command -v turnutils_uclient >/dev/null; then
	mkdir -p "$tmp/turn"
	turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 \
		--listening-port "$tport" --min-port $((tport + 1)) --max-port $((tport + 60)) \
		--use-auth-secret --static-auth-secret "$secret" --realm confab \
		--no-cli --no-tls --no-dtls --allow-loopback-peers \
		--userdb "$tmp/turn/turndb" --pidfile "$tmp/turn/pid" \
		--log-file stdout --simple-log >"$tmp/turn/log" 2>&1 &
	tpid=$!
	i=0
	until grep -q 'Total General servers\|turn server id=0 created' "$tmp/turn/log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && break
		sleep 0.05
	done
	sleep 0.3
	# uclient: allocate on the relay, and send through it to a second
	# allocation of its own (-y), over UDP and then TCP
	uc() { timeout 30 turnutils_uclient -y -c -n 2 -m 1 -p "$tport" \
		-L 127.0.0.1 -u "$1" -w "$2" $3 127.0.0.1 >"$tmp/uc" 2>&1; }
	uc "$tu" "$tw"
	rc=$?
	check "turnserver accepts confabd's credentials over UDP: relayed 4/4 (rc $rc)" \
		sh -c '[ "$1" = 0 ] && grep -q "tot_send_msgs=4, tot_recv_msgs=4" "$2"' sh "$rc" "$tmp/uc"
	uc "$tu" "$tw" -t
	rc=$?
	check "and over TCP (rc $rc)" \
		sh -c '[ "$1" = 0 ] && grep -q "tot_recv_msgs=4" "$2"' sh "$rc" "$tmp/uc"
	uc "$tu" "x$tw"
	check "a wrong password is refused by turnserver" \
		sh -c '[ "$1" != 0 ] && grep -q "Cannot complete Allocation" "$2"' sh "$?" "$tmp/uc"
	uc "$(($(echo "$tu" | cut -d: -f1) + 100)):bob" "$tw"
	check "so is the password with a later expiry put in its username" test "$?" != 0
	old="$(($(date +%s) - 60)):bob"
	oldpw=$(python3 -c 'import hmac,hashlib,base64,sys; print(base64.b64encode(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha1).digest()).decode())' "$secret" "$old")
	uc "$old" "$oldpw"
	check "and an expired credential (coturn checks the time itself)" test "$?" != 0
	kill "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	tpid=
else
	not_ok "turnserver and turnutils_uclient (coturn) are installed"
fi

# ---- sanitizers, restarts with other TURN settings, config checks ---------------------------------------
clean
printf 'password_cost = min\nstun_uris = stun:127.0.0.1:%s, stuns:stun.example.com:5349\n' "$tport" >"$conf"
start
api "$ta" GET /v1/turn
check "without turn_secret: STUN URIs only, no credentials" \
	test "$code $(jb 'j["uris"], "username" in j, "password" in j')" = "200 (['stun:127.0.0.1:$tport', 'stuns:stun.example.com:5349'], False, False)"
clean
printf 'password_cost = min\n' >"$conf"
start
api "$ta" GET /v1/turn
check "with neither: 503 turn_unconfigured, saying what to set" \
	sh -c '[ "$1" = 503 ] && grep -q "turn_unconfigured" "$2" && grep -q "turn_secret" "$2"' sh "$code" "$tmp/body"
clean
printf 'turn_uris = turn:192.0.2.1:3478\n' >"$conf"
d admin help >/dev/null 2>"$tmp/err"
check "turn_uris without turn_secret is a config error" \
	sh -c '[ "$1" = 2 ] && grep -q "turn_uris and turn_secret go together" "$2"' sh "$?" "$tmp/err"
printf 'turn_uris = http://192.0.2.1:3478\nturn_secret = x\n' >"$conf"
d admin help >/dev/null 2>"$tmp/err"
check "a TURN URI that is not turn:/turns: is a config error naming the line" \
	sh -c '[ "$1" = 2 ] && grep -q "confabd.conf:1: .http://192.0.2.1:3478. does not start with turn:" "$2"' sh "$?" "$tmp/err"
printf 'call_ring_timeout = 0\n' >"$conf"
d admin help >/dev/null 2>"$tmp/err"
check "call_ring_timeout 0 is refused" \
	sh -c '[ "$1" = 2 ] && grep -q "call_ring_timeout takes 1 to 600" "$2"' sh "$?" "$tmp/err"
exit $((failed > 0))
