/* tests/bench/bench_contacts: address book import, search-as-you-type and
 * list-load figures through the store library (build/libcore.a).
 *
 *   bench_contacts [N] [--data DIR] [--keep] [--search-only] [--queries Q]
 *
 * N (default 100000) realistic vCard 3.0 cards are generated into
 * DIR/cards.vcf (not timed), imported into a fresh DIR/confab.db (timed:
 * import_path, IMPORT_DUP_MERGE, region GB), then the database is reopened
 * the way the TUI opens it and the list load and per-keystroke search are
 * timed.  --search-only reuses DIR/confab.db (and DIR/queries.txt when there,
 * else samples the queries from the database).  DIR defaults to a mkdtemp
 * under /tmp; what this program created is removed at the end unless --keep.
 *
 * Each figure is printed with its target and "met"/"NOT met"; with
 * CONFAB_BENCH_RESULTS set they are also appended to that file for
 * tests/bench/run.sh's summary (see bench_common.h).
 */
#include "store/books.h"
#include "store/contacts.h"
#include "store/db.h"
#include "store/import.h"
#include "common/str.h"
#include "bench_common.h"

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- targets (from the issue) -------------------------------------------- */
#define T_IMPORT_100K_S	3.0	/* import 100k cards */
#define T_P95_100K_MS	10.0	/* search p95 per keystroke at 100k */
#define T_P95_1M_MS	20.0	/* search p95 per keystroke at 1M */
#define T_RSS_MB	30.0	/* peak RSS at 100k */
#define SEARCH_LIMIT	1000	/* what views/contacts.c asks for */
#define SCREEN_ROWS	40

/* Bounded copy (truncates, always terminates). */
static void scpy(char *d, size_t n, const char *s)
{
	size_t l = strlen(s);

	if (l >= n)
		l = n - 1;
	memcpy(d, s, l);
	d[l] = '\0';
}

/* ---- deterministic PRNG -------------------------------------------------- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static unsigned rn(unsigned n)	/* 0..n-1 */
{
	return (unsigned)(rnd() % n);
}

static bool chance(unsigned pct)
{
	return rn(100) < pct;
}

/* ---- name pools ---------------------------------------------------------- */
struct nm {
	const char *name, *ascii;	/* display form, e-mail form */
};

static const struct nm given_names[] = {
	{ "James", "james" }, { "Oliver", "oliver" }, { "Harry", "harry" },
	{ "George", "george" }, { "Noah", "noah" }, { "Jack", "jack" },
	{ "Leo", "leo" }, { "Arthur", "arthur" }, { "Muhammad", "muhammad" },
	{ "Oscar", "oscar" }, { "Charlie", "charlie" }, { "Henry", "henry" },
	{ "Thomas", "thomas" }, { "William", "william" }, { "Alfie", "alfie" },
	{ "Joshua", "joshua" }, { "Freddie", "freddie" }, { "Archie", "archie" },
	{ "Theo", "theo" }, { "Isaac", "isaac" }, { "Edward", "edward" },
	{ "Samuel", "samuel" }, { "Daniel", "daniel" }, { "Benjamin", "benjamin" },
	{ "Joseph", "joseph" }, { "David", "david" }, { "Michael", "michael" },
	{ "Robert", "robert" }, { "Richard", "richard" }, { "Peter", "peter" },
	{ "Paul", "paul" }, { "Mark", "mark" }, { "Andrew", "andrew" },
	{ "Stephen", "stephen" }, { "Christopher", "christopher" },
	{ "Matthew", "matthew" }, { "Anthony", "anthony" }, { "Kevin", "kevin" },
	{ "Olivia", "olivia" }, { "Amelia", "amelia" }, { "Isla", "isla" },
	{ "Ava", "ava" }, { "Mia", "mia" }, { "Ivy", "ivy" }, { "Lily", "lily" },
	{ "Isabella", "isabella" }, { "Rosie", "rosie" }, { "Sophia", "sophia" },
	{ "Grace", "grace" }, { "Willow", "willow" }, { "Freya", "freya" },
	{ "Florence", "florence" }, { "Emily", "emily" }, { "Ella", "ella" },
	{ "Poppy", "poppy" }, { "Evie", "evie" }, { "Charlotte", "charlotte" },
	{ "Sienna", "sienna" }, { "Daisy", "daisy" }, { "Phoebe", "phoebe" },
	{ "Sarah", "sarah" }, { "Emma", "emma" }, { "Laura", "laura" },
	{ "Rachel", "rachel" }, { "Hannah", "hannah" }, { "Rebecca", "rebecca" },
	{ "Jessica", "jessica" }, { "Catherine", "catherine" },
	{ "Elizabeth", "elizabeth" }, { "Margaret", "margaret" },
	{ "Helen", "helen" }, { "Susan", "susan" }, { "Karen", "karen" },
	{ "Anna", "anna" }, { "Maria", "maria" }, { "Sofia", "sofia" },
	{ "Zoë", "zoe" }, { "Chloé", "chloe" }, { "Renée", "renee" },
	{ "José", "jose" }, { "François", "francois" }, { "Jürgen", "juergen" },
	{ "Łukasz", "lukasz" }, { "Małgorzata", "malgorzata" },
	{ "Søren", "soren" }, { "Björn", "bjorn" }, { "Åsa", "asa" },
	{ "Ingrid", "ingrid" }, { "Sven", "sven" }, { "Lars", "lars" },
	{ "Pierre", "pierre" }, { "Élodie", "elodie" }, { "Hélène", "helene" },
	{ "Giovanni", "giovanni" }, { "Giulia", "giulia" }, { "Marco", "marco" },
	{ "Alejandro", "alejandro" }, { "Lucía", "lucia" }, { "Nuño", "nuno" },
	{ "João", "joao" }, { "Conceição", "conceicao" }, { "Siobhán", "siobhan" },
	{ "Aoife", "aoife" }, { "Niamh", "niamh" }, { "Seán", "sean" },
	{ "Dmitri", "dmitri" }, { "Olga", "olga" }, { "Natalia", "natalia" },
	{ "Priya", "priya" }, { "Arjun", "arjun" }, { "Ananya", "ananya" },
	{ "Rohan", "rohan" }, { "Aisha", "aisha" }, { "Omar", "omar" },
	{ "Fatima", "fatima" }, { "Yusuf", "yusuf" }, { "Chen", "chen" },
	{ "Wei", "wei" }, { "Hiroshi", "hiroshi" }, { "Yuki", "yuki" },
	{ "Kwame", "kwame" }, { "Amara", "amara" }, { "Chidi", "chidi" },
	{ "Ngozi", "ngozi" }, { "Mateo", "mateo" }, { "Valentina", "valentina" },
	{ "Tomasz", "tomasz" }, { "Agnieszka", "agnieszka" }, { "Zoltán", "zoltan" },
	{ "Ştefan", "stefan" }, { "Ömer", "omer" }, { "Çağla", "cagla" },
};

