/* app/commands: the table of CLI subcommands.
 *
 * Each entry names a subcommand, its one-line summary (confab --help) and
 * its full usage text (confab help COMMAND); the code lives in
 * src/app/cli_*.c.
 */
#include "app/app.h"
#include "app/cli.h"
#include "common/str.h"

#include <stddef.h>
#include <string.h>

static const char contacts_usage[] =
	"usage: confab contacts SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--book NAME] [--sort name|given|org|updated] [--json]\n"
	"      One line per contact, fields separated by a TAB:\n"
	"      id, name, email, phone, organisation, address book.\n"
	"  search TEXT [--book NAME] [--json]\n"
	"      Contacts where every word of TEXT starts a word of the name,\n"
	"      organisation, email, notes or tags; digits match phone numbers\n"
	"      (\"020 7946\" finds +44 20 7946 0958).\n"
	"  show ID|UID [--json]\n"
	"      Every field of one contact.\n"
	"  add [--name NAME] [--email E]... [--phone P]... [--org O] [--title T]\n"
	"      [--birthday YYYY-MM-DD|--MM-DD] [--note TEXT] [--tag T]...\n"
	"      [--book NAME]\n"
	"      NAME is \"Given Family\" (the last word is the family name) or\n"
	"      \"Family, Given\".  At least one of --name, --email, --phone or\n"
	"      --org is needed.  Prints the new contact's id.\n"
	"  edit ID|UID [--name NAME] [--email E]... [--phone P]... [--org O]\n"
	"      [--title T] [--birthday B] [--note TEXT] [--tag T]... [--book NAME]\n"
	"      Change the options given; a list given (--email, --phone, --tag)\n"
	"      replaces the old list, an empty value (\"\") clears a field.\n"
	"  delete ID|UID\n"
	"  import FILE|DIR [--book NAME] [--on-duplicate merge|skip]\n"
	"      Read a vCard (2.1, 3.0, 4.0) or CSV (Google, Outlook, confab)\n"
	"      file, or a directory of .vcf files.  A contact with the same UID,\n"
	"      email or phone as one in the book is merged into it (default) or\n"
	"      skipped.  If the import fails nothing is changed.\n"
	"  export [--book NAME] [--search TEXT] [--format vcard3|vcard4|csv]\n"
	"      [-o FILE|DIR]\n"
	"      Write contacts to standard output or to FILE (replaced\n"
	"      atomically).  When -o names a directory, or ends with '/', write\n"
	"      one .vcf file per contact there (a vdir).  Default: vcard3.\n"
	"  query TEXT\n"
	"      For mutt's query_command: a status line, then one line per\n"
	"      address, \"EMAIL<TAB>NAME<TAB>ORGANISATION\".  Exit status 1\n"
	"      when nothing matches.\n"
	"          set query_command = \"confab contacts query %s\"\n"
	"\n"
	"--book defaults to all books for list, search and export, and to the\n"
	"configured default_book (else Personal) for add and import.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char books_usage[] =
	"usage: confab books SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--json]            each book and how many contacts it holds,\n"
	"                           as NAME<TAB>COUNT\n"
	"  add NAME                 create an empty address book\n"
	"  rename OLD NEW           rename a book\n"
	"  remove NAME [--yes]      remove a book; one holding contacts is only\n"
	"                           removed, with them, when --yes is given\n"
	"\n"
	"Book names compare case-insensitively.  When every book is removed,\n"
	"the next contact added goes to a new book named Personal.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char calls_usage[] =
	"usage: confab calls SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--missed|--incoming|--outgoing|--pc|--phone] [--limit N]\n"
	"      [--json]\n"
	"      The call log, newest first, one line per call, fields separated\n"
	"      by a TAB: id, start (YYYY-MM-DD HH:MM, local time), direction\n"
	"      (in/out), kind (pc/phone), outcome, duration in seconds, name\n"
	"      (the contact's when known), peer (user name or E.164 number),\n"
	"      cost.  --missed shows incoming missed calls only.\n"
	"  add --peer P --direction in|out --kind pc|phone --outcome O\n"
	"      [--start \"YYYY-MM-DD HH:MM\"] [--duration SECONDS]\n"
	"      [--cost AMOUNT] [--currency EUR] [--name NAME] [--contact ID]\n"
	"      [--loss PERCENT --jitter MS --rtt MS --mos 1-5]\n"
	"      Put a call in the log.  The call engine writes the log itself;\n"
	"      this is for tests and scripts (and importing old logs).  O is\n"
	"      answered, missed, rejected, failed, voicemail, busy or\n"
	"      cancelled.  A phone peer is a number (stored as E.164) and is\n"
	"      matched to the contact holding it.  --start defaults to now.\n"
	"  seen\n"
	"      Mark the missed calls seen (as opening the Call logs tab does).\n"
	"  delete ID\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char diary_usage[] =
	"usage: confab diary SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--from DATE] [--to DATE] [--json]\n"
	"      Appointments from DATE (default today) to the end of --to\n"
	"      (default 30 days on), recurring ones expanded, in your time zone.\n"
	"      One line per occurrence, TAB-separated: id, start, end, title,\n"
	"      location, and \"recurring\" for an occurrence of a series.\n"
	"  add --title T --start \"YYYY-MM-DD HH:MM\" [--end ...] [--all-day]\n"
	"      [--tz ZONE] [--rrule RULE] [--remind 15m]... [--location L]\n"
	"      [--notes N] [--category C] [--attendee CONTACT|EMAIL]...\n"
	"      --start \"YYYY-MM-DD\" (or --all-day) makes an all-day event.\n"
	"      Without --end: an hour, or one day; an all-day event's --end\n"
	"      is its last day.  ZONE is an IANA name\n"
	"      (default: yours).  RULE is an iCalendar RRULE, e.g.\n"
	"      FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10.  --remind takes a lead time:\n"
	"      90 or 90m, 2h, 1d, 1w.  --attendee takes a contact (a search\n"
	"      matching exactly one) or an email.  Prints the new id.\n"
	"  show ID [--json]\n"
	"  delete ID          (a series with all its occurrences)\n"
	"  import FILE.ics|DIR [--on-duplicate update|skip]\n"
	"  export [-o FILE|DIR] [--from DATE] [--to DATE]\n"
	"      iCalendar (RFC 5545) in and out; a directory is a vdir of .ics\n"
	"      files.  See confab(1).\n"
	"\n"
	"DATE is YYYY-MM-DD, \"YYYY-MM-DD HH:MM\" or today.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char crm_usage[] =
	"usage: confab crm SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--status S] [--owner O] [--tag T] [--due] [--json]\n"
	"      One line per CRM record, fields separated by a TAB: contact id\n"
	"      (- when the contact was deleted), name, status, owner, value,\n"
	"      next-action date, next action.  --due: next action due today\n"
	"      or earlier, soonest first.\n"
	"  search TEXT [--status S] [--owner O] [--tag T] [--due] [--json]\n"
	"      Records where every word of TEXT starts a word of the name,\n"
	"      organisation, status, owner, source, tags, next action or any\n"
	"      note of the timeline.\n"
	"  show CONTACT [--json]\n"
	"      The record and its timeline, newest first.\n"
	"  add CONTACT [--status S] [--owner O] [--value V] [--source S]\n"
	"      [--next TEXT] [--next-date DATE] [--tag T]...\n"
	"      Start a record for a contact; the status defaults to the first\n"
	"      of crm_statuses (lead).\n"
	"  note CONTACT TEXT\n"
	"      Add a note to the contact's timeline; creates the record (with\n"
	"      the first status) when the contact has none.\n"
	"  edit CONTACT [--status S] [--owner O] [--value V] [--source S]\n"
	"      [--next TEXT] [--next-date DATE] [--tag T]...\n"
	"      Change the options given; an empty value (\"\") clears one, a\n"
	"      --tag list replaces the tags.  V is an amount with a currency\n"
	"      (\"1200.50 EUR\", \"EUR 99\", \"\xc2\xa3" "300\").  DATE is YYYY-MM-DD,\n"
	"      today or tomorrow: the diary gets an all-day appointment\n"
	"      \"CRM: NEXT \xe2\x80\x94 NAME\" with a reminder, moved or removed with\n"
	"      the date.\n"
	"  delete CONTACT\n"
	"      Delete the record, its timeline and its diary reminder (the\n"
	"      contact stays).\n"
	"  export [--status S] [--owner O] [--tag T] [--due] [-o FILE]\n"
	"      One CSV file (RFC 4180): a row per record (kind \"record\")\n"
	"      followed by a row per timeline event (kind note, call, meeting\n"
	"      or message), to standard output or FILE (replaced atomically).\n"
	"\n"
	"CONTACT is a contact id, a contact or CRM record UID, or a name or\n"
	"email that finds exactly one contact (the candidates are listed when\n"
	"several match).  Statuses come from crm_statuses in confab.conf\n"
	"(default lead,prospect,customer,inactive).\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char login_usage[] =
	"usage: confab login --server URL --user USER [--password-file FILE]\n"
	"\n"
	"Sign in to a confab server (confabd).  Without --password-file the\n"
	"password is asked on the terminal; --password-file - reads it from\n"
	"standard input.  The session is kept in DATA_DIR/session.json\n"
	"(mode 0600) until `confab logout`.\n";
