/* common/phone: phone numbers to E.164, table-driven.
 *
 * There is no metadata library behind this: one table maps each ISO 3166
 * region to its calling code, national trunk prefixes and international
 * call prefixes, and a small normaliser applies them.  It checks the shape
 * and length of a number, not whether its range is allocated.
 */
#include "common/phone.h"
#include "common/str.h"

#include <stddef.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PHONE_MAXDIG	24	/* more digits than this is not a number */
#define PHONE_E164_MAX	15

struct phone_region {
	char iso[3];
	const char *cc;		/* country calling code */
	const char *trunk;	/* national trunk prefixes, ',' separated */
	const char *idd;	/* international prefixes tried before "00" */
};

#define NANP(iso)	{ iso, "1", "1", "011" }

/* Trunk "" means the leading digits are part of the number: Italy, San
 * Marino and the Vatican keep their leading 0 in international form. */
static const struct phone_region phone_regions[] = {
	{ "AC", "247", "",  "" },	/* Ascension */
	{ "AD", "376", "",  "" },
	{ "AE", "971", "0", "" },
	{ "AF", "93",  "0", "" },
	NANP("AG"),
	NANP("AI"),
	{ "AL", "355", "0", "" },
	{ "AM", "374", "0", "" },
	{ "AO", "244", "",  "" },
	{ "AQ", "672", "",  "" },
	{ "AR", "54",  "0", "" },
	NANP("AS"),
	{ "AT", "43",  "0", "" },
	{ "AU", "61",  "0", "0011" },
	{ "AW", "297", "",  "" },
	{ "AX", "358", "0", "" },	/* Åland */
	{ "AZ", "994", "0", "" },
	{ "BA", "387", "0", "" },
	NANP("BB"),
	{ "BD", "880", "0", "" },
	{ "BE", "32",  "0", "" },
	{ "BF", "226", "",  "" },
	{ "BG", "359", "0", "" },
	{ "BH", "973", "",  "" },
	{ "BI", "257", "",  "" },
	{ "BJ", "229", "",  "" },
	{ "BL", "590", "0", "" },
	NANP("BM"),
	{ "BN", "673", "",  "" },
	{ "BO", "591", "0", "0010,0011,0012,0013" },
	{ "BQ", "599", "",  "" },
	{ "BR", "55",  "0", "0012,0014,0015,0021,0023,0031,0041,0043" },
	NANP("BS"),
	{ "BT", "975", "",  "" },
	{ "BV", "47",  "",  "" },	/* Bouvet: uninhabited, Norway's code */
	{ "BW", "267", "",  "" },
	{ "BY", "375", "80,8,0", "810" },
	{ "BZ", "501", "",  "" },
	NANP("CA"),
	{ "CC", "61",  "0", "0011" },
	{ "CD", "243", "0", "" },
	{ "CF", "236", "",  "" },
	{ "CG", "242", "",  "" },
	{ "CH", "41",  "0", "" },
	{ "CI", "225", "",  "" },
	{ "CK", "682", "",  "" },
	{ "CL", "56",  "",  "" },
	{ "CM", "237", "",  "" },
	{ "CN", "86",  "0", "" },
	{ "CO", "57",  "0", "005,007,009" },
	{ "CR", "506", "",  "" },
	{ "CU", "53",  "0", "119" },
	{ "CV", "238", "",  "0" },
	{ "CW", "599", "",  "" },
	{ "CX", "61",  "0", "0011" },
	{ "CY", "357", "",  "" },
	{ "CZ", "420", "",  "" },
	{ "DE", "49",  "0", "" },
	{ "DJ", "253", "",  "" },
	{ "DK", "45",  "",  "" },
	NANP("DM"),
	NANP("DO"),
	{ "DZ", "213", "0", "" },
	{ "EC", "593", "0", "" },
	{ "EE", "372", "",  "" },
	{ "EG", "20",  "0", "" },
	{ "EH", "212", "0", "" },
	{ "ER", "291", "0", "" },
	{ "ES", "34",  "",  "" },
	{ "ET", "251", "0", "" },
	{ "FI", "358", "0", "" },
	{ "FJ", "679", "",  "" },
	{ "FK", "500", "",  "" },
	{ "FM", "691", "",  "" },
	{ "FO", "298", "",  "" },
	{ "FR", "33",  "0", "" },
	{ "GA", "241", "",  "" },
	{ "GB", "44",  "0", "" },
	NANP("GD"),
	{ "GE", "995", "0", "" },
	{ "GF", "594", "0", "" },
	{ "GG", "44",  "0", "" },
	{ "GH", "233", "0", "" },
	{ "GI", "350", "",  "" },
	{ "GL", "299", "",  "" },
	{ "GM", "220", "",  "" },
	{ "GN", "224", "",  "" },
	{ "GP", "590", "0", "" },
	{ "GQ", "240", "",  "" },
	{ "GR", "30",  "",  "" },
	{ "GS", "500", "",  "" },
	{ "GT", "502", "",  "" },
	NANP("GU"),
	{ "GW", "245", "",  "" },
	{ "GY", "592", "",  "001" },
	{ "HK", "852", "",  "001,0080,0082,009" },
	{ "HM", "672", "",  "" },	/* Heard and McDonald: uninhabited */
	{ "HN", "504", "",  "" },
	{ "HR", "385", "0", "" },
	{ "HT", "509", "",  "" },
	{ "HU", "36",  "06", "" },
	{ "ID", "62",  "0", "001,007,008,009" },
	{ "IE", "353", "0", "" },
	{ "IL", "972", "0", "012,013,014,015,016,018,019" },
	{ "IM", "44",  "0", "" },
	{ "IN", "91",  "0", "" },
	{ "IO", "246", "",  "" },
	{ "IQ", "964", "0", "" },
	{ "IR", "98",  "0", "" },
	{ "IS", "354", "",  "" },
	{ "IT", "39",  "",  "" },
	{ "JE", "44",  "0", "" },
	NANP("JM"),
	{ "JO", "962", "0", "" },
	{ "JP", "81",  "0", "010,001,0033,0041,0061" },
	{ "KE", "254", "0", "000,007" },
	{ "KG", "996", "0", "" },
	{ "KH", "855", "0", "001,007,008" },
	{ "KI", "686", "0", "" },
	{ "KM", "269", "",  "" },
	NANP("KN"),
	{ "KP", "850", "0", "" },
	{ "KR", "82",  "0", "001,002,005,006,008,00700" },
	{ "KW", "965", "",  "" },
	NANP("KY"),
	{ "KZ", "7",   "8", "810" },
	{ "LA", "856", "0", "" },
	{ "LB", "961", "0", "" },
	NANP("LC"),
	{ "LI", "423", "",  "" },
	{ "LK", "94",  "0", "" },
	{ "LR", "231", "0", "" },
	{ "LS", "266", "",  "" },
	{ "LT", "370", "8,0", "" },
	{ "LU", "352", "",  "" },
	{ "LV", "371", "",  "" },
	{ "LY", "218", "0", "" },
	{ "MA", "212", "0", "" },
	{ "MC", "377", "",  "" },
	{ "MD", "373", "0", "" },
	{ "ME", "382", "0", "" },
	{ "MF", "590", "0", "" },
	{ "MG", "261", "0", "" },
	{ "MH", "692", "1", "011" },
	{ "MK", "389", "0", "" },
	{ "ML", "223", "",  "" },
	{ "MM", "95",  "0", "" },
	{ "MN", "976", "0", "001,002" },
	{ "MO", "853", "",  "" },
	NANP("MP"),
	{ "MQ", "596", "0", "" },
	{ "MR", "222", "",  "" },
	NANP("MS"),
	{ "MT", "356", "",  "" },
	{ "MU", "230", "",  "020" },
	{ "MV", "960", "",  "" },
	{ "MW", "265", "0", "" },
	{ "MX", "52",  "",  "" },
	{ "MY", "60",  "0", "" },
	{ "MZ", "258", "",  "" },
	{ "NA", "264", "0", "" },
	{ "NC", "687", "",  "" },
	{ "NE", "227", "",  "" },
	{ "NF", "672", "",  "" },
	{ "NG", "234", "0", "009" },
	{ "NI", "505", "",  "" },
	{ "NL", "31",  "0", "" },
	{ "NO", "47",  "",  "" },
	{ "NP", "977", "0", "" },
	{ "NR", "674", "",  "" },
	{ "NU", "683", "",  "" },
	{ "NZ", "64",  "0", "" },
	{ "OM", "968", "",  "" },
	{ "PA", "507", "",  "" },
	{ "PE", "51",  "0", "" },
	{ "PF", "689", "",  "" },
	{ "PG", "675", "",  "" },
	{ "PH", "63",  "0", "" },
	{ "PK", "92",  "0", "" },
	{ "PL", "48",  "",  "" },
	{ "PM", "508", "0", "" },
	{ "PN", "64",  "",  "" },
	NANP("PR"),
	{ "PS", "970", "0", "" },
	{ "PT", "351", "",  "" },
	{ "PW", "680", "",  "01" },
	{ "PY", "595", "0", "" },
	{ "QA", "974", "",  "" },
	{ "RE", "262", "0", "" },
	{ "RO", "40",  "0", "" },
	{ "RS", "381", "0", "" },
	{ "RU", "7",   "8", "810" },
	{ "RW", "250", "0", "" },
	{ "SA", "966", "0", "" },
	{ "SB", "677", "",  "" },
	{ "SC", "248", "",  "" },
	{ "SD", "249", "0", "" },
	{ "SE", "46",  "0", "" },
	{ "SG", "65",  "",  "000,001,002,008,013,018,019" },
	{ "SH", "290", "",  "" },
	{ "SI", "386", "0", "" },
	{ "SJ", "47",  "",  "" },
	{ "SK", "421", "0", "" },
	{ "SL", "232", "0", "" },
	{ "SM", "378", "",  "" },
	{ "SN", "221", "",  "" },
	{ "SO", "252", "0", "" },
	{ "SR", "597", "",  "" },
	{ "SS", "211", "0", "" },
	{ "ST", "239", "",  "" },
	{ "SV", "503", "",  "" },
	NANP("SX"),
	{ "SY", "963", "0", "" },
	{ "SZ", "268", "",  "" },
	{ "TA", "290", "",  "" },	/* Tristan da Cunha */
	NANP("TC"),
	{ "TD", "235", "",  "" },
	{ "TF", "262", "0", "" },
	{ "TG", "228", "",  "" },
	{ "TH", "66",  "0", "001,007,008,009" },
	{ "TJ", "992", "8", "810" },
	{ "TK", "690", "",  "" },
	{ "TL", "670", "",  "" },
	{ "TM", "993", "8", "810" },
	{ "TN", "216", "",  "" },
	{ "TO", "676", "",  "" },
	{ "TR", "90",  "0", "" },
	NANP("TT"),
	{ "TV", "688", "",  "" },
	{ "TW", "886", "0", "002,005,006,007,009,019" },
	{ "TZ", "255", "0", "000,005,006" },
	{ "UA", "380", "0", "" },
	{ "UG", "256", "0", "000,005,007" },
	NANP("UM"),
	NANP("US"),
	{ "UY", "598", "0", "" },
	{ "UZ", "998", "",  "810" },
	{ "VA", "39",  "",  "" },
	NANP("VC"),
	{ "VE", "58",  "0", "" },
	NANP("VG"),
	NANP("VI"),
	{ "VN", "84",  "0", "" },
	{ "VU", "678", "",  "" },
	{ "WF", "681", "",  "" },
	{ "WS", "685", "",  "0" },
	{ "XK", "383", "0", "" },	/* Kosovo (user-assigned code) */
	{ "YE", "967", "0", "" },
	{ "YT", "262", "0", "" },
	{ "ZA", "27",  "0", "" },
	{ "ZM", "260", "0", "" },
	{ "ZW", "263", "0", "" },
};