static const struct nm family_names[] = {
	{ "Smith", "smith" }, { "Jones", "jones" }, { "Williams", "williams" },
	{ "Taylor", "taylor" }, { "Brown", "brown" }, { "Davies", "davies" },
	{ "Evans", "evans" }, { "Wilson", "wilson" }, { "Thomas", "thomas" },
	{ "Johnson", "johnson" }, { "Roberts", "roberts" }, { "Robinson", "robinson" },
	{ "Thompson", "thompson" }, { "Wright", "wright" }, { "Walker", "walker" },
	{ "White", "white" }, { "Edwards", "edwards" }, { "Hughes", "hughes" },
	{ "Green", "green" }, { "Hall", "hall" }, { "Lewis", "lewis" },
	{ "Harris", "harris" }, { "Clarke", "clarke" }, { "Patel", "patel" },
	{ "Jackson", "jackson" }, { "Wood", "wood" }, { "Turner", "turner" },
	{ "Martin", "martin" }, { "Cooper", "cooper" }, { "Hill", "hill" },
	{ "Ward", "ward" }, { "Morris", "morris" }, { "Moore", "moore" },
	{ "Clark", "clark" }, { "Lee", "lee" }, { "King", "king" },
	{ "Baker", "baker" }, { "Harrison", "harrison" }, { "Morgan", "morgan" },
	{ "Allen", "allen" }, { "James", "james" }, { "Scott", "scott" },
	{ "Phillips", "phillips" }, { "Watson", "watson" }, { "Davis", "davis" },
	{ "Parker", "parker" }, { "Price", "price" }, { "Bennett", "bennett" },
	{ "Young", "young" }, { "Griffiths", "griffiths" }, { "Mitchell", "mitchell" },
	{ "Kelly", "kelly" }, { "Cook", "cook" }, { "Carter", "carter" },
	{ "Richardson", "richardson" }, { "Bailey", "bailey" }, { "Collins", "collins" },
	{ "Bell", "bell" }, { "Shaw", "shaw" }, { "Murphy", "murphy" },
	{ "Miller", "miller" }, { "Cox", "cox" }, { "Richards", "richards" },
	{ "Khan", "khan" }, { "Marshall", "marshall" }, { "Anderson", "anderson" },
	{ "Simpson", "simpson" }, { "Ellis", "ellis" }, { "Adams", "adams" },
	{ "Singh", "singh" }, { "Begum", "begum" }, { "Wilkinson", "wilkinson" },
	{ "Foster", "foster" }, { "Chapman", "chapman" }, { "Powell", "powell" },
	{ "Webb", "webb" }, { "Rogers", "rogers" }, { "Gray", "gray" },
	{ "Mason", "mason" }, { "Ali", "ali" }, { "Hunt", "hunt" },
	{ "Hussain", "hussain" }, { "Campbell", "campbell" }, { "Matthews", "matthews" },
	{ "Owen", "owen" }, { "Palmer", "palmer" }, { "Holmes", "holmes" },
	{ "Mills", "mills" }, { "Barnes", "barnes" }, { "Knight", "knight" },
	{ "Lloyd", "lloyd" }, { "Butler", "butler" }, { "Russell", "russell" },
	{ "O'Brien", "obrien" }, { "O'Connor", "oconnor" }, { "McDonald", "mcdonald" },
	{ "MacLeod", "macleod" }, { "Fitzgerald", "fitzgerald" },
	{ "Müller", "mueller" }, { "Schmidt", "schmidt" }, { "Schneider", "schneider" },
	{ "Fischer", "fischer" }, { "Weiß", "weiss" }, { "Schäfer", "schaefer" },
	{ "Größ", "groess" }, { "Dubois", "dubois" }, { "Lefèvre", "lefevre" },
	{ "Moreau", "moreau" }, { "Girard", "girard" }, { "Rossi", "rossi" },
	{ "Russo", "russo" }, { "Esposito", "esposito" }, { "García", "garcia" },
	{ "Fernández", "fernandez" }, { "López", "lopez" }, { "Martínez", "martinez" },
	{ "Gonçalves", "goncalves" }, { "Silva", "silva" }, { "Nowak", "nowak" },
	{ "Kowalski", "kowalski" }, { "Wiśniewski", "wisniewski" },
	{ "Wójcik", "wojcik" }, { "Łukaszewicz", "lukaszewicz" },
	{ "Jensen", "jensen" }, { "Nielsen", "nielsen" }, { "Sørensen", "sorensen" },
	{ "Andersson", "andersson" }, { "Åberg", "aberg" }, { "Novák", "novak" },
	{ "Dvořák", "dvorak" }, { "Kovács", "kovacs" }, { "Nagy", "nagy" },
	{ "Popescu", "popescu" }, { "Yılmaz", "yilmaz" }, { "Ivanov", "ivanov" },
	{ "Petrova", "petrova" }, { "Sharma", "sharma" }, { "Gupta", "gupta" },
	{ "Okafor", "okafor" }, { "Mensah", "mensah" }, { "Nguyen", "nguyen" },
	{ "Tanaka", "tanaka" }, { "Kim", "kim" }, { "Park", "park" },
	{ "Cohen", "cohen" }, { "Levi", "levi" }, { "Haddad", "haddad" },
};

