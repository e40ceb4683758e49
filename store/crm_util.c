/* store/crm_util: CRM statuses, money and dates — no database here. */
#include "store/crm.h"
#include "common/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void crm_statuses_parse(const char *csv, char ***out, size_t *n)
{
	char *s = xstrdup(csv ? csv : ""), *w, *save = NULL;

	*out = NULL;
	*n = 0;
	for (w = strtok_r(s, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		str_trim(w);
		if (!*w || crm_status_match(*out, *n, w))
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = xstrdup(w);
	}
	free(s);
}

const char *crm_status_match(char *const *statuses, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (str_ieq(statuses[i], s))
			return statuses[i];
	return NULL;
}

/* The symbols people type for the common currencies. */
static const struct {
	const char *sym, *code;
} crm_symbols[] = {
	{ "\xe2\x82\xac", "EUR" }, { "\xc2\xa3", "GBP" }, { "$", "USD" },
	{ "\xc2\xa5", "JPY" }, { "CHF", "CHF" },
};

static const char *crm_money_symbol(const char **p)
{
	for (size_t i = 0; i < sizeof crm_symbols / sizeof *crm_symbols; i++) {
		size_t l = strlen(crm_symbols[i].sym);
		if (strncmp(*p, crm_symbols[i].sym, l) == 0) {
			*p += l;
			return crm_symbols[i].code;
		}
	}
	return NULL;
}

/* Three ASCII letters, upper-cased into code. */
static bool crm_money_code(const char **p, char code[4])
{
	const char *s = *p;

	for (int i = 0; i < 3; i++)
		if (!isalpha((unsigned char)s[i]))
			return false;
	if (isalpha((unsigned char)s[3]))
		return false;
	for (int i = 0; i < 3; i++)
		code[i] = (char)toupper((unsigned char)s[i]);
	code[3] = '\0';
	*p = s + 3;
	return true;
}

static void crm_skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

int crm_money_parse(const char *s, const char *default_currency,
		    int64_t *cents, char **currency)
{
	const char *p = s ? s : "", *cur = NULL;
	char code[4] = "";
	bool neg = false, digits = false;
	int64_t whole = 0, frac = 0;
	int nfrac = 0;

	crm_skip_space(&p);
	if (*p == '-')
		neg = true, p++;
	if ((cur = crm_money_symbol(&p)) == NULL && crm_money_code(&p, code))
		cur = code;
	crm_skip_space(&p);
	if (*p == '-' && !neg)
		neg = true, p++;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (whole > (INT64_MAX / 100 - 9) / 10)
				return -EINVAL;
			whole = whole * 10 + (*p - '0');
			digits = true;
		} else if (*p != ',' && *p != '\'') {
			break;
		}
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
			if (nfrac >= 2)
				return -EINVAL;
			frac = frac * 10 + (*p - '0');
			digits = true;
		}
		if (nfrac == 1)
			frac *= 10;
	}
	crm_skip_space(&p);
	if (!cur) {
		if ((cur = crm_money_symbol(&p)) == NULL &&
		    crm_money_code(&p, code))
			cur = code;
		crm_skip_space(&p);
	}
	if (!digits || *p)
		return -EINVAL;
	if (!cur)
		cur = default_currency;
	if (str_empty(cur))
		return -EINVAL;
	*cents = (whole * 100 + frac) * (neg ? -1 : 1);
	*currency = xstrdup(cur);
	return 0;
}

void crm_money_format(char *buf, size_t len, int64_t cents,
		      const char *currency)
{
	char digits[32], grouped[48];
	uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents :
				 (uint64_t)cents;
	size_t n, j = 0;

	snprintf(digits, sizeof digits, "%llu",
		 (unsigned long long)(v / 100));
	n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(buf, len, "%s%s.%02u%s%s", cents < 0 ? "-" : "", grouped,
		 (unsigned)(v % 100), currency ? " " : "",
		 currency ? currency : "");
}

bool crm_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 ||
	       ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

void crm_today(char buf[11])
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	if (!strftime(buf, 11, "%Y-%m-%d", &tm))
		buf[0] = '\0';
}
