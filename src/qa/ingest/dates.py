"""Dates: the day a date line, a byline row or an HTML page's head says an article was published."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from dateparser.search import search_dates
from htmldate import find_date

from qa.text import normalise, word_count

# Dates must name day, month and year: "2 hours ago" or "May 2019" would be a guess, and a missing
# date is better than a wrong one.
_DATE_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
}
# A year is the cheap test that a line may hold a full date; relative dates never have one.
YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")
# Separators between the parts of a byline row ("Reuters | Nov 18, 2019 | 3 min read").
PARTS = re.compile(r"\s*(?:[|·•]|\s-\s|\s—\s|\s–\s|:\s)\s*")
_ABBREVIATED_MONTH = re.compile(r"\b([A-Za-z]{3,4})\.(?=\s)")
# Lines longer than this are prose: a date inside a sentence dates an event, not the page.
_DATE_LINE_WORDS = 16
# A row that opens with a publication label, and where its update part begins.
_PUBLISHED_ROW = re.compile(r"^(?:published|posted)\b", re.IGNORECASE)
_UPDATED_PART = re.compile(r"\s*(?:\||\s(?=(?:updated|last updated|modified)\b))\s*", re.IGNORECASE)
# An embedded post's signature ("— Ann Lee (@annlee) November 18, 2019") dates the post, not the page.
_EMBED_SIGNATURE = re.compile(r"\(@\w+\)")
# A blog's row glues its date to its comment count and category ("October 12, 2018/0 Comments/in News").
_GLUED_COUNT = re.compile(r"(?<=(?<!\d)(?:19|20)\d\d)/(?=\d+\s*[^\W\d])")
_GLUED_TIME = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)")
_DOTTED_TIME = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b|$))", re.IGNORECASE)
_GLUED_LABEL = re.compile(r"(?<=[A-Za-z])(?=(?:Updated|Published|Posted|Last modified)\b)")
# A US-style numeric date with a two-digit year ("On 11/13/19 at 4:00 PM"); only read when unambiguous.
SHORT_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{2})(?![\d/])")

_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Z][a-z]{2,8})\.?"
_DATE_PATTERNS = (
    re.compile(rf"^(?:[A-Z][a-z]+day,?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?:[A-Z][a-z]+day,?\s+)?(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"),
)


def parse_date(text: str) -> str | None:
    """ISO date of a line that is only a date ("December 29, 2011", "Dec. 27, 2011", "25 December 2011")."""
    text = normalise(text)
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        month = found["month"]
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        if number is None:
            continue
        try:
            return datetime(int(found["year"]), number, int(found["day"])).date().isoformat()
        except ValueError:
            return None
    return None


def footer_date(line: str) -> str | None:
    """The date of a blog footer such as "December 29, 2011 0 comments", else None."""
    text = normalise(line)
    stripped = re.sub(r"\s*\d+\s+comments?$", "", text, flags=re.IGNORECASE)
    return parse_date(stripped) if stripped != text else None


def line_date(text: str) -> str | None:
    """ISO date of a short date or byline line ("Published March 4, 2016, 10:41 AM"), else None."""
    return _dated(text)[0]


def page_date(text: str, below: str = "") -> str | None:
    """The date a date line gives its page, or None where the day itself is in doubt.

    A line's date is in doubt when a stated zone moved it to the next UTC day by less than an hour
    (the page's declared time is often minutes earlier, before midnight), when an evening time on a
    12-hour clock states no zone (an American page, whose UTC day may be the next one), and when the
    line runs on into a sentence (a teaser glued to its date, not a dateline). `below` is the next
    line: a time standing alone there ("5:50 PM") belongs to the date above it.
    """
    found, doubtful = _dated(text)
    if found is None or doubtful or _teaser(text):
        return None
    if below and _BARE_TIME.match(normalise(below)) and _late_unzoned(normalise(below)):
        return None
    return found


# A time alone on its line, as some pages print it under the date.
_BARE_TIME = re.compile(r"^\d{1,2}:\d\d\s*[ap]\.?m\.?$", re.IGNORECASE)
_TWELVE_HOUR = re.compile(r"\b(\d{1,2})(?::\d\d)?\s*([ap])\.?m\b\.?", re.IGNORECASE)
_ZONE = re.compile(
    r"\b(?:[ECMP][SD]?T|UTC|GMT|IST|BST|CET|CEST|AEST|AEDT|JST|KST)\b|[+-]\d\d:?\d\d\b", re.IGNORECASE
)
# From this hour on (5 pm Pacific is 01:00 UTC) an unzoned American time may fall on the next UTC day.
_LATE_HOUR = 17


def _late_unzoned(text: str) -> bool:
    """An evening time on a 12-hour clock, with no zone stated."""
    found = _TWELVE_HOUR.search(text)
    if found is None or _ZONE.search(text):
        return False
    hour = int(found[1]) % 12 + (12 if found[2].lower() == "p" else 0)
    return hour >= _LATE_HOUR


def _teaser(text: str) -> bool:
    """A dated line that runs on into a sentence: a teaser ("... November 20, 2019 (This Morning)Some sun.")."""
    text = normalise(text)
    return word_count(text) >= 8 and text.endswith(".") and not text.endswith(("a.m.", "p.m."))


@lru_cache(maxsize=4096)
def _dated(text: str) -> tuple[str | None, bool]:
    """A line's date and whether its day is in doubt (see `page_date`)."""
    text = _ungluing(normalise(text))
    if word_count(text) > _DATE_LINE_WORDS and _PUBLISHED_ROW.match(text):
        # "Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST on Nov 18, 2019": too long for a date
        # line, but its first piece is one, and the first date published the page.
        text = _UPDATED_PART.split(text, maxsplit=1)[0]
    if not text or word_count(text) > _DATE_LINE_WORDS or _EMBED_SIGNATURE.search(text):
        return None, False
    if not YEAR.search(text):
        return _short_numeric_date(text), _late_unzoned(text)
    if (found := parse_date(text)) is not None:
        return found, False
    # Last, the text up to its first year: a row may glue on what follows its date with no separator
    # ("Nov 19, 2019 at 9:08 GMT1 day ago").
    year = YEAR.search(text)
    up_to_year = [text[: year.end()]] if year is not None else []
    for piece in [text, *PARTS.split(text), *up_to_year]:
        if not YEAR.search(piece):
            continue
        piece = _ABBREVIATED_MONTH.sub(r"\1", piece)
        for languages in (["en"], None, _MONTH_LANGUAGES):
            hits = search_dates(piece, languages=languages, settings=_DATE_SETTINGS)
            for matched, when in hits or ():
                # The year must be one the line states: dateparser reads "1 day ago" as well.
                if YEAR.search(matched) and str(when.year) in piece:
                    return _declared_day(when), _near_midnight(when) or _late_unzoned(text)
    return None, False


# Languages tried last, together: detection reads a month abbreviation that is also an English word
# ("02 Ago 2017", "3 Set 2019") as English and finds no date.
_MONTH_LANGUAGES = ["es", "it", "pt", "fr", "de", "nl"]


def _ungluing(text: str) -> str:
    """A date line as dateparser reads it: a year and time the scraper glued together ("20194:29 AM")
    parted, the comment count glued to a year cut off ("2018/0 Comments/in News"), a dotted time
    ("18.54 GMT") colon-separated, a glued "Updated"/"Published" set apart."""
    text = _GLUED_COUNT.split(text, maxsplit=1)[0]  # the count and category say nothing of the date
    text = _GLUED_TIME.sub(r"\1 \2", text)
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    return _GLUED_LABEL.sub(" ", text)


def _declared_day(when: datetime) -> str:
    """The day of a stated time; a stated zone dates the page as its declared (UTC) timestamp does."""
    return (when.astimezone(UTC) if when.tzinfo else when).date().isoformat()


def _near_midnight(when: datetime) -> bool:
    """A stated zone moved the time into the first hour of the next UTC day."""
    if when.tzinfo is None:
        return False
    utc = when.astimezone(UTC)
    return utc.date() != when.date() and utc.hour < 1


def _short_numeric_date(text: str) -> str | None:
    """A month/day/two-digit-year date whose day is over 12, so month and day cannot be mistaken."""
    found = SHORT_NUMERIC.search(text)
    if found is None or parse_date(text) is not None:
        return None
    month, day, year = (int(part) for part in found.groups())
    if day <= 12 or month > 12 or day > 31:
        return None
    try:
        return datetime(2000 + year, month, day).date().isoformat()
    except ValueError:
        return None


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD: the date part of an ISO timestamp as written (the page's own day), else None."""
    match = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})(?:$|[T\s])", value or "")
    if not match:
        match = re.match(r"\s*(\d{4})/(\d{1,2})/(\d{1,2})\b", value or "")
    try:
        return date(*map(int, match.groups())).isoformat() if match else None
    except ValueError:
        return None


# htmldate's extensive search guesses dates from free text (copyright lines, "updated"
# stamps); a missing date is better for retrieval than a wrong one. A date in the URL is
# only a fallback: it is often the newsroom's local day, the declared timestamp is what
# the page says it was published.
HTML_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "deferred_url_extractor": True,
}


def html_date(raw: str, blocks: Sequence[tuple[int, int]]) -> str | None:
    """htmldate's date of a page whose article blocks span these (start, end) offsets, looked for only around the article's head (the title to its first paragraphs).

    Sidebars, "most read" lists and related links carry other articles' dates; a page that
    declares none and shows none near its headline gets no date.
    """
    if not blocks:
        return None
    first = blocks[0][0]
    heading = raw.rfind("<h1", 0, first)
    start = heading if heading != -1 and first - heading < 5000 else max(0, first - 1500)
    end = blocks[min(2, len(blocks) - 1)][1]
    head_end = raw.lower().find("</head>")
    head = raw[: head_end + len("</head>")] if head_end != -1 and head_end < start else ""
    zone = f"{head}<body><div>{raw[start:end]}</div></body></html>"
    try:
        return iso_date(find_date(zone, **HTML_DATE_PARAMS))
    except (ValueError, TypeError):
        return None