/* CJK names are written family-first without a space in FN. */
static const struct nm cjk_family[] = {
	{ "王", "wang" }, { "李", "li" }, { "张", "zhang" }, { "刘", "liu" },
	{ "陈", "chen" }, { "杨", "yang" }, { "黄", "huang" }, { "赵", "zhao" },
	{ "佐藤", "sato" }, { "鈴木", "suzuki" }, { "高橋", "takahashi" },
	{ "田中", "tanaka" }, { "김", "kim" }, { "이", "lee" }, { "박", "park" },
};
static const struct nm cjk_given[] = {
	{ "小明", "xiaoming" }, { "伟", "wei" }, { "芳", "fang" },
	{ "秀英", "xiuying" }, { "静", "jing" }, { "强", "qiang" },
	{ "磊", "lei" }, { "洋", "yang" }, { "花子", "hanako" },
	{ "太郎", "taro" }, { "健", "ken" }, { "美咲", "misaki" },
	{ "민준", "minjun" }, { "서연", "seoyeon" }, { "지호", "jiho" },
};

struct org {
	const char *name, *domain;
};

static const struct org orgs[] = {
	{ "Acme Ltd", "acme.co.uk" }, { "Globex Corporation", "globex.com" },
	{ "Initech", "initech.com" }, { "Umbrella plc", "umbrella.co.uk" },
	{ "Hooli", "hooli.com" }, { "Stark Industries", "stark.com" },
	{ "Wayne Enterprises", "wayne.com" }, { "Cyberdyne Systems", "cyberdyne.io" },
	{ "Soylent", "soylent.com" }, { "Vandelay Industries", "vandelay.com" },
	{ "Wonka Confectionery", "wonka.co.uk" }, { "Tyrell Corporation", "tyrell.com" },
	{ "Massive Dynamic", "massivedynamic.com" }, { "Aperture Science", "aperture.com" },
	{ "Black Mesa", "blackmesa.org" }, { "Oceanic Airlines", "oceanic.com" },
	{ "Dunder Mifflin", "dundermifflin.com" }, { "Pied Piper", "piedpiper.com" },
	{ "Northwind Traders", "northwind.co.uk" }, { "Contoso", "contoso.com" },
	{ "Fabrikam", "fabrikam.com" }, { "Tailspin Toys", "tailspin.co.uk" },
	{ "Bluth Company", "bluth.com" }, { "Sterling Cooper", "sterlingcooper.com" },
	{ "Gringotts", "gringotts.co.uk" }, { "Ollivanders", "ollivanders.co.uk" },
	{ "Müller & Söhne GmbH", "mueller-soehne.de" },
	{ "Société Générale de Café", "sgcafe.fr" }, { "Łódź Logistics", "lodzlog.pl" },
	{ "北京科技有限公司", "bjtech.cn" }, { "株式会社サクラ", "sakura.co.jp" },
	{ "NHS Trust", "nhs.net" }, { "University of Leeds", "leeds.ac.uk" },
	{ "Barclays", "barclays.co.uk" }, { "Tesco", "tesco.com" },
	{ "BBC", "bbc.co.uk" }, { "Rolls-Royce", "rolls-royce.com" },
	{ "Arup", "arup.com" }, { "Deloitte", "deloitte.co.uk" },
	{ "Ordnance Survey", "os.uk" }, { "Met Office", "metoffice.gov.uk" },
	{ "Smith & Partners LLP", "smithpartners.co.uk" },
	{ "Green Valley Farms", "greenvalley.farm" }, { "Harbour Dental", "harbourdental.co.uk" },
	{ "Kowalski Bau", "kowalski-bau.de" }, { "Nordic Design AB", "nordicdesign.se" },
};

static const char *const departments[] = {
	"Sales", "Marketing", "Engineering", "Finance", "Legal", "Support",
	"Operations", "Research", "Procurement", "HR",
};
static const char *const titles[] = {
	"Account Manager", "Director", "CEO", "CTO", "Engineer",
	"Senior Engineer", "Consultant", "Partner", "Buyer", "Analyst",
	"Office Manager", "Head of Sales", "Receptionist", "Solicitor",
};
static const char *const freemail[] = {
	"gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.co.uk", "icloud.com",
	"btinternet.com", "proton.me", "web.de", "gmx.de", "orange.fr",
};
static const char *const tags[] = {
	"Clients", "Suppliers", "Family", "Friends", "VIP", "Colleagues",
	"Prospects", "Golf club", "School", "Neighbours",
};
static const char *const notes[] = {
	"Met at the trade fair in Birmingham, interested in the new range",
	"Prefers calls after 3pm; do not email on Fridays",
	"Referred by the accountant. Follow up in Q3 about the contract renewal, "
	"and ask about the second site in Manchester",
	"Allergic to nuts — remember for the Christmas hamper",
	"Wants quotes in EUR, invoices to the head office",
	"Old number disconnected; new one confirmed by post",
	"Café owner; orders weekly, pays on 30 days",
	"Spoke about the Łódź warehouse, they need 3 forklifts by March",
};
static const char *const streets[] = {
	"High Street", "Station Road", "Church Lane", "Mill Road",
	"Victoria Street", "Queen's Road", "Park Avenue", "Hauptstraße",
};
static const char *const cities[] = {
	"London", "Manchester", "Leeds", "Bristol", "Edinburgh", "Cardiff",
	"Belfast", "Berlin", "Paris", "Kraków",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- vCard writing ------------------------------------------------------- */

/* Write one property line, folded at 75 octets (never inside a UTF-8
 * sequence), CRLF-terminated. */
static void put_line(FILE *f, const char *line)
{
	size_t len = strlen(line), col = 0;

	for (size_t i = 0; i < len;) {
		size_t cl = 1;
		unsigned char ch = (unsigned char)line[i];
		if (ch >= 0xf0)
			cl = 4;
		else if (ch >= 0xe0)
			cl = 3;
		else if (ch >= 0xc0)
			cl = 2;
		if (col + cl > 75) {
			fputs("\r\n ", f);
			col = 1;
		}
		fwrite(line + i, 1, cl, f);
		col += cl;
		i += cl;
	}
	fputs("\r\n", f);
}

/* vCard 3.0 TEXT escaping. */
static void esc(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == ',' || *s == ';')
			sbuf_addc(b, '\\');
		if (*s == '\n') {
			sbuf_add(b, "\\n");
			continue;
		}
		sbuf_addc(b, *s);
	}
}

