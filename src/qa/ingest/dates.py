"""Dates: the day a date line, a byline row or an HTML page's head says an article was published."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from dateparser.search import search_dates
from htmldate import find_date

from qa.ingest import languages
from qa.ingest.visible import visible_lines
from qa.text import normalise, prose_words, word_count

# Dates must name day, month and year: "2 hours ago" or "May 2019" would be a guess, and a missing
# date is better than a wrong one.
_DATE_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
}
_DAY_FIRST = {**_DATE_SETTINGS, "DATE_ORDER": "DMY"}
# A year is the cheap test that a line may hold a full date; relative dates never have one.
YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")
# Separators between the parts of a byline row ("Reuters | Nov 18, 2019 | 3 min read").
PARTS = re.compile(r"\s*(?:[|·•]|\s-\s|\s—\s|\s–\s|:\s)\s*")
_ABBREVIATED_MONTH = re.compile(r"\b([A-Za-z]{3,4})\.(?=\s)")
# Lines longer than this are prose: a date inside a sentence dates an event, not the page.
DATE_LINE_WORDS = 16
# A row that opens with a publication label, and where its update part begins.
_PUBLISHED_ROW = re.compile(r"^(?:published|posted)\b", re.IGNORECASE)
_UPDATED_PART = re.compile(r"\s*(?:\||\s(?=(?:updated|last updated|modified)\b))\s*", re.IGNORECASE)
# An embedded post's signature ("— Ann Lee (@annlee) November 18, 2019") dates the post, not the page.
_EMBED_SIGNATURE = re.compile(r"\(@\w+\)")
# A blog's row glues its date to its comment count and category ("October 12, 2018/0 Comments/in News").
_GLUED_COUNT = re.compile(r"(?<=(?<!\d)(?:19|20)\d\d)/(?=\d+\s*[^\W\d])")
_YEAR_FIRST = re.compile(r"(?<![\d.])((?:19|20)\d\d)\.\s?(\d{1,2})\.\s?(\d{1,2})\b\.?")
_GLUED_TIME = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)")
_DOTTED_TIME = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b|$))", re.IGNORECASE)
_GLUED_LABEL = re.compile(r"(?<=[A-Za-z])(?=(?:Updated|Published|Posted|Last modified)\b)")
# A name glued to the year that follows it ("By Sage Anderson2020-02-20"), a label glued to its value by a
# colon ("Updated:March 16, 2020").
_GLUED_YEAR = re.compile(r"(?<=[^\W\d_])(?=(?:19|20)\d\d(?!\d))")
# A name glued to the day of the date that follows it ("Yahoo News Australia28 October 2020"). A month word of
# three letters after it is only taken in English: elsewhere a word such as "Pro" is one.
_GLUED_DAY = re.compile(
    r"(?<=[^\W\d_]{2})(?=\d{1,2}\.?\s+(?:[^\W\d_]{4,}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"\.?,?\s+(?:19|20)\d\d(?!\d))"
)
_GLUED_COLON = re.compile(r"(?<=[^\W\d_]):(?=[^\W\d_])")
# A year glued to the bracket that follows it ("28.04.2020(updated 11:14 GMT 29.04.2020)").
_GLUED_BRACKET = re.compile(r"(?<=\d)(?=\()")
# A US-style numeric date with a two-digit year ("On 11/13/19 at 4:00 PM"); only read when unambiguous.
SHORT_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{2})(?![\d/])")

# A day stated as a number (1 to 31) apart from the year: every full date has one, whatever its language.
_DAY_NUMBER = re.compile(r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?!\d)")
# A date of numbers only ("07.06.2020", "2020-06-07", "11/13/2019"): its month is a number.
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,4}([./-])\d{1,2}\1\d{1,4}(?!\d)")
_NUMERIC_PARTS = re.compile(r"(?<!\d)(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})(?!\d)")
# Day, month and year joined by dots are written day first wherever they are used.
_DOTTED_DATE = re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.(?:19|20)\d\d(?!\d)")
_WORD = re.compile(r"[^\W\d_]+")
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Month words shorter than this in alphabetic scripts ("t", "de") are other words as often as months.
_MIN_MONTH_LETTERS = 3
_IDEOGRAPHS = 0x2E80  # from here on a single character is a word ("月", "월")
# Languages read together besides English, the most widely used first: a month name shared by many
# languages ("november") is not worth loading every one of them.
_MAX_LANGUAGES = 5
# A line that is only a date has at most this many words ("sexta-feira, 22 de outubro de 2010").
_ONLY_DATE_WORDS = 7
# What is left of a line that is only a date once its date is taken out: punctuation and spaces.
_ONLY_DATE_REST = re.compile(r"^[\W_]*$")


@lru_cache(maxsize=1)
def _month_words() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[int]]]:
    """Each month word dateparser knows (folded): the languages that use it, the most used first, and the
    months (1 to 12) it names."""
    from dateparser.languages.loader import default_loader

    languages: dict[str, list[str]] = {}
    months: dict[str, set[int]] = {}
    # dateparser's own order of its languages: by how widely they are used.
    for locale in default_loader.get_locales(use_given_order=False, allow_conflicting_locales=False):
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in locale.info.get(key, ()):
                for word in _WORD.findall(name.casefold()):
                    if len(word) >= _MIN_MONTH_LETTERS or ord(word[0]) >= _IDEOGRAPHS:
                        found = languages.setdefault(word, [])
                        if locale.shortname not in found:
                            found.append(locale.shortname)
                        months.setdefault(word, set()).add(number)
    return (
        {word: tuple(found) for word, found in languages.items()},
        {word: frozenset(found) for word, found in months.items()},
    )


def _month_languages() -> dict[str, tuple[str, ...]]:
    return _month_words()[0]


def shows_day(text: str, day: str) -> bool:
    """A short line shows this ISO day: its year, its day as a number and its month by name (in any
    language) or, where the line names no month, in a date of numbers. Weaker than reading the line's date, for
    confirming a day found elsewhere on a page whose date lines the parser cannot read."""
    when = date.fromisoformat(day)
    if word_count(text) > DATE_LINE_WORDS or str(when.year) not in YEAR.findall(text):
        return False
    numbers = {int(n) for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", YEAR.sub(" ", text))}
    if when.day not in numbers:
        return False
    index = _month_words()[1]
    named = {month for word in _WORD.findall(text.casefold()) for month in index.get(word, ())}
    if named:
        return when.month in named
    for found in _NUMERIC_PARTS.finditer(text):
        parts = [int(part) for part in found.groups()]
        if when.year in parts:
            parts.remove(when.year)
            if sorted(parts) == sorted([when.day, when.month]):
                return True
    return False


def _language_sets(text: str) -> tuple[tuple[str, ...], ...]:
    """The languages to read a line's date in, cheapest first; none when the line cannot hold a full date.

    A full date has a year, a day number and a month: a month name (then the languages that use it, English
    first) or a month number (read as English, day first where dots join the parts). The cheap test keeps
    headlines and prose with a year in them away from the parser. On a page being read (`languages.reading`),
    a month word of none of the page's languages is another word: "Pro" in "iPhone 11 Pro 2019" is Czech for
    December on a Czech page only.
    """
    found = _month_word_languages(text)
    if found is None:
        return ()
    if any(lang != "en" for lang in found) and (page := languages.page_languages()) is not None:
        found = tuple(lang for lang in found if lang == "en" or lang.split("-")[0] in page)
    if not found:
        return (("en",),) if _NUMERIC_DATE.search(text) else ()
    others = tuple(lang for lang in found if lang != "en")[:_MAX_LANGUAGES]
    return (("en",), *((others,) if others else ())) if "en" in found else (others,)


@lru_cache(maxsize=8192)
def _month_word_languages(text: str) -> tuple[str, ...] | None:
    """The languages of a line's month words, the most used first; None when the line has no year and day."""
    if not YEAR.search(text) or not _DAY_NUMBER.search(YEAR.sub(" ", text)):
        return None
    index = _month_languages()
    return tuple(
        dict.fromkeys(lang for word in _WORD.findall(text.casefold()) for lang in index.get(word, ()))
    )


