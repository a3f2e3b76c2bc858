"""Cleaning rules: boilerplate lines, repeated short lines, dates and fused captions; pure functions over text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from qa.ingest.dates import parse_date
from qa.text import WORD, ends_sentence, fold, normalise, word_count

_BULLET = re.compile(r"^\s*(?:[•·▪◦‣*+-]|\d+[.)])\s+")

# Rows of share buttons, often glued together by the scraper: "FacebookTwitterPinterest...".
_SHARE_WORDS = (
    "share (?:to|on|via|with)|facebook|twitter|pinterest|whatsapp|telegram|skype|email|e-mail|linkedin|reddit|"
    "tumblr|print|share|"
    "instagram|youtube|vk|x|mail|messenger|pocket|flipboard|copy link"
)
_SHARE_ROW = re.compile(rf"^(?:\s*(?:{_SHARE_WORDS})\s*[|,·/]?)+$", re.IGNORECASE)
# Networks a share row names; a row cut short or labelled in the site's language ("Whatsapp Facebook Pint
# Baixar") still names two or more of them in few words.
_NETWORK = re.compile(
    r"facebook|twitter|pinterest|whatsapp|telegram|linkedin|reddit|tumblr|instagram|youtube|messenger|"
    r"flipboard|google\+|vkontakte|odnoklassniki|weibo|wechat|viber",
    re.IGNORECASE,
)
_SHARE_ROW_CHARS = 160
_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")
_COMMENTS = re.compile(r"\b\d+\s+comments?\s*$|^leave a (?:comment|reply)$|^comments?\s*\(\d+\)$", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b)|all rights reserved", re.IGNORECASE)
_BREADCRUMB = re.compile(r"\s[»›>]\s|^Home\s*[»›>]|^Home(?=[A-Z])")
_URL = re.compile(r"https?://\S+")
# Page chrome that news and blog templates print around articles.
_CHROME = {
    "back to top",
    "newer posts",
    "older posts",
    "recent posts",
    "related posts",
    "you may also like",
    "read more",
    "related articles",
    "share this",
    "share this article",
    "advertisement",
    "skip to content",
    "previous post",
    "next post",
    "menu",
    "search",
    "subscribe",
    "sign up",
    "log in",
    "tags",
}


def is_nav_item(line: str) -> bool:
    """A short bulleted link such as "• Home" in a menu or a list of recent posts."""
    match = _BULLET.match(line)
    return match is not None and word_count(line[match.end() :]) <= 6 and not ends_sentence(line)


def unbulleted(line: str) -> str:
    """A line without its list bullet ("- Fact check: ..." -> "Fact check: ...")."""
    return _BULLET.sub("", line, count=1)


def is_copyright(line: str) -> bool:
    """A copyright or rights line: "© 2019 Example Inc.", "All rights reserved"."""
    return bool(_COPYRIGHT.search(normalise(line)))


def is_share_row(line: str) -> bool:
    """A row (or one button) of share links: "Facebook Twitter Email", "- Pinterest"."""
    return _share_row(normalise(_BULLET.sub("", line)))


def _share_row(text: str) -> bool:
    if not text:
        return False
    if _SHARE_ROW.match(text):
        return True
    if len(text) > _SHARE_ROW_CHARS:
        return False  # text, not buttons: spares the network search on every line of an article
    # Two or more networks making up at least half its words; a headline about them has lower-case words.
    networks = len(_NETWORK.findall(text))
    if networks < 2 or word_count(text) > 2 * networks or ends_sentence(text):
        return False
    return not _LOWER_WORD.search(_NETWORK.sub(" ", text))


def is_boilerplate(line: str) -> bool:
    """True for template lines that carry no article content: menus, share rows, comment counts, ©."""
    text = normalise(line)
    if not text:
        return False
    bare = unbulleted(text).rstrip(":").lower()  # "- Tags:" is the label "Tags" in a bulleted row
    return (
        is_nav_item(line)
        or bare in _CHROME
        or _share_row(text)
        or (bool(_COMMENTS.search(text)) and word_count(text) <= 8)
        or bool(_COPYRIGHT.search(text))
        or (bool(_BREADCRUMB.search(text)) and not ends_sentence(text) and word_count(text) <= 30)
        or (bool(_URL.search(text)) and word_count(_URL.sub("", text)) <= 3)
        or (bare.startswith("read more") and bool(_URL.search(text)))
        or parse_date(text) is not None
        or _link_row(text)
    )


def _link_row(text: str) -> bool:
    """A row of links set off by separators ("Education - Urdu News - Car Prices - ..."): many short parts,
    none of them a sentence."""
    parts = _ROW_SEPARATOR.split(text)
    return (
        len(parts) >= _LINK_ROW_PARTS
        and all(0 < word_count(part) <= _LINK_WORDS for part in parts)
        and not ends_sentence(text)
    )


_ROW_SEPARATOR = re.compile(r"\s+[-|·•–—/]\s+")
_LINK_ROW_PARTS = 5
_LINK_WORDS = 5


def is_heading(text: str, max_words: int = 20) -> bool:
    """A line shaped like a title or label: short, and not ending like a sentence."""
    text = normalise(text)
    return 0 < word_count(text) <= max_words and not ends_sentence(text)


def _glued(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] touches a neighbouring character with no space, as a fused caption does."""
    before = start > 0 and text[start - 1].isalnum()
    after = end < len(text) and text[end].isalnum()
    return before or after


