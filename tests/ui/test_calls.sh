#!/bin/sh
# tests/ui/test_calls.sh: the Call logs tab (6) through the real screen
# (tmux).  Calls are seeded with `confab calls add` (the call engine will
# write them itself): the list shows them newest first with the contact's
# name for a number written another way; f filters to missed calls; Enter
# opens a call's details with its line quality; calling a phone number back
# says honestly that it needs a phone gateway (test_call.sh calls a user); + adds a CRM note about the call and r opens the
# CRM record; search narrows the list; and looking at the tab marks the
# missed calls seen.  See tests/ui/lib.sh.

. "$(dirname "$0")/lib.sh"

# cli ARGS...: confab's CLI on the test's data directory
cli() {
	"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" "$@" >"$tmp/cli.out" 2>&1 || {
		not_ok "confab $* failed: $(cat "$tmp/cli.out")"
		return 1
	}
}

cli contacts add --name "Ada Lovelace" --phone "+44 20 7946 0958"
cli calls add --peer "020 7946 0958" --direction in --kind phone \
	--outcome missed --start "2024-11-21 14:02"
cli calls add --peer carol --direction in --kind pc --outcome missed \
	--start "2024-11-20 08:00"
cli calls add --peer "+1 415 555 2671" --direction out --kind phone \
	--outcome answered --start "2024-11-21 15:00" --duration 61 \
	--cost 0.5 --currency USD
cli calls add --peer bob --name "Bob Smith" --direction out --kind pc \
	--outcome answered --start "2024-11-22 09:30" --duration 192 \
	--loss 1.5 --jitter 12 --rtt 80 --mos 4.2

ui_start 120 30
ui_wait_for '0 contacts|1 contact'
ui_keys 6
ui_assert_screen 'Showing all calls' "tab 6 is the call log"
ui_assert_screen 'Name +Number / user +Type +Start +Duration +Outcome +Cost' \
	"the list has column headers"
ui_screen >"$tmp/all"
order=$(grep -oE '(Bob Smith|\+1 415 555 2671|Ada Lovelace|carol) ' "$tmp/all" |
	awk '!seen[$0]++' | tr '\n' ,)
check "the calls are listed newest first" \
	[ "$order" = "Bob Smith ,+1 415 555 2671 ,Ada Lovelace ,carol ," ]
ui_assert_screen 'Ada Lovelace +\+44 20 7946 0958 +Phone +21 Nov 2024 14:02 +Missed' \
	"a number written another way shows the contact's name"
ui_assert_screen 'Bob Smith +bob +PC +22 Nov 2024 09:30 +3m 12s +Answered' \
	"a PC call shows the announced name, start and duration"
ui_assert_screen '\+1 415 555 2671 +Phone .*1m 01s +Answered +0\.50 USD' \
	"a phone call shows its cost"
ui_assert_screen '4 calls' "the status bar counts the calls"

# ---- filter to missed calls ----------------------------------------------------
ui_keys f
ui_assert_screen 'Showing missed calls' "f switches to missed calls"
ui_assert_screen 'missed calls: 2' "the view's status names the filter"
ui_assert_not_screen 'Bob Smith|555 2671' "only missed calls are listed"
ui_assert_screen '^ .{2,3} Ada Lovelace .*Missed' "Ada's missed call is listed"
ui_assert_screen '^ .{2,3} carol .*Missed' "carol's missed call is listed"

# ---- the detail layer -----------------------------------------------------------
ui_keys Enter
ui_assert_screen 'Call, incoming|Phone call, incoming' "Enter opens the call"
ui_assert_screen 'Contact +Ada Lovelace' "the detail names the contact"
ui_assert_screen 'Started +21 Nov 2024 14:02' "the detail shows the start"
ui_assert_screen 'Outcome +Missed' "the detail shows the outcome"
ui_keys c
ui_assert_screen 'Ada Lovelace is a phone number: phone calls need a phone gateway' \
	"calling a phone number back says what it needs"
# a CRM note about the call, prefilled with when it was
ui_keys +
ui_assert_screen 'Note for Ada Lovelace' "+ asks for a CRM note on the caller"
ui_assert_screen 'Missed call on 21 Nov 2024 14:02: ' \
	"the note starts with the call's date"
ui_type 'left a message'
ui_keys Enter
ui_assert_screen 'added the note' "the note is saved"
ui_keys r
ui_assert_screen 'Missed call on 21 Nov 2024 14:02: left a message' \
	"r opens the caller's CRM record, with the note on its timeline"
ui_keys q
ui_wait_for 'Phone call, incoming'
ui_keys q
ui_wait_gone 'Phone call, incoming'

# back to all calls: missed, incoming, outgoing, PC, phone, all
ui_keys f f f f f
ui_assert_screen 'Showing all calls' "f cycles back to all calls"
ui_keys g Enter
ui_assert_screen 'PC-to-PC call, outgoing' "the newest call opens"
ui_assert_screen 'Packet loss +1\.5 %' "the detail shows packet loss"
ui_assert_screen 'Jitter +12 ms' "the detail shows jitter"
ui_assert_screen 'Round trip +80 ms' "the detail shows the round trip"
ui_assert_screen 'MOS +4\.2 of 5' "the detail shows the MOS"
ui_assert_screen 'Contact +not in your address book' \
	"a peer who is not a contact is said to be so"
ui_keys C
ui_assert_screen 'Bob Smith is not in your address book' \
	"opening the contact of a stranger says so"
ui_keys +
ui_assert_screen 'Bob Smith is not in your address book: CRM records belong to contacts' \
	"a CRM note about a stranger's call says why it cannot be"
ui_keys q
ui_wait_gone 'PC-to-PC call, outgoing'

# ---- search ------------------------------------------------------------------------
ui_keys /
ui_type car
ui_assert_screen '1 match' "search narrows as you type"
ui_assert_not_screen '^ .{2,3} Bob Smith' "search hides calls that do not match"
ui_keys Escape
ui_assert_screen 'Bob Smith' "Esc clears the search"

ui_quit

# looking at the tab marked the missed calls seen
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" calls seen >"$tmp/seen" 2>&1
check "opening the tab marked the missed calls seen" \
	grep -qx '0 missed calls marked seen' "$tmp/seen"
