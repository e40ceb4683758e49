#!/bin/sh
# tests/ui/test_contacts.sh: the Address book tab as a user works it, through
# the real screen (tmux): adding contacts in the form (with the checks on a
# bad email and a bad birthday), search as you type, n/N, editing, deleting
# with confirmation, the data surviving a restart, and CJK names lining up.
# See tests/ui/lib.sh.  Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

. "$(dirname "$0")/lib.sh"

# fill_form GIVEN FAMILY ORG PHONE EMAIL: fill a fresh New contact form (the
# cursor on Prefix); leaves the cursor on the email.  Typing into a phone or
# email row opens a blank row of its kind below it.
fill_form() {
	ui_keys Down			# Given name
	[ -n "$1" ] && ui_type "$1"
	ui_keys Down Down		# Family name
	[ -n "$2" ] && ui_type "$2"
	ui_keys Down Down Down		# Organisation
	[ -n "$3" ] && ui_type "$3"
	ui_keys Down Down Down		# Phone
	ui_type "$4"
	ui_keys Down Down		# Email (a blank Phone row opened below)
	ui_type "$5"
}

ui_start 120 30
ui_wait_for '0 contacts'
ui_assert_screen 'No contacts yet\. Press a to add one' \
	"an empty address book says how to add or import"
ui_assert_screen 'Name +Email +Phone +Organisation' "the list has column headers"

# ---- add through the form; a bad email is refused, then fixed ----------------
ui_keys a
ui_wait_for 'New contact'
ui_wait_for "^$B Notes "
check "the form lists every field in order" sh -c '
	labels=$(sed -nE "s/^$2 (Prefix|Given name|Middle name|Family name|Suffix|Nickname|Organisation|Department|Job title|Phone|Email|Address|Web|Birthday|Tags|Notes) .*/\1/p" "$1" | tr "\n" ,)
	[ "$labels" = "Prefix,Given name,Middle name,Family name,Suffix,Nickname,Organisation,Department,Job title,Phone,Email,Address,Web,Birthday,Tags,Notes," ]
' sh "$tmp/screen" "$B"
fill_form Ada Lovelace 'Analytical Engines' '+44 20 7946 0018' x
ui_wait_for "Email +\\[work\\] +x +$B\$"
ui_keys C-s
ui_assert_screen "bad email 'x': expected name@example\.com" \
	"a bad email is refused with a message in the form"
ui_assert_screen 'New contact' "the form stays open after a bad email"
ui_assert_screen 'Given name +Ada' "what was typed is kept"
# the cursor is on the bad email: fix it there
ui_keys BSpace
ui_type ada@example.com
ui_keys C-s
ui_assert_screen 'Added Ada Lovelace' "fixing the email saves the contact"
ui_wait_gone 'New contact'
ui_assert_screen '^ Ada Lovelace +ada@example\.com +\+44 20 79' \
	"the new contact is in the list with email and phone"
ui_assert_screen 'Phone mobile +\+44 20 7946 0018' "the detail pane shows the phone"
ui_assert_screen 'Email work +ada@example\.com' "the detail pane shows the email"
ui_assert_screen "$B Analytical Engines" "the detail pane shows the organisation"
ui_assert_screen '1 contact( |$)' "the status bar counts 1 contact"

# ---- a bad birthday is refused, then fixed -------------------------------------
ui_keys a
ui_wait_for 'New contact'
fill_form Grace Hopper 'US Navy' '+1 202 555 0142' grace@navy.mil
ui_keys Down Down Down Down	# blank Email, Address, Web, Birthday
ui_type 1990-13-40
ui_wait_for 'Birthday +1990-13-40'
ui_keys C-s
if ui_on_screen "bad birthday '1990-13-40'" 3; then
	ok "a bad birthday is refused with a message in the form"
	ui_assert_screen "bad birthday '1990-13-40': use YYYY-MM-DD" \
		"the message says what a birthday looks like"
	ui_assert_screen 'New contact' "the form stays open after a bad birthday"
	ui_keys C-u		# the cursor is on the birthday again
	ui_wait_for "Birthday +$B\$"
	ui_type 1906-12-09
	ui_wait_for 'Birthday +1906-12-09'
	ui_keys C-s
	ui_assert_screen 'Added Grace Hopper' "fixing the birthday saves the contact"
	ui_wait_gone 'New contact'
else
	# the form saved what it should have refused
	not_ok "a bad birthday is refused with a message in the form"
	ui_dump
	ui_wait_gone 'New contact'
