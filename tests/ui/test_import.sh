#!/bin/sh
# tests/ui/test_import.sh: import and export through the real screen (tmux):
# a 20,000-card vCard file with its progress box and report (skipped cards
# with file:line and the reason), re-importing it with "Skip" for duplicates,
# exporting to a .vcf file, and the address book chooser (add, rename,
# remove with confirmation).
# See tests/ui/lib.sh.  Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

. "$(dirname "$0")/lib.sh"

N=20000
VCF=$tmp/big.vcf
# A card with nothing to go by (line 1), an Apple contact group (line 5), then
# N people with unique emails and phones.
python3 - "$N" "$VCF" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", newline="") as out:
    w = out.write
    w("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name\\, email or phone\r\n"
      "END:VCARD\r\n")
    w("BEGIN:VCARD\r\nVERSION:3.0\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"
      "FN:Friends\r\nN:Friends;;;;\r\n"
      "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:0b9a1a8e-0000-4000-8000-000000000001\r\n"
      "END:VCARD\r\n")
    for i in range(n):
        w("BEGIN:VCARD\r\nVERSION:3.0\r\n")
        w("FN:Person %05d\r\nN:%05d;Person;;;\r\n" % (i, i))
        w("EMAIL;TYPE=work:person%05d@example.com\r\n" % i)
        w("TEL;TYPE=cell:+1 555 %03d %04d\r\n" % (i // 10000, i % 10000))
        w("ORG:Company %d\r\nEND:VCARD\r\n" % (i % 97))
EOF
check "the test file has $((N + 2)) cards" \
	test "$(grep -c '^BEGIN:VCARD' "$VCF")" -eq $((N + 2))

# import_file PATH CHOICE: i, the path, Enter, then the duplicates menu
import_file() {
	ui_keys i
	ui_wait_for 'Import a vCard or CSV file, or a vdir directory:'
	ui_type "$1"
	ui_keys Enter
	ui_wait_for 'Duplicates \(same UID, email or phone\)'
	ui_assert_screen 'Merge them into the contact already stored' \
		"the duplicates menu offers to merge"
	ui_assert_screen 'Skip them \(keep what is stored\)' \
		"the duplicates menu offers to skip"
	ui_keys "$2"
}

# poll_progress: watch the progress box, as fast as capture-pane allows,
# until the report shows; $seen: the percentages seen mid-way (1-99 %)
poll_progress() {
	seen=
	path_seen=
	n=0
	while [ "$n" -lt 1500 ]; do	# 60 s at most
		ui_screen >"$tmp/screen"
		grep -q 'Import report' "$tmp/screen" && break
		if grep -q 'Importing' "$tmp/screen"; then
			grep -qF "$VCF" "$tmp/screen" && path_seen=1
			pct=$(grep -Eo ' [0-9]{1,3}%' "$tmp/screen" | head -1)
			case $pct in
			' '[1-9]% | ' '[1-9][0-9]%)
				case " $seen " in
				*"$pct "*) ;;
				*) seen="$seen${pct}" ;;
				esac
				;;
			esac
		fi
		n=$((n + 1))
		sleep 0.02
	done
}

ui_start 120 30
ui_wait_for '0 contacts'

# ---- a big import: progress, then the report -----------------------------------------
import_file "$VCF" 1
poll_progress
if [ -n "$seen" ]; then
	ok "the progress box shows Importing with a percentage (seen:$seen)"
	check "the progress box names the file" test -n "$path_seen"
else
	# too quick to catch on this machine: the report below still checks
	ok "the progress box shows Importing with a percentage # SKIP the import finished between two polls"
fi
ui_assert_screen 'Import report' "the import ends with a report"
ui_assert_screen "^Imported $N, merged 0, skipped 2\$" "the message line sums up the import"
ui_assert_screen "$VCF \(vCard\)" "the report names the file and its format"
ui_assert_screen "Imported  $N " "the report counts $N imported"
ui_assert_screen 'Merged    0 ' "the report counts 0 merged"
ui_assert_screen 'Skipped   2 ' "the report counts 2 skipped"
ui_assert_screen "^$B   big\\.vcf:1: no name, email or phone" \
	"the report lists the empty card with file:line and reason"
ui_assert_screen "^$B   big\\.vcf:5: group card \\(not a person\\)" \
	"the report lists the Apple group card with file:line and reason"
ui_keys q
ui_wait_gone 'Import report'
ui_assert_screen "All address books .* $N contacts" "the list counts $N contacts"
ui_assert_screen "\\|  $N contacts" "the status bar counts $N contacts"
ui_assert_screen '^ Person 00000 +person00000@exampl.* +\+1 555 000 +Company 0 ' \
	"the first imported contact is listed"