def _cut(text: str, start: int, end: int) -> str:
    return " ".join((text[:start] + " " + text[end:]).split())


def remove_fused(text: str, title: str | None = None, min_words: int = 4) -> str:
    """Drop captions that a scraper glued into a paragraph.

    Two shapes occur in scraped news: the article title pasted into the body
    ("...for refugee MEK group in Iraq agrees to quit Camp Ashrafstatus in Europe") and the
    paragraph's opening phrase repeated as an image caption ("...extended the Iraqi government
    spokesman Ali al-Dabbaghend-of-year deadline"). Either is removed only where it is glued to a
    neighbouring word or ends the paragraph, which ordinary prose repetition never is.
    """
    folded = fold(text)
    if title and word_count(title) >= min_words:
        needle = fold(normalise(title))
        position = folded.find(needle, 1)
        while position > 0:
            end = position + len(needle)
            if _glued(text, position, end) or end == len(text):
                text = _cut(text, position, end)
                folded = fold(text)
                position = folded.find(needle, 1)
            else:
                position = folded.find(needle, end)
    boundaries = [m.end() for m in WORD.finditer(text)]
    for end in reversed(boundaries[min_words - 1 : 40]):
        prefix = folded[:end]
        if len(prefix) < 20:
            break
        position = folded.find(prefix, end)
        if position > 0 and _glued(text, position, position + len(prefix)):
            return _cut(text, position, position + len(prefix))
    return text


def line_key(line: str) -> str:
    """What a line is compared by when counting repeated lines: normalised and folded."""
    return fold(normalise(line))


def short_lines(lines: Iterable[str], max_words: int) -> list[str]:
    """The lines that boilerplate counting looks at: 1 to `max_words` words."""
    return [line for line in lines if line and 0 < word_count(line_key(line)) <= max_words]


def repeated_short_lines(documents: Iterable[list[str]], max_words: int, min_docs: int) -> set[str]:
    """Short lines that recur across documents (or three times in one): menus, site names, section labels.

    Returned as `line_key`s.
    """
    in_docs: Counter[str] = Counter()
    in_one: Counter[str] = Counter()
    for lines in documents:
        short = [line_key(line) for line in short_lines(lines, max_words)]
        in_docs.update(set(short))
        for key, count in Counter(short).items():
            in_one[key] = max(in_one[key], count)
    return {key for key in in_docs if in_docs[key] >= min_docs or in_one[key] >= 3}
