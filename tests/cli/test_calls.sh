#!/bin/sh
# tests/cli/test_calls.sh: `confab calls` as a user runs it.
#
# Calls are put in the log with `confab calls add` (the call engine will
# write them itself); the checks compare what list prints (TSV and --json),
# the missed-call filter and counter, contact names found by phone number
# written another way, and the messages for bad input.
# Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.

CONFAB=${CONFAB:-build/asan/confab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-calls.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
# list prints local times; pin the zone so the expected lines are exact
TZ=UTC
export TZ

run() {
	"$CONFAB" -D "$tmp/data" -C "$tmp/none.conf" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	failed=$((failed + 1))
	sed 's/^/#   stdout: /' "$tmp/out" | head -40
	sed 's/^/#   stderr: /' "$tmp/err" | head -40
	echo "#   status: $status"
}

# expect DESC STATUS STDOUT: exact stdout (a printf format) and exit status
expect() {
	printf "$3" >"$tmp/want"
	if [ "$status" -eq "$2" ] && cmp -s "$tmp/want" "$tmp/out"; then
		pass "$1"
	else
		sed 's/^/#   want:   /' "$tmp/want"
		fail "$1"
	fi
}

# expect_err DESC STATUS MESSAGE: exit status and one exact stderr line
expect_err() {
	if [ "$status" -eq "$2" ] && grep -qxF "$3" "$tmp/err"; then
		pass "$1"
	else
		echo "#   want stderr: $3"
		fail "$1"
	fi
}

# py DESC CODE: python3 CODE with the JSON of $tmp/out as `v`; passes when
# it exits 0
py() {
	if python3 -c "import json, sys
v = json.load(open(sys.argv[1]))
$2" "$tmp/out"; then pass "$1"; else fail "$1"; fi
}

# ---- an empty log -----------------------------------------------------------
run calls list
expect "a new data directory has no calls" 0 ''
run calls list --json
expect "--json on an empty log is an empty array" 0 '[]\n'

# ---- seeding -------------------------------------------------------------------
run contacts add --name "Ada Lovelace" --phone "+44 20 7946 0958"
run calls add --peer "020 7946 0958" --direction in --kind phone \
	--outcome missed --start "2024-11-21 14:02"
expect "add prints the new call" 0 'added call 1 (incoming phone call, missed)\n'
run calls add --peer bob --name "Bob Smith" --direction out --kind pc \
	--outcome answered --start "2024-11-21 15:00" --duration 192 \
	--loss 1.5 --jitter 12 --rtt 80 --mos 4.2
expect "a PC call with its line quality" 0 'added call 2 (outgoing PC call, answered)\n'
run calls add --peer "+1 415 555 2671" --direction out --kind phone \
	--outcome answered --start "2024-11-22 09:30:15" --duration 61 \
	--cost 0.5 --currency USD
expect "a phone call with a cost" 0 'added call 3 (outgoing phone call, answered)\n'
run calls add --peer carol --direction in --kind pc --outcome missed \
	--start "2024-11-20 08:00"
expect "a missed PC call" 0 'added call 4 (incoming PC call, missed)\n'

# ---- list -------------------------------------------------------------------------
run calls list
expect "list: newest first, TAB-separated, names from the address book" 0 \
'3\t2024-11-22 09:30\tout\tphone\tanswered\t61\t+14155552671\t+14155552671\t0.50 USD
2\t2024-11-21 15:00\tout\tpc\tanswered\t192\tBob Smith\tbob\t
1\t2024-11-21 14:02\tin\tphone\tmissed\t0\tAda Lovelace\t+442079460958\t
4\t2024-11-20 08:00\tin\tpc\tmissed\t0\tcarol\tcarol\t
'
run calls list --missed
expect "--missed shows only the missed calls" 0 \
'1\t2024-11-21 14:02\tin\tphone\tmissed\t0\tAda Lovelace\t+442079460958\t
4\t2024-11-20 08:00\tin\tpc\tmissed\t0\tcarol\tcarol\t
'
run calls list --outgoing --limit 1
expect "--outgoing --limit 1: the newest outgoing call" 0 \
'3\t2024-11-22 09:30\tout\tphone\tanswered\t61\t+14155552671\t+14155552671\t0.50 USD
'
run calls list --pc
check_ids=$(cut -f1 "$tmp/out" | tr '\n' ,)
if [ "$status" -eq 0 ] && [ "$check_ids" = "2,4," ]; then
	pass "--pc shows the PC-to-PC calls"
else
	fail "--pc shows the PC-to-PC calls"
fi
run calls list --phone --incoming
expect_err "two filters at once are refused" 2 \
	"confab: choose one of --all, --missed, --incoming, --outgoing, --pc and --phone"

run calls list --json
py "--json: one array with every field" '
assert [c["id"] for c in v] == [3, 2, 1, 4], v
ada = v[2]
assert ada["name"] == "Ada Lovelace" and ada["contact_id"] == 1, ada
assert ada["start"] == "2024-11-21T14:02:00Z" and ada["seen"] is False, ada
bob = v[1]
assert bob["peer_name"] == "Bob Smith" and bob["duration"] == 192, bob
assert abs(bob["loss"] - 0.015) < 1e-9 and bob["mos"] == 4.2, bob
assert v[0]["cost_cents"] == 50 and v[0]["currency"] == "USD", v[0]
assert "cost_cents" not in bob and "loss" not in ada, v'

# ---- the missed-call counter ---------------------------------------------------
run calls seen
expect "seen marks the two missed calls seen" 0 '2 missed calls marked seen\n'
run calls seen
expect "seen again finds nothing new" 0 '0 missed calls marked seen\n'
run calls list --missed --json
py "after seen, the missed calls are still listed, as seen" '
assert [c["seen"] for c in v] == [True, True], v'

# ---- delete ----------------------------------------------------------------------
run calls delete 4
expect "delete removes a call" 0 'deleted call 4\n'
run calls delete 4
expect_err "deleting it again says there is no such call" 1 \
	"confab: no call 4 in the log (see: confab calls list)"

# ---- bad input -----------------------------------------------------------------------
run calls add --peer bob --direction sideways --kind pc --outcome missed
expect_err "a bad direction is refused" 2 "confab: bad --direction 'sideways': use in or out"
run calls add --peer bob --direction in --kind pc --outcome lost
expect_err "a bad outcome is refused" 2 \
	"confab: bad --outcome 'lost': use answered, missed, rejected, failed, voicemail, busy or cancelled"
run calls add --peer bob --direction in --kind pc
expect_err "add without --outcome says what it needs" 2 \
	"confab: calls add needs --peer, --direction, --kind and --outcome"
run calls add --peer "hello there" --direction in --kind phone --outcome missed
expect_err "a phone peer that is not a number is refused" 1 \
	"confab: 'hello there' is not a phone number: give it with its country code, e.g. +44 20 7946 0958"
run calls add --peer bob --direction in --kind pc --outcome missed --duration 30
expect_err "a missed call with talk time is refused" 1 \
	"confab: a missed call has no talk time: its duration must be 0"
run calls add --peer bob --direction out --kind pc --outcome answered --cost 1
expect_err "a PC call with a cost is refused" 1 \
	"confab: only phone calls have a cost; PC-to-PC calls are free"
run calls add --peer bob --direction out --kind pc --outcome answered \
	--start "2024-02-30 10:00"
expect_err "an impossible start is refused" 1 \
	"confab: bad --start '2024-02-30 10:00': use \"YYYY-MM-DD HH:MM\" (local time)"
run calls add --peer 0161 --direction out --kind phone --outcome answered \
	--cost 1.234
expect_err "a cost in fractions of a cent is refused" 1 \
	"confab: bad --cost '1.234': give an amount such as 0.25"
run calls add --peer bob --direction out --kind pc --outcome answered --loss 1
expect_err "line quality comes as all four figures" 2 \
	"confab: give --loss, --jitter, --rtt and --mos together"
run calls list --limit 0
expect_err "a zero limit is refused" 2 \
	"confab: bad --limit '0': give a number of calls, 1 or more"
run calls list --peer bob
expect_err "an add option on list is refused" 2 \
	"confab: option '--peer' does not apply to 'calls list'"
run calls dial
expect_err "an unknown subcommand is named" 2 \
	"confab: unknown calls command 'dial': use list, add, seen or delete (see: confab help calls)"
run calls list
if [ "$(wc -l <"$tmp/out")" -eq 3 ]; then
	pass "refused calls were not stored"
else
	fail "refused calls were not stored"
fi
run help calls
if [ "$status" -eq 0 ] && grep -q 'confab calls SUBCOMMAND' "$tmp/out" &&
	grep -q 'for tests and scripts' "$tmp/out"; then
	pass "help calls documents add as the way to seed the log"
else
	fail "help calls documents add as the way to seed the log"
fi

[ "$failed" -eq 0 ] || { echo "# $failed failed"; exit 1; }