#define PHONE_NREGIONS	(sizeof phone_regions / sizeof phone_regions[0])

/* Calling codes that belong to no region: freephone, satellite, etc. */
static const char *const phone_nongeo[] = {
	"800", "808", "870", "878", "881", "882", "883", "888", "979",
};

/* ITU E.161 keypad: ABC=2 DEF=3 GHI=4 JKL=5 MNO=6 PQRS=7 TUV=8 WXYZ=9. */
static const char phone_keypad[] = "22233344455566677778889999";

/* Extension markers, tried in order; "," is a dialling pause. */
static const char *const phone_ext_marks[] = {
	"extension", "extn", "ext", "x", "#", ",",
};

static const struct phone_region *phone_region_find(const char *region)
{
	if (str_empty(region) || strlen(region) != 2)
		return NULL;
	char first = (char)toupper((unsigned char)region[0]);
	for (size_t i = 0; i < PHONE_NREGIONS; i++)
		if (phone_regions[i].iso[0] == first &&
		    !strcasecmp(phone_regions[i].iso, region))
			return &phone_regions[i];
	return NULL;
}

const char *phone_country_code(const char *region)
{
	const struct phone_region *r = phone_region_find(region);

	return r ? r->cc : NULL;
}

bool phone_region_known(const char *region)
{
	return phone_region_find(region) != NULL;
}

