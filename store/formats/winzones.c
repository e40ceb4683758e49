/* store/formats/winzones: Windows time zone names to IANA zones.
 *
 * Outlook and Exchange write TZID:W. Europe Standard Time.  The table is
 * CLDR's windowsZones.xml, territory "001" (the zone Windows means when no
 * country is given), with the legacy names Outlook still writes.  Where the
 * IANA name changed (Kiev -> Kyiv) the older one, which every tzdata still
 * carries as a link, is listed as a fallback.
 */
#include "store/formats/ical.h"
#include "common/str.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct winzone {
	const char *windows, *iana, *alt;
};

static const struct winzone winzones[] = {
	{ "Dateline Standard Time", "Etc/GMT+12", NULL },
	{ "UTC-11", "Etc/GMT+11", NULL },
	{ "Aleutian Standard Time", "America/Adak", NULL },
	{ "Hawaiian Standard Time", "Pacific/Honolulu", NULL },
	{ "Marquesas Standard Time", "Pacific/Marquesas", NULL },
	{ "Alaskan Standard Time", "America/Anchorage", NULL },
	{ "UTC-09", "Etc/GMT+9", NULL },
	{ "Pacific Standard Time (Mexico)", "America/Tijuana", NULL },
	{ "UTC-08", "Etc/GMT+8", NULL },
	{ "Pacific Standard Time", "America/Los_Angeles", NULL },
	{ "US Mountain Standard Time", "America/Phoenix", NULL },
	{ "Mountain Standard Time (Mexico)", "America/Mazatlan", NULL },
	{ "Mountain Standard Time", "America/Denver", NULL },
	{ "Yukon Standard Time", "America/Whitehorse", NULL },
	{ "Central America Standard Time", "America/Guatemala", NULL },
	{ "Central Standard Time", "America/Chicago", NULL },
	{ "Easter Island Standard Time", "Pacific/Easter", NULL },
	{ "Central Standard Time (Mexico)", "America/Mexico_City", NULL },
	{ "Mexico Standard Time", "America/Mexico_City", NULL },
	{ "Mexico Standard Time 2", "America/Chihuahua", NULL },
	{ "Canada Central Standard Time", "America/Regina", NULL },
	{ "SA Pacific Standard Time", "America/Bogota", NULL },
	{ "Eastern Standard Time (Mexico)", "America/Cancun", NULL },
	{ "Eastern Standard Time", "America/New_York", NULL },
	{ "Haiti Standard Time", "America/Port-au-Prince", NULL },
	{ "Cuba Standard Time", "America/Havana", NULL },
	{ "US Eastern Standard Time", "America/Indiana/Indianapolis",
	  "America/Indianapolis" },
	{ "Turks And Caicos Standard Time", "America/Grand_Turk", NULL },
	{ "Paraguay Standard Time", "America/Asuncion", NULL },
	{ "Atlantic Standard Time", "America/Halifax", NULL },
	{ "Venezuela Standard Time", "America/Caracas", NULL },
	{ "Central Brazilian Standard Time", "America/Cuiaba", NULL },
	{ "SA Western Standard Time", "America/La_Paz", NULL },
	{ "Pacific SA Standard Time", "America/Santiago", NULL },
	{ "Newfoundland Standard Time", "America/St_Johns", NULL },
	{ "Tocantins Standard Time", "America/Araguaina", NULL },
	{ "E. South America Standard Time", "America/Sao_Paulo", NULL },
	{ "SA Eastern Standard Time", "America/Cayenne", NULL },
	{ "Argentina Standard Time", "America/Argentina/Buenos_Aires",
	  "America/Buenos_Aires" },
	{ "Greenland Standard Time", "America/Nuuk", "America/Godthab" },
	{ "Montevideo Standard Time", "America/Montevideo", NULL },
	{ "Magallanes Standard Time", "America/Punta_Arenas", NULL },
	{ "Saint Pierre Standard Time", "America/Miquelon", NULL },
	{ "Bahia Standard Time", "America/Bahia", NULL },
	{ "UTC-02", "Etc/GMT+2", NULL },
	{ "Mid-Atlantic Standard Time", "Etc/GMT+2", NULL },
	{ "Azores Standard Time", "Atlantic/Azores", NULL },
	{ "Cape Verde Standard Time", "Atlantic/Cape_Verde", NULL },
	{ "UTC", "UTC", NULL },
	{ "Coordinated Universal Time", "UTC", NULL },
	{ "GMT Standard Time", "Europe/London", NULL },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik", NULL },
	{ "Sao Tome Standard Time", "Africa/Sao_Tome", NULL },
	{ "Morocco Standard Time", "Africa/Casablanca", NULL },
	{ "W. Europe Standard Time", "Europe/Berlin", NULL },
	{ "Central Europe Standard Time", "Europe/Budapest", NULL },
	{ "Romance Standard Time", "Europe/Paris", NULL },
	{ "Central European Standard Time", "Europe/Warsaw", NULL },
	{ "W. Central Africa Standard Time", "Africa/Lagos", NULL },
	{ "Jordan Standard Time", "Asia/Amman", NULL },
	{ "GTB Standard Time", "Europe/Bucharest", NULL },
	{ "Middle East Standard Time", "Asia/Beirut", NULL },
	{ "Egypt Standard Time", "Africa/Cairo", NULL },
	{ "E. Europe Standard Time", "Europe/Chisinau", NULL },
	{ "Syria Standard Time", "Asia/Damascus", NULL },
	{ "West Bank Standard Time", "Asia/Hebron", NULL },
	{ "South Africa Standard Time", "Africa/Johannesburg", NULL },
	{ "FLE Standard Time", "Europe/Kyiv", "Europe/Kiev" },
	{ "Israel Standard Time", "Asia/Jerusalem", NULL },
	{ "South Sudan Standard Time", "Africa/Juba", NULL },
	{ "Kaliningrad Standard Time", "Europe/Kaliningrad", NULL },
	{ "Sudan Standard Time", "Africa/Khartoum", NULL },
	{ "Libya Standard Time", "Africa/Tripoli", NULL },
	{ "Namibia Standard Time", "Africa/Windhoek", NULL },
	{ "Arabic Standard Time", "Asia/Baghdad", NULL },
	{ "Turkey Standard Time", "Europe/Istanbul", NULL },
	{ "Arab Standard Time", "Asia/Riyadh", NULL },
	{ "Belarus Standard Time", "Europe/Minsk", NULL },
	{ "Russian Standard Time", "Europe/Moscow", NULL },
	{ "E. Africa Standard Time", "Africa/Nairobi", NULL },
	{ "Volgograd Standard Time", "Europe/Volgograd", NULL },
	{ "Iran Standard Time", "Asia/Tehran", NULL },
	{ "Arabian Standard Time", "Asia/Dubai", NULL },
	{ "Astrakhan Standard Time", "Europe/Astrakhan", NULL },
	{ "Azerbaijan Standard Time", "Asia/Baku", NULL },
	{ "Russia Time Zone 3", "Europe/Samara", NULL },
	{ "Mauritius Standard Time", "Indian/Mauritius", NULL },
	{ "Saratov Standard Time", "Europe/Saratov", NULL },
	{ "Georgian Standard Time", "Asia/Tbilisi", NULL },
	{ "Caucasus Standard Time", "Asia/Yerevan", NULL },
	{ "Armenian Standard Time", "Asia/Yerevan", NULL },
	{ "Afghanistan Standard Time", "Asia/Kabul", NULL },
	{ "West Asia Standard Time", "Asia/Tashkent", NULL },
	{ "Ekaterinburg Standard Time", "Asia/Yekaterinburg", NULL },
	{ "Pakistan Standard Time", "Asia/Karachi", NULL },
	{ "Qyzylorda Standard Time", "Asia/Qyzylorda", NULL },
	{ "India Standard Time", "Asia/Kolkata", "Asia/Calcutta" },
	{ "Sri Lanka Standard Time", "Asia/Colombo", NULL },
	{ "Nepal Standard Time", "Asia/Kathmandu", "Asia/Katmandu" },
	{ "Central Asia Standard Time", "Asia/Almaty", NULL },
	{ "Bangladesh Standard Time", "Asia/Dhaka", NULL },
	{ "Omsk Standard Time", "Asia/Omsk", NULL },
	{ "Myanmar Standard Time", "Asia/Yangon", "Asia/Rangoon" },
	{ "SE Asia Standard Time", "Asia/Bangkok", NULL },
	{ "Altai Standard Time", "Asia/Barnaul", NULL },
	{ "W. Mongolia Standard Time", "Asia/Hovd", NULL },
	{ "North Asia Standard Time", "Asia/Krasnoyarsk", NULL },
	{ "N. Central Asia Standard Time", "Asia/Novosibirsk", NULL },
	{ "Tomsk Standard Time", "Asia/Tomsk", NULL },
	{ "China Standard Time", "Asia/Shanghai", NULL },
	{ "North Asia East Standard Time", "Asia/Irkutsk", NULL },
	{ "Singapore Standard Time", "Asia/Singapore", NULL },
	{ "Malay Peninsula Standard Time", "Asia/Singapore", NULL },
	{ "W. Australia Standard Time", "Australia/Perth", NULL },
	{ "Taipei Standard Time", "Asia/Taipei", NULL },
	{ "Ulaanbaatar Standard Time", "Asia/Ulaanbaatar", NULL },
	{ "Aus Central W. Standard Time", "Australia/Eucla", NULL },
	{ "Transbaikal Standard Time", "Asia/Chita", NULL },
	{ "Tokyo Standard Time", "Asia/Tokyo", NULL },
	{ "North Korea Standard Time", "Asia/Pyongyang", NULL },
	{ "Korea Standard Time", "Asia/Seoul", NULL },
	{ "Yakutsk Standard Time", "Asia/Yakutsk", NULL },
	{ "Cen. Australia Standard Time", "Australia/Adelaide", NULL },
	{ "AUS Central Standard Time", "Australia/Darwin", NULL },
	{ "E. Australia Standard Time", "Australia/Brisbane", NULL },
	{ "AUS Eastern Standard Time", "Australia/Sydney", NULL },
	{ "West Pacific Standard Time", "Pacific/Port_Moresby", NULL },
	{ "Tasmania Standard Time", "Australia/Hobart", NULL },
	{ "Vladivostok Standard Time", "Asia/Vladivostok", NULL },
	{ "Lord Howe Standard Time", "Australia/Lord_Howe", NULL },
	{ "Bougainville Standard Time", "Pacific/Bougainville", NULL },
	{ "Russia Time Zone 10", "Asia/Srednekolymsk", NULL },
	{ "Magadan Standard Time", "Asia/Magadan", NULL },
	{ "Norfolk Standard Time", "Pacific/Norfolk", NULL },
	{ "Sakhalin Standard Time", "Asia/Sakhalin", NULL },
	{ "Central Pacific Standard Time", "Pacific/Guadalcanal", NULL },
	{ "Russia Time Zone 11", "Asia/Kamchatka", NULL },
	{ "Kamchatka Standard Time", "Asia/Kamchatka", NULL },
	{ "New Zealand Standard Time", "Pacific/Auckland", NULL },
	{ "UTC+12", "Etc/GMT-12", NULL },
	{ "Fiji Standard Time", "Pacific/Fiji", NULL },
	{ "Chatham Islands Standard Time", "Pacific/Chatham", NULL },
	{ "UTC+13", "Etc/GMT-13", NULL },
	{ "Tonga Standard Time", "Pacific/Tongatapu", NULL },
	{ "Samoa Standard Time", "Pacific/Apia", NULL },
	{ "Line Islands Standard Time", "Pacific/Kiritimati", NULL },
};

