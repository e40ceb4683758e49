#!/bin/sh
# tests/ui/test_diary.sh: the Diary tab through the real screen (tmux): a
# reminder missed while confab was closed is listed at start; a recurring
# appointment made in the form shows in the month and the agenda, its
# reminder fires on screen at once (its lead time is its whole distance),
# the status bar counts down to the next appointment, and "this
# occurrence" is deleted alone.  See tests/ui/lib.sh.

. "$(dirname "$0")/lib.sh"

TZ=Europe/London
export TZ

# A reminder that came due 25 minutes ago, while confab was not running.
start=$(date -d '+5 min' '+%Y-%m-%d %H:%M')
"$CONFAB" -D "$UI_DATA" -C "$UI_CONF" diary add --title "Budget review" \
	--start "$start" --remind 30m >/dev/null ||
	not_ok "diary add from the CLI"

# the user's notify_command gets each reminder's title and time
printf 'printf "%%s|%%s\\n" "$1" "$2" >>"%s"\n' "$tmp/notified" >"$tmp/notify.sh"
printf 'set notify_command = "sh %s"\n' "$tmp/notify.sh" >"$UI_CONF"

ui_start 120 36
ui_assert_screen 'Missed reminders' "a missed reminder is listed at start"
ui_assert_screen 'Budget review' "the missed reminder names the appointment"
ui_keys q
ui_wait_gone 'Missed reminders'
ui_assert_screen 'Next: Budget review in [0-9]+m' \
	"the status bar counts down to the next appointment"

# ---- a weekly appointment through the form -----------------------------------
# It starts at the next whole minute plus one; a reminder 2 minutes before
# is due at once.
when=$(date -d '+2 min' '+%Y-%m-%d %H:%M')
day=${when% *}
hm=${when#* }
ui_keys 3
ui_wait_for '\[month\]'
ui_keys a
ui_wait_for 'New appointment'
ui_type "Weekly sync"
ui_keys Tab C-u
ui_type "$day"
ui_keys Tab C-u
ui_type "$hm"
ui_keys Tab Tab Tab Tab		# end date, end time, zone -> Repeats
ui_type weekly
ui_keys Tab
ui_type 3			# Until or times
ui_keys Tab
ui_type "Room 1"
ui_keys Tab Tab C-u		# category -> the first reminder (15m)
ui_type 2m
ui_wait_for "Reminder +2m"
ui_keys C-s
ui_wait_gone 'New appointment'
ui_assert_screen 'Reminder: Weekly sync' \
	"the new appointment's reminder fires on screen"
ui_assert_screen "[0-9:]+ Weekly sy" "the month grid shows it"
i=0
while [ $i -lt 40 ] && ! grep -q '^Weekly sync|' "$tmp/notified" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
check "notify_command ran with the title and the time" \
	grep -q "^Weekly sync|.*$hm" "$tmp/notified"
check "a reminder missed while closed is listed, not notified" \
	test "$(grep -c '^Budget review|' "$tmp/notified")" -eq 0

ui_keys A
ui_wait_for '\[agenda\]'
n=$(grep -c 'Weekly sync  @ Room 1' "$tmp/screen")
check "the agenda lists its 3 occurrences ($n)" test "$n" -eq 3
check "each occurrence is marked as repeating" \
	test "$(grep -c 'Weekly sync  @ Room 1  ↻  ⏰' "$tmp/screen")" -eq 3

# open the first occurrence: its series rule is shown
# the cursor starts on the first item; walk to the first Weekly sync
ui_keys Enter
if ui_on_screen 'Repeats +FREQ=WEEKLY' 2; then
	ok "Enter opens the appointment with its rule"
else
	ui_keys q
	ui_keys j Enter
	ui_assert_screen 'Repeats +FREQ=WEEKLY;BYDAY=[A-Z]{2};COUNT=3' \
		"Enter opens the appointment with its rule"
fi
ui_assert_screen 'Room 1' "the layer shows the location"

# delete only this occurrence
ui_keys d
ui_wait_for 'Delete which'
ui_keys Enter			# "This occurrence only"
ui_assert_screen 'Deleted this occurrence' "one occurrence is deleted"
ui_keys q
ui_wait_for '\[agenda\]'
ui_screen >"$tmp/screen"
n=$(grep -c 'Weekly sync  @ Room 1' "$tmp/screen")
check "two occurrences are left ($n)" test "$n" -eq 2
ui_quit

# the CLI sees the same diary: the series with one exception
json=$("$CONFAB" -D "$UI_DATA" -C "$UI_CONF" diary list --json)
check "the CLI lists the two remaining occurrences" \
	test "$(printf '%s' "$json" | grep -c '"title": "Weekly sync"')" -eq 2

