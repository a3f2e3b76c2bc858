"""A text page's title, date and author, read from the lines just above its article body."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from dateparser.search import search_dates

from qa.ingest import boilerplate, clean
from qa.text import ends_sentence, normalise, word_count, words

# Dates must name day, month and year: "2 hours ago" or "May 2019" would be a guess, and a missing
# date is better than a wrong one.
_DATE_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
}
# A year is the cheap test that a line may hold a full date; relative dates never have one.
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")
# Separators between the parts of a byline row ("Reuters | Nov 18, 2019 | 3 min read").
_PARTS = re.compile(r"\s*(?:[|·•]|\s-\s|\s—\s|\s–\s|:\s)\s*")
_ABBREVIATED_MONTH = re.compile(r"\b([A-Za-z]{3,4})\.(?=\s)")
# Lines longer than this are prose: a date inside a sentence dates an event, not the page.
_DATE_LINE_WORDS = 16
# A standfirst is one sentence of this many words, under its headline at most this far from the body.
_STANDFIRST_WORDS = (8, 60)
_STANDFIRST_REACH = 8
# Dated lines above a body that make a list of other stories.
_LIST_DATES = 3
# Lines under a headline among which its own date line stands (byline and standfirst between).
_DATE_UNDER_TITLE = 3
# This many chrome lines in a row are a menu: what stands above it is the site's, not the article's.
_MENU_RUN = 3
# A byline's label standing alone, its names on the next line.
_BARE_BY = re.compile(r"^(?:by|written by|von|por|par)\s*:?$", re.IGNORECASE)
# A video player's label: the headline and caption under it (between it and the body) are the video's.
_VIDEO_LABEL = re.compile(r"^(?:video|watch video|play video|just watched)$", re.IGNORECASE)
# A row that opens with a publication label, and where its update part begins.
_PUBLISHED_ROW = re.compile(r"^(?:published|posted)\b", re.IGNORECASE)
_UPDATED_PART = re.compile(r"\s*(?:\||\s(?=(?:updated|last updated|modified)\b))\s*", re.IGNORECASE)
# A date line with no year: a weekday or age, alone or with a time ("Monday 5:30PM", "3 hours ago").
_RELATIVE_DATE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)\b,?\s*(?:at\s*)?\d{1,2}:\d\d\s*[ap]\.?m\.?$"
    r"|^\d{1,2}\s+(?:minutes?|hours?|days?)\s+ago$",
    re.IGNORECASE,
)
# An embedded post's signature ("— Ann Lee (@annlee) November 18, 2019") dates the post, not the page.
_EMBED_SIGNATURE = re.compile(r"\(@\w+\)")
# A blog's row glues its date to its comment count and category ("October 12, 2018/0 Comments/in News").
_GLUED_COUNT = re.compile(r"(?<=(?<!\d)(?:19|20)\d\d)/(?=\d+\s*[^\W\d])")
_GLUED_TIME = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)")
_DOTTED_TIME = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b|$))", re.IGNORECASE)
_GLUED_LABEL = re.compile(r"(?<=[A-Za-z])(?=(?:Updated|Published|Posted|Last modified)\b)")
# A US-style numeric date with a two-digit year ("On 11/13/19 at 4:00 PM"); only read when unambiguous.
_SHORT_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{2})(?![\d/])")

_BYLINE = re.compile(
    r"^(?:by|written by|posted by|published by|author|words by|story by|von|por|par|oleh|di)\b\s*:?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
# Words after a name that say what the person is, not who: "By Ann Lee, Staff Writer".
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|columnist|contributor|associated press|"
    r"bureau|news|updated|published|posted|on|at|in|for|the)\b",
    re.IGNORECASE,
)
# A dateline opens an agency story ("WASHINGTON —", "MADRID (AP) —"): a place, not a title.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}(?:\([A-Za-z .]+\))?\s*[—–-]{1,2}\s*")


@dataclass(frozen=True)
class Header:
    """What the lines above an article body say about it; None where they say nothing certain."""

    title: str | None = None
    date: str | None = None
    author: str | None = None


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
    if not _YEAR.search(text):
        return _short_numeric_date(text), _late_unzoned(text)
    if (found := clean.parse_date(text)) is not None:
        return found, False
    # Last, the text up to its first year: a row may glue on what follows its date with no separator
    # ("Nov 19, 2019 at 9:08 GMT1 day ago").
    year = _YEAR.search(text)
    up_to_year = [text[: year.end()]] if year is not None else []
    for piece in [text, *_PARTS.split(text), *up_to_year]:
        if not _YEAR.search(piece):
            continue
        piece = _ABBREVIATED_MONTH.sub(r"\1", piece)
        for languages in (["en"], None, _MONTH_LANGUAGES):
            hits = search_dates(piece, languages=languages, settings=_DATE_SETTINGS)
            for matched, when in hits or ():
                # The year must be one the line states: dateparser reads "1 day ago" as well.
                if _YEAR.search(matched) and str(when.year) in piece:
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
    found = _SHORT_NUMERIC.search(text)
    if found is None or clean.parse_date(text) is not None:
        return None
    month, day, year = (int(part) for part in found.groups())
    if day <= 12 or month > 12 or day > 31:
        return None
    try:
        return datetime(2000 + year, month, day).date().isoformat()
    except ValueError:
        return None


def byline_author(text: str) -> str | None:
    """The names of a byline ("By Jane Doe and John Roe, Staff Writer" -> "Jane Doe and John Roe")."""
    text = normalise(text).lstrip("|•·-—– ")
    found = _BYLINE.match(text)
    if not found or word_count(text) > 14:
        return None
    rest = found["rest"]
    # Cut at a date, a separator or a role: what follows a byline's names is rarely a name.
    year = _YEAR.search(rest)
    if year is not None:
        rest = rest[: year.start()]
        rest = re.sub(r"\s*(?:\b[A-Za-z]{3,9}\.?\s*\d{0,2},?|\d{1,2}\s*[A-Za-z]{3,9}\.?,?)\s*$", "", rest)
    rest = _PARTS.split(rest)[0]
    rest = re.split(r",\s*|\s+(?=\()", rest)[0] if "," in rest or "(" in rest else rest
    role = _ROLE.search(rest)
    if role is not None and role.start() > 0:
        rest = rest[: role.start()]
    rest = rest.strip(" ,;:-—–|")
    names = words(rest)
    if not names or len(names) > 8 or not any(c.isupper() for c in rest):
        return None
    return rest


def is_dateline(text: str) -> bool:
    """A dateline ("WASHINGTON —") standing alone: a place that opens a story, never its title."""
    text = normalise(text)
    found = _DATELINE.match(text)
    return found is not None and word_count(text[found.end() :]) == 0


def _headline_shape(text: str) -> bool:
    """Shaped like a headline: a few words, letters, not a sentence ending in a full stop."""
    text = normalise(text)
    count = word_count(text)
    if not 2 <= count <= 30 or (text.endswith((".", ",", ":", ";")) and not text.endswith("...")):
        return False
    if not any(c.isalpha() for c in text) or not any(c.isupper() for c in text[:1] + text):
        return False
    return not (text.isupper() and count <= 2)


def _overlap(title: str, body: set[str]) -> float:
    """Share of a candidate title's longer words that the article body uses."""
    own = [w for w in words(title) if len(w) > 3]
    return sum(w in body for w in own) / len(own) if own else 0.0