static bool zone_known(const char *name)
{
	return str_ieq(name, "UTC") ||
	       icaltimezone_get_builtin_timezone(name) != NULL;
}

const char *ical_windows_zone(const char *name)
{
	if (str_empty(name))
		return NULL;
	for (size_t i = 0; i < sizeof winzones / sizeof winzones[0]; i++) {
		const struct winzone *w = &winzones[i];
		if (strcasecmp(name, w->windows) != 0)
			continue;
		if (zone_known(w->iana) || !w->alt)
			return w->iana;
		return w->alt;
	}
	return NULL;
}

static bool is_utc_name(const char *s)
{
	return str_ieq(s, "UTC") || str_ieq(s, "GMT") || str_ieq(s, "Z") ||
	       str_ieq(s, "Etc/UTC") || str_ieq(s, "Etc/GMT") ||
	       str_ieq(s, "Etc/Zulu") || str_ieq(s, "Zulu");
}

/* libical takes zone names case-sensitively; a TZID is a name, and names
 * with spaces, quotes or control bytes are never IANA zones. */
static bool plausible_iana(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_-+.", *p)))
			return false;
	return true;
}

const char *ical_zone_iana(const char *tzid)
{
	const char *w;

	if (str_empty(tzid))
		return NULL;
	if (is_utc_name(tzid))
		return "UTC";
	if ((w = ical_windows_zone(tzid)))
		return w;
	if (!plausible_iana(tzid))
		return NULL;
	/* "Europe/London", or "/mozilla.org/20050126_1/Europe/London",
	 * "/freeassociation.sourceforge.net/Tzfile/Europe/London": the
	 * longest suffix after a '/' that libical knows */
	for (const char *p = tzid; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (*p && strchr(p, '/') && zone_known(p))
			return p;
		if (*p && p == tzid && zone_known(p))
			return p;
	}
	return NULL;
}
