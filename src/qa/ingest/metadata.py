"""A text page's title, date and author, read from the lines just above its article body."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa.ingest import boilerplate, clean
from qa.ingest.dates import PARTS, SHORT_NUMERIC, YEAR, line_date, page_date
from qa.text import ends_sentence, fold, normalise, words

# A standfirst is one sentence of this many words, under its headline at most this far from the body.
_STANDFIRST_WORDS = (8, 60)
_STANDFIRST_REACH = 8
# A headline right over its byline or date line is the article's own: that outweighs how many of its words
# the body uses (a teaser's headline above it can share more).
_BYLINED = 0.4
# A bulleted line is an item of a list (other stories, a menu): it titles the article only where no plain
# headline the body echoes as much stands above it.
_BULLETED = 0.3
# ...and a headline the breadcrumb above it ends in, the page's own: whatever is under it.
_CRUMBED = 1.0
# The longest headline, in characters (25 long English words).
_HEADLINE_MAX_CHARS = 250
# A deck under a headline: this many times its words, under a headline of at least this many (a shorter line
# over a headline is its kicker, "Centenary", and the headline is the longer line under it).
_DECK_LONGER = 1.5
_DECK_UNDER = 5
# A deck has this many words at least: a shorter line under a headline may be the article's headline under
# another story's.
_DECK_WORDS = 15
# Long words a title needs for its overlap with the body to count in full.
_OVERLAP_WORDS = 3
# The share of a headline's words the body uses when the headline stands right over it.
_ADJACENT = 0.2
# Dated lines above a body that make a list of other stories.
_LIST_DATES = 3
# Over such a list, the article's own date line stands at most this many lines over its body.
_NEAR_BODY = 4
# Lines under a headline among which its own date line stands (byline and standfirst between).
_DATE_UNDER_TITLE = 3
# This many chrome lines in a row are a menu: what stands above it is the site's, not the article's.
_MENU_RUN = 3
# A byline's label standing alone, its names on the next line.
_BARE_BY = re.compile(r"^(?:by|written by|posted by|authors?|von|por|par)\s*:?$", re.IGNORECASE)
# A field's label on a line of its own ("Publish date:"), its value on the next line: neither title nor text.
_LABEL = re.compile(r"^[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s*:$")
# A video player's label: the headline and caption under it (between it and the body) are the video's.
_VIDEO_LABEL = re.compile(r"^(?:video|watch video|play video|just watched)$", re.IGNORECASE)
# A date line with no year: a weekday or age, alone or with a time ("Monday 5:30PM", "Published 3 hours ago").
_RELATIVE_DATE = re.compile(
    r"^(?:(?:published|updated|posted)\s*:?\s*)?"
    r"(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)\b,?\s*(?:at\s*)?\d{1,2}:\d\d\s*[ap]\.?m\.?"
    r"|(?:an?|\d{1,2})\s*(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?)\s+ago"
    # A day and time of this year, whose year the page leaves out ("Feb 15, 7:00 AM", "2月15日(土)7時0分 オリコン").
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:at\s+)?\d{1,2}:\d\d\s*[ap]\.?m\.?"
    r"|\d{1,2}月\d{1,2}日\s*(?:[(（]\w[)）])?\s*\d{1,2}(?:時|:)\d{1,2}分?(?:\s+\S+)?)$",
    re.IGNORECASE,
)

_BYLINE = re.compile(
    r"^(?:(?:analysis|opinion|commentary|review|column|interview|reporting|photos|text)\s+)?"
    r"(?:by|written by|posted by|published by|author|words by|story by|von|por|par|oleh|di)\b\s*:?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
# A byline that ends with the word for reporter or correspondent, the paper's name before "=".
_REPORTER = re.compile(
    r"^(?:[^\s=]{1,20}=)?(?P<name>[^\s=]{1,12}(?:\s[^\s=]{1,12})?)\s*(?:기자|특파원|記者|记者|特派員|特派员)$"
)
# Words after a name that say what the person is, not who: "By Ann Lee, Staff Writer".
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|columnist|contributor|associated press|"
    r"bureau|news|updated|published|posted|on|at|in|for|the)\b",
    re.IGNORECASE,
)
# A dateline opens an agency story ("WASHINGTON —", "MADRID (AP) —"): a place, not a title.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}(?:\([A-Za-z .]+\))?\s*[—–-]{1,2}\s*")

# Combining marks are letters' parts: Devanagari, Thai or Bengali vowel signs would otherwise split their words
# ("शुरू" into "श", "र"), and a headline in those scripts would count twice its words and share none with its body.
# The scripts of news pages have theirs in the Basic Multilingual Plane.
_MARK_CATEGORIES = ("Mn", "Mc")


@lru_cache(maxsize=1)
def _script_word() -> re.Pattern[str]:
    """A word in any script, its combining marks inside it (built on first use: a pass over the BMP)."""
    marks = re.escape(
        "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in _MARK_CATEGORIES)
    )
    return re.compile(rf"[\w{marks}]+(?:['’.-][\w{marks}]+)*")


# Full stops of many scripts: Latin, Chinese and Japanese, Devanagari's danda, Urdu, Ethiopic.
_FULL_STOPS = ".。।۔።"
# A sentence's end inside a line, with more after it: a full stop right after a capital is an initial's.
_SENTENCE_BREAK = re.compile(rf"(?:[!?{_FULL_STOPS[1:]}]|(?<![A-Z])\.)\s+\S")
# Scripts whose words are long enough that one of three letters or fewer is mostly a function word.
_LONG_WORD_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})


@dataclass(frozen=True)
class Header:
    """What the lines above an article body say about it; None where they say nothing certain."""

    title: str | None = None
    date: str | None = None
    author: str | None = None


def byline_author(text: str) -> str | None:
    """The names of a byline ("By Jane Doe and John Roe, Staff Writer" -> "Jane Doe and John Roe")."""
    text = normalise(text).lstrip("|•·-—– ")
    found = _BYLINE.match(text)
    if not found or _count(text) > 14:
        return None
    rest = found["rest"]
    # Cut at a date, a separator or a role: what follows a byline's names is rarely a name.
    year = YEAR.search(rest)
    if year is not None:
        rest = rest[: year.start()]
        rest = re.sub(r"\s*(?:\b[A-Za-z]{3,9}\.?\s*\d{0,2},?|\d{1,2}\s*[A-Za-z]{3,9}\.?,?)\s*$", "", rest)
    rest = PARTS.split(rest)[0]
    rest = re.split(r",\s*|\s+(?=\()", rest)[0] if "," in rest or "(" in rest else rest
    role = _ROLE.search(rest)
    if role is not None and role.start() > 0:
        rest = rest[: role.start()]
    rest = rest.strip(" ,;:-—–|")
    names = words(rest)
    if not names or len(names) > 8 or not any(c.isupper() for c in rest):
        return None
    return rest


def reporter_author(text: str) -> str | None:
    """The name on a byline that ends with the word for reporter, as Korean, Japanese and Chinese ones do
    ("스포츠조선=선수민 기자" -> "선수민"; the part before "=" is the paper)."""
    found = _REPORTER.match(normalise(text))
    return found["name"] if found and any(c.isalpha() for c in found["name"]) else None


def is_relative_date(text: str) -> bool:
    """A line that dates an article by weekday or age alone ("Monday 5:30PM", "Published 3 hours ago")."""
    return _RELATIVE_DATE.match(normalise(text)) is not None


def is_dateline(text: str) -> bool:
    """A dateline ("WASHINGTON —") standing alone: a place that opens a story, never its title."""
    text = normalise(text)
    found = _DATELINE.match(text)
    return found is not None and _count(text[found.end() :]) == 0


def _script_words(text: str) -> list[str]:
    """Folded words in any script, combining marks kept inside them (the same words as `words` in Latin)."""
    return _script_word().findall(fold(text))


def _count(text: str) -> int:
    return len(_script_word().findall(text))


def _cased(text: str) -> bool:
    """Written mostly in a script with capitals (Latin, Cyrillic, Greek), where a headline has one."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() or c.islower() for c in letters) * 2 > len(letters)