static const char logout_usage[] =
	"usage: confab logout\n"
	"\n"
	"End the session on the server and forget it here.\n";
static const char whoami_usage[] =
	"usage: confab whoami [--json]\n"
	"\n"
	"Who you are signed in as, asked of the server, with your\n"
	"permissions.\n";

static const char directory_usage[] =
	"usage: confab directory search [TEXT] [--json]\n"
	"\n"
	"Your company's users whose username, name, email, title or\n"
	"department contains TEXT (all of them without it), with their\n"
	"presence: one per line, TAB-separated: username, name, email,\n"
	"department, presence state and note.  Needs `confab login`.\n";
static const char presence_usage[] =
	"usage: confab presence set online|away|busy|dnd|offline [NOTE]\n"
	"\n"
	"Tell your colleagues how you are, with an optional note (at most\n"
	"140 bytes).  Signing in makes you online; signing out of your last\n"
	"session, offline.\n";
static const char profile_usage[] =
	"usage: confab profile show [USER] [--json]\n"
	"       confab profile set [--name N] [--title T] [--department D]\n"
	"           [--email E] [--phone LABEL=NUMBER]...\n"
	"           [--notifications yes|no] [--auto-away MIN] [--timezone TZ]\n"
	"           [--country CC] [--market M]... [--region R]...\n"
	"       confab profile photo FILE\n"
	"       confab profile photo --remove\n"
	"       confab profile photo --show [USER] [--width N] [--height N]\n"
	"           [--color] [--ascii]\n"
	"\n"
	"  show      your profile, or a colleague's, with presence and\n"
	"            permissions (and whether there is a photo); your own\n"
	"            also with your phones and preferences\n"
	"  set       change your own profile: the options given, nothing\n"
	"            else.  --phone (LABEL= optional, default work) replaces\n"
	"            all your phones, read in your country (--country, else\n"
	"            GB) and kept with their E.164 form; --phone \"\" removes\n"
	"            them.  Preferences: notifications, --auto-away idle\n"
	"            minutes before you are shown away (0 to 1440, 0 never),\n"
	"            --timezone (IANA, such as Europe/London), --country\n"
	"            (two letters, such as GB), --market (markets you follow,\n"
	"            from the company's; --market \"\" follows none), --region\n"
	"            (regions you follow, likewise): announcements to a market\n"
	"            or region reach those who follow it.  Prints the profile\n"
	"            as it now is.\n"
	"  photo FILE\n"
	"            set your profile photo: a PNG or JPEG file (told apart\n"
	"            by its first bytes) of at most 512 KiB and 4096x4096\n"
	"            pixels; the server refuses anything it cannot decode\n"
	"  photo --remove\n"
	"            remove your photo\n"
	"  photo --show [USER]\n"
	"            print your photo, or a colleague's, as character art:\n"
	"            --width columns wide (default 60), the height following\n"
	"            from the picture (a cell is twice as tall as wide) up to\n"
	"            --height rows.  ASCII characters with --ascii (or\n"
	"            confab --ascii, or outside UTF-8), else shades; ANSI\n"
	"            colours only with --color.\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char company_usage[] =
	"usage: confab company show [--json]\n"
	"       confab company set [--name N] [--address A] [--region R]...\n"
	"           [--market M]...\n"
	"       confab company logo FILE | --remove | --show [--width N]\n"
	"           [--height N] [--color] [--ascii]\n"
	"\n"
	"  show      your company's profile: name, address, the regions and\n"
	"            markets it works in, and whether it has a logo\n"
	"  set       change the options given (admins only).  A list given\n"
	"            (--region, --market) replaces the old one; --region \"\"\n"
	"            empties it.  An address may hold line breaks.\n"
	"  logo      set the company logo from a PNG or JPEG file (admins\n"
	"            only; the same limits as profile photos), remove it, or\n"
	"            print it as character art like `profile photo --show`\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char monitor_usage[] =
	"usage: confab monitor list [--json]\n"
	"       confab monitor request USER [MESSAGE]\n"
	"       confab monitor accept|decline|remove USER\n"
	"\n"
	"Your online monitor: the colleagues whose presence you watch.  To add\n"
	"someone, request it; they accept or decline.  list prints one line\n"
	"per colleague (username, name, state or request status, note), then\n"
	"the requests waiting for your answer.\n";