@lru_cache(maxsize=8192)
def _first_date(text: str, languages: tuple[str, ...]) -> tuple[str, datetime] | None:
    """The first full date (day, month and year, the year as written) in a short text read in these
    languages, and the words it was read from; None without one."""
    if not YEAR.search(text):
        return None
    text = _ABBREVIATED_MONTH.sub(r"\1", text)
    settings = _DAY_FIRST if _DOTTED_DATE.search(text) else _DATE_SETTINGS
    for matched, when in search_dates(text, languages=list(languages), settings=settings) or ():
        # The year must be one the words read state: dateparser reads "1 day ago" as well, and may give a
        # year of its own making beside a stated one.
        if str(when.year) in YEAR.findall(matched):
            return matched, when
    return None


def parse_date(text: str) -> str | None:
    """ISO date of a line that is only a date ("December 29, 2011", "Wednesday, 17 July 2024", "2011-12-28"),
    read by the same rule as every date line."""
    text = normalise(text)
    if prose_words(text) > _ONLY_DATE_WORDS:
        return None
    for language_set in _language_sets(text):
        if (found := _first_date(text, language_set)) is not None:
            matched, when = found
            rest = _ABBREVIATED_MONTH.sub(r"\1", text).replace(matched, " ", 1)
            return _declared_day(when) if _ONLY_DATE_REST.match(rest) else None
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
    """A dated line that runs on into a sentence: a teaser ("... November 20, 2019 (This Morning)Some sun.").
    A row of parts set off by separators ("| October 7, 2020 | 7:09 am | Agencia Efe.") is a byline row."""
    text = normalise(text)
    return (
        word_count(text) >= 8
        and text.endswith(".")
        and not text.endswith(("a.m.", "p.m."))
        and len(PARTS.split(text.strip(" |·•"))) < _ROW_PARTS
    )