def _headline_shape(text: str) -> bool:
    """Shaped like a headline: a few words, letters, not a sentence ending in a full stop."""
    text = normalise(text)
    count = _count(text)
    if not 2 <= count <= 30 or (text.endswith((".", ",", ":", ";")) and not text.endswith("...")):
        return False
    # A headline in a cased script has a capital, unless it opens with a number ("10 things to know today").
    capital = any(c.isupper() for c in text) or text[:1].isdigit()
    if not any(c.isalpha() for c in text) or (_cased(text) and not capital):
        return False
    # Mostly numbers is a date or a score with its label ("Posted 2020.08.27 20:27"), not a headline.
    lettered = sum(any(c.isalpha() for c in w) for w in _script_word().findall(text))
    if lettered * 2 < count:
        return False
    return not (text.isupper() and count <= 2)


@lru_cache(maxsize=4096)
def _long_word(word: str) -> bool:
    """A word long enough to say what a text is about: four letters in Latin, Cyrillic or Greek, three in
    scripts whose words are short (Arabic, Hangul, Devanagari, Chinese)."""
    letter = next((c for c in word if c.isalpha()), "")
    script = unicodedata.name(letter, "LATIN").split()[0] if letter else "LATIN"
    return len(word) > 3 or (len(word) == 3 and script not in _LONG_WORD_SCRIPTS)


