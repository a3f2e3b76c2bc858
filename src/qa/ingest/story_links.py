"""Links to other stories set in or after an article's text: headline lists, by their heading or their shape."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from qa.ingest import boilerplate as chrome
from qa.ingest import clean, dates, metadata
from qa.text import normalise, word_count

# Headings over a box of links to other stories. "Related" and its kin are already chrome to
# boilerplate.kind; these are the bare ones it leaves to the article ("More:", "Don't miss").
_LIST_HEADING = re.compile(
    r"^(?:more(?: from [\w .&'-]{1,30}| on this(?: story)?| coverage)?|don'?t miss|read also|also read|see also|"
    r"related\b.{0,30}|you (?:may|might) also like.{0,10}|more:?|"
    # A site may put its own name first: "PFT Most Commented", "Gazette Most Read".
    r"(?:[\w&'’-]+ ){0,2}most (?:read|popular|viewed|shared|commented|emailed)\b.{0,30})\W*$",
    re.IGNORECASE,
)
_HEADING_WORDS = 6
# A headline is shorter than this and stops without a full stop; a question headline is shorter still.
_HEADLINE_WORDS = 20
_QUESTION_WORDS = 12
# A run of links this long at most follows one heading; more is the page's own listing, left to body_span.
_MAX_LINKS = 15
# Bulleted headlines in a row, title-cased, with no heading over them: a related-links box.
_BULLETED_RUN = 2
_TITLE_CASE = 0.6
# Capitals over this many words are a headline, not a subheading.
_SHOUT_WORDS = 8
# A bare link on to another story's full text; the teaser over it is a headline and perhaps a cut summary.
_READ_MORE = re.compile(
    r"^(?:read more|continue reading|read (?:the )?full (?:story|article))\W*$", re.IGNORECASE
)
_TEASER_LINES = 2
_SUMMARY_WORDS = 40
# A teaser's summary runs on as a sentence for at least this many words before it is cut off, mid-sentence.
_SUMMARY_MIN_WORDS = 8
_CUT_SUMMARY_WORDS = 80
_CUT_SUMMARY = re.compile(r"(?:[^\W_]|[,;])(?:\.\.\.|…)$")
_STATEMENT_END = (".", "!", '"', "”", ":")
# Cut mid-word or right after one, with no space before the dots.
_CUT = re.compile(r"[^\W\d_](?:\.\.\.|…)$")
_PRICE = re.compile(r"[$€£¥]\s?\d|\d\s?(?:€|usd|eur)\b", re.IGNORECASE)


def link_lines(texts: Sequence[str], start: int, end: int) -> set[int]:
    """Indices in [start, end) of lines that link to other stories rather than carry the article.

    A related heading ("More from UK", "Related Stories", "Don't miss") and the headline-shaped
    lines right under it, up to the next line of prose; and a run of bulleted, title-cased
    headlines that no line introduced ("- Moon Rush: Private Lander Plans"). An article's own
    list is introduced ("The dates:") or its items read as sentences; these are neither.
    """
    # The body region may begin right under a links box's heading; the heading still claims the lines.
    index = next((i for i in range(start - 1, max(start - 3, -1), -1) if normalise(texts[i])), start)
    found = {i for i in headed_boxes(texts, index, end) if i >= start}
    found.update(_bulleted_runs(texts, start, end))
    found.update(i for i in range(start, end) if _shouted_headline(texts[i]) or _cut_teaser(texts[i]))
    found.update(_read_more_teasers(texts, start, end))
    found.update(_bullet_separated_runs(texts, start, end))
    return found


def headed_boxes(texts: Sequence[str], start: int, end: int, *, above_body: bool = False) -> set[int]:
    """Indices in [start, end) of the related headings ("More on:", "See also") and the headlines under them.

    Above an article's body (`above_body`) the box's heading must be more than one word ("More" and
    "Trending" are menu items as often), and a headline with a byline or date under it ends the box:
    it is the article's own.
    """
    found: set[int] = set()
    index = start
    while index < end:
        text = normalise(texts[index])
        if _is_list_heading(text) and not (above_body and word_count(text) < 2):
            run = _headlines_after(texts, index + 1, end, teasers=True)
            if above_body:
                bylined = [i for i in run if _byline_or_date(_next_line(texts, i + 1, end))]
                run = [i for i in run if not bylined or i < bylined[0]]
            if run:
                found.add(index)
                found.update(run)
                index = max(run) + 1
                continue
        index += 1
    return found


def summary_teasers(texts: Sequence[str]) -> set[int]:
    """Indices of teasers of other stories in a box of them: a headline over its summary cut off mid-sentence
    ("... may soon...", "... It..."), two or more such pairs near each other. An article's own lead may trail
    off once; a box of teasers repeats the shape."""
    pairs: list[tuple[int, int]] = []
    above: int | None = None
    for index, line in enumerate(texts):
        text = normalise(line)
        if not text:
            continue
        if (
            above is not None
            and _SUMMARY_MIN_WORDS <= word_count(text) <= _CUT_SUMMARY_WORDS
            and _CUT_SUMMARY.search(text)
            and _is_headline(texts[above])
        ):
            pairs.append((above, index))
        above = index
    found: set[int] = set()
    for one, other in itertools.pairwise(pairs):
        # One teaser right under the other: only bullets and blank lines between them.
        if all(_bare_bullet(normalise(t)) or not normalise(t) for t in texts[one[1] + 1 : other[0]]):
            found.update((*one, *other))
    return found


def _read_more_teasers(texts: Sequence[str], start: int, end: int) -> set[int]:
    """The headline (and cut summary) right over a bare "Read more" link: a teaser of another story.
    The article's own last sentence over such a link ends as a sentence does, and stays."""
    found: set[int] = set()
    for index in range(start, end):
        if not _READ_MORE.match(normalise(texts[index])):
            continue
        above = index - 1
        for _ in range(_TEASER_LINES):
            while above >= start and not normalise(texts[above]):
                above -= 1
            text = normalise(texts[above]) if above >= start else ""
            if not text or text.endswith(_STATEMENT_END) or word_count(text) > _SUMMARY_WORDS:
                break
            found.add(above)
            above -= 1
    return found