static bool phone_cc_is(const char *d, size_t len, const char *cc)
{
	/* first digit first: this runs for every table entry */
	return cc[0] == d[0] && !strncmp(d, cc, len) && cc[len] == '\0';
}

/* Which 1-, 2- and 3-digit numbers are calling codes: built once from
 * the tables (they never change after), so a lookup is three reads. */
static bool phone_cc_set[4][1000];
static pthread_once_t phone_cc_once = PTHREAD_ONCE_INIT;

static void phone_cc_mark(const char *cc)
{
	size_t len = strlen(cc);

	if (len >= 1 && len <= 3)
		phone_cc_set[len][atoi(cc)] = true;
}

static void phone_cc_init(void)
{
	for (size_t i = 0; i < PHONE_NREGIONS; i++)
		phone_cc_mark(phone_regions[i].cc);
	for (size_t i = 0; i < sizeof phone_nongeo / sizeof *phone_nongeo; i++)
		phone_cc_mark(phone_nongeo[i]);
}

/* Length of the calling code `d` starts with, 0 when none (codes are
 * prefix-free, so at most one length matches). */
static size_t phone_cc_len(const char *d, size_t n)
{
	int v = 0;

	pthread_once(&phone_cc_once, phone_cc_init);
	for (size_t len = 1; len <= 3 && len <= n; len++) {
		if (d[len - 1] < '0' || d[len - 1] > '9')
			return 0;
		v = v * 10 + (d[len - 1] - '0');
		if (phone_cc_set[len][v])
			return len;
	}
	return 0;
}