static const char events_usage[] =
	"usage: confab events [--cursor N] [--wait SECONDS] [--json]\n"
	"\n"
	"The events the server holds for you after cursor N (presence changes\n"
	"of the people you watch, contact requests and answers), waiting up\n"
	"to SECONDS (at most 60) for the first; then the new cursor.  Without\n"
	"--cursor, only the current cursor.  For scripts and tests.\n";

static const char msg_usage[] =
	"usage: confab msg send --to USER[,USER...] [--subject S] [--attach FILE]...\n"
	"             [--reply ID] [--each-line] [--voicemail] [--no-send] TEXT|-\n"
	"       confab msg list [--folder inbox|sent|trash] [--unread] [--offline]\n"
	"             [--json]\n"
	"       confab msg read ID [--json]\n"
	"       confab msg search TEXT [--json]\n"
	"       confab msg delete ID [--purge]\n"
	"       confab msg restore ID\n"
	"       confab msg unread ID\n"
	"       confab msg reply ID [--all] TEXT|-\n"
	"       confab msg forward ID --to USER[,USER...] [TEXT|-]\n"
	"       confab msg attachment ID [-o FILE]\n"
	"       confab msg outbox [--json] | outbox retry ID | outbox drop ID\n"
	"\n"
	"Messages to colleagues.  What you send or change goes into the outbox\n"
	"first and is then sent; when the server cannot be reached it stays\n"
	"there (exit status 75) until `confab sync` or the TUI sends it, each\n"
	"item with a key so that it is never stored twice.  A message the\n"
	"server refuses (unknown user) is reported and dropped (exit status 1).\n"
	"  send        TEXT, or - for standard input; --each-line sends each\n"
	"              line as a message of its own; --no-send only queues.\n"
	"              --attach uploads a file (Ogg, WebM, WAV, PNG, JPEG, PDF or\n"
	"              UTF-8 text, up to 16 MiB) and sends it along; --voicemail\n"
	"              marks the message a voice mail (its attachment the sound).\n"
	"  list        a folder (default inbox), newest first; pulls what is new\n"
	"              unless --offline.  Columns: ID, N (unread) / - / pending /\n"
	"              refused, date, from (or \"to ...\"), kind, subject or text.\n"
	"  read        show a message and mark it read.\n"
	"  search      every folder, words as prefixes.\n"
	"  delete      to the trash (--purge: for good); restore brings it back.\n"
	"  attachment  an attachment by its id (from `msg read`), checksum\n"
	"              checked, to standard output or FILE.\n"
	"  outbox      what waits to be sent, and what the server refused.\n";

