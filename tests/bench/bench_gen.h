/* The data bench_contacts works on: a deterministic generator of
 * realistic vCards (names from many languages, organisations, mixed phone
 * formats, some repeated UIDs) and the search queries drawn from it.
 * Included by bench_contacts.c only. */
#ifndef CONFAB_TESTS_BENCH_BENCH_GEN_H
#define CONFAB_TESTS_BENCH_BENCH_GEN_H

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

#endif