def is_header_noise(text: str) -> bool:
    """Lines between a headline and its body that are neither: share rows, counts, credits, UI."""
    text = normalise(text)
    return (
        boilerplate.kind(text) is not None
        or not any(c.isalpha() for c in text)
        or word_count(text) <= 1
        or text.lower().startswith(("image", "photo", "credit", "source:", "caption"))
    )


def leading_title(body: Sequence[str]) -> str | None:
    """A headline that opens a body region (the region took it for prose), else None."""
    first = normalise(clean.unbulleted(next((t for t in body if normalise(t)), "")))
    if (
        _titleish(first)
        and not first.endswith((".", ":", ")", "。"))
        and not re.search(r"[.!?。]\s+\S", first)  # two sentences: the article's opening, not a headline
        and byline_author(first) is None
        and line_date(first) is None
        and not boilerplate.is_caption(first)
    ):
        return first
    return None


def _menu_item(text: str) -> bool:
    """A bulleted link of a site menu ("- World"), not a share button or a bare separator."""
    return clean.is_nav_item(text) and any(c.isalpha() for c in text) and not clean.is_share_row(text)


def _titleish(text: str) -> bool:
    """A headline candidate: headline-shaped, three to 25 words, not two sentences (a standfirst)."""
    count = word_count(text)
    return (
        _headline_shape(text)
        and 3 <= count <= 25
        # Two sentences are a standfirst; an abbreviation's dot ("ID. Buzz", "Gov. Lee") is no sentence end.
        and not re.search(r"\b[a-z]{2,}[.!?]\s+[A-Z0-9\"“‘'(].*[.!?]?$", text.rstrip("?!"))
    )


