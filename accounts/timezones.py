"""The IANA time zones a user can pick, and the legacy names browsers report.

The zones on offer are the ones the tz database lists for people to choose from
(its zone.tab, one or more per country) plus UTC: no "localtime", "Factory",
"posixrules" or other files that happen to sit in a zoneinfo folder. A legacy
name (a tz "link") is read as the zone it points to."""

from functools import cache
from importlib import resources

# Names some browsers (Chromium's ICU among them) still report from
# Intl.DateTimeFormat, mapped to the current IANA name.
LEGACY_NAMES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv",
    "Europe/Uzhgorod": "Europe/Kyiv",
    "Europe/Zaporozhye": "Europe/Kyiv",
    "America/Godthab": "America/Nuuk",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Louisville": "America/Kentucky/Louisville",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Enderbury": "Pacific/Kanton",
    "Australia/Canberra": "Australia/Sydney",
    "UTC": "UTC",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC",
    "GMT": "UTC",
}


def _tz_file(name):
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")


@cache
def all_names():
    """The zones a user can pick, sorted."""
    names = {
        line.split("\t")[2]
        for line in _tz_file("zone.tab").splitlines()
        if line and not line.startswith("#")
    }
    return tuple(sorted(names | {"UTC"}))


@cache
def _links():
    """Every legacy name the tz database keeps ("L target name" lines), mapped to
    a zone on offer, with the explicit names above winning."""
    names = set(all_names())
    links = {}
    for line in _tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            links[name] = target
    resolved = {}
    for name, target in links.items():
        while target not in names and target in links:
            target = links[target]
        if target in names:
            resolved[name] = target
    return {**resolved, **LEGACY_NAMES}


def canonical(name):
    """The zone on offer a name means: itself, the zone a legacy name points to,
    or the name unchanged when it means nothing (is_valid says so)."""
    if name in _zone_set():
        return name
    return _links().get(name, name)


@cache
def _zone_set():
    return frozenset(all_names())


def is_valid(name):
    return isinstance(name, str) and canonical(name) in _zone_set()


def choices():
    return [(name, name.replace("_", " ")) for name in all_names()]
