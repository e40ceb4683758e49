#!/bin/sh
# tests/it/test_sync_diary.sh: the diary and CRM the same on every
# machine, through a real confabd.  Appointments (a series with a moved
# occurrence, every iCalendar property) reach a second machine of the
# user and edits and deletes go both ways; an appointment changed on two
# machines is a conflict that keeps both; CRM records and their notes are
# the company's: a colleague with the CRM permissions sees and adds to
# them, one without does not; a note that arrives before its record
# waits for it; the diary entry a record keeps for its next action is
# made on each machine from the record, never sent twice; a record the
# client cannot store is skipped with a message and nothing else stops.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-syncdiary
IT_SHOW="out err" IT_SHOW_LINES=8 IT_LOG_LINES=5
. "$(dirname "$0")/lib.sh"

acme --perm crm-view --perm crm-edit
echo 'carol pass 333' >"$tmp/carol"
dq admin add-user carol --company "Acme Ltd" --email carol@acme.test \
	--name "Carol Cole" --password-file "$tmp/carol"
start

A() { client a "$@"; }
B() { client b "$@"; }
# "$tmp/diary" DIR: a machine's appointments of Nov-Dec 2026 without
# local ids; "$tmp/crm" DIR: its CRM records without contact ids (scripts,
# so that checks in sh -c can call them)
cat >"$tmp/diary" <<SH
#!/bin/sh
"$CONFAB" -D "$tmp/\$1" -C "$tmp/none.conf" diary list --from 2026-11-01 \
	--to 2026-12-31 | cut -f2- | sort
SH
cat >"$tmp/crm" <<SH
#!/bin/sh
"$CONFAB" -D "$tmp/\$1" -C "$tmp/none.conf" crm list | cut -f2- | sort
SH
chmod +x "$tmp/diary" "$tmp/crm"
export PATH="$tmp:$PATH"

cat >"$tmp/standup.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
BEGIN:VEVENT
UID:standup-1@acme.test
DTSTAMP:20261101T090000Z
DTSTART;TZID=Europe/London:20261102T093000
DTEND;TZID=Europe/London:20261102T094500
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8
SUMMARY:Stand-up
LOCATION:Room 4
X-ACME-COST-CENTRE:4711
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-PT10M
DESCRIPTION:Stand-up
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:standup-1@acme.test
DTSTAMP:20261101T090000Z
RECURRENCE-ID;TZID=Europe/London:20261116T093000
DTSTART;TZID=Europe/London:20261116T110000
DTEND;TZID=Europe/London:20261116T111500
SUMMARY:Stand-up (moved)
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
ICS

# ---- machine A: a diary and a CRM record before it ever signs in --------------------------
A diary import "$tmp/standup.ics"
A diary add --title "Dentist" --start "2026-11-20 15:00" --tz Europe/London \
	--remind 1h
A contacts add --name "Ada Lovelace" --email ada@example.org
A crm add ada --status customer --next "Send quote" --next-date 2026-12-01 \
	--tag vip --value "1200 EUR"
A crm note ada "Called about the engine"
A login --server "$url" --user alice --password-file "$tmp/alice"
A sync
check "machine A's first sync sends the diary and CRM" \
	sh -c '[ "$1" = 0 ] && grep -q "^sent [6-9]," "$2"' sh "$status" "$tmp/out"

# ---- a second machine gets it all ----------------------------------------------------------
B login --server "$url" --user alice --password-file "$tmp/alice"
B sync
check "machine B's first sync brings the diary (series, moved occurrence)" \
	sh -c '[ "$(diary a)" = "$(diary b)" ] && [ "$(diary b | grep -c Stand-up)" = 8 ] && diary b | grep -q "11:00.*Stand-up (moved)"'
check "and the CRM records" sh -c '[ "$(crm a)" = "$(crm b)" ] && crm b | grep -q "Ada Lovelace	customer"'
check "the next action's diary entry is made once, from the record" \
	sh -c '[ "$(diary b | grep -c "CRM: Send quote")" = 1 ]'
B diary export -o "$tmp/b.ics"
check "every iCalendar property came along (X- property, alarm)" \
	sh -c 'grep -q "X-ACME-COST-CENTRE:4711" "$1" && grep -q "TRIGGER:-PT10M" "$1"' sh "$tmp/b.ics"
B crm show ada
check "the record is linked to B's copy of the contact, with its note" \
	sh -c 'grep -q "Called about the engine" "$1" && grep -q "vip" "$1"' sh "$tmp/out"

# ---- edits go both ways ---------------------------------------------------------------------
sed -e 's/SUMMARY:Stand-up (moved)/SUMMARY:Stand-up (moved again)/' \
	-e 's/20261116T110000/20261116T113000/' \
	-e 's/20261116T111500/20261116T114500/' "$tmp/standup.ics" >"$tmp/standup2.ics"
B diary import "$tmp/standup2.ics" --on-duplicate update
B crm note ada "Quote sent"
B sync
A sync
check "an edited occurrence on B reaches A" \
	sh -c 'diary a | grep -q "11:30.*Stand-up (moved again)" && [ "$(diary a | grep -c Stand-up)" = 8 ]'