def header(above: Sequence[str], body: Sequence[str], window: int = 30) -> Header:
    """Title, date and author from the non-empty lines above an article body (nearest first matters).

    The date is the one nearest the body: dates further up belong to menus and sidebars. The title is
    the headline-shaped line whose words the body uses most (nearer ones first on a tie), or else the
    nearest one that a byline or date line follows; bylines, datelines, dates and UI text are never titles.
    Share rows and menus between a headline and its body do not count towards the window.
    """
    lines = [normalise(t) for t in above if normalise(t)]
    body_words = set(words(" ".join(body[:30])))
    date = author = None
    candidates: list[tuple[int, str, bool]] = []  # (distance, text, a byline/date line follows it)
    meta_below = named_below = False
    distance = 0
    dates: set[str] = set()
    meta_at: set[int] = set()  # distances of the date and byline lines
    standfirst_at: set[int] = set()  # distances of one-sentence summaries
    authored: set[int] = set()  # distances of headline lines with a byline naming someone under them
    noise_run, masthead = 0, False
    dated = (
        False  # the nearest date line was seen: one further up is not the article's, even if it is in doubt
    )
    below = ""
    for text in reversed(lines):
        below, text_below = text, below
        if distance >= window:
            break
        when = line_date(text)
        name = byline_author(text)
        if _BARE_BY.match(text) and candidates and candidates[-1][1] == text_below and distance <= 12:
            # "By" alone on its line: the line under it is the author's name, not a headline.
            named_at, named, _ = candidates.pop()
            author = author or byline_author(f"By {named}")
            meta_at.add(named_at)
            meta_below = True
            continue
        if _VIDEO_LABEL.match(text.strip(" :")) and not meta_at:
            # A video's title and caption just over the body, under its label: the headline is above them.
            # The block does not count towards the window: the byline and date sit just above it.
            candidates.clear()
            standfirst_at.clear()
            distance = 0
            continue
        if when is None and name is None and is_header_noise(text):
            noise_run = noise_run + 1 if _menu_item(text) else 0
            # A menu between a date and the article puts the date in the masthead ("Wed, Nov 20, 2019").
            masthead = masthead or noise_run >= _MENU_RUN
            continue
        noise_run = 0
        distance += 1
        if when is None and _RELATIVE_DATE.match(text):
            dated = True  # the article is dated by weekday or age alone: dated lines further up are others'
        if when is not None:
            dates.add(when)
        elif (numeric := _SHORT_NUMERIC.search(text)) is not None:
            dates.add(numeric[0])  # an ambiguous "11/12/19" still marks a list of dated stories
        if when is not None or name is not None:
            meta_at.add(distance)
            # The nearest byline and date win; beyond a few lines up they belong to other stories.
            if distance <= 12 and not masthead:
                if when is not None and not dated:
                    date, dated = page_date(text, text_below), True
                author = author or name
            meta_below = True
            named_below = named_below or name is not None
            continue
        if is_dateline(text) or (ends_sentence(text) and not text.endswith(("?", "!", "'", '"', "’", "”"))):
            if _STANDFIRST_WORDS[0] <= word_count(text) <= _STANDFIRST_WORDS[1]:
                standfirst_at.add(distance)
            continue
        if _titleish(text) and not boilerplate.is_caption(text):
            candidates.append((distance, text, meta_below))
            if named_below:
                authored.add(distance)
        meta_below = named_below = False
    if len(dates) >= _LIST_DATES:
        # Several dated lines above the body are a list of other stories: its dates and headlines
        # are not this article's, and the right ones cannot be told from them.
        date = None
        # A headline over a byline naming its author stays: a list's own items are dated, not bylined.
        candidates = [c for c in candidates if not c[2] or c[0] in authored]
    # A breadcrumb trail ends in the headline ("Home Holidays Pear Jam for the Holidays" over "Pear Jam for
    # the Holidays"): the headline is the article's title, the trail is not.
    texts = {t for _, t, _ in candidates}
    candidates = [c for c in candidates if not any(c[1] != t and c[1].endswith(" " + t) for t in texts)]
    # A headline over its standfirst ("Here's how to ...") is the article's own, even when the body
    # shares few of its words; a line the body echoes is one too.
    scored = []
    at = {d for d, _, _ in candidates}
    for d, t, followed in candidates:
        overlap, standfirst = round(_overlap(t, body_words), 1), d - 1 in standfirst_at
        # A headline over its byline, with no standfirst right above it (that makes it a caption).
        bylined = (
            followed
            and d - 1 in meta_at
            and d <= _STANDFIRST_REACH
            and d + 1 not in standfirst_at
            and d - 2 not in at  # a headline under the byline is the article's; this is the site's name
        )
        if overlap >= 0.3 or (standfirst and overlap >= 0.1 and d <= _STANDFIRST_REACH):
            scored.append((overlap + 0.15 * standfirst + 0.15 * bylined - 0.01 * d, t))
    title = max(scored)[1] if scored else None
    if title is None:
        title = next((t for d, t, followed in candidates if followed and d <= 6 and word_count(t) >= 4), None)
    if title is None:
        # A date or byline line just above a headline marks it too ("11.14.2019" over the title).
        title = next(
            (t for d, t, _ in candidates if d + 1 in meta_at and d <= 6 and word_count(t) >= 4), None
        )
    if title is not None and date is None and len(dates) >= _LIST_DATES:
        date = _date_under(lines, title)
    return Header(title, date, author)


def _date_under(lines: Sequence[str], title: str) -> str | None:
    """The date on a date line among the few lines right under the headline.

    Over a list of dated stories no date near the body is the article's; the one under its own headline
    (with its byline or standfirst between) is.
    """
    at = max(i for i, text in enumerate(lines) if text == title)
    under = lines[at + 1 : at + 1 + _DATE_UNDER_TITLE]
    for index, text in enumerate(under):
        if line_date(text) is not None:
            return page_date(text, under[index + 1] if index + 1 < len(under) else "")
    return None