ui_assert_screen 'Email work +person00000@example\.com' \
	"the detail pane shows the first contact"

# ---- the same file again, skipping duplicates ------------------------------------------
import_file "$VCF" 2
ui_wait_for 'Import report' 60
ui_assert_screen 'Imported  0 ' "re-import with Skip imports nothing"
ui_assert_screen 'Merged    0 ' "re-import with Skip merges nothing"
ui_assert_screen "Skipped   $((N + 2)) " "re-import with Skip skips every card"
ui_assert_screen "^$B   big\\.vcf:12: duplicate of an existing contact \\(Person 00000\\)" \
	"the report says the cards were skipped as duplicates, with file:line"
ui_keys q
ui_wait_gone 'Import report'
ui_assert_screen "\\|  $N contacts" "the status bar count is unchanged after the skip"
ui_assert_screen "All address books .* $N contacts" "the list count is unchanged"

# ---- a file that is not there -------------------------------------------------------------
ui_keys i
ui_wait_for 'Import a vCard or CSV file'
ui_type "$tmp/missing.vcf"
ui_keys Enter
ui_assert_screen "^$tmp/missing\\.vcf: No such file or directory" \
	"importing a missing file says so"

# ---- export what is shown to a .vcf file ---------------------------------------------------
ui_keys Escape
ui_wait_for "All address books .* $N contacts"
ui_keys x
ui_assert_screen "Export $N contacts to \\(file\\.vcf, file\\.csv or directory/\\):" \
	"x asks where to export"
ui_assert_screen '~/contacts\.vcf' "the export path is filled in"
ui_keys C-u
ui_wait_gone '~/contacts\.vcf'
ui_type "$tmp/out.vcf"
ui_keys Enter
ui_assert_screen 'Export format' "the export asks for a format"
ui_assert_screen 'vCard 3\.0' "vCard 3.0 is offered"
ui_keys Enter
ui_wait_for "Exported $N contacts to $tmp/out\\.vcf" 60
ok "the export says how many contacts went where"
check "the exported file exists" test -s "$tmp/out.vcf"
check "the exported file has $N cards" \
	test "$(grep -c '^BEGIN:VCARD' "$tmp/out.vcf" 2>/dev/null)" -eq "$N"
check "the exported file is vCard 3.0" grep -q '^VERSION:3\.0' "$tmp/out.vcf"

# ---- the address book chooser: add, rename, remove ------------------------------------------
ui_keys b
ui_assert_screen 'Address books' "b opens the chooser"
ui_assert_screen "All address books  \\($N\\)" "the chooser counts all contacts"
ui_assert_screen "Personal  \\($N\\)" "the chooser lists Personal with its count"
ui_assert_screen 'Enter: [Oo]pen  a: [Aa]dd  r: [Rr]ename  d: [Rr]emove  q: [Cc]lose' \
	"the chooser says its keys"
ui_keys a
ui_assert_screen 'Name of the new address book:' "a asks for a name"
ui_type Clients
ui_keys Enter
ui_assert_screen '^Added address book Clients' "adding a book says so"
ui_assert_screen 'Clients  \(0\)' "the new book is listed, empty"
# go to it: the first row is "All address books", then the books by name
ui_keys Down
ui_keys r
ui_assert_screen 'New name:' "r asks for the new name"
ui_assert_screen "$B  Clients +$B" "the old name is filled in"
ui_keys C-u
ui_type Customers
ui_keys Enter
ui_assert_screen '^Renamed Clients to Customers' "renaming says so"
ui_assert_screen 'Customers  \(0\)' "the renamed book is listed"
ui_assert_not_screen 'Clients  \(0\)' "the old name is gone"
ui_keys d
ui_assert_screen 'Remove address book Customers and its 0 contacts\?' \
	"d asks before removing a book"
ui_keys n
ui_wait_gone 'Remove address book'
ui_assert_screen 'Customers  \(0\)' "answering n keeps the book"
ui_keys d
ui_wait_for 'Remove address book Customers'
ui_keys y
ui_assert_screen '^Removed address book Customers' "answering y removes the book"
ui_assert_not_screen 'Customers  \(0\)' "the removed book is gone from the chooser"
ui_assert_screen "Personal  \\($N\\)" "the other book keeps its contacts"
# open Personal
ui_keys g
ui_keys Down
ui_keys Enter
ui_assert_screen "^ Personal  . $N contacts" "Enter opens the chosen book"
ui_assert_not_screen 'Enter: [Oo]pen  a: [Aa]dd' "the chooser closes on Enter"
ui_quit