def _overlap(title: str, body: set[str]) -> float:
    """Share of a candidate title's longer words that the article body uses; a line of one or two such words
    (a section's or a column's name) says less about the article than a headline that shares three."""
    own = [w for w in _script_words(title) if _long_word(w)]
    return sum(w in body for w in own) / max(len(own), _OVERLAP_WORDS) if own else 0.0


def is_header_noise(text: str) -> bool:
    """Lines between a headline and its body that are neither: share rows, counts, credits, UI."""
    text = normalise(text)
    return (
        boilerplate.kind(text) is not None
        or not any(c.isalpha() for c in text)
        or _count(text) <= 1
        or text.lower().startswith(("image", "photo", "credit", "source:", "caption", "media caption"))
        or _LABEL.match(text) is not None
    )


def leading_title(body: Sequence[str]) -> str | None:
    """A headline that opens a body region (the region took it for prose), else None."""
    lines = [normalise(t) for t in body[:50] if normalise(t)][:2]
    first = normalise(clean.unbulleted(lines[0])) if lines else ""
    if (
        _titleish(first)
        and not first.endswith((*_FULL_STOPS, ":", ")"))
        # Two sentences are the article's opening, not a headline; an initial's dot ("U.S. border") ends none.
        and not _SENTENCE_BREAK.search(first)
        and byline_author(first) is None
        and line_date(first) is None
        and not boilerplate.is_caption(first)
        and boilerplate.kind(first) is None  # a share row or a prompt is no headline
        # A line over a photo's credit ("Foto: ...") is its caption; one that the next line goes on in lower
        # case is the start of a sentence wrapped over lines.
        and not (len(lines) > 1 and (boilerplate.kind(lines[1]) == "credit" or lines[1][:1].islower()))
    ):
        return first
    return None


def _menu_item(text: str) -> bool:
    """A bulleted link of a site menu ("- World"), not a share button or a bare separator."""
    return clean.is_nav_item(text) and any(c.isalpha() for c in text) and not clean.is_share_row(text)


def _titleish(text: str) -> bool:
    """A headline candidate: headline-shaped, three to 25 words, not two sentences (a standfirst)."""
    count = _count(text)
    return (
        _headline_shape(text)
        and 3 <= count <= 25
        # However its script splits words, a headline is never a paragraph long.
        and len(text) <= _HEADLINE_MAX_CHARS
        # Two sentences are a standfirst; an abbreviation's dot ("ID. Buzz", "Gov. Lee") is no sentence end.
        # A "!" or "?" inside a headline is its exclamation or question ("Dark day! 1,438 dead"), not a sentence end.
        and not re.search(r"\b[a-z]{2,}\.\s+[A-Z0-9\"“‘'(].*[.!?]?$", text.rstrip("?!"))
    )