static void prop(FILE *f, struct sbuf *b, const char *name, const char *val)
{
	sbuf_reset(b);
	sbuf_add(b, name);
	sbuf_addc(b, ':');
	esc(b, val);
	put_line(f, sbuf_str(b));
}

/* A unique number per (card, phone slot), spread over [0, m) — a
 * bijection on [0, m) so no two phones in the file share a number. */
static uint64_t spread(uint64_t v, uint64_t m)
{
	return (v * 7919ull * 104729ull + 12345ull) % m;
}

/* Phone in one of several national/international forms; `typed` receives
 * what a user would type to find it (display form or bare digits). */
static void make_phone(uint64_t v, char *out, size_t n, char *typed,
		       size_t tn)
{
	uint64_t a;

	switch (v % 9) {
	case 0:	/* UK mobile, national */
		a = spread(v, 100000000ull);
		snprintf(out, n, "077%02llu %06llu", (unsigned long long)(a / 1000000),
			 (unsigned long long)(a % 1000000));
		break;
	case 1:	/* UK mobile, international */
		a = spread(v, 100000000ull);
		snprintf(out, n, "+44 78%02llu %06llu",
			 (unsigned long long)(a / 1000000),
			 (unsigned long long)(a % 1000000));
		break;
	case 2:	/* London */
		a = spread(v, 10000000ull);
		snprintf(out, n, "020 7%03llu %04llu",
			 (unsigned long long)(a / 10000),
			 (unsigned long long)(a % 10000));
		break;
	case 3:	/* Manchester, dashes */
		a = spread(v, 10000000ull);
		snprintf(out, n, "0161-%03llu-%04llu",
			 (unsigned long long)(a / 10000),
			 (unsigned long long)(a % 10000));
		break;
	case 4:	/* US, international */
		a = spread(v, 10000000ull);
		snprintf(out, n, "+1 (415) %03llu-%04llu",
			 (unsigned long long)(a / 10000),
			 (unsigned long long)(a % 10000));
		break;
	case 5:	/* US via 00 */
		a = spread(v, 10000000ull);
		snprintf(out, n, "001 212 %03llu %04llu",
			 (unsigned long long)(a / 10000),
			 (unsigned long long)(a % 10000));
		break;
	case 6:	/* Germany */
		a = spread(v, 100000000ull);
		snprintf(out, n, "+49 30 %08llu", (unsigned long long)a);
		break;
	case 7:	/* France, dotted */
		a = spread(v, 100000000ull);
		snprintf(out, n, "+33 1.%02llu.%02llu.%02llu.%02llu",
			 (unsigned long long)(a / 1000000),
			 (unsigned long long)(a / 10000 % 100),
			 (unsigned long long)(a / 100 % 100),
			 (unsigned long long)(a % 100));
		break;
	default: /* UK landline, Leeds, spaces and an extension sometimes */
		a = spread(v, 10000000ull);
		snprintf(out, n, "0113 %03llu %04llu%s",
			 (unsigned long long)(a / 10000),
			 (unsigned long long)(a % 10000),
			 v % 5 == 0 ? " ext. 21" : "");
		break;
	}
	/* typed: national UK forms as bare digits half the time, else as shown
	 * (without an extension) */
	scpy(typed, tn, out);
	char *x = strstr(typed, " ext");
	if (x)
		*x = '\0';
	if (v % 2 == 0) {
		char *d = typed;
		for (const char *p = typed; *p; p++)
			if (*p >= '0' && *p <= '9')
				*d++ = *p;
		*d = '\0';
	}
}

struct query {
	char kind[8];		/* "name", "family", "email", "phone", "org", ... */
	char text[128];
};