/* Whether the countries using calling code d[0..len) have the trunk prefix
 * 0, so that a 0 written after the code ("+44 020 …") is dropped. */
static bool phone_cc_trunk0(const char *d, size_t len)
{
	for (size_t i = 0; i < PHONE_NREGIONS; i++)
		if (phone_cc_is(d, len, phone_regions[i].cc) &&
		    !strcmp(phone_regions[i].trunk, "0"))
			return true;
	return false;
}

/* Italy, San Marino, the Vatican: the leading 0 belongs to the number. */
static bool phone_cc_keeps0(const char *d, size_t len)
{
	return phone_cc_is(d, len, "39") || phone_cc_is(d, len, "378") ||
	       phone_cc_is(d, len, "379");
}

/* Length of the first prefix in the ','-separated `list` that the n
 * digits at d start with, 0 when none does. */
static size_t phone_prefix(const char *d, size_t n, const char *list)
{
	while (*list) {
		size_t len = strcspn(list, ",");

		if (len && len <= n && !strncmp(d, list, len))
			return len;
		list += len;
		if (*list == ',')
			list++;
	}
	return 0;
}

static bool phone_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool phone_in(char c, const char *set)
{
	return c && strchr(set, c);
}

/* Bytes of the UTF-8 space, dash, invisible mark or fullwidth punctuation
 * at s, 0 when there is none. */
static size_t phone_uskip(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
		return 2;			/* no-break space */
	if (n < 3)
		return 0;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x95) || (s[2] >= 0xa8 && s[2] <= 0xaf)))
		return 3;	/* U+2000-2015 spaces, marks, dashes; U+2028-202F */
	if (s[0] == 0xe2 && s[1] == 0x81 &&
	    (s[2] == 0xa0 || (s[2] >= 0xa6 && s[2] <= 0xa9)))
		return 3;	/* word joiner, bidi isolates */
	if (s[0] == 0xe2 && s[1] == 0x88 && s[2] == 0x92)
		return 3;	/* minus sign */
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;	/* ideographic space */
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;	/* byte order mark */
	if (s[0] == 0xef && s[1] == 0xbc &&
	    (s[2] == 0x88 || s[2] == 0x89 || (s[2] >= 0x8d && s[2] <= 0x8f)))
		return 3;	/* fullwidth ( ) - . / */
	return 0;
}

