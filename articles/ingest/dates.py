"""Publication dates as news pages write them: parsed to aware UTC datetimes, or refused.

``parse_date`` reads one written date ("May 10, 2025", "30/04/2025 10:30 BST", ISO 8601);
``date_line`` accepts a line only when it is nothing but a date, with an optional label
("Published:") and time. ``DATE`` is the shape of a date inside a longer line, such as a byline.

One rule for a date a file states in a field (a ``Date:`` header, a JSON ``published``, HTML
metadata) that cannot be used, whether unreadable or in a year no news article can have: the
article is kept without that date and :func:`ignored_date` says why, for the loader to report.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

from dateutil import parser as date_parser
from dateutil import tz

# Month names and their abbreviations, as a regular-expression alternation.
MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = "(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+"
_TIME = (
    r"(?:\s*(?:[,|•·–—-]|\bat\b)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,5}|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)\)?)?)?"
)
_TIME_FIRST = (
    r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?|[A-Z]{2,5}))?\s*[,|•·–—-]?\s*)?"
)
DATE = re.compile(
    rf"""(?P<date>
        {_TIME_FIRST}
        (?:{_WEEKDAYS})?
        (?:
            (?P<iso>\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?
                (?:Z|[+-]\d{{2}}:?\d{{2}})?)?)
          | (?P<numeric>\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})
          | (?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
          | \d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{4}}
        )
        (?(iso)|{_TIME})
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that may come before a date on a date line.
DATE_PREFIX = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|posted|updated|modified|date|dated|released)"
    r"(?:\s+(?:on|at))?\s*:?\s*)",
    re.IGNORECASE,
)
DATE_SEPARATORS = " \t,|•·–—-:"
# The earliest year a publication date may have; the latest is next year (``latest_year``).
EARLIEST_YEAR = 1800

_YEAR_THEN_TIME = re.compile(r"(\d{4})(?:\s*[,|•·–—-]\s*|\s+at\s+|\s+)(\d{1,2})[.:](\d{2})\b")
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b")
_DECORATION = re.compile(r"[|•·()]|\s[–—-]\s")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b")

# Common time-zone abbreviations, so that "10:30 EST" is not read as local time.
_TZINFOS = {
    name: tz.tzoffset(name, hours * 3600)
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
        "IST": 5.5, "KST": 9, "JST": 9, "AEST": 10, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
        "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    }.items()
}  # fmt: skip


def _iso_offset(match: re.Match[str]) -> str:
    sign, hours, minutes = match.groups()
    return f"{sign}{int(hours):02d}:{minutes or '00'}"


def latest_year() -> int:
    """The last year a publication date may have: next year (time zones, embargoed pieces)."""
    return dt.datetime.now(dt.UTC).year + 1


def plausible(when: dt.datetime) -> bool:
    """Whether ``when`` lies in a year a news article can have been published."""
    return _plausible_year(when.year)


def _plausible_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= latest_year()


def parse_date(value: str) -> dt.datetime | None:
    """Parse a publication date written in a usual form; return an aware UTC datetime or None.

    The text must hold a four-digit year. Numeric dates are read day first ("30/04/2025" is
    30 April), falling back to month first only when the day-first reading is impossible
    ("04/30/2025"). A date without a time is midnight UTC; a time with a zone is converted to UTC,
    a time without one is taken as UTC. A year outside :func:`plausible` gives None.
    """
    parsed = _read_date(value)
    return parsed if parsed is not None and plausible(parsed) else None


def parse_unix_time(seconds: float) -> dt.datetime | None:
    """A Unix time in seconds, or in milliseconds as JavaScript writes it, as a UTC datetime.

    None when no datetime can hold it or its year is not :func:`plausible`.
    """
    parsed = _read_unix_time(seconds)
    return parsed if parsed is not None and plausible(parsed) else None


def ignored_date(value: object) -> str:
    """Why a date a file states cannot be the publication date, ending "the date is ignored".

    ``value`` is what the file gave: text, a Unix time, or anything else a JSON field can hold.
    """
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…"
    year = None
    if isinstance(value, str):
        parsed = _read_date(value)
        written = re.search(r"(?<!\d)\d{4}(?!\d)", value)
        if parsed or written:
            year = parsed.year if parsed else int(written.group())
        reason = f"date {shown} is not a date that can be read"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = _read_unix_time(value)
        year = parsed.year if parsed else None
        reason = f"date {shown} is not a Unix time that can be read"
    else:
        reason = f"date {shown} is not a date that can be read"
    if year is not None and not _plausible_year(year):
        years = f"{EARLIEST_YEAR}–{latest_year()}"
        reason = f"date {shown} is outside the years {years} a news article can have"
    return f"{reason}; the date is ignored"


def _read_unix_time(seconds: float) -> dt.datetime | None:
    if abs(seconds) > 1e11:
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _read_date(value: str) -> dt.datetime | None:
    """``value`` read as an aware UTC datetime, whatever its year; None if it is not a date."""
    text = value.strip().strip(DATE_SEPARATORS)
    if not re.search(r"\d{4}", text):
        return None  # dateutil would fill a missing year (or month) from today
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        # "1 May 2025 | 10.30 (BST)" -> "1 May 2025 10:30 BST", a form dateutil reads.
        text = _YEAR_THEN_TIME.sub(r"\1 \2:\3", text)
        # dateutil reads "GMT+3" the POSIX way, as three hours *behind* GMT.
        text = _GMT_OFFSET.sub(_iso_offset, text)
        text = _DECORATION.sub(" ", text)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = date_parser.parse(
                    text, dayfirst=bool(_NUMERIC_DATE.search(text)), tzinfos=_TZINFOS
                )
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        return None  # year 1 or 9999 pushed past what a datetime holds by its time zone


def date_line(line: str) -> dt.datetime | None:
    """Return the date if ``line`` is nothing but a date (with an optional label and time)."""
    text = DATE_PREFIX.sub("", line.strip()).strip(DATE_SEPARATORS)
    match = DATE.fullmatch(text)
    return parse_date(match.group("date")) if match else None
