/* store/formats/vcard: the vCard line grammar shared by the reader
 * (vcard_read.c) and the writer (vcard_write.c): splitting a property line
 * into group, name, parameters and value, walking parameters and TYPE
 * values, and the TYPE <-> label table. */
#include "store/formats/vcard_int.h"

#include <string.h>
#include <strings.h>

bool vcard_ieqn(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n == l && strncasecmp(s, lit, n) == 0;
}

static bool vcard_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void vcard_trim(const char **s, size_t *n)
{
	while (*n && vcard_is_ws(**s))
		(*s)++, (*n)--;
	while (*n && vcard_is_ws((*s)[*n - 1]))
		(*n)--;
}

/* Names and groups: letters, digits, '-' (and '_', which some writers use). */
static bool vcard_name_ok(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

void vcard_colon_step(struct vcard_colon *k, const char *s, size_t n)
{
	while (!k->found && k->off < n) {
		char c = s[k->off];
		if (c == ':' && !k->inq) {
			k->found = true;
			break;
		}
		if (c == ';')
			k->semi = true;
		else if (c == '"' && k->semi)
			k->inq = !k->inq;
		k->off++;
	}
}

/* The ':' ending name and parameters: the first one outside a quoted
 * parameter value, else (unbalanced quote) simply the first one. */
static size_t vcard_colon_at(const char *s, size_t n)
{
	struct vcard_colon k = { 0 };

	vcard_colon_step(&k, s, n);
	if (k.found)
		return k.off;
	const char *c = memchr(s, ':', n);
	return c ? (size_t)(c - s) : n;
}

bool vcard_param_next(const char **it, const char *end, struct vcard_param *pm)
{
	const char *p = *it;
	bool inq = false;

	while (p < end && *p == ';')
		p++;
	if (p >= end)
		return false;
	pm->raw = p;
	for (; p < end && (inq || *p != ';'); p++)
		if (*p == '"')
			inq = !inq;
	pm->rlen = (size_t)(p - pm->raw);
	*it = p;
	const char *eq = memchr(pm->raw, '=', pm->rlen);
	if (eq) {
		pm->name = pm->raw;
		pm->nlen = (size_t)(eq - pm->raw);
		pm->val = eq + 1;
		pm->vlen = pm->rlen - pm->nlen - 1;
		vcard_trim(&pm->name, &pm->nlen);
	} else {
		pm->name = NULL;
		pm->nlen = 0;
		pm->val = pm->raw;
		pm->vlen = pm->rlen;
	}
	vcard_trim(&pm->val, &pm->vlen);
	return true;
}

bool vcard_enc_token(const char *s, size_t n)
{
	return vcard_ieqn(s, n, "QUOTED-PRINTABLE") ||
	       vcard_ieqn(s, n, "BASE64") || vcard_ieqn(s, n, "8BIT") ||
	       vcard_ieqn(s, n, "7BIT");
}

static void vcard_type_list(const char *v, size_t n, vcard_type_fn fn,
			    void *arg)
{
	if (n && *v == '"') {
		v++, n--;
		if (n && v[n - 1] == '"')
			n--;
	}
	while (n) {
		const char *comma = memchr(v, ',', n);
		size_t k = comma ? (size_t)(comma - v) : n;
		const char *t = v;
		size_t tn = k;
		vcard_trim(&t, &tn);
		if (tn)
			fn(arg, t, tn);
		v += k, n -= k;
		if (comma)
			v++, n--;
	}
}

void vcard_types_each(const char *par, size_t plen, vcard_type_fn fn,
		      void *arg)
{
	const char *it = par, *end = par + plen;
	struct vcard_param pm;

	while (vcard_param_next(&it, end, &pm)) {
		if (!pm.name) {
			if (pm.vlen && !vcard_enc_token(pm.val, pm.vlen))
				fn(arg, pm.val, pm.vlen);
		} else if (vcard_ieqn(pm.name, pm.nlen, "TYPE")) {
			vcard_type_list(pm.val, pm.vlen, fn, arg);
		}
	}
}

static void vcard_pref_type(void *arg, const char *t, size_t n)
{
	if (vcard_ieqn(t, n, "pref"))
		*(bool *)arg = true;
}

void vcard_prop_flags(struct vcard_prop *p)
{
	const char *it = p->par, *end = p->par + p->plen;
	struct vcard_param pm;

	while (vcard_param_next(&it, end, &pm)) {
		const char *v = pm.val;
		size_t n = pm.vlen;
		if (!pm.name) {
			if (vcard_ieqn(v, n, "QUOTED-PRINTABLE"))
				p->qp = true;
			else if (vcard_ieqn(v, n, "BASE64"))
				p->b64 = true;
		} else if (vcard_ieqn(pm.name, pm.nlen, "ENCODING")) {
			if (vcard_ieqn(v, n, "QUOTED-PRINTABLE"))
				p->qp = true;
			else if (vcard_ieqn(v, n, "BASE64") ||
				 vcard_ieqn(v, n, "b"))
				p->b64 = true;
		} else if (vcard_ieqn(pm.name, pm.nlen, "CHARSET")) {
			p->cs = v;
			p->cslen = n;
			p->has_cs = true;
		} else if (vcard_ieqn(pm.name, pm.nlen, "VALUE")) {
			p->uri = vcard_ieqn(v, n, "uri") ||
				 vcard_ieqn(v, n, "url");
		} else if (vcard_ieqn(pm.name, pm.nlen, "PREF")) {
			p->pref = true;
		}
	}
	vcard_types_each(p->par, p->plen, vcard_pref_type, &p->pref);
}

bool vcard_prop_parse(const char *s, size_t n, struct vcard_prop *p)
{
	size_t colon = vcard_colon_at(s, n);

	memset(p, 0, sizeof *p);
	if (colon >= n)
		return false;
	p->s = s;
	p->n = n;
	p->val = s + colon + 1;
	p->vlen = n - colon - 1;
	const char *semi = memchr(s, ';', colon);
	size_t hlen = semi ? (size_t)(semi - s) : colon;
	p->par = semi ? semi + 1 : s + colon;
	p->plen = semi ? colon - hlen - 1 : 0;
	const char *dot = memchr(s, '.', hlen);
	p->name = dot ? dot + 1 : s;
	p->nlen = dot ? hlen - (size_t)(dot - s) - 1 : hlen;
	if (dot) {
		p->grp = s;
		p->glen = (size_t)(dot - s);
		if (!vcard_name_ok(p->grp, p->glen))
			return false;
	}
	if (!vcard_name_ok(p->name, p->nlen))
		return false;
	vcard_prop_flags(p);
	return true;
}

/* TYPE values that give a field its label, best first. */
static const char *const vcard_lab_types[] = {
	"cell", "mobile", "work", "home", "fax", "pager", "main", "iphone",
	"other",
};
static const char *const vcard_lab_names[] = {
	"mobile", "mobile", "work", "home", "fax", "pager", "main", "iPhone",
	"other",
};
#define VCARD_NLAB (sizeof vcard_lab_types / sizeof *vcard_lab_types)

static void vcard_lab_type(void *arg, const char *t, size_t n)
{
	size_t *best = arg;

	for (size_t i = 0; i < *best; i++)
		if (vcard_ieqn(t, n, vcard_lab_types[i])) {
			*best = i;
			return;
		}
}

const char *vcard_label_of(const char *par, size_t plen)
{
	size_t best = VCARD_NLAB;

	vcard_types_each(par, plen, vcard_lab_type, &best);
	return best < VCARD_NLAB ? vcard_lab_names[best] : NULL;
}

const char *vcard_label_type(const char *label)
{
	for (size_t i = 0; i < VCARD_NLAB; i++)
		if (label && strcmp(label, vcard_lab_names[i]) == 0)
			return vcard_lab_types[i];
	return NULL;
}

/* Apple's predefined labels, "_$!<HomePage>!$_"; we keep them lower-case. */
static const char *const vcard_apple[] = {
	"Mobile", "HomePage", "Other", "Home", "Work", "Main", "Pager",
	"HomeFAX", "WorkFAX", "OtherFAX", "School", "Anniversary", "Father",
	"Mother", "Parent", "Brother", "Sister", "Child", "Friend", "Spouse",
	"Partner", "Assistant", "Manager",
};

/* label == lower-case(token)? */
static bool vcard_is_lower_of(const char *label, const char *token)
{
	for (; *token; label++, token++) {
		char t = *token;
		if (t >= 'A' && t <= 'Z')
			t = (char)(t - 'A' + 'a');
		if (*label != t)
			return false;
	}
	return *label == '\0';
}

const char *vcard_apple_label(const char *label)
{
	size_t n = sizeof vcard_apple / sizeof *vcard_apple;

	for (size_t i = 0; label && i < n; i++)
		if (vcard_is_lower_of(label, vcard_apple[i]))
			return vcard_apple[i];
	return NULL;
}