/* A non-ASCII digit at s (fullwidth, Arabic-Indic): its byte length, with
 * the ASCII digit in *dig; 0 when there is none. */
static size_t phone_udigit(const unsigned char *s, size_t n, char *dig)
{
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbc && s[2] >= 0x90 && s[2] <= 0x99) {
		*dig = (char)('0' + s[2] - 0x90);
		return 3;
	}
	if (n >= 2 && s[0] == 0xd9 && s[1] >= 0xa0 && s[1] <= 0xa9) {
		*dig = (char)('0' + s[1] - 0xa0);
		return 2;
	}
	if (n >= 2 && s[0] == 0xdb && s[1] >= 0xb0 && s[1] <= 0xb9) {
		*dig = (char)('0' + s[1] - 0xb0);
		return 2;
	}
	return 0;
}

/* Length of text[0..n) without trailing (ASCII or Unicode) spaces. */
static size_t phone_rtrim(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;

	for (;;) {
		if (n && phone_isspace(s[n - 1]))
			n--;
		else if (n >= 2 && phone_uskip(s + n - 2, 2) == 2)
			n -= 2;
		else if (n >= 3 && phone_uskip(s + n - 3, 3) == 3)
			n -= 3;
		else
			return n;
	}
}

/* Length of text[0..n) without a trailing extension: a marker ("x",
 * "ext.", "extension", "#", ";ext=", ",") followed by digits only, or a
 * lone "#" at the end. */
static size_t phone_cut_ext(const char *s, size_t n)
{
	size_t e, m;

	n = phone_rtrim(s, n);
	if (n && s[n - 1] == '#')
		return phone_rtrim(s, n - 1);
	for (e = n; e && s[e - 1] >= '0' && s[e - 1] <= '9'; e--)
		;
	if (e == n || e == 0)
		return n;
	for (m = e; m && phone_in(s[m - 1], " \t.:="); m--)
		;
	for (size_t i = 0; i < sizeof phone_ext_marks / sizeof *phone_ext_marks; i++) {
		const char *mark = phone_ext_marks[i];
		size_t len = strlen(mark);
		unsigned char before;

		if (m < len || strncasecmp(s + m - len, mark, len))
			continue;
		before = m > len ? (unsigned char)s[m - len - 1] : ' ';
		if ((before | 0x20) >= 'a' && (before | 0x20) <= 'z')
			continue;		/* "…NEXT 12" is not "ext 12" */
		for (m -= len; m && phone_in(s[m - 1], " \t;,"); m--)
			;
		return phone_rtrim(s, m);
	}
	return n;
}

struct phone_scan {
	char d[PHONE_MAXDIG + 1];	/* digits, keypad letters mapped */
	size_t nd;
	size_t nreal;		/* digits written as digits */
	int zero_at;		/* index in d of a "(0)", -1 if none */
	bool plus;
	bool upper, lower;	/* keypad letters seen, by case */
};

static int phone_push(struct phone_scan *sc, char dig, bool real)
{
	if (sc->nd >= PHONE_MAXDIG)
		return -1;
	sc->d[sc->nd++] = dig;
	sc->d[sc->nd] = '\0';
	if (real)
		sc->nreal++;
	return 0;
}

/* Length of a "(0)" (spaces allowed inside) at s, 0 if there is none. */
static size_t phone_paren0(const char *s, size_t n)
{
	size_t i = 1;

	while (i < n && phone_isspace((unsigned char)s[i]))
		i++;
	if (i >= n || s[i++] != '0')
		return 0;
	while (i < n && phone_isspace((unsigned char)s[i]))
		i++;
	return i < n && s[i] == ')' ? i + 1 : 0;
}

/* Collect the digits of `text`, dropping punctuation, a "tel:" scheme and
 * an extension.  Keypad letters are mapped when `letters` allows it, at
 * least 3 digits come before the first one and all are of one case
 * ("1-800-FLOWERS", "1-800-flowers", but not "123 Main St"). */
