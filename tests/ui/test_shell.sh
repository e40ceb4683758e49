#!/bin/sh
# tests/ui/test_shell.sh: the shell around the views, through the real screen
# (tmux): tabs, the help pager, the `:` command line, Ctrl-L, resizing in the
# middle of a form, quitting with unsaved changes, --no-color, the config
# file (bind, set, errors) and an idle confab using no CPU.
# See tests/ui/lib.sh.  Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

. "$(dirname "$0")/lib.sh"

# has_color FILE: FILE (capture-pane -e) sets a foreground/background colour
has_color() {
	python3 -X utf8 -c '
import re, sys
for m in re.finditer(r"\x1b\[([0-9;]*)m", open(sys.argv[1]).read()):
    for p in m.group(1).split(";"):
        if p and (30 <= int(p) <= 37 or 40 <= int(p) <= 47 or 90 <= int(p) <= 97
                  or 100 <= int(p) <= 107 or int(p) in (38, 48)):
            sys.exit(0)
sys.exit(1)
' "$1"
}

# cpu_ticks PID: utime + stime from /proc/PID/stat
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

ui_start 120 30
ui_wait_for '0 contacts'
ui_assert_screen '^ 1 Address book .* 2 Online monitor .* 3 Diary .* 4 CRM .* 5 Messages .* 6 Call logs' \
	"the tab bar lists the six tabs"
ui_assert_screen '^ confab . local profile \(not signed in\)  \|  0 contacts +[0-9]{2}:[0-9]{2}' \
	"the status bar says who is signed in, the count and the time"
ui_assert_screen '^c:Call  a:Add  e:Edit  d:Delete  /:Search  b:Books' \
	"the hint bar shows the address book keys"

# ---- tabs: 2..6, Tab and BackTab; signed out, each says what it needs ----------
ui_keys 2
ui_assert_screen '^  Online monitor$' "2 shows the Online monitor"
ui_assert_screen 'You are not signed in to a confab server' "signed out, the monitor says so"
ui_assert_screen 'Press L to sign in' "and how to sign in"
ui_assert_screen 'works without a server' "and what works without one"
ui_assert_screen '^m:Menu  c:Call  a:Add .* L:Sign in' "the monitor's hint bar shows its keys"
ui_keys 3
ui_assert_screen '\[month\]$' "3 shows the Diary's month"
ui_assert_screen 'Nothing on this day; a adds an appointment' \
	"an empty diary says how to add an appointment"
ui_keys 4
ui_assert_screen '^ CRM .* 0 records' "4 shows CRM"
ui_assert_screen 'No CRM records yet' "CRM shows its empty state"
ui_keys 5
ui_assert_screen '^  Messages$' "5 shows Messages"
ui_assert_screen 'Sign in \(L on tab 2, or L here\) to send and receive messages' \
	"signed out, Messages says how to sign in"
ui_assert_screen 'Nothing is stored on this machine yet' "Messages shows its empty state"
ui_assert_screen '^c:Compose  r:Reply .* /:Search' "the Messages hint bar shows its keys"
ui_keys 6
ui_assert_screen '^ Call log ' "6 shows Call logs"
ui_assert_screen 'No calls yet' "Call logs shows its empty state"
ui_assert_not_screen '0 contacts  ' "the address book is not drawn under another tab"
ui_keys Tab
ui_assert_screen 'All address books .* 0 contacts' "Tab from the last tab wraps to the Address book"
ui_keys Tab
ui_assert_screen '^  Online monitor$' "Tab goes to the next tab"
ui_keys BTab
ui_assert_screen 'All address books .* 0 contacts' "BackTab goes to the previous tab"
ui_keys BTab
ui_assert_screen '^ Call log ' "BackTab from the first tab wraps to the last"
ui_keys 1
ui_wait_for 'All address books .* 0 contacts'

# ---- help ----------------------------------------------------------------------------
ui_keys ?
ui_assert_screen 'Help: address book' "? opens the help for the address book"
ui_assert_screen ' a +add-contact +add a contact' "help lists add-contact with its key a"
ui_assert_screen ' d, Delete +delete-contact +delete the selected contact' \
	"help lists delete-contact with d and Delete"
ui_assert_screen '1-25 of [0-9]+  q:close' "the help pager shows its position and that q closes it"
ui_keys j j j j j j j j		# down to the list keys
ui_assert_screen ' / +search +search \(results show as you type\)' "help lists the list keys"
ui_assert_screen "^$B   j, Down, C-n +down +move down" "help lists the keys for down in lists"
ui_assert_not_screen "^$B   .*Enter.* +down +move down" \
	"help does not list the pager's Enter under down in lists"
ui_keys G
ui_assert_screen ' Q, C-q +quit +quit confab' "G scrolls the help to the global keys"
ui_assert_screen ' C-l +redraw +redraw the screen' "help lists Ctrl-L"
ui_keys q
ui_assert_not_screen 'Help: address book' "q closes the help"
ui_assert_screen 'All address books .* 0 contacts' "the address book is back after the help"