static const char announce_usage[] =
	"usage: confab announce --subject S [--market M]... [--region R]...\n"
	"             [--expires WHEN] [--no-send] TEXT|-\n"
	"\n"
	"An announcement (needs the announcements permission) to everyone in\n"
	"the company, or to those who follow one of the markets or regions in\n"
	"their profile.  It is shown prominently until read, or until WHEN\n"
	"(\"YYYY-MM-DD HH:MM\", HH:MM, +2h, +7d or @UNIXTIME).  Exit status as\n"
	"for `confab msg send`.\n";

static const char remind_usage[] =
	"usage: confab remind [--to USER] --at WHEN [--no-send] TEXT|-\n"
	"\n"
	"A reminder for yourself or a colleague, delivered by the server at\n"
	"WHEN (\"YYYY-MM-DD HH:MM\", HH:MM for the next such time, +30m, +2h,\n"
	"+1d or @UNIXTIME), also when they sign in later; confab alerts them\n"
	"as it does for diary reminders.  Exit status as for `confab msg send`.\n";

static const char sync_usage[] =
	"usage: confab sync [--quiet]\n"
	"       confab sync conflicts [--json]\n"
	"       confab sync resolve ID mine|theirs|both\n"
	"\n"
	"Your address books, contacts and call log are the same on every\n"
	"machine you sign in from, and messages follow you.  `confab sync`\n"
	"pulls what changed on the server, sends what changed here and what\n"
	"waits in the outbox, then exits: 0 when all was sent, 75 when\n"
	"something still waits (the reason is printed), 1 on other errors.\n"
	"Changes made while the server cannot be reached are kept and sent\n"
	"later, each once.  A record changed here and on another machine is a\n"
	"conflict: both versions are kept until you choose.\n"
	"  conflicts   list them: ID, kind, uid, when, what each side did\n"
	"  resolve     mine: this machine's version wins; theirs: the other's\n"
	"              does; both: theirs, and mine kept as a new contact\n";