static int phone_scan(const char *text, bool letters, struct phone_scan *sc)
{
	const unsigned char *s;
	size_t n, i = 0, k;
	char dig;

	memset(sc, 0, sizeof *sc);
	sc->zero_at = -1;
	if (!text || strchr(text, '@'))
		return -1;
	while (phone_isspace((unsigned char)*text))
		text++;
	if (str_istarts(text, "tel:")) {
		text += 4;
		n = strcspn(text, ";");		/* URI parameters */
	} else {
		n = strlen(text);
	}
	n = phone_cut_ext(text, n);
	s = (const unsigned char *)text;
	while (i < n) {
		unsigned char c = s[i], lc = c | 0x20;

		if (c >= '0' && c <= '9') {
			if (phone_push(sc, (char)c, true) < 0)
				return -1;
			i++;
		} else if (c == '+' || (n - i >= 3 && !memcmp(s + i, "\xef\xbc\x8b", 3))) {
			if (sc->plus || sc->nd)
				return -1;
			sc->plus = true;
			i += c == '+' ? 1 : 3;
		} else if (c == '(' && (k = phone_paren0(text + i, n - i))) {
			sc->zero_at = (int)sc->nd;
			if (phone_push(sc, '0', true) < 0)
				return -1;
			i += k;
		} else if (phone_in((char)c, " \t.-/()[]")) {
			i++;
		} else if (lc >= 'a' && lc <= 'z') {
			if (!letters || sc->nreal < 3)
				return -1;
			if (c == lc)
				sc->lower = true;
			else
				sc->upper = true;
			if ((sc->lower && sc->upper) ||
			    phone_push(sc, phone_keypad[lc - 'a'], false) < 0)
				return -1;
			i++;
		} else if ((k = phone_udigit(s + i, n - i, &dig))) {
			if (phone_push(sc, dig, true) < 0)
				return -1;
			i += k;
		} else if ((k = phone_uskip(s + i, n - i))) {
			i += k;
		} else {
			return -1;
		}
	}
	return 0;
}

/* E.164 from international digits d[0..n) (calling code first); zero_at
 * is the index of a "(0)" in d, or negative. */
static char *phone_intl(const char *d, size_t n, long zero_at)
{
	size_t cclen = phone_cc_len(d, n), nn;
	const char *nat;

	if (!cclen)
		return NULL;
	nat = d + cclen;
	nn = n - cclen;
	if (nn && nat[0] == '0') {
		if ((zero_at == (long)cclen && !phone_cc_keeps0(d, cclen)) ||
		    phone_cc_trunk0(d, cclen))
			nat++, nn--;
	}
	if (nn < 4 || cclen + nn > PHONE_E164_MAX)
		return NULL;
	/* 8 digits at least; 7 for 3-digit codes (Niue "+683 4002") */
	if (cclen + nn < (cclen == 3 ? 7 : 8))
		return NULL;
	if (phone_cc_is(d, cclen, "1") && (nn != 10 || nat[0] < '2'))
		return NULL;
	if (phone_cc_is(d, cclen, "7") && nn != 10)
		return NULL;
	return xasprintf("+%.*s%.*s", (int)cclen, d, (int)nn, nat);
}

/* E.164 from digits written in the national form of region r. */
static char *phone_national(const char *d, size_t n, const struct phone_region *r)
{
	char buf[PHONE_MAXDIG + 4];
	size_t k, cclen = strlen(r->cc);

	if (!strcmp(r->cc, "1")) {
		/* NANP: 10 digits, or 11 with the trunk 1; 7 lack an area code */
		if (n == 11 && d[0] == '1')
			d++, n--;
		if (n != 10)
			return NULL;
	} else if ((k = phone_prefix(d, n, r->trunk))) {
		d += k, n -= k;
	} else if (n > 10 && !strncmp(d, r->cc, cclen)) {
		/* "441632960123" in GB: the code without '+' or 00 */
		return phone_intl(d, n, -1);
	}
	memcpy(buf, r->cc, cclen);
	memcpy(buf + cclen, d, n);
	return phone_intl(buf, cclen + n, -1);
}