fi
ui_wait_for '^ Grace Hopper +grace@navy\.mil'
ui_assert_screen 'Birthday +1906-12-09' "the detail pane shows the birthday"
ui_assert_not_screen "$B Notes\$" \
	"the birthday typed in the form did not land in Notes"

ui_keys a
ui_wait_for 'New contact'
fill_form Alan Turing 'Bletchley Park' '+44 161 496 0000' alan@example.com
ui_keys C-s
ui_wait_for 'Added Alan Turing'
ui_keys a
ui_wait_for 'New contact'
fill_form '王小明' '' '' '+86 10 5555 0100' wang@example.cn
ui_keys C-s
ui_wait_for 'Added 王小明'
ui_assert_screen '4 contacts  ' "four contacts in the header"

# ---- CJK: the Email column starts at the same screen column ---------------------
ui_wait_gone 'New contact'
ui_wait_for '^ 王小明 +wang@example\.cn +\+86'
ui_wait_for '^ Alan Turing +alan@example\.com +\+44'
ui_screen >"$tmp/list"
cjk_line=$(grep '^ 王小明' "$tmp/list" | head -1)
ascii_line=$(grep '^ Alan Turing' "$tmp/list" | head -1)
head_line=$(grep '^ Name ' "$tmp/list" | head -1)
c1=$(disp_col wang@example.cn "$cjk_line")
c2=$(disp_col alan@example.com "$ascii_line")
c3=$(disp_col Email "$head_line")
if [ "$c1" -ge 0 ] && [ "$c1" = "$c2" ] && [ "$c2" = "$c3" ]; then
	ok "a CJK name keeps the Email column in line (column $c1)"
else
	not_ok "a CJK name keeps the Email column in line (CJK $c1, ASCII $c2, header $c3)"
	ui_dump
fi
c1=$(disp_col '+86' "$cjk_line")
c2=$(disp_col '+44' "$ascii_line")
if [ "$c1" -ge 0 ] && [ "$c1" = "$c2" ]; then
	ok "a CJK name keeps the Phone column in line (column $c1)"
else
	not_ok "a CJK name keeps the Phone column in line (CJK $c1, ASCII $c2)"
fi

# ---- search as you type -------------------------------------------------------------
ui_keys /
ui_wait_for 'Search all books:'
ui_type a
ui_assert_screen 'Search all books: a +2 matches$' "'a': 2 matches (Ada, Alan)"
ui_assert_screen '^ Alan Turing' "'a' lists Alan"
ui_type d
ui_assert_screen 'Search all books: ad +1 match$' "'ad': 1 match"
ui_assert_screen '^ Ada Lovelace' "'ad' lists Ada"
ui_assert_not_screen '^ (Grace Hopper|Alan Turing|王小明)' "'ad' lists only Ada"
ui_type q
ui_assert_screen 'Search all books: adq +0 matches$' "'adq': 0 matches"
ui_assert_screen 'No contact matches\. Esc clears the search\.' \
	"no match shows the empty-search text"
ui_assert_not_screen '^ Ada Lovelace' "no match lists nobody"
ui_keys BSpace
ui_assert_screen 'Search all books: ad +1 match$' "Backspace: 1 match again"
ui_assert_screen '^ Ada Lovelace' "Backspace brings Ada back"
ui_keys Escape
ui_assert_screen 'All address books .* 4 contacts' "Esc clears the search"
ui_assert_screen '^ Grace Hopper' "after Esc the whole list is back"

# by phone digits, national form of +1 202 555 0142
ui_keys /
ui_wait_for 'Search all books:'
ui_type '202 555'
ui_assert_screen 'Search all books: 202 555 +1 match$' "phone digits find one contact"
ui_assert_screen '^ Grace Hopper' "phone digits find Grace"
ui_keys Escape
ui_wait_for '4 contacts  '

# by email domain
ui_keys /
ui_wait_for 'Search all books:'
ui_type example.com
ui_assert_screen 'Search all books: example\.com +2 matches$' "email domain: 2 matches"
ui_assert_screen '^ Ada Lovelace' "email domain finds Ada"
ui_assert_screen '^ Alan Turing' "email domain finds Alan"
ui_assert_not_screen '^ (Grace Hopper|王小明)' "email domain leaves out the others"
ui_keys Escape
ui_wait_for '4 contacts  '