static const char users_usage[] =
	"usage: confab users list [--all] [--json]\n"
	"       confab users add USER --email E [--name N] [--title T]\n"
	"             [--department D] [--perm P]... [--password-file F|--invite]\n"
	"       confab users edit USER [--name N] [--email E] [--title T]\n"
	"             [--department D]\n"
	"       confab users perms USER [P[,P...]]\n"
	"       confab users disable|enable USER\n"
	"       confab users password USER [--password-file F]\n"
	"\n"
	"User admin on the signed-in server (admins and users with the\n"
	"user-admin permission; the same rules as the user admin screen, U\n"
	"in the Online monitor).\n"
	"  list      the company's users: username, name, email, permissions\n"
	"            (TAB-separated); --all adds disabled users, marked\n"
	"  add       a new user with a password (from --password-file, or\n"
	"            asked) or --invite: a single-use code is mailed, or\n"
	"            printed when the server has no mail set up\n"
	"  edit      change name, email, title, department\n"
	"  perms     set exactly these permissions (none given: none): admin,\n"
	"            user-admin, phone, intl-phone, announcements, crm-view,\n"
	"            crm-edit, video, recording; only admins give admin\n"
	"  disable   stop the user signing in (their sessions end); enable\n"
	"            undoes it\n"
	"  password  set a new password for the user; their sessions end\n"
	"Exit status: 0 success, 1 failure (refused, not signed in), 2 bad\n"
	"usage.\n";

static const char audio_usage[] =
	"usage: confab audio devices [--json]\n"
	"\n"
	"The sound devices PortAudio finds, one per line, fields separated\n"
	"by a TAB: index, name, host API (ALSA, JACK...), input channels,\n"
	"output channels, default sample rate, and default-in and/or\n"
	"default-out for the system's default devices.  Calls take a device\n"
	"by its name, its index, or a part of its name only it has; \"null\"\n"
	"(silence, nothing played) and \"file:PATH.wav\" work as devices\n"
	"too.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char call_usage[] =
	"usage: confab call USER [--audio-in F.wav] [--audio-out F.wav]\n"
	"                        [--duration S] [--stats-json F] [--frame-ms 20|10]\n"
	"                        [--relay-only] [--port N] [--dtx] [--peer-via IP:PORT]\n"
	"                        [--local-addr IP[,IP...]] [--voicemail]\n"
	"  Call USER through the signed-in server and talk through the sound\n"
	"  devices of confab.conf (audio_input, audio_output), or send the WAV\n"
	"  file --audio-in and record what USER sends into --audio-out.  A\n"
	"  device may also be given as null or pa:NAME.  The call ends after\n"
	"  --duration seconds of talking, else one second after the end of the\n"
	"  --audio-in file, else when USER hangs up or at Ctrl-C.  Each step is\n"
	"  printed on a line of its own (calling, ringing, connected with the\n"
	"  path and the short authentication string, ended); --stats-json F\n"
	"  writes the call's figures (loss, jitter, round-trip time, jitter\n"
	"  buffer, SRTP, MOS) as JSON.  --relay-only sends the sound through the\n"
	"  server's TURN relay; --port sets the first local UDP port\n"
	"  (media_port, default 2000); --dtx sends nothing in silence;\n"
	"  --peer-via sends the sound to IP:PORT instead of USER's own\n"
	"  addresses (tests: an impairment relay standing between them);\n"
	"  --local-addr takes calls on these local addresses only (127.0.0.1\n"
	"  for calls within one machine), instead of every interface's.\n"
	"  The call goes to the call log.  --voicemail: when USER does not\n"
	"  answer, is offline or does not want to be disturbed, a voice mail\n"
	"  is recorded from the same input and sent (see confab voicemail).\n"
	"Exit status: 0 the call was answered, 3 it was not (declined, busy,\n"
	"no answer, offline), 1 failure, 2 bad usage.\n";