char *phone_e164(const char *text, const char *region)
{
	const struct phone_region *r = phone_region_find(region);
	struct phone_scan sc;
	size_t off = 0;

	if (phone_scan(text, true, &sc) < 0 || sc.nreal < 3)
		return NULL;
	if (!sc.plus) {
		/* the region's own international prefix, or "00" anywhere:
		 * the longer one wins ("0011" in AU, "00" over "0" in CV) */
		if (r)
			off = phone_prefix(sc.d, sc.nd, r->idd);
		if (off < 2 && sc.nd >= 2 && !strncmp(sc.d, "00", 2))
			off = 2;
		if (!off)
			return r ? phone_national(sc.d, sc.nd, r) : NULL;
	}
	return phone_intl(sc.d + off, sc.nd - off, (long)sc.zero_at - (long)off);
}

/* Group sizes for the national part of a number; returns their count. */
static size_t phone_groups(const char *d, size_t cclen, const char *nat,
			   size_t nn, size_t *g)
{
	size_t ng, base, rem;

	if (phone_cc_is(d, cclen, "1") && nn == 10) {
		g[0] = 3, g[1] = 3, g[2] = 4;
		return 3;
	}
	if (phone_cc_is(d, cclen, "44") && nn == 10) {
		if (nat[0] == '2') {
			g[0] = 2, g[1] = 4, g[2] = 4;
			return 3;
		}
		g[0] = 4, g[1] = 6;
		return 2;
	}
	if (phone_cc_is(d, cclen, "33") && nn == 9) {
		g[0] = 1, g[1] = g[2] = g[3] = g[4] = 2;
		return 5;
	}
	/* generic: as few groups of at most 4 as fit, longer ones last */
	ng = (nn + 3) / 4;
	if (ng < 1)
		ng = 1;
	base = nn / ng;
	rem = nn % ng;
	for (size_t i = 0; i < ng; i++)
		g[i] = base + (i >= ng - rem);
	return ng;
}

char *phone_format(const char *e164)
{
	size_t g[PHONE_E164_MAX], ng, n, cclen;
	const char *d, *nat;
	struct sbuf b;

	if (!e164 || e164[0] != '+')
		return NULL;
	d = e164 + 1;
	n = strlen(d);
	if (n < 7 || n > PHONE_E164_MAX || strspn(d, "0123456789") != n)
		return NULL;
	cclen = phone_cc_len(d, n);
	if (!cclen)
		return NULL;
	nat = d + cclen;
	ng = phone_groups(d, cclen, nat, n - cclen, g);
	sbuf_init(&b);
	sbuf_printf(&b, "+%.*s", (int)cclen, d);
	for (size_t i = 0; i < ng; i++) {
		sbuf_addc(&b, ' ');
		sbuf_addn(&b, nat, g[i]);
		nat += g[i];
	}
	return sbuf_take(&b);
}

/* "2024-01-15", "15.01.2024", "1/15/2024": dates, not numbers. */
static bool phone_is_date(const char *s)
{
	size_t len[3];
	int ng = 0;
	char sep = 0;

	while (phone_isspace((unsigned char)*s))
		s++;
	for (;;) {
		size_t k = strspn(s, "0123456789");

		if (!k || ng == 3)
			return false;
		len[ng++] = k;
		s += k;
		if (*s != '-' && *s != '.' && *s != '/')
			break;
		if (sep && *s != sep)
			return false;
		sep = *s++;
	}
	while (phone_isspace((unsigned char)*s))
		s++;
	if (*s || ng != 3)
		return false;
	return (len[0] == 4 && len[1] <= 2 && len[2] <= 2) ||
	       (len[0] <= 2 && len[1] <= 2 && len[2] == 4);
}

bool phone_looks_like(const char *text)
{
	struct phone_scan sc;

	if (phone_scan(text, false, &sc) < 0 || phone_is_date(text))
		return false;
	if (sc.plus)
		return sc.nd >= 7 && sc.nd <= PHONE_E164_MAX;
	return sc.nd >= 6 && sc.nd <= PHONE_E164_MAX + 4;
}

size_t phone_cc_digits(const char *e164)
{
	if (!e164 || e164[0] != '+')
		return 0;
	return phone_cc_len(e164 + 1, strlen(e164 + 1));
}