/* Generate the file; also picks `nq` queries from the data. */
static int generate(const char *path, size_t n, struct query *qs, size_t nq,
		    size_t *ndup)
{
	FILE *f = fopen(path, "w");
	struct sbuf b;
	size_t qstep = n / nq ? n / nq : 1, qn = 0;
	bool want_query = false;

	if (!f) {
		perror(path);
		return -1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	sbuf_init(&b);
	*ndup = 0;
	for (size_t i = 0; i < n; i++) {
		char uid[64], email[3][160], phone[2][64], typed[2][64];
		const struct nm *g, *fa;
		bool cjk = chance(4), dup = i > 100 && chance(1);
		size_t nem = 1 + (chance(40) ? 1 : 0) + (chance(10) ? 1 : 0);
		size_t nph = 1 + (chance(35) ? 1 : 0);
		const struct org *o = chance(70) ? &orgs[rn(NELEM(orgs))] : NULL;

		if (cjk) {
			g = &cjk_given[rn(NELEM(cjk_given))];
			fa = &cjk_family[rn(NELEM(cjk_family))];
		} else {
			g = &given_names[rn(NELEM(given_names))];
			fa = &family_names[rn(NELEM(family_names))];
		}
		/* ~1% repeat an earlier card's UID: a second export of the same
		 * person, merged on import. */
		size_t uid_of = dup ? rn((unsigned)i) : i;
		snprintf(uid, sizeof uid, "urn:uuid:%08llx-b3c1-4d2e-9f00-%012llx",
			 (unsigned long long)(spread(uid_of, 4294967291ull)),
			 (unsigned long long)uid_of);
		if (dup)
			++*ndup;

		/* e-mails: unique per card (the number is the card's index) */
		unsigned pat = rn(4);
		const char *fm = freemail[rn(NELEM(freemail))];
		switch (pat) {
		case 0: snprintf(email[0], sizeof email[0], "%s.%s%zu@%s", g->ascii, fa->ascii, i, fm); break;
		case 1: snprintf(email[0], sizeof email[0], "%c%s%zu@%s", g->ascii[0], fa->ascii, i, fm); break;
		case 2: snprintf(email[0], sizeof email[0], "%s_%s.%zu@%s", fa->ascii, g->ascii, i, fm); break;
		default: snprintf(email[0], sizeof email[0], "%s%zu@%s", g->ascii, i, fm); break;
		}
		snprintf(email[1], sizeof email[1], "%s.%s.%zu@%s", g->ascii,
			 fa->ascii, i, o ? o->domain : "example.org");
		snprintf(email[2], sizeof email[2], "%c.%s+%zu@%s", g->ascii[0],
			 fa->ascii, i, "fastmail.com");
		for (size_t k = 0; k < nph; k++)
			make_phone((uint64_t)i * 2 + k, phone[k], sizeof phone[k],
				   typed[k], sizeof typed[k]);

		fputs("BEGIN:VCARD\r\nVERSION:3.0\r\n", f);
		if (dup || chance(95))
			prop(f, &b, "UID", uid);
		sbuf_reset(&b);
		sbuf_add(&b, "N:");
		esc(&b, fa->name);
		sbuf_addc(&b, ';');
		esc(&b, g->name);
		sbuf_add(&b, chance(8) ? ";J.;;" : ";;;");
		put_line(f, sbuf_str(&b));
		char fn[160];
		if (cjk)
			snprintf(fn, sizeof fn, "%s%s", fa->name, g->name);
		else
			snprintf(fn, sizeof fn, "%s %s", g->name, fa->name);
		prop(f, &b, "FN", fn);
		if (chance(5))
			prop(f, &b, "NICKNAME", g->ascii);
		if (o) {
			sbuf_reset(&b);
			sbuf_add(&b, "ORG:");
			esc(&b, o->name);
			if (chance(50)) {
				sbuf_addc(&b, ';');
				esc(&b, departments[rn(NELEM(departments))]);
			}
			put_line(f, sbuf_str(&b));
			if (chance(60))
				prop(f, &b, "TITLE", titles[rn(NELEM(titles))]);
		}
		static const char *const etype[] = { "INTERNET,HOME", "INTERNET,WORK",
						     "INTERNET" };
		for (size_t k = 0; k < nem; k++) {
			sbuf_reset(&b);
			sbuf_printf(&b, "EMAIL;TYPE=%s%s:%s", etype[k],
				    k == 0 && nem > 1 ? ",PREF" : "", email[k]);
			put_line(f, sbuf_str(&b));
		}
		static const char *const ptype[] = { "CELL", "WORK,VOICE", "HOME,VOICE" };
		for (size_t k = 0; k < nph; k++) {
			sbuf_reset(&b);
			sbuf_printf(&b, "TEL;TYPE=%s:%s", ptype[rn(3)], phone[k]);
			put_line(f, sbuf_str(&b));
		}
		if (chance(15)) {
			sbuf_reset(&b);
			sbuf_printf(&b, "ADR;TYPE=WORK:;;%u ", 1 + rn(200));
			esc(&b, streets[rn(NELEM(streets))]);
			sbuf_addc(&b, ';');
			esc(&b, cities[rn(NELEM(cities))]);
			sbuf_printf(&b, ";;%c%c%u %u%c%c;", 'A' + rn(26), 'A' + rn(26),
				    1 + rn(20), rn(10), 'A' + rn(26), 'A' + rn(26));
			put_line(f, sbuf_str(&b));
		}
		if (chance(10)) {
			sbuf_reset(&b);
			sbuf_printf(&b, "BDAY:%04u-%02u-%02u", 1940 + rn(65),
				    1 + rn(12), 1 + rn(28));
			put_line(f, sbuf_str(&b));
		}
		if (chance(15))
			prop(f, &b, "NOTE", notes[rn(NELEM(notes))]);
		if (chance(30)) {
			sbuf_reset(&b);
			sbuf_add(&b, "CATEGORIES:");
			unsigned nt = 1 + rn(2), t0 = rn(NELEM(tags));
			for (unsigned t = 0; t < nt; t++) {
				if (t)
					sbuf_addc(&b, ',');
				esc(&b, tags[(t0 + t * 3) % NELEM(tags)]);
			}
			put_line(f, sbuf_str(&b));
		}
		if (chance(3))
			put_line(f, "X-SKYPE:live:someone.else");
		sbuf_reset(&b);
		sbuf_printf(&b, "REV:2024-%02u-%02uT10:00:00Z", 1 + rn(12), 1 + rn(28));
		put_line(f, sbuf_str(&b));
		fputs("END:VCARD\r\n", f);

		/* queries, evenly spread over the file */
		if (i % qstep == qstep / 2)
			want_query = true;
		if (want_query && !dup && qn < nq) {
			want_query = false;
			struct query *q = &qs[qn];
			switch (qn % 20) {
			case 0: case 1: case 2: case 3: case 4: case 5:
				snprintf(q->kind, sizeof q->kind, "name");
				scpy(q->text, sizeof q->text, fn);
				break;
			case 6: case 7: case 8:
				snprintf(q->kind, sizeof q->kind, "family");
				scpy(q->text, sizeof q->text, fa->name);
				break;
			case 9:
				snprintf(q->kind, sizeof q->kind, "given");
				scpy(q->text, sizeof q->text, g->name);
				break;
			case 10: case 11: case 12: case 13:
				snprintf(q->kind, sizeof q->kind, "email");
				scpy(q->text, sizeof q->text, email[rn((unsigned)nem)]);
				break;
			case 14: case 15: case 16:
				snprintf(q->kind, sizeof q->kind, "phone");
				scpy(q->text, sizeof q->text, typed[rn((unsigned)nph)]);
				break;
			case 17:
				snprintf(q->kind, sizeof q->kind, "org");
				scpy(q->text, sizeof q->text, o ? o->name : fa->name);
				break;
			case 18:	/* "family org" */
				snprintf(q->kind, sizeof q->kind, "mixed");
				snprintf(q->text, sizeof q->text, "%s %s", fa->name,
					 o ? o->name : g->name);
				break;
			default:	/* "given f" — the common two-word narrowing */
				snprintf(q->kind, sizeof q->kind, "name");
				snprintf(q->text, sizeof q->text, "%s %s", g->name,
					 fa->name);
				break;
			}
			qn++;
		}
	}
	sbuf_free(&b);
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return (int)qn;
}

static int write_queries(const char *path, const struct query *qs, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\n", qs[i].kind, qs[i].text);
	return fclose(f);
}

static size_t read_queries(const char *path, struct query *qs, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[300];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab || !tab[1])
			continue;
		*tab = '\0';
		scpy(qs[n].kind, sizeof qs[n].kind, line);
		scpy(qs[n].text, sizeof qs[n].text, tab + 1);
		n++;
	}
	fclose(f);
	return n;
}