static const char agent_usage[] =
	"usage: confab agent [--auto-answer] [--echo] [--audio-in F.wav]\n"
	"                    [--audio-out F.wav] [--stats-json F] [--count N]\n"
	"                    [--frame-ms 20|10] [--relay-only] [--port N]\n"
	"                    [--dtx] [--peer-via IP:PORT] [--local-addr IP[,IP...]]\n"
	"  Stay signed in without the interface and wait for calls: each is\n"
	"  printed (incoming USER CALL-ID NAME); --auto-answer takes it (a\n"
	"  second call while one is running is answered busy), else answer,\n"
	"  reject, hangup and quit can be typed on standard input; hold and\n"
	"  resume too (the caller prints \"held by USER\", \"resumed by\n"
	"  USER\").  The agent sends the --audio-in WAV file (default silence)\n"
	"  and records into --audio-out (default nothing); --echo sends back\n"
	"  what it hears, which makes it a sound-test contact.  --stats-json\n"
	"  F is rewritten after each call; --count N exits after N calls.\n"
	"  \"ready USER\" is printed once calls can arrive.  SIGINT or SIGTERM\n"
	"  hangs up and exits.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char voicemail_usage[] =
	"usage: confab voicemail send USER [--audio-in F.wav] [--max S]\n"
	"       confab voicemail play MESSAGE-ID [--audio-out F.wav]\n"
	"  send records a voice mail from the microphone (audio_input in\n"
	"  confab.conf) or the WAV file --audio-in, until the file ends, --max\n"
	"  seconds (default and most 180) or Ctrl-C, and sends it to USER as a\n"
	"  message of kind voicemail with the recording (Ogg Opus) attached,\n"
	"  through the outbox.  play plays a voice mail message's recording on\n"
	"  the loudspeaker (audio_output) or into --audio-out.  Devices may also\n"
	"  be given as null or pa:NAME.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

const struct app_cmd app_cmds[] = {
	{ "contacts", "list, search, add, edit, import and export contacts",
	  contacts_usage, cli_contacts_run },
	{ "books", "list, add, rename and remove address books",
	  books_usage, cli_books_run },
	{ "diary", "list and add appointments; import and export iCalendar",
	  diary_usage, cli_diary_run },
	{ "calls", "list the call log; add entries for tests and scripts",
	  calls_usage, cli_calls_run },
	{ "crm", "CRM records: pipeline status, notes, next actions, export",
	  crm_usage, cli_crm_run },
	{ "login", "sign in to a confab server", login_usage, cli_login_run },
	{ "logout", "sign out of the server", logout_usage, cli_login_run },
	{ "whoami", "who you are signed in as", whoami_usage, cli_login_run },
	{ "directory", "search the company directory", directory_usage,
	  cli_directory_run },
	{ "presence", "set your presence and note", presence_usage,
	  cli_directory_run },
	{ "profile", "show your or a colleague's profile; change yours",
	  profile_usage, cli_directory_run },
	{ "company", "the company's profile and logo", company_usage,
	  cli_company_run },
	{ "users", "user admin: add, edit, permissions, disable, passwords",
	  users_usage, cli_users_run },
	{ "monitor", "your online monitor and contact requests", monitor_usage,
	  cli_directory_run },
	{ "events", "read your events from the server", events_usage,
	  cli_directory_run },
	{ "msg", "messages: send, list, read, search, reply, delete",
	  msg_usage, cli_msg_run },
	{ "announce", "make an announcement to the company or its markets",
	  announce_usage, cli_announce_run },
	{ "remind", "a reminder for yourself or a colleague, at a time",
	  remind_usage, cli_remind_run },
	{ "sync", "send the outbox and pull what is new now",
	  sync_usage, cli_sync_run },
	{ "call", "call a colleague without the interface (WAV in and out)",
	  call_usage, cli_call_run },
	{ "agent", "wait for calls and answer them (sound test, scripts)",
	  agent_usage, cli_call_run },
	{ "voicemail", "record and send a voice mail; play one", voicemail_usage,
	  cli_voicemail_run },
	{ "audio", "list the sound devices for calls", audio_usage,
	  cli_audio_run },
	{ NULL, NULL, NULL, NULL },
};

const struct app_cmd *app_cmd_find(const char *name)
{
	if (str_empty(name))
		return NULL;
	for (const struct app_cmd *c = app_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