def _bullet_separated_runs(texts: Sequence[str], start: int, end: int) -> set[int]:
    """Headlines each set off by a bullet on its own line ("-", headline, "-", headline): a links box,
    when no line of the article introduces the list."""
    found: set[int] = set()
    index = start
    while index < end:
        if not _bare_bullet(normalise(texts[index])):
            index += 1
            continue
        run = _headlines_after(texts, index, end)
        headlines = [i for i in run if normalise(texts[i]) and not _bare_bullet(normalise(texts[i]))]
        # Most set off by a bullet: a kicker line ("News") may stand between a bullet and its headline.
        separated = sum(_bare_bullet(normalise(texts[i - 1])) for i in headlines)
        if (
            separated >= _BULLETED_RUN
            and 2 * separated > len(headlines)
            and not _introduced(texts, index, start)
        ):
            found.update(run)
        index = max(run, default=index) + 1
    return found


def _shouted_headline(line: str) -> bool:
    """A long headline in capitals set between paragraphs: a link to another story. An article's own
    subheadings in capitals are short ("WHAT YOU NEED")."""
    text = normalise(clean.unbulleted(line))
    return _SHOUT_WORDS <= word_count(text) <= _HEADLINE_WORDS and text.upper() == text != text.lower()


def _cut_teaser(line: str) -> bool:
    """A headline cut off at a fixed width ("... as Hurri...", "... after..."): a teaser of another story.
    An article's sentence trailing off ends a sentence before it, or is longer than a headline."""
    text = normalise(clean.unbulleted(line))
    match = _CUT.search(text)
    if match is None or not 3 <= word_count(text) <= _HEADLINE_WORDS:
        return False
    return not re.search(r"[.!?]\s", text[: match.start()])


def _is_list_heading(text: str) -> bool:
    count = word_count(text)
    if not 0 < count <= _HEADING_WORDS or re.search(r":\s*\S", text):
        return False  # "Related post: Pickled Sprouts" is itself the one link; the line under it is the article's
    return chrome.kind(text) == "related" or bool(_LIST_HEADING.match(text))