A crm show ada
check "a note added on B reaches A" sh -c 'grep -q "Quote sent" "$1"' sh "$tmp/out"
A crm edit ada --status prospect --next "Call back" --next-date 2026-12-03
A diary list --from 2026-11-20 --to 2026-11-20
A diary delete "$(grep Dentist "$tmp/out" | cut -f1)"
A sync
B sync
check "a CRM edit on A reaches B, its diary entry moved on B" \
	sh -c 'crm b | grep -q "prospect.*2026-12-03	Call back" && [ "$(diary b | grep -c "CRM:")" = 1 ] && diary b | grep -q "2026-12-03.*CRM: Call back"'
check "a deleted appointment goes on B too" sh -c '! diary b | grep -q Dentist'
check "both machines agree" sh -c '[ "$(diary a)" = "$(diary b)" ] && [ "$(crm a)" = "$(crm b)" ]'

# ---- an appointment changed on both machines ----------------------------------------------------
A diary add --title "Review" --start "2026-12-10 10:00" --tz Europe/London
A sync
B sync
A diary export -o "$tmp/a.ics"
B diary export -o "$tmp/b2.ics"
python3 - "$tmp/a.ics" "$tmp/review-a.ics" "Review (room A)" <<'PY'
import sys
src, dst, title = sys.argv[1:4]
text = open(src, newline="").read()
out, ev, keep = [], [], False
for line in text.split("\r\n"):
    if line == "BEGIN:VEVENT":
        ev = [line]
        continue
    if ev:
        ev.append(line)
        if line == "END:VEVENT":
            if "SUMMARY:Review" in ev:
                out += [l if l != "SUMMARY:Review" else "SUMMARY:" + title for l in ev]
            ev = []
        continue
    if line.startswith("END:VCALENDAR"):
        continue
    out.append(line)
open(dst, "w", newline="").write("\r\n".join([l for l in out if l]) + "\r\nEND:VCALENDAR\r\n")
PY
sed 's/SUMMARY:Review (room A)/SUMMARY:Review (room B)/' "$tmp/review-a.ics" >"$tmp/review-b.ics"
A diary import "$tmp/review-a.ics" --on-duplicate update
B diary import "$tmp/review-b.ics" --on-duplicate update
A sync
B sync
check "B's sync reports the conflict" \
	sh -c 'grep -q "changed here and on another machine" "$1"' sh "$tmp/err"
B sync conflicts
check "sync conflicts lists an appointment" \
	sh -c 'grep -q "	appointment	.*mine: changed, theirs: changed" "$1"' sh "$tmp/out"
B sync resolve "$(cut -f1 "$tmp/out" | head -1)" both
B sync
A sync
check "resolve both: each machine has both versions" \
	sh -c 'for m in a b; do diary $m | grep -q "Review (room A)" && diary $m | grep -q "Review (room B)" || exit 1; done'

# ---- a colleague: the CRM is shared, the diary is not ------------------------------------------
client c login --server "$url" --user bob --password-file "$tmp/bob"
client c sync
check "bob (crm-view, crm-edit) gets the company's CRM records" \
	sh -c 'crm c | grep -q "Ada Lovelace	prospect"'
check "but none of alice's appointments, only the record's next action" \
	sh -c '[ "$(diary c | grep -vc "CRM:")" = 0 ] && [ "$(diary c | grep -c "CRM: Call back")" = 1 ]'
uid=$("$CONFAB" -D "$tmp/c" -C "$tmp/none.conf" crm list --json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["uid"])')
client c crm note "$uid" "Bob met her at the fair"
client c sync
A sync
A crm show ada
check "a note bob adds reaches alice" sh -c 'grep -q "Bob met her at the fair" "$1"' sh "$tmp/out"
client d login --server "$url" --user carol --password-file "$tmp/carol"
client d sync
check "carol without crm-view gets no CRM records" sh -c '[ -z "$(crm d)" ]'

# ---- a note older than its record's last change -------------------------------------------------
# The server lists records by their latest revision: the notes come
# first, their record (edited since) after them.
A crm edit ada --owner alice
A sync
client e login --server "$url" --user alice --password-file "$tmp/alice"
client e sync
client e crm show ada
check "a new machine gets notes that came before their record" \
	sh -c 'grep -q "Called about the engine" "$1" && grep -q "Quote sent" "$1" && grep -q "Bob met her at the fair" "$1"' \
	sh "$tmp/out"

# ---- records this client cannot store ---------------------------------------------------------------
ta=$(session_token "$tmp/a/session.json")
api "$ta" POST /v1/sync '{"changes":[{"key":"bad-1","kind":"appointment","uid":"bad-1","base_rev":0,"data":"{\"ical\":\"not a calendar\"}"},{"key":"bad-2","kind":"crm","uid":"bad-2","base_rev":0,"data":"{\"status\":\"lead\"}"}]}'
B sync
check "a sync skips them and says so (exit 0)" \
	sh -c '[ "$1" = 0 ] && grep -q "2 records from the server not stored here" "$2"' \
	sh "$status" "$tmp/err"
B sync
check "once: the next sync is quiet" sh -c '[ "$1" = 0 ] && ! grep -q "not stored" "$2"' \
	sh "$status" "$tmp/err"
check "and the rest of the data is untouched" sh -c '[ "$(diary a)" = "$(diary b)" ]'