# n / N among matches (kept with Enter)
ui_keys /
ui_wait_for 'Search all books:'
ui_type example
ui_wait_for 'Search all books: example +3 matches$'
ui_keys Enter
ui_keys n
ui_assert_screen '^Match 2 of 3' "n goes to the next match"
ui_keys n
ui_assert_screen '^Match 3 of 3' "n again"
ui_assert_screen 'Email work +wang@example\.cn' "the detail pane follows the match"
ui_keys n
ui_assert_screen '^Match 1 of 3' "n wraps to the first match"
ui_keys N
ui_assert_screen '^Match 3 of 3' "N wraps back to the last match"
ui_keys Escape
ui_wait_for '4 contacts  '

# ---- edit: change the organisation ------------------------------------------------
ui_keys /
ui_wait_for 'Search all books:'
ui_type lovelace
ui_wait_for 'Search all books: lovelace +1 match$'
ui_keys Enter
ui_keys e
ui_assert_screen 'Edit Ada Lovelace' "e opens the form on the selected contact"
ui_assert_screen 'Organisation +Analytical Engines' "the form shows the stored values"
ui_keys Down Down Down Down Down Down C-e C-u
ui_wait_for "Organisation +$B\$"
ui_type 'Difference Engines Ltd'
ui_keys C-s
ui_assert_screen 'Saved Ada Lovelace' "saving the edit says so"
ui_wait_gone 'Edit Ada Lovelace'
ui_assert_screen "$B Difference Engines Ltd" "the detail pane shows the new organisation"
ui_assert_screen '^ Ada Lovelace .* Difference Engi' "the list shows the new organisation"
ui_keys Escape
ui_wait_for '4 contacts  '

# ---- delete with confirmation: n keeps, y deletes ------------------------------------
ui_keys /
ui_wait_for 'Search all books:'
ui_type hopper
ui_wait_for 'Search all books: hopper +1 match$'
ui_keys Enter
ui_keys d
ui_assert_screen 'Delete Grace Hopper\?' "d asks before deleting"
ui_assert_screen 'y: yes +n: no' "the question says which keys answer"
ui_keys n
ui_wait_gone 'Delete Grace Hopper\?'
ui_assert_screen '^ Grace Hopper' "answering n keeps the contact"
ui_keys d
ui_wait_for 'Delete Grace Hopper\?'
ui_keys y
ui_assert_screen '^Deleted Grace Hopper' "answering y deletes"
ui_keys Escape
ui_wait_for '3 contacts  '
ui_assert_not_screen "^ Grace Hopper|$B Grace Hopper\$" "Grace is gone from the list"
ui_assert_screen '\| +3 contacts' "the status bar counts 3 contacts"

# ---- quit and come back: the data is still there ------------------------------------------
ui_quit
ui_start 120 30
ui_assert_screen 'All address books .* 3 contacts' "after a restart: 3 contacts"
ui_assert_screen '^ Ada Lovelace .* Difference Engi' "after a restart: the edit is kept"
ui_assert_screen '^ Alan Turing +alan@example\.com' "after a restart: Alan is there"
ui_assert_screen '^ 王小明 +wang@example\.cn' "after a restart: 王小明 is there"
ui_assert_not_screen 'Grace Hopper' "after a restart: the deleted contact stays deleted"
ui_quit

# ---- a CJK name too long for its column, cut at an odd column (100 wide) --------------
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" contacts add --name '欧阳娜娜娜娜娜娜娜娜娜娜' \
	--email ouyang@example.cn --phone '+86 10 5555 0101' \
	--org '北京长城科技有限公司' >/dev/null
ui_start 100 24
ui_wait_for '^ 欧阳娜娜.* ouyang@example'
ui_wait_for '^ Alan Turing +alan@example'
cjk_line=$(grep '^ 欧阳' "$tmp/screen" | head -1)
ascii_line=$(grep '^ Alan Turing' "$tmp/screen" | head -1)
head_line=$(grep '^ Name ' "$tmp/screen" | head -1)
for col in 'ouyang alan Email' '+86 +44 Phone' '北京 Bletchley Organisation'; do
	set -- $col
	c1=$(disp_col "$1" "$cjk_line")
	c2=$(disp_col "$2" "$ascii_line")
	c3=$(disp_col "$3" "$head_line")
	if [ "$c1" -ge 0 ] && [ "$c1" = "$c2" ] && [ "$c2" = "$c3" ]; then
		ok "a cut CJK name keeps the $3 column in line (column $c1)"
	else
		not_ok "a cut CJK name keeps the $3 column in line (CJK $c1, ASCII $c2, header $c3)"
		ui_dump
	fi
done
check "no line is wider than the 100-column window" \
	test "$(max_width "$tmp/screen")" -le 100
ui_quit