# ---- the : command line ----------------------------------------------------------------
ui_keys :
ui_wait_for '^:$'
ui_type add-c
ui_wait_for '^:add-c$'
ui_keys Tab
ui_assert_screen '^:add-contact ?$' "Tab completes :add-c to add-contact"
ui_keys Enter
ui_assert_screen 'New contact' ":add-contact runs the action"
ui_keys Escape
ui_assert_not_screen 'New contact' "Esc leaves an untouched form without asking"
ui_keys :
ui_wait_for '^:$'
ui_type 'books add Work'
ui_wait_for '^:books add Work$'
ui_keys Enter
ui_wait_gone '^:books add Work$'
ui_keys b
ui_assert_screen 'Address books' "b opens the book chooser"
ui_assert_screen "^ +$B +Work  \\(0\\)" "the book added on the command line is listed"
ui_assert_screen 'Personal  \(0\)' "the default book is listed too"
ui_keys q
ui_wait_gone 'Enter: [Oo]pen  a: [Aa]dd'
ui_keys :
ui_wait_for '^:$'
ui_type frobnicate
ui_keys Enter
ui_assert_screen "^unknown command 'frobnicate' \(Tab completes; \? lists actions\)" \
	"an unknown command shows an error"
ui_keys :
ui_wait_for '^:$'
ui_type 'set sort = nonsense'
ui_keys Enter
ui_assert_screen "^unknown sort 'nonsense'" "a bad :set value shows an error"

# ---- an acknowledged error does not cut a later message short ---------------------------
# Errors stay 12 s unless a key acknowledges them; messages stay 6 s.  The
# timings are what is tested here, so this part waits on the clock.
ui_keys Escape
ui_wait_gone "^unknown sort"
ui_keys :
ui_wait_for '^:$'
ui_type frobnicate
ui_keys Enter
ui_wait_for "^unknown command 'frobnicate'"
ui_keys k			# a key acknowledges the error
ui_assert_screen '^c:Call  a:Add  e:Edit' "a key clears the error and the hints come back"
sleep 10
ui_keys n			# "No search: press / to search", a 6 s message
ui_wait_for '^No search: press / to search'
sleep 3				# the error's 12 s would be over now
ui_assert_screen '^No search: press / to search' \
	"a message shown after an acknowledged error stays its 6 s"

# ---- Ctrl-L redraws over garbage written behind confab's back --------------------------
ui_keys Escape
ui_wait_for '^c:Call  a:Add  e:Edit'
tty=$(ui_tmux display -p -t "$UI_TARGET" '#{pane_tty}')
printf '\033[12;5HGARBAGE-GARBAGE-GARBAGE' >"$tty"
ui_wait_for 'GARBAGE-GARBAGE'
ui_keys C-l
ui_assert_not_screen 'GARBAGE' "Ctrl-L redraws the whole screen"
ui_assert_screen 'All address books .* 0 contacts' "after Ctrl-L the address book is intact"

# ---- resize while filling the form -------------------------------------------------------
ui_keys a
ui_wait_for 'New contact'
ui_keys Down
ui_type Resi
ui_keys Down Down
ui_type Zed
ui_wait_for 'Family name +Zed'
ui_tmux resize-window -t "$UI_TARGET" -x 70 -y 20
ui_assert_screen '^ confab . local profile .* [0-9]{2}:[0-9]{2}$' "the status bar is redrawn at 70x20"
ui_wait_for 'New contact q+k$'
check "the form fits in 70 columns" test "$(max_width "$tmp/screen")" -le 70
ui_assert_screen 'Given name +Resi' "the typed given name survives shrinking"
ui_assert_screen 'Family name +Zed' "the typed family name survives shrinking"
ui_keys Down Down Down
ui_type Shrunk
ui_assert_screen 'Organisation +Shrunk' "typing goes on in the small window"
ui_tmux resize-window -t "$UI_TARGET" -x 120 -y 30
ui_wait_for '^ confab . local profile .* {40}[0-9]{2}:[0-9]{2}$'
ui_assert_screen 'Notes' "the whole form shows again at 120x30"
ui_assert_screen 'Given name +Resi' "the given name survives growing"
ui_assert_screen 'Organisation +Shrunk' "the organisation survives growing"
ui_keys C-s
ui_assert_screen '^Added Resi Zed' "the form typed across resizes saves"
ui_assert_screen '^ Resi Zed +.*Shrunk' "the contact is listed"