# Parts a byline row sets off by separators: a date, a time, an agency.
_ROW_PARTS = 3


def _dated(text: str) -> tuple[str | None, bool]:
    """A line's date and whether its day is in doubt (see `page_date`)."""
    text = _unglued(text)
    if prose_words(text) > DATE_LINE_WORDS and _PUBLISHED_ROW.match(text):
        # "Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST on Nov 18, 2019": too long for a date
        # line, but its first piece is one, and the first date published the page.
        text = _UPDATED_PART.split(text, maxsplit=1)[0]
    return _dated_in(text, _language_sets(text))


@lru_cache(maxsize=8192)
def _unglued(text: str) -> str:
    return _ungluing(normalise(text))


@lru_cache(maxsize=4096)
def _dated_in(text: str, language_sets: tuple[tuple[str, ...], ...]) -> tuple[str | None, bool]:
    """`_dated` of an unglued line, read in these language sets."""
    if not text or prose_words(text) > DATE_LINE_WORDS or _EMBED_SIGNATURE.search(text):
        return None, False
    if not YEAR.search(text):
        return _short_numeric_date(text), _late_unzoned(text)
    # The whole line first, then its parts, the text up to its first year: a row may glue on what
    # follows its date with no separator ("Nov 19, 2019 at 9:08 GMT1 day ago"). Each language set is tried
    # on every piece before the next, costlier one.
    year = YEAR.search(text)
    up_to_year = [text[: year.end()]] if year is not None else []
    # A date of numbers read from where it starts: a label before it may be in any script ("기사입력 2020-06-04").
    numeric = _NUMERIC_DATE.search(text)
    from_numbers = [text[numeric.start() :]] if numeric is not None else []
    pieces = list(dict.fromkeys([text, *PARTS.split(text), *up_to_year, *from_numbers]))
    for language_set in language_sets:
        for piece in pieces:
            if (found := _first_date(piece, language_set)) is not None:
                when = found[1]
                return _declared_day(when), _near_midnight(when) or _late_unzoned(text)
    return None, False


def _ungluing(text: str) -> str:
    """A date line as dateparser reads it: a year and time the scraper glued together ("20194:29 AM")
    parted, the comment count glued to a year cut off ("2018/0 Comments/in News"), a name glued to a day, a dotted time
    ("18.54 GMT") colon-separated, a glued "Updated"/"Published", a glued year and a glued colon set apart, and
    a year-first date of dots ("2020. 06. 04.", as Korean and Hungarian pages write it) written as ISO does."""
    text = _GLUED_COUNT.split(text, maxsplit=1)[0]  # the count and category say nothing of the date
    text = _YEAR_FIRST.sub(r"\1-\2-\3", text)
    text = _GLUED_TIME.sub(r"\1 \2", text)
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    text = _GLUED_COLON.sub(": ", _GLUED_YEAR.sub(" ", _GLUED_DAY.sub(" ", _GLUED_BRACKET.sub(" ", text))))
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


# Nothing on the web predates it: 0001-01-01 and 1970-01-01 are how templates write "no date".
EARLIEST_YEAR = 1991


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD: the date part of an ISO timestamp as written (the page's own day), else None."""
    match = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})(?:$|[T\s])", value or "")
    if not match:
        match = re.match(r"\s*(\d{4})/(\d{1,2})/(\d{1,2})\b", value or "")
    try:
        day = date(*map(int, match.groups())) if match else None
    except ValueError:
        return None
    return day.isoformat() if day is not None and day.year >= EARLIEST_YEAR else None


# htmldate's reading of a page's markup, one kind of evidence for `published`. Its extensive search
# guesses dates from free text (copyright lines, "updated" stamps): such a guess is taken only where
# the page shows that day. A date in the URL is only a fallback here: the URL is weighed on its own.
HTML_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "deferred_url_extractor": True,
}