def _is_headline(text: str) -> bool:
    """Shaped like a story's headline: short, and not ending as a statement does."""
    text = normalise(clean.unbulleted(text))
    count = word_count(text)
    if not 0 < count <= _HEADLINE_WORDS:
        return False
    if text.endswith("?"):
        return count <= _QUESTION_WORDS
    if text.endswith(('"', "”")):
        # A headline may end on a quoted cry (': "We got her!"'); a quoted sentence ends in a full stop.
        return count <= _QUESTION_WORDS and not text[:-1].endswith((".", ","))
    return not text.endswith((".", "!", ":", "…")) or bool(_CUT.search(text))


def _bare_bullet(text: str) -> bool:
    """A line that is only a list bullet: the dump put each link's bullet on a line of its own."""
    return bool(text) and not any(ch.isalnum() for ch in text) and len(text) <= 3


def _headlines_after(texts: Sequence[str], first: int, end: int, *, teasers: bool = False) -> list[int]:
    """The headline lines (with bare bullets and blanks between) from first on, up to the next other line.

    Under a links box's heading, a teaser set off by bullets counts as one of its headlines too.
    """
    run: list[int] = []
    headlines = 0
    for index in range(first, end):
        text = normalise(texts[index])
        if not text or _bare_bullet(text):
            run.append(index)
            continue
        if (
            headlines >= _MAX_LINKS
            or _byline_or_date(text)
            or not (_is_headline(text) or (teasers and _set_off(texts, index, end)))
        ):
            break  # a byline or date opens the article that follows the box
        if headlines and _opens_article(texts, index + 1, end):
            break  # and the headline right over that byline is the article's, once the box has a link
        run.append(index)
        headlines += 1
    while run and (not normalise(texts[run[-1]]) or _bare_bullet(normalise(texts[run[-1]]))):
        run.pop()  # blanks and bullets after the last headline are not the box's to claim
    return run if headlines else []


def _set_off(texts: Sequence[str], index: int, end: int) -> bool:
    """A teaser (a headline and its summary, sentences and all) between two bare bullets: one item of a
    bulleted box, whatever its shape. An article's own list items are introduced, or not set off so."""
    before = next((normalise(texts[i]) for i in range(index - 1, -1, -1) if normalise(texts[i])), "")
    after = next((normalise(texts[i]) for i in range(index + 1, end) if normalise(texts[i])), "")
    return _bare_bullet(before) and _bare_bullet(after) and word_count(texts[index]) <= _SUMMARY_WORDS


def _next_line(texts: Sequence[str], first: int, end: int) -> str:
    return next((normalise(texts[i]) for i in range(first, end) if normalise(texts[i])), "")


def _opens_article(texts: Sequence[str], first: int, end: int) -> bool:
    """The lines from first on are an article's byline or date, then its prose within a few lines.
    A box's own items may carry a byline too ("by Ann Lee"), but the next item follows it, not prose."""
    following = [normalise(texts[i]) for i in range(first, min(end, first + 12)) if normalise(texts[i])]
    return bool(following) and _byline_or_date(following[0]) and any(map(chrome.is_prose, following[1:4]))


def _byline_or_date(text: str) -> bool:
    return metadata.byline_author(text) is not None or dates.line_date(text) is not None


def _title_cased(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= _TITLE_CASE


def _bulleted_runs(texts: Sequence[str], start: int, end: int) -> set[int]:
    """Runs of bulleted title-case headlines with no introducing line above them."""
    found: set[int] = set()
    run: list[int] = []
    for index in [*range(start, end), end]:
        text = normalise(texts[index]) if index < end else ""
        bulleted = bool(text) and clean.unbulleted(text) != text
        # A price marks an item of the article's own shopping list, not a link to another story.
        shop = bool(_PRICE.search(text))
        if bulleted and not shop and _is_headline(text) and _title_cased(clean.unbulleted(text)):
            run.append(index)
            continue
        if len(run) >= _BULLETED_RUN and not _introduced(texts, run[0], start):
            found.update(run)
        run = []
    return found


def _introduced(texts: Sequence[str], first: int, start: int) -> bool:
    """Whether the line above a list announces it ("Here are the dates:")."""
    for index in range(first - 1, start - 1, -1):
        text = normalise(texts[index])
        if text:
            return text.endswith(":")
    return False
