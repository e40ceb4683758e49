#!/bin/sh
# tests/cli/test_diary.sh: `confab diary list|add|show|delete` as a user
# runs them (import and export: tests/cli/test_diary_io.sh if present).
# Fixed dates in December 2026, in Europe/London.
# Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.

CONFAB=${CONFAB:-build/asan/confab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-diary.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
TZ=Europe/London
export TZ

run() {
	"$CONFAB" -D "$tmp/data" -C "$tmp/none.conf" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	failed=$((failed + 1))
	sed 's/^/#   stdout: /' "$tmp/out"
	sed 's/^/#   stderr: /' "$tmp/err"
	echo "#   status: $status"
}

expect() {
	printf "$3" >"$tmp/want"
	if [ "$status" -eq "$2" ] && cmp -s "$tmp/want" "$tmp/out"; then
		pass "$1"
	else
		sed 's/^/#   want:   /' "$tmp/want"
		fail "$1"
	fi
}

expect_err() {
	if [ "$status" -eq "$2" ] && grep -qF -- "$3" "$tmp/err"; then
		pass "$1"
	else
		echo "#   want stderr: $3"
		fail "$1"
	fi
}

run diary list --from 2026-12-01 --to 2026-12-31
expect "an empty diary lists nothing" 0 ''

run diary add --title "Team meeting" --start "2026-12-01 10:00" \
	--rrule "FREQ=WEEKLY;BYDAY=TU;COUNT=3" --remind 15m --remind 1d \
	--location "Room 4"
expect "add prints the new id" 0 '1\n'

run diary add --title "Holiday" --start 2026-12-21 --end 2026-12-24
expect "an all-day event over several days" 0 '2\n'

run diary add --title "New York call" --start "2026-12-08 09:00" \
	--end "2026-12-08 09:30" --tz America/New_York
expect "an appointment in another zone" 0 '3\n'

run diary list --from 2026-12-01 --to 2026-12-31
expect "list expands the series and shows times in the user's zone" 0 \
'1\t2026-12-01 10:00\t2026-12-01 11:00\tTeam meeting\tRoom 4\trecurring
1\t2026-12-08 10:00\t2026-12-08 11:00\tTeam meeting\tRoom 4\trecurring
3\t2026-12-08 14:00\t2026-12-08 14:30\tNew York call\t
1\t2026-12-15 10:00\t2026-12-15 11:00\tTeam meeting\tRoom 4\trecurring
2\t2026-12-21\t2026-12-24\tHoliday\t
'

run diary list --from 2026-12-08 --to 2026-12-08
expect "--to is inclusive of its day" 0 \
'1\t2026-12-08 10:00\t2026-12-08 11:00\tTeam meeting\tRoom 4\trecurring
3\t2026-12-08 14:00\t2026-12-08 14:30\tNew York call\t
'

run diary list --from 2026-12-01 --to 2026-12-31 --json
if [ "$status" -eq 0 ] && python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert len(v) == 5, len(v)
t = v[0]
assert t["title"] == "Team meeting" and t["recurring"] is True
assert t["recurrence_id"] == "2026-12-01T10:00:00"
assert t["reminders"] == 2 and t["location"] == "Room 4"
h = [x for x in v if x["title"] == "Holiday"][0]
assert h["all_day"] is True and h["start"] == "2026-12-21" and h["end"] == "2026-12-24"
' "$tmp/out"; then
	pass "--json is one array with the occurrences' fields"
else
	fail "--json is one array with the occurrences' fields"
fi

run diary show 1 --json
if [ "$status" -eq 0 ] && python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert a["rrule"] == "FREQ=WEEKLY;BYDAY=TU;COUNT=3", a["rrule"]
assert a["reminders"] == [15, 1440], a["reminders"]
assert a["tzid"] == "Europe/London" and a["start"] == "2026-12-01T10:00:00"
' "$tmp/out"; then
	pass "show --json gives the stored appointment"
else
	fail "show --json gives the stored appointment"
fi

# ---- bad input: a clear message, nothing stored ---------------------------------
run diary add --title "x" --start "2026-02-30 10:00"
expect_err "an impossible date is refused" 1 "not a date or time: '2026-02-30 10:00'"
run diary add --title "x" --start "2026-12-01 10:00" --end "2026-12-01 09:00"
expect_err "an end before the start is refused" 1 "before it starts"
run diary add --title "x" --start "2026-12-01 10:00" --tz Mars/Olympus
expect_err "an unknown zone is refused" 1 "unknown time zone 'Mars/Olympus'"
run diary add --title "x" --start "2026-12-01 10:00" --rrule "FREQ=NEVER"
expect_err "a bad rule is refused" 1 "not a recurrence rule"
run diary add --title "x" --start "2026-12-01 10:00" --remind soon
expect_err "a bad lead time is refused" 2 "--remind 'soon'"
run diary add --start "2026-12-01 10:00"
expect_err "--title is required" 2 "needs --title and --start"
run diary list --from yesterday-ish
expect_err "a bad --from is refused" 2 "not a date: 'yesterday-ish'"
run diary frobnicate
expect_err "an unknown subcommand" 2 "unknown diary command 'frobnicate'"
run diary list --from 2026-12-01 --to 2026-12-31
n=$(wc -l <"$tmp/out")
if [ "$n" -eq 5 ]; then pass "nothing bad was stored"; else fail "nothing bad was stored ($n lines)"; fi

# ---- delete -------------------------------------------------------------------
run diary delete 1
expect "delete removes a series" 0 ''
run diary list --from 2026-12-01 --to 2026-12-31
expect "its occurrences are gone" 0 \
'3\t2026-12-08 14:00\t2026-12-08 14:30\tNew York call\t
2\t2026-12-21\t2026-12-24\tHoliday\t
'
run diary delete 1
expect_err "deleting it again says so" 1 "no appointment 1"

exit $((failed > 0))