# ---- quitting with an unsaved form asks first ---------------------------------------------
# In a form Q is text (names have capitals): it types a Q and does not quit.
ui_keys a
ui_wait_for 'New contact'
ui_keys Down
ui_type Unsaved
ui_wait_for 'Given name +Unsaved'
ui_keys Q
ui_assert_screen 'Given name +UnsavedQ' "Q in a form is typed, it does not quit"
if ui_dead; then not_ok "confab still runs after Q in a form"; else ok "confab still runs after Q in a form"; fi
ui_keys BSpace
ui_wait_for "Given name +Unsaved\$|Given name +Unsaved +$B\$"
# a quit key that is not text reaches the shell from a form: bind one
ui_keys Escape
ui_assert_screen 'Discard your changes\?' "Esc on a changed form asks"
ui_keys n
ui_wait_gone 'Discard your changes'
ui_assert_screen 'Given name +Unsaved' "answering n to discard keeps the form"
ui_keys Escape
ui_wait_for 'Discard your changes\?'
ui_keys y
ui_wait_gone 'New contact'
ui_keys :
ui_wait_for '^:$'
ui_type 'bind C-q quit'
ui_keys Enter
ui_assert_screen '^C-q now runs quit' ":bind C-q quit is confirmed"
ui_keys a
ui_wait_for 'New contact'
ui_keys Down
ui_type Unsaved
ui_wait_for 'Given name +Unsaved'
ui_keys C-q
ui_assert_screen 'You have unsaved changes\. Quit anyway\?' "quitting with a changed form asks"
ui_keys n
ui_wait_gone 'Quit anyway'
if ui_dead; then
	not_ok "answering n keeps confab running"
else
	ok "answering n keeps confab running"
fi
ui_assert_screen 'Given name +Unsaved' "answering n keeps the form and its text"
ui_keys C-q
ui_wait_for 'Quit anyway\?'
ui_keys y
ui_wait_exit

# ---- --no-color ---------------------------------------------------------------------------
ui_start 120 30
ui_wait_for 'All address books'
ui_tmux capture-pane -e -p -t "$UI_TARGET" >"$tmp/color"
check "the default screen uses colours" has_color "$tmp/color"
ui_quit
ui_start 120 30 --no-color
ui_assert_screen 'All address books .* 1 contact' "--no-color starts (and keeps the data)"
ui_assert_screen '^ Resi Zed' "--no-color shows the list"
ui_tmux capture-pane -e -p -t "$UI_TARGET" >"$tmp/color"
if has_color "$tmp/color"; then
	not_ok "--no-color sets no colours"
else
	ok "--no-color sets no colours"
fi
ui_quit

# ---- --ascii ------------------------------------------------------------------------------
ui_start 120 30 --ascii
ui_assert_screen '^ 1 Address book \| 2 Online monitor \| 3 Diary' "--ascii: the tab bar uses |"
ui_assert_screen 'All address books  - 1 contact  - sorted by' "--ascii: the header uses -"
ui_assert_screen 'Organisation +\| Resi Zed$' "--ascii: the detail pane border is |"
ui_quit

# ---- a config file: bind J down, set sort = org -------------------------------------------
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" contacts add --name "Zed Alpha" --org Zenith >/dev/null
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" contacts add --name "Bob Middle" --org Acme >/dev/null
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" contacts add --name "Amy Zulu" --org Midway >/dev/null
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" contacts delete "$("$CONFAB" -D "$UI_DATA" \
	-C "$UI_CONF" contacts search Resi | cut -f1)" >/dev/null
printf 'bind J down\nset sort = org\n' >"$tmp/bind.conf"
UI_CONF=$tmp/bind.conf ui_start 120 30
ui_assert_screen 'sorted by Organisation' "set sort = org: the header says sorted by Organisation"
ui_wait_for '^ Amy Zulu'
order=$(grep -oE '^ (Zed Alpha|Bob Middle|Amy Zulu)' "$tmp/screen" | tr -d '\n')
check "set sort = org: the list is in organisation order ($order)" \
	test "$order" = " Bob Middle Amy Zulu Zed Alpha"
ui_assert_screen "Organisation +$B Bob Middle\$" "the first contact is selected"
ui_keys J
ui_assert_screen "Organisation +$B Amy Zulu\$" "bind J down: J moves down"
ui_keys J
ui_assert_screen "Organisation +$B Zed Alpha\$" "J moves down again"
ui_keys ?
ui_assert_screen "^$B +j, .*J +down +move down" "help shows J among the keys for down"
ui_keys q
ui_wait_gone 'Help:'
ui_quit

# ---- a config file with an unknown setting: an error on screen, confab runs ---------------
printf 'set colour = purple\n' >"$tmp/bad.conf"
UI_CONF=$tmp/bad.conf ui_start 120 30
ui_assert_screen "bad\.conf:1: unknown setting 'colour'" \
	"an unknown setting is reported on screen at start"
ui_assert_screen 'All address books .* 3 contacts' "confab runs despite the bad setting"
ui_keys 2
ui_assert_screen '^  Online monitor$' "and takes keys"
ui_keys 1
ui_wait_for 'All address books'
ui_quit

# ---- idle: no CPU while nothing happens --------------------------------------------------------
ui_start 120 30
ui_wait_for 'All address books .* 3 contacts'
pid=$(ui_pid)
sleep 1
t1=$(cpu_ticks "$pid")
sleep 3
t2=$(cpu_ticks "$pid")
check "an idle confab uses no CPU ($((t2 - t1)) ticks in 3 s, at most 2)" \
	test $((t2 - t1)) -le 2
ui_quit
