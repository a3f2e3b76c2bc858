"""The article body among a text page's lines: the run with the most prose, cut where its comments or bio begin."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.ingest import clean, list_runs, story_links, tables
from qa.ingest.boilerplate import SENTENCE_END, glued_teaser, is_bio, is_caption, is_prose, kind
from qa.text import normalise, prose_words, word_count

# A link to another story, its headline glued to its summary ("...SteakhouseA party of six left ...").
_GLUED_TEASER = re.compile(r"[a-z](?:The|A|An|In|On|At|For|It|This|After|When|As) [a-z0-9]")


def _score(text: str) -> float:
    """A unit's weight as article text: prose counts by its words, chrome and short lines against."""
    if not text:
        return 0.0
    if kind(text) is not None or is_caption(text) or glued_teaser(text) or _GLUED_TEASER.search(text):
        return -6.0
    if is_prose(text):
        return float(min(prose_words(text), 80))
    return -2.0


def _units(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """Lines as (first, end, text) units, a hard-wrapped paragraph's lines joined into one."""
    units: list[tuple[int, int, str]] = []
    for index, line in enumerate(lines):
        text = normalise(line)
        if units and text and units[-1][2] and _continues(units[-1][2], text):
            first, _, joined = units[-1]
            units[-1] = (first, index + 1, f"{joined} {text}")
        else:
            units.append((index, index + 1, text))
    return units


def _continues(previous: str, text: str) -> bool:
    """A line carries on the previous one: that broke mid-sentence and this starts lower case."""
    return not previous.endswith(SENTENCE_END) and text[:1].islower() and word_count(previous) >= 4


def _introduces_list(text: str) -> bool:
    """A line of the article that announces a list below it: "The tour dates:", "Here is what you need:"."""
    return (
        text.endswith(":") and word_count(text) >= 3 and kind(text) is None and clean.unbulleted(text) == text
    )


def _list_item(text: str) -> bool:
    """A line that can be an item of an article's list: no chrome but bullets, longer than a menu link."""
    found = kind(text)
    return word_count(text) >= _MENU_WORDS and found in (None, "nav") and not is_caption(text)


# Menu links are shorter than this; list items of an article often are not.
_MENU_WORDS = 4
# A list item's weight once the article has introduced its list: it carries the body on, barely.
_LIST_ITEM = 1.0


def body_span(lines: Sequence[str], rows: Sequence[Sequence[int]] | None = None) -> tuple[int, int] | None:
    """[start, end) of the article body: the run of lines with the most prose net of the chrome inside it.
    `rows` are the page's table rows (`tables.table_rows`), when the caller has them already.

    Like jusText's length classes applied to lines, with context by position: short lines between
    prose lines stay in (subheadings, one-line paragraphs), runs of short lines and chrome outside
    the run do not. None when the page has no prose at all.
    """
    best, best_span = 0.0, None
    total, start = 0.0, 0
    in_list = False
    items = list_runs.list_lines(lines)
    rows = tables.table_rows(lines) if rows is None else rows
    cells = {index for row in rows for index in row}
    row_starts = {row[0] for row in rows}
    teasers = story_links.summary_teasers(lines)
    prose = 0
    closed = False  # past a line that closes an article (comments, legal text): what follows weighs less
    for first, end, text in _units(lines):
        if total <= 0:
            total, start = 0.0, first
        score = -6.0 if first in teasers else _score(text)
        if score > 0:
            prose += 1
            score *= _AFTER_CLOSE if closed else 1.0
        elif prose >= _PROSE_BEFORE_END and ends_article(text):
            closed = True
        if first in cells:
            # A table's row carries the body on as a list item does, whatever its cells look like.
            score = _LIST_ITEM if first in row_starts else 0.0
        elif (in_list or first in items) and text and not is_prose(text) and _list_item(text):
            # An item of a list the article introduced ("Tour dates:") or of a column of items built alike.
            score = _LIST_ITEM
        elif text:
            in_list = _introduces_list(text)
        total += score
        if total > best:
            best, best_span = total, (start, end)
    if best_span is None:
        return None
    start, end = best_span
    while start < end and not normalise(lines[start]):
        start += 1
    return start, _closed(lines, start, end)


def _closed(lines: Sequence[str], start: int, end: int) -> int:
    """The body's end, cut at the first line that closes an article once some prose has come.

    An author's bio closes it only in the body's second half or after several paragraphs: at the
    top, a line like it is the article talking about someone.
    """
    prose = words = 0
    for index in range(start, end):
        line = lines[index]
        if prose >= _PROSE_BEFORE_END and (
            ends_article(line)
            or (is_bio(line) and (prose >= _PROSE_BEFORE_BIO or index >= (start + end) / 2))
            or _last_sign_up(lines, index, end, words)
        ):
            return index
        if is_prose(line):
            prose += 1
            words += prose_words(normalise(line))
    return end


def _last_sign_up(lines: Sequence[str], index: int, end: int, before: int) -> bool:
    """A sign-up line after which less prose follows than the article has had: it closes the article."""
    text = normalise(lines[index])
    if not 0 < word_count(text) <= 30:
        return False
    # A text dump may break the line at a link or a styled word ("Sign up for the" / "Daily Brief newsletter"):
    # the pitch may end on the next line, but must begin on this one.
    following = normalise(lines[index + 1]) if index + 1 < len(lines) else ""
    found = _SIGN_UP.search(f"{text} {following}")
    if found is None or found.start() >= len(text):
        return False
    after = sum(word_count(t) for t in lines[index + 1 : end] if is_prose(t))
    return after < before


# The weight of prose below a line that closes an article: a page's comments and footer come after its
# article, so a run there wins only when it holds clearly more prose than the runs above.
_AFTER_CLOSE = 0.5
# Prose lines after which an author's bio closes the article wherever it stands in the region.
_PROSE_BEFORE_BIO = 5
# Prose lines an article has before a closing heading counts (a "Comments" link up top does not end it).
_PROSE_BEFORE_END = 2


# Headings that open what follows an article: its comments or its author's bio. Whole short lines
# only. "Related" and "Most popular" boxes are not among them: sites put those inside articles too.
_END_HEADING = re.compile(
    r"^(?:[1-9]\d*\s+(?:comments?|responses?|replies|thoughts|reactions)\b.*|"
    r"\W*(?:(?:top rated |latest |recent |reader )?comments?(?:\s*\(\d+\))?|discussion|"
    r"join the (?:discussion|conversation)|(?:leave|post|add|write) a (?:reply|comment|response)|"
    r"comments? (?:are )?closed.*|(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments?|"
    r"about the (?:author|writer)s?|author(?:'s)? bio(?:graphy)?)\W*)$",
    re.IGNORECASE,
)
_END_WORDS = 8
# Longer lines are text, whatever words they use.
_CLOSING_WORDS = 60


def ends_article(line: str) -> bool:
    """A line that closes an article: a comment section or author-bio heading, a comment form, legal text."""
    text = normalise(line)
    count = word_count(text)
    if not text or count > _CLOSING_WORDS:
        return False
    if count <= _END_WORDS and _END_HEADING.match(text) and not clean.is_nav_item(line):
        return True
    return count <= 30 and bool(_CLOSING.search(text))


_CLOSING = re.compile(
    r"\b(?:your email address will not be published|required fields are marked|you must be logged in|"
    r"log in to (?:comment|post|reply)|comments? policy|community guidelines|this material may not be published|"
    r"all rights reserved)\b|^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# A newsletter sign-up closes an article too, but sites also set one in the middle of it.
_SIGN_UP = re.compile(
    r"\b(?:(?:in|to) your inbox|sign up (?:for|to) our|get (?:our|the) newsletter|subscribe to our)\b|"
    # "Sign up for the Morning Brief ...": "the" names a newsletter only where the line says what it sends.
    r"\bsign up (?:for|to) the\b.*\b(?:newsletters?|e-?mails?|briefing|alerts|updates)\b",
    re.IGNORECASE,
)