/* Without a queries file: names, first e-mails and phones of contacts
 * spread over the database. */
static size_t sample_queries(struct db *db, struct query *qs, size_t max)
{
	sqlite3 *h = db_handle(db);
	sqlite3_stmt *st;
	sqlite3_int64 maxid = 0;
	size_t n = 0;

	if (sqlite3_prepare_v2(h, "SELECT max(id) FROM contacts", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		maxid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h, "SELECT fn, family, email1, phone1, org "
			       "FROM contacts WHERE id >= ? ORDER BY id LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	for (size_t i = 0; i < max && maxid > 0; i++) {
		sqlite3_bind_int64(st, 1, 1 + (sqlite3_int64)i * maxid /
						      (sqlite3_int64)max);
		if (sqlite3_step(st) == SQLITE_ROW) {
			int col = i % 10 < 6 ? 0 : i % 10 < 7 ? 1 :
				  i % 10 < 9 ? 2 : 3;
			static const char *const kinds[] = { "name", "family",
							     "email", "phone" };
			const unsigned char *t = sqlite3_column_text(st, col);
			if (!t)
				t = sqlite3_column_text(st, 0);
			scpy(qs[n].kind, sizeof qs[n].kind, kinds[col]);
			scpy(qs[n].text, sizeof qs[n].text, (const char *)t);
			n++;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return n;
}

static double rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;	/* KiB on Linux */
}

static double cur_rss_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return (double)res * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Sampled from the import's progress callback (every 256 cards): where the
 * import's memory is. */
struct mem_probe {
	double rss_max, heap_max, sqlite_max;
	size_t calls;
};

static void on_progress(void *arg, size_t done, size_t total)
{
	struct mem_probe *m = arg;
	struct mallinfo2 mi = mallinfo2();
	double heap = (double)(mi.uordblks + mi.hblkhd) / 1048576.0;
	double rss = cur_rss_mb();

	if (rss > m->rss_max)
		m->rss_max = rss;
	if (heap > m->heap_max)
		m->heap_max = heap;
	double sq = (double)sqlite3_memory_used() / 1048576.0;
	if (sq > m->sqlite_max)
		m->sqlite_max = sq;
	m->calls++;
}

static long long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

struct stroke {
	double ms;
	size_t q, len, hits;
};

static int cmp_stroke(const void *a, const void *b)
{
	double x = ((const struct stroke *)a)->ms,
	       y = ((const struct stroke *)b)->ms;
	return x < y ? 1 : x > y ? -1 : 0;	/* slowest first */
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_contacts [N] [--data DIR] [--keep] "
		"[--search-only] [--queries Q]\n");
}

int main(int argc, char **argv)
{
	size_t n = 100000, nq = 200;
	const char *data = NULL;
	bool keep = false, search_only = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else if (strcmp(argv[i], "--search-only") == 0)
			search_only = true;
		else if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
			nq = strtoul(argv[++i], NULL, 10);
		else if (argv[i][0] >= '0' && argv[i][0] <= '9')
			n = strtoul(argv[i], NULL, 10);
		else {
			usage();
			return 2;
		}
	}
	if (nq == 0 || nq > 10000 || n == 0) {
		usage();
		return 2;
	}
	if (search_only && !data) {
		fprintf(stderr, "bench_contacts: --search-only needs --data DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/confab-bench-XXXXXX";
	bool made_dir = false;
	if (!data) {
		data = mkdtemp(tmpl);
		if (!data) {
			perror("mkdtemp");
			return 1;
		}
		made_dir = true;
	} else if (mkdir(data, 0700) == 0) {
		made_dir = true;
	} else if (errno != EEXIST) {
		perror(data);
		return 1;
	}
	char *vcf = xasprintf("%s/cards.vcf", data);
	char *dbp = xasprintf("%s/confab.db", data);
	char *qf = xasprintf("%s/queries.txt", data);
	struct query *qs = xcalloc(nq, sizeof *qs);
	size_t nqs = 0;
	char *err = NULL;
	struct db *db = NULL;
	int status = 0;
	/* the scale the figures are labelled (and targets looked up) with */
	size_t label_n = n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	double la[3] = { 0 };
	if (getloadavg(la, 3) < 0)
		la[0] = la[1] = la[2] = 0;
	printf("bench_contacts: data in %s (load average %.2f %.2f %.2f, %ld "
	       "CPUs)\n", data, la[0], la[1], la[2], sysconf(_SC_NPROCESSORS_ONLN));

	if (!search_only) {
		/* Generate in a child so its memory stays out of our peak RSS. */
		double t0 = bench_now();
		pid_t pid = fork();
		if (pid == 0) {
			size_t ndup = 0;
			int k = generate(vcf, n, qs, nq, &ndup);
			if (k < 0 || write_queries(qf, qs, (size_t)k) < 0)
				_exit(1);
			printf("  generated %zu cards (%zu repeat an earlier UID), "
			       "%.1f MB, %d queries\n", n, ndup,
			       (double)file_size(vcf) / 1048576.0, k);
			fflush(stdout);
			_exit(0);
		}
		int ws;
		if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) ||
		    WEXITSTATUS(ws) != 0) {
			fprintf(stderr, "bench_contacts: generating %s failed\n",
				vcf);
			return 1;
		}
		printf("  (generation, not timed: %.1f s)\n", bench_now() - t0);

		unlink(dbp);
		char *wal = xasprintf("%s-wal", dbp), *shm = xasprintf("%s-shm", dbp);
		unlink(wal), unlink(shm);
		free(wal), free(shm);
		if (db_open(&db, dbp, db_client_migrations,
			    db_client_nmigrations, &err) < 0) {
			fprintf(stderr, "bench_contacts: %s\n", err);
			return 1;
		}
		int64_t book = 0;
		if (books_default(db, &book) < 0) {
			fprintf(stderr, "bench_contacts: no default book\n");
			return 1;
		}
		struct mem_probe mp = { 0 };
		struct import_opts o = { .book_id = book,
					 .dup = IMPORT_DUP_MERGE,
					 .region = "GB",
					 .progress = on_progress, .arg = &mp };
		struct import_report rep;
		double rss0 = rss_mb();
		double c0 = cpu_s();
		t0 = bench_now();
		int rc = import_path(db, vcf, &o, &rep, &err);
		double dt = bench_now() - t0;
		double dcpu = cpu_s() - c0;
		if (rc < 0) {
			fprintf(stderr, "bench_contacts: import failed: %s\n",
				err ? err : "?");
			return 1;
		}
		printf("\n[import] %zu cards -> %zu imported, %zu merged, %zu "
		       "skipped (format %s)\n", n, rep.imported, rep.merged,
		       rep.skipped, rep.format ? rep.format : "?");
		for (size_t i = 0; i < rep.nskips && i < 5; i++)
			printf("  skipped: %s:%u: %s\n", rep.skips[i].file,
			       rep.skips[i].line, rep.skips[i].reason);
		if (rep.skipped > n / 100 || rep.imported + rep.merged <
		    n * 9 / 10) {
			fprintf(stderr, "bench_contacts: the import lost cards "
				"(vCard reader unfinished?)\n");
			status = 1;
		}
		import_report_clear(&rep);
		char label[64], isc[32];
		double iat = bench_scale((double)n, isc, sizeof isc);
		snprintf(label, sizeof label, "import %s: time", isc);
		bench_figure(label, dt, "s", iat == 1e5 ? T_IMPORT_100K_S : 0);
		snprintf(label, sizeof label, "import %s: CPU time (user+sys)",
			 isc);
		bench_figure(label, dcpu, "s", 0);
		snprintf(label, sizeof label, "import %s: rate", isc);
		bench_figure(label, (double)n / dt, "c/s", 0);
		printf("  peak RSS before import %.1f MB, after %.1f MB; during "
		       "the import: RSS up to %.1f MB, heap in use up to %.1f MB, "
		       "of it SQLite's %.1f MB;\n  the input file is %.1f MB "
		       "(import_path reads it whole)\n", rss0, rss_mb(),
		       mp.rss_max, mp.heap_max, mp.sqlite_max,
		       (double)file_size(vcf) / 1048576.0);
		db_close(db);
		db = NULL;
		char *walp = xasprintf("%s-wal", dbp);
		long long wal_sz = file_size(walp);
		free(walp);
		printf("  database: %.1f MB (WAL after close: %.1f MB)\n",
		       (double)file_size(dbp) / 1048576.0,
		       (double)(wal_sz > 0 ? wal_sz : 0) / 1048576.0);
	}

	/* ---- what the TUI does at start: open, load the list, draw 40 rows */
	printf("\n[list load] (fresh connection, OS cache warm)\n");
	double t0 = bench_now();
	if (db_open(&db, dbp, db_client_migrations, db_client_nmigrations,
		    &err) < 0) {
		fprintf(stderr, "bench_contacts: %s\n", err);
		return 1;
	}
	double t_open = bench_now() - t0;
	int64_t *ids = NULL;
	size_t nids = 0;
	t0 = bench_now();
	if (contacts_ids(db, 0, CONTACTS_SORT_NAME, &ids, &nids) < 0) {
		fprintf(stderr, "bench_contacts: contacts_ids failed\n");
		return 1;
	}
	double t_ids = bench_now() - t0;
	if (search_only)
		label_n = nids;	/* else the run size, the targets' scale */
	t0 = bench_now();
	for (size_t i = 0; i < SCREEN_ROWS && i < nids; i++) {
		struct contact_row r;
		contacts_row(db, ids[i], &r);
		contact_row_clear(&r);
	}
	double t_rows = bench_now() - t0;
	t0 = bench_now();
	int64_t count = contacts_count(db, 0);
	double t_count = bench_now() - t0;
	/* second run of the same (statements prepared, pages cached) */
	free(ids);
	t0 = bench_now();
	contacts_ids(db, 0, CONTACTS_SORT_NAME, &ids, &nids);
	double t_ids2 = bench_now() - t0;
	printf("  %zu contacts listed (count says %lld)\n", nids,
	       (long long)count);
	char scale[32];
	double at = bench_scale((double)label_n, scale, sizeof scale);
	char label[96];
	snprintf(label, sizeof label, "list %s: db_open", scale);
	bench_figure(label, t_open * 1e3, "ms", 0);
	snprintf(label, sizeof label, "list %s: contacts_ids by name", scale);
	bench_figure(label, t_ids * 1e3, "ms", 0);
	snprintf(label, sizeof label, "list %s: contacts_ids again", scale);
	bench_figure(label, t_ids2 * 1e3, "ms", 0);
	snprintf(label, sizeof label, "list %s: contacts_row x%d", scale,
		 SCREEN_ROWS);
	bench_figure(label, t_rows * 1e3, "ms", 0);
	snprintf(label, sizeof label, "list %s: contacts_count", scale);
	bench_figure(label, t_count * 1e3, "ms", 0);
	free(ids);
	ids = NULL;

	/* ---- search as you type ------------------------------------------- */
	nqs = read_queries(qf, qs, nq);
	if (!nqs) {
		nqs = sample_queries(db, qs, nq);
		printf("\n[search] %zu queries sampled from the database\n", nqs);
	} else {
		printf("\n[search] %zu queries from %s\n", nqs, qf);
	}
	size_t cap = 0;
	for (size_t i = 0; i < nqs; i++)
		cap += strlen(qs[i].text);
	struct stroke *sk = xcalloc(cap + 1, sizeof *sk);
	double *ms = xcalloc(cap + 1, sizeof *ms);
	double *msrow = xcalloc(cap + 1, sizeof *msrow);
	size_t ns = 0, zero_hits = 0;
	/* per query kind: p95 helps say which kind is slow */
	static const char *const kinds[] = { "name", "family", "given", "email",
					     "phone", "org", "mixed" };
	double *bykind[NELEM(kinds)];
	size_t nbykind[NELEM(kinds)] = { 0 };
	for (size_t k = 0; k < NELEM(kinds); k++)
		bykind[k] = xcalloc(cap + 1, sizeof(double));
	double *bylen[5];		/* prefix length 1, 2, 3, 4-6, 7+ */
	size_t nbylen[5] = { 0 };
	for (size_t k = 0; k < 5; k++)
		bylen[k] = xcalloc(cap + 1, sizeof(double));

	double ts0 = bench_now();
	for (size_t qi = 0; qi < nqs; qi++) {
		const char *t = qs[qi].text;
		size_t len = strlen(t), chars = 0;
		bool found_self = false;
		for (size_t end = 1; end <= len; end++) {
			/* one keystroke = one whole character */
			if (end < len && ((unsigned char)t[end] & 0xc0) == 0x80)
				continue;
			chars++;
			char prefix[sizeof qs[qi].text];
			memcpy(prefix, t, end);
			prefix[end] = '\0';
			int64_t *res = NULL;
			size_t nres = 0;
			bool more = false;
			double a = bench_now();
			int rc = contacts_search(db, prefix, 0, SEARCH_LIMIT,
						 &res, &nres, &more);
			double b = bench_now();
			/* and what the list then shows: a screenful of rows */
			for (size_t r = 0; r < nres && r < SCREEN_ROWS; r++) {
				struct contact_row row;
				contacts_row(db, res[r], &row);
				contact_row_clear(&row);
			}
			double c = bench_now();
			if (rc < 0) {
				fprintf(stderr, "bench_contacts: search '%s' "
					"failed\n", prefix);
				status = 1;
			}
			if (end == len)
				found_self = nres > 0;
			free(res);
			ms[ns] = (b - a) * 1e3;
			msrow[ns] = (c - a) * 1e3;
			sk[ns] = (struct stroke){ ms[ns], qi, end, nres };
			for (size_t k = 0; k < NELEM(kinds); k++)
				if (strcmp(kinds[k], qs[qi].kind) == 0)
					bykind[k][nbykind[k]++] = ms[ns];
			size_t lb = chars == 1 ? 0 : chars == 2 ? 1 :
				    chars == 3 ? 2 : chars <= 6 ? 3 : 4;
			bylen[lb][nbylen[lb]++] = ms[ns];
			ns++;
		}
		if (!found_self)
			zero_hits++;
	}
	double ts = bench_now() - ts0;
	qsort(ms, ns, sizeof *ms, bench_cmp_double);
	qsort(msrow, ns, sizeof *msrow, bench_cmp_double);
	printf("  %zu keystrokes over %zu queries in %.1f s; %zu full queries "
	       "found nothing%s\n", ns, nqs, ts, zero_hits,
	       zero_hits ? " (CHECK: every query comes from the data)" : "");
	double p95_target = at == 1e6 ? T_P95_1M_MS :
			    at == 1e5 ? T_P95_100K_MS : 0;
	snprintf(label, sizeof label, "search %s: keystroke p50", scale);
	bench_figure(label, bench_pct(ms, ns, 50), "ms", 0);
	snprintf(label, sizeof label, "search %s: keystroke p95", scale);
	bench_figure(label, bench_pct(ms, ns, 95), "ms", p95_target);
	snprintf(label, sizeof label, "search %s: keystroke max", scale);
	bench_figure(label, ms[ns ? ns - 1 : 0], "ms", 0);
	snprintf(label, sizeof label, "search %s: +40 rows p95", scale);
	bench_figure(label, bench_pct(msrow, ns, 95), "ms", 0);

	printf("  by query kind (p50 / p95 / max ms, keystrokes):\n");
	for (size_t k = 0; k < NELEM(kinds); k++) {
		if (!nbykind[k])
			continue;
		qsort(bykind[k], nbykind[k], sizeof(double), bench_cmp_double);
		printf("    %-7s %8.2f %8.2f %8.2f  %zu\n", kinds[k],
		       bench_pct(bykind[k], nbykind[k], 50),
		       bench_pct(bykind[k], nbykind[k], 95),
		       bykind[k][nbykind[k] - 1], nbykind[k]);
	}
	static const char *const lens[] = { "1 char", "2 chars", "3 chars",
					    "4-6", "7+" };
	printf("  by prefix length (p50 / p95 / max ms, keystrokes):\n");
	for (size_t k = 0; k < 5; k++) {
		if (!nbylen[k])
			continue;
		qsort(bylen[k], nbylen[k], sizeof(double), bench_cmp_double);
		printf("    %-7s %8.2f %8.2f %8.2f  %zu\n", lens[k],
		       bench_pct(bylen[k], nbylen[k], 50),
		       bench_pct(bylen[k], nbylen[k], 95),
		       bylen[k][nbylen[k] - 1], nbylen[k]);
	}
	qsort(sk, ns, sizeof *sk, cmp_stroke);
	printf("  slowest keystrokes:\n");
	for (size_t i = 0; i < ns && i < 8; i++)
		printf("    %8.2f ms  %-6s '%.*s' (%zu hits)\n", sk[i].ms,
		       qs[sk[i].q].kind, (int)sk[i].len, qs[sk[i].q].text,
		       sk[i].hits);

	/* ---- memory -------------------------------------------------------- */
	printf("\n[memory]\n");
	printf("  current RSS %.1f MB\n", cur_rss_mb());
	snprintf(label, sizeof label, "library %s: peak RSS%s", scale,
		 search_only ? " (search)" : " (import+search)");
	bench_figure(label, rss_mb(), "MB",
		     at == 1e5 ? T_RSS_MB : 0);

	db_close(db);
	for (size_t k = 0; k < NELEM(kinds); k++)
		free(bykind[k]);
	for (size_t k = 0; k < 5; k++)
		free(bylen[k]);
	free(sk), free(ms), free(msrow), free(qs);
	if (!keep && !search_only) {
		unlink(vcf);
		unlink(qf);
		unlink(dbp);
		char *w = xasprintf("%s-wal", dbp), *s = xasprintf("%s-shm", dbp);
		char *l = xasprintf("%s/confab.log", data);
		unlink(w), unlink(s), unlink(l);
		free(w), free(s), free(l);
		if (made_dir)
			rmdir(data);
	}
	free(vcf), free(dbp), free(qf);
	return status;
}