def header(above: Sequence[str], body: Sequence[str], window: int = 30) -> Header:
    """Title, date and author from the non-empty lines above an article body (nearest first matters).

    The date is the one nearest the body: dates further up belong to menus and sidebars. The title is
    the headline-shaped line whose words the body uses most (nearer ones first on a tie), or else the
    nearest one that a byline or date line follows; bylines, datelines, dates and UI text are never titles.
    Share rows and menus between a headline and its body do not count towards the window.
    """
    lines = [normalise(t) for t in above if normalise(t)]
    body_words = set(_script_words(" ".join(body[:30])))
    date = author = None
    candidates: list[tuple[int, str, bool]] = []  # (distance, text, a byline/date line follows it)
    short_heads: list[tuple[int, str]] = []  # one- or two-word lines right over a byline or date line
    meta_lines: set[str] = set()  # the byline and date lines
    meta_below = named_below = False
    distance = 0
    dates: set[str] = set()
    meta_at: set[int] = set()  # distances of the date and byline lines
    standfirst_at: set[int] = set()  # distances of one-sentence summaries
    authored: set[int] = set()  # distances of headline lines with a byline naming someone under them
    named_at: set[int] = set()  # distances of the bylines that name someone
    noise_run, masthead = 0, False
    over_menu: set[int] = set()  # distances of headline lines above a menu: the site's, not the article's
    crumbed: set[int] = set()  # distances of headlines a breadcrumb above ends in
    dated = (
        False  # the nearest date line was seen: one further up is not the article's, even if it is in doubt
    )
    updated_at: int | None = None  # distance of the date line taken, when it dates an update
    below = ""
    aged = False  # an age ("3 hours ago") or weekday line was seen under the header's nearest date
    beside_age = False  # the line under this one is that age, with only separators between
    credit_under = False  # the line under this one credits a photo to its agency
    # The date line nearest the body, when it stands at most _NEAR_BODY lines over it: (distance, date).
    near_body: tuple[int, str | None] | None = None
    for text in reversed(lines):
        below, text_below = text, below
        if distance >= window:
            break
        when = line_date(text)
        name = byline_author(text) or reporter_author(text)
        if (
            _BARE_BY.match(text)
            and distance <= 12
            and (named := byline_author(f"By {text_below}")) is not None
        ):
            # "By" or "Author:" alone on its line: the line under it is the author's name, not a headline. A
            # name long enough to be taken for a headline marks the line over it as a byline does; a shorter
            # one does not (under a headline and its deck, the mark would pass to the deck).
            if candidates and candidates[-1][1] == text_below:
                candidates.pop()
                meta_at.add(distance)
                named_at.add(distance)
                meta_below = named_below = True
            short_heads = [head for head in short_heads if head[1] != text_below]
            author = author or named
            continue
        if _VIDEO_LABEL.match(text.strip(" :")) and not meta_at and not masthead:
            # A video's title and caption just over the body, under its label: the headline is above them.
            # The block does not count towards the window: the byline and date sit just above it. A label above
            # the site's menu is one of its links.
            candidates.clear()
            standfirst_at.clear()
            distance = 0
            continue
        if candidates and candidates[-1][1] == text_below and clean.unbulleted(text) == text_below != text:
            crumbed.add(candidates[-1][0])
        if when is None and name is None and is_header_noise(text):
            if text_below in meta_lines and short_headline(text):
                short_heads.append((distance + 1, text))  # one word over the byline: noise, or the headline
            noise_run = noise_run + 1 if _menu_item(text) else 0
            beside_age = beside_age and not any(c.isalpha() for c in text)
            # A menu between a date and the article puts the date in the masthead ("Wed, Nov 20, 2019").
            masthead = masthead or noise_run >= _MENU_RUN
            continue
        noise_run = 0
        distance += 1
        age_under, beside_age = beside_age, False
        over_credit, credit_under = credit_under, False
        if when is None and is_relative_date(text):
            # The article is dated by weekday or age alone: dated lines further up are others', unless one
            # stands right over the age ("Sep 30, 2020 - 1 hr ago"). The line marks the headline over it as a
            # date line does.
            aged = beside_age = True
            meta_below = True
            meta_at.add(distance)
            meta_lines.add(text)
            continue
        if when is not None:
            dates.add(when)
            if near_body is None and distance <= _NEAR_BODY:
                near_body = (distance, page_date(text, text_below))
        elif (numeric := SHORT_NUMERIC.search(text)) is not None:
            dates.add(numeric[0])  # an ambiguous "11/12/19" still marks a list of dated stories
        if when is not None or name is not None:
            meta_at.add(distance)
            meta_lines.add(text)
            # The nearest byline and date win; beyond a few lines up they belong to other stories.
            if distance <= 12 and not masthead:
                if when is not None and not dated and (not aged or age_under):
                    date, dated = page_date(text, text_below), True
                    updated_at = distance if _UPDATED_LINE.match(text) else None
                elif (
                    when is not None
                    and updated_at is not None
                    and distance - updated_at <= 2
                    and not _UPDATED_LINE.match(text)
                ):
                    # The nearest date line is the update's; the one just over it published the page.
                    date, updated_at = page_date(text, text_below), None
                author = author or name
            meta_below = True
            named_below = named_below or name is not None
            if name is not None:
                named_at.add(distance)
            continue
        # A headline cut short ("... ДОПЪЛНИТЕЛЕН КОРПУС НА …") ends in an ellipsis, not a full stop.
        if is_dateline(text) or (
            ends_sentence(_untagged(text)) and not text.endswith(("?", "!", "'", '"', "’", "”", "…", "..."))
        ):
            if _STANDFIRST_WORDS[0] <= _count(text) <= _STANDFIRST_WORDS[1]:
                standfirst_at.add(distance)
            continue
        if not meta_at and _AGENCY_CREDIT.match(text):
            # "Al Goldis, Associated Press" with no byline or date under it: a photo's credit, over the body.
            credit_under = True
            continue
        # A line over a photo's credit is its caption, however headline-like.
        caption = boilerplate.is_caption(text) or over_credit
        if _titleish(text) and not caption:
            candidates.append((distance, text, meta_below))
            if masthead:
                over_menu.add(distance)
            if named_below:
                authored.add(distance)
        elif text_below in meta_lines and short_headline(text):
            short_heads.append((distance, text))
        meta_below = named_below = False
    if any(c[0] not in over_menu and c[2] for c in candidates):
        # A headline under the site's menu, over its byline or date, is the article's; those above the menu
        # are the site's links.
        candidates = [c for c in candidates if c[0] not in over_menu]
    # A line between a byline and the date or byline under it is the author's affiliation or role ("The
    # Associated Press", "Staff Writer"), not a headline.
    candidates = [c for c in candidates if not (c[0] + 1 in named_at and c[0] - 1 in meta_at)]
    decks = _decks(candidates)
    standfirst_at |= decks
    candidates = [c for c in candidates if c[0] not in decks]
    if len(dates) >= _LIST_DATES:
        # Several dated lines above the body are a list of other stories: its dates and headlines
        # are not this article's, and the right ones cannot be told from them. A date line a few lines over
        # the body (its byline or categories between) and newer than every date of the list is the
        # article's own (a box of related stories holds older ones), and so is the headline right over it.
        full = [d for d in dates if len(d) == len("2020-01-01")]
        own = near_body if near_body and near_body[1] and near_body[1] >= max(full, default="") else None
        date = own[1] if own else None
        # A headline over a byline naming its author stays: a list's own items are dated, not bylined.
        candidates = [c for c in candidates if not c[2] or c[0] in authored or (own and c[0] == own[0] + 1)]
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
        # A headline over its byline (or over its standfirst over the byline), with no standfirst right above
        # it (that makes it a caption).
        bylined = (
            followed
            and (d - 1 in meta_at or (d - 1 in standfirst_at and d - 2 in meta_at))
            and d <= _STANDFIRST_REACH
            and d + 1 not in standfirst_at
            and d - 2 not in at  # a headline under the byline is the article's; this is the site's name
        )
        if overlap >= 0.3 or ((standfirst or bylined) and overlap >= 0.1 and d <= _STANDFIRST_REACH):
            bulleted = t != clean.unbulleted(t)  # an item of a list of stories, unless nothing else is
            scored.append(
                (
                    overlap
                    + 0.15 * standfirst
                    + _BYLINED * bylined
                    + _CRUMBED * (d in crumbed)
                    - _BULLETED * bulleted
                    - 0.01 * d,
                    t,
                )
            )
    title = max(scored)[1] if scored else None
    if title is None:
        title = next((t for d, t, followed in candidates if followed and d <= 6 and _count(t) >= 4), None)
    if title is None:
        # A date or byline line just above a headline marks it too ("11.14.2019" over the title).
        title = next((t for d, t, _ in candidates if d + 1 in meta_at and d <= 6 and _count(t) >= 4), None)
    if title is None:
        # A headline right over the body, nothing between: the body need share fewer of its words (an
        # inflected language's headline and body seldom use the same forms).
        title = next(
            (
                t
                for d, t, _ in candidates
                if d == 1 and _count(t) >= 4 and _overlap(t, body_words) >= _ADJACENT
            ),
            None,
        )
    if title is None and len(dates) < _LIST_DATES:
        title = _short_title(short_heads, lines, body_words)
    if title is not None and date is None and len(dates) >= _LIST_DATES:
        date = _date_under(lines, title)
    return Header(title, date, author)


