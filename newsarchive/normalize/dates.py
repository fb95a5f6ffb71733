"""Dates as found on news pages -> ISO 8601, keeping exactly the precision the page gave.

- A full timestamp keeps its UTC offset ("2021-03-04T05:06:07+01:00"; "Z" becomes "+00:00");
  a timestamp without an offset stays naive ("2021-03-04T05:06:00"); a bare day stays a day
  ("2021-03-04"). Nothing is invented: no midnight, no assumed timezone.
- Understood: ISO 8601 and its common variants (space separator, no seconds, "+0100",
  fractions), RFC 2822 ("Tue, 04 Mar 2021 05:06:07 GMT"), month names in English, French,
  German, Spanish, Italian, Portuguese, Dutch, the Scandinavian languages, Polish, Czech,
  Russian and Turkish ("March 4, 2021 5:06 PM EDT", "4. März 2021", "4 марта 2021"), CJK
  "2021年3月4日", numeric "2021/03/04", "04.03.2021" (day first), and Unix epoch seconds or
  milliseconds.
- date_from_url() reads "/2021/03/04/" style paths; callers rank it below metadata, so a URL
  date never overrides a full timestamp.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = ["normalize_date", "date_from_url", "day_of", "has_time"]

MIN_YEAR, MAX_YEAR = 1990, 2100

_MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "okt": 10, "dez": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    # Spanish / Portuguese / Italian
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "janeiro": 1,
    "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9, "outubro": 10,
    "novembro": 11, "dezembro": 12, "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    # Swedish, Danish, Norwegian (the rest are spelled as in German or Dutch)
    "maj": 5, "augusti": 8, "marts": 3, "desember": 12,
    # Polish, Czech and Russian: nominative and the genitive that dates use ("4 marca 2021")
    "styczeń": 1, "stycznia": 1, "luty": 2, "lutego": 2, "marzec": 3, "marca": 3, "kwiecień": 4,
    "kwietnia": 4, "maja": 5, "czerwiec": 6, "czerwca": 6, "lipiec": 7, "lipca": 7, "sierpień": 8,
    "sierpnia": 8, "wrzesień": 9, "września": 9, "październik": 10, "października": 10,
    "listopad": 11, "listopada": 11, "grudzień": 12, "grudnia": 12,
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7,
    "srpna": 8, "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
    "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
    # Turkish
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
    "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
}
# Offsets of the zone abbreviations news pages print; ambiguous ones (IST, CST in Asia) read as
# the North American / Indian meaning that English news sites use.
_ZONES = {
    "utc": 0, "gmt": 0, "z": 0, "ut": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10, "bst": 1, "cet": 1, "cest": 2, "met": 1,
    "mez": 1, "mesz": 2, "eet": 2, "eest": 3, "wet": 0, "west": 1, "ist": 5.5, "jst": 9, "kst": 9,
    "aest": 10, "aedt": 11, "sgt": 8, "hkt": 8,
}
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_ZONE_NAMES = "|".join(sorted(_ZONES, key=len, reverse=True))

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|(?:%s)\b)?)?" % _ZONE_NAMES,
    re.IGNORECASE)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?)?$")
_SLASHED = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)")
# Chinese, Japanese and Korean: "2021年3月4日", "2021년 3월 4일".
_CJK_DATE = re.compile(r"(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})(?!\d)")
_US_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+)?({_MONTH_NAMES})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE)
_TIME = re.compile(
    rf"(?<![\d:])(\d{{1,2}})[:h](\d{{2}})(?::(\d{{2}}))?\s*(a\.?m\.?|p\.?m\.?)?\s*"
    rf"(?:(?:(?:{_ZONE_NAMES})\s*)?([+-]\d{{2}}:?\d{{2}})|({_ZONE_NAMES})\b)?",
    re.IGNORECASE)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)|/((?:19|20)\d{2})/(0[1-9]|1[0-2])/(?=\D)")


def normalize_date(raw: object) -> str | None:
    """ISO 8601 for a date string (see module doc), or None when it holds no valid date. Never raises."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        raw = str(int(raw))
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())[:200]
    if not text:
        return None
    try:
        return _normalize(text)
    except (ValueError, OverflowError):
        return None


def _normalize(text: str) -> str | None:
    if _EPOCH.match(text):
        seconds = int(text[:10])
        return _render(datetime.fromtimestamp(seconds, timezone.utc), True)
    match = _COMPACT.match(text)
    if match:
        y, mo, d, hh, mm, ss, zone = match.groups()
        return _build(y, mo, d, hh, mm, ss, None, zone)
    match = _ISO.search(text)
    if match:
        y, mo, d, hh, mm, ss, zone = match.groups()
        return _build(y, mo, d, hh, mm, ss, None, zone)
    for pattern, order in ((_MONTH_DAY_YEAR, "mdy"), (_DAY_MONTH_YEAR, "dmy"), (_CJK_DATE, "ymd"), (_SLASHED, "ymd"),
                           (_DAY_FIRST, "dmy"), (_US_NUMERIC, "mdy")):
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = parts["m"]
        if not month.isdigit():
            month = str(_MONTHS[month.lower().rstrip(".")])
        time_match = _TIME.search(text, match.end()) or _TIME.search(text[:match.start()])
        if time_match:
            hh, mm, ss, meridiem, offset, zone = time_match.groups()
            return _build(parts["y"], month, parts["d"], hh, mm, ss, meridiem, offset or zone)
        return _build(parts["y"], month, parts["d"], None, None, None, None, None)
    return None


def _build(y, mo, d, hh, mm, ss, meridiem, zone) -> str | None:
    year, month, day = int(y), int(mo), int(d)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    day_value = date(year, month, day)  # ValueError on 2021-02-30
    if hh is None:
        return day_value.isoformat()
    hour, minute, second = int(hh), int(mm), int(ss or 0)
    if meridiem:
        pm = meridiem.lower().startswith("p")
        if hour > 12:
            return day_value.isoformat()
        hour = (hour % 12) + (12 if pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        return day_value.isoformat()
    tz = _zone(zone)
    stamp = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    return _render(stamp, bool(ss))


def _zone(zone: str | None) -> timezone | None:
    if not zone:
        return None
    zone = zone.strip()
    if zone.lower() in _ZONES:
        return timezone(timedelta(hours=_ZONES[zone.lower()]))
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", zone)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    if delta > timedelta(hours=14):
        return None
    return timezone(sign * delta)


def _render(stamp: datetime, seconds: bool) -> str:
    return stamp.isoformat(timespec="seconds" if seconds or stamp.second else "minutes")


def date_from_url(url: str) -> str | None:
    """The day a URL path names ("/2021/03/04/slug" -> "2021-03-04"), or None."""
    if not isinstance(url, str):
        return None
    match = _URL_DATE.search(url)
    if not match or not match.group(1):
        return None
    try:
        return _build(match.group(1), match.group(2), match.group(3), None, None, None, None, None)
    except ValueError:
        return None


def day_of(iso: str | None) -> str | None:
    """The YYYY-MM-DD part of a normalized date."""
    return iso[:10] if iso else None


def has_time(iso: str | None) -> bool:
    """Whether a normalized date carries a time of day (and so outranks a bare day)."""
    return bool(iso) and len(iso) > 10
