"""The IANA time zones a user can pick, and the legacy names browsers report."""

import zoneinfo
from functools import cache

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


@cache
def all_names():
    """Every name zoneinfo knows, sorted, without the legacy aliases above."""
    names = zoneinfo.available_timezones() - set(LEGACY_NAMES)
    return tuple(sorted(names | {"UTC"}))


def canonical(name):
    return LEGACY_NAMES.get(name, name)


def is_valid(name):
    return canonical(name) in zoneinfo.available_timezones()


def choices():
    return [(name, name.replace("_", " ")) for name in all_names()]