def published(
    raw: str, declared: str | None, found: str | None, blocks: Sequence[tuple[int, int]]
) -> str | None:
    """The day an HTML page was published, from the kinds of evidence it holds and their agreement.

    `declared` is what its JSON-LD or meta tags declare, `found` htmldate's reading of the whole page (its
    markup, URL and date elements), `blocks` the (start, end) offsets of its article blocks. A declaration
    can be wrong (a modified date, a UTC day that is not the newsroom's, a template's default): where
    htmldate reads another day, the day the page shows near its headline or in its URL decides. A page that
    declares nothing and whose markup dates nothing gets a date from its text only where the page shows it.
    """
    found = iso_date(found)
    if declared and found and declared != found:
        shown = _shown_dates(raw, blocks)
        return found if found in shown and declared not in shown else declared
    if declared:
        return declared
    lines = visible_lines(raw)
    if found:
        # Undeclared, htmldate may have read a date the page shows away from its headline: a sidebar's list
        # of dated stories. Such a date counts only where the article's head shows it; otherwise the head
        # alone is searched. A date htmldate read from markup nobody sees (an attribute, the URL) stands.
        shown_elsewhere = found not in _shown_dates(raw, blocks) and any(line_date(t) == found for t in lines)
        return html_date(raw, blocks) if shown_elsewhere else found
    guessed = _extensive_date(raw)
    return guessed if guessed is not None and any(shows_day(t, guessed) for t in lines) else None


def _shown_dates(raw: str, blocks: Sequence[tuple[int, int]]) -> set[str]:
    """The days the article's head shows on its date lines, and the day in the page's own URL."""
    shown = {day for line in visible_lines(_head_zone(raw, blocks)) if (day := page_date(line))}
    head_end = raw.lower().find("</head>")
    for url in _URL_TAG.findall(raw[: head_end if head_end != -1 else len(raw)]):
        if (day := _url_date(url)) is not None:
            shown.add(day)
    return shown


# The page's own address, as a canonical link or og:url declares it.
_URL_TAG = re.compile(
    r"<(?:link[^>]+rel=[\"']?canonical[\"']?[^>]*href|meta[^>]+property=[\"']?og:url[\"']?[^>]*content)"
    r"=[\"']?([^\"'\s>]+)",
    re.IGNORECASE,
)
# A day in a URL's path: /2020/04/13/, /20200413/ or /2020-04-13-...
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


def _url_date(url: str) -> str | None:
    found = _URL_DAY.search(url)
    if found is None:
        return None
    try:
        return date(*map(int, found.groups())).isoformat()
    except ValueError:
        return None


def _extensive_date(raw: str) -> str | None:
    """htmldate's extensive search: a guess from the page's free text, the original date rather than an update."""
    try:
        return iso_date(find_date(raw, extensive_search=True, original_date=True))
    except (ValueError, TypeError):
        return None


# How far (in raw characters) the headline may stand above the article's first block and still open its head:
# pages of heavy markup (inline styles, scripts, share widgets) set many thousands between them. Without such a
# headline the head is this much of the page above the first block.
_HEADLINE_REACH = 20_000
_ABOVE_BODY = 1_500


def _head_start(raw: str, first: int) -> int:
    """Where the head of an article whose first block starts at `first` begins: its headline, if near enough."""
    heading = raw.rfind("<h1", 0, first)
    return heading if heading != -1 and first - heading < _HEADLINE_REACH else max(0, first - _ABOVE_BODY)


def _head_zone(raw: str, blocks: Sequence[tuple[int, int]]) -> str:
    """The raw page from its headline to the article's first paragraphs."""
    first = blocks[0][0] if blocks else -1
    if first == -1:
        heading = raw.find("<h1")
        return "" if heading == -1 else raw[heading : heading + 5000]
    start = _head_start(raw, first)
    end = blocks[min(2, len(blocks) - 1)][1]
    return f"<html><body><div>{raw[start:end]}</div></body></html>"


def html_date(raw: str, blocks: Sequence[tuple[int, int]]) -> str | None:
    """htmldate's date of a page whose article blocks span these (start, end) offsets, looked for only around the article's head (the title to its first paragraphs).

    Sidebars, "most read" lists and related links carry other articles' dates; a page that
    declares none and shows none near its headline gets no date.
    """
    if not blocks:
        return None
    first = blocks[0][0]
    start = _head_start(raw, first)
    end = blocks[min(2, len(blocks) - 1)][1]
    head_end = raw.lower().find("</head>")
    head = raw[: head_end + len("</head>")] if head_end != -1 and head_end < start else ""
    zone = f"{head}<body><div>{raw[start:end]}</div></body></html>"
    try:
        return iso_date(find_date(zone, **HTML_DATE_PARAMS))
    except (ValueError, TypeError):
        return None
