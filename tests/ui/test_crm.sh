#!/bin/sh
# tests/ui/test_crm.sh: the CRM as a user works it, through the real screen
# (tmux): a note added with + on a contact creates the record and shows in
# the CRM tab's record timeline; r on a contact creates a record after
# asking; + in the record adds to its timeline; the edit form changes the
# status; the list filters by status and searches notes; C opens the
# record's contact.  See tests/ui/lib.sh.  Exits 1 on failure.

. "$(dirname "$0")/lib.sh"

# contacts to work with, added through the CLI on the same data dir
: >"$UI_CONF"
for p in "Ada Lovelace:ada@example.com" "Bob Babbage:bob@example.com"; do
	"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" contacts add --name "${p%%:*}" \
		--email "${p#*:}" >/dev/null 2>"$tmp/seed.err" ||
		{ not_ok "seeding contacts"; cat "$tmp/seed.err"; }
done

ui_start 120 30
ui_wait_for '2 contacts'
# sorted by family name: Bob Babbage is selected
ui_wait_for '^ Bob Babbage +bob@example\.com'

# ---- + on a contact: the note creates the record ---------------------------
ui_keys +
ui_assert_screen 'Note for Bob Babbage:' "+ on a contact asks for the note"
ui_type 'Wants a quote for 20 seats'
ui_keys Enter
ui_assert_screen 'Created a CRM record for Bob Babbage \(lead\) and added the note' \
	"the first note creates the record and says so"

# ---- the CRM tab shows it; Enter opens the timeline --------------------------
ui_keys 4
ui_assert_screen 'CRM . 1 record' "the CRM tab counts the new record"
ui_assert_screen '^ Bob Babbage +lead( |$)' "the record is listed with its status"
ui_keys Enter
ui_assert_screen 'Timeline \(1\)' "the record layer shows a timeline of one"
ui_assert_screen 'note +Wants a quote for 20 seats' \
	"the note typed on the contact is in the record's timeline"
ui_keys Escape
ui_wait_gone 'Timeline'

# ---- r on a contact without a record asks, then opens it ----------------------
ui_keys 1
ui_wait_for '2 contacts'
ui_keys Down
ui_keys r
ui_assert_screen 'Ada Lovelace has no CRM record\. Create one \(lead\)\?' \
	"r on a contact without a record offers to create one"
ui_keys y
ui_assert_screen 'No notes yet\. Press \+ to add one\.' \
	"the new record opens with an empty timeline"
ui_keys +
ui_wait_for 'Note for Ada Lovelace:'
ui_type 'Met at the trade fair'
ui_keys Enter
ui_assert_screen "Note added to Ada Lovelace's CRM record" \
	"+ in the record adds a note"
ui_assert_screen 'note +Met at the trade fair' "the timeline shows the note at once"

# ---- e edits the status ----------------------------------------------------------
ui_keys e
ui_wait_for 'CRM record: Ada Lovelace'
ui_keys C-u
ui_type customer
ui_keys C-s
ui_assert_screen 'Saved the CRM record of Ada Lovelace' "the form saves the status"
ui_assert_screen 'Status +customer' "the record shows the new status"
ui_keys Escape
ui_wait_gone 'Timeline'

# ---- the list: filter by status, search the notes --------------------------------
ui_keys 4
ui_wait_for 'CRM . 2 records'
ui_keys f
ui_wait_for 'Filter CRM records'
ui_assert_screen 'Status: customer' "the filter menu lists the statuses"
ui_keys 7		# Status: customer (after all/due/owner/tag/lead/prospect)
ui_assert_screen 'CRM . 1 record . status: customer' "the header names the filter"
ui_assert_screen '^ Ada Lovelace +customer( |$)' "the filter keeps the customer"
ui_assert_not_screen '^ Bob Babbage' "the filter hides the lead"
ui_keys f
ui_wait_for 'Filter CRM records'
ui_keys 1		# all records
ui_assert_screen 'CRM . 2 records' "clearing the filter shows both again"
ui_keys /
ui_type 'quot'
ui_assert_screen 'Search CRM: quot +1 match' "search as you type over notes"
ui_assert_screen '^ Bob Babbage' "the record whose note matches is listed"
ui_assert_not_screen '^ Ada Lovelace' "the other record is not"
ui_keys Escape
ui_wait_for 'CRM . 2 records'

# ---- C opens the contact of the selected record -----------------------------------
ui_keys C
ui_assert_screen 'Email( work)? +ada@example\.com' \
	"C opens the record's contact card"
ui_keys Escape

ui_quit