# A headline's closing tag in brackets ("... (+Fotos y Video)", "... (VIDEO)"): no sentence ends in it.
_TAG = re.compile(r"(?<=[^\W_])\s*\([^()]{1,30}\)$")


def _untagged(text: str) -> str:
    """A headline without its closing tag; a line of a word or two before the bracket is no headline."""
    untagged = _TAG.sub("", text)
    return untagged if _count(untagged) >= 3 else text


# A date line that dates an update, in the languages news sites most use.
_UPDATED_LINE = re.compile(
    r"^\W*(?:last )?(?:updated|modified|actualizado|atualizado|aggiornato|mis à jour|aktualisiert|обновлено)\b",
    re.IGNORECASE,
)


# A photographer and their agency on a line of their own; over a date line the same shape is a byline.
_AGENCY_CREDIT = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\s*[,/|]\s*(?:the )?(?:associated press|ap|afp|reuters|epa|getty images)$",
    re.IGNORECASE,
)


def _decks(candidates: Sequence[tuple[int, str, bool]]) -> set[int]:
    """Distances of headline-shaped lines that are a deck: right under a headline and much longer than it
    (a summary without its full stop). They share most words with the body, and are not its title."""
    at = {d: t for d, t, _ in candidates}
    return {
        d
        for d, t, _ in candidates
        if d + 1 in at
        and _count(at[d + 1]) >= _DECK_UNDER
        and _count(t) >= max(_DECK_WORDS, _DECK_LONGER * _count(at[d + 1]))
    }


def short_headline(text: str) -> bool:
    """A headline of one or two words ("Normans", "Harbour Wall"): letters, a capital, no full stop."""
    return (
        1 <= _count(text) <= 2
        and (text[:1].isupper() or not _cased(text))
        and not text.endswith((".", ",", ":", ";"))
        and all(c.isalpha() or unicodedata.category(c) in _MARK_CATEGORIES or c in " '’-" for c in text)
        and boilerplate.kind(text) is None
    )


def _short_title(short_heads: Sequence[tuple[int, str]], lines: Sequence[str], body: set[str]) -> str | None:
    """A one- or two-word headline over the byline or date line: the first line of the file, or the words
    the article is about (a section label over a date line, "Sports", is neither; nor is an item of the
    page's menu: that is the section's name)."""
    menu = {fold(clean.unbulleted(t)) for t in lines if _menu_item(t)}
    for distance, text in short_heads:
        if distance > _DATE_UNDER_TITLE + 1:
            break
        top = text == lines[0]
        if fold(text) not in menu and (top or all(w in body for w in _script_words(text))):
            return text
    return None


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
