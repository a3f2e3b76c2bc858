"""The headline an HTML page shows over its article, checked against the title the page declares."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import lxml.html
from lxml.etree import _Element

from qa.ingest import html_chrome
from qa.text import fold, normalise, words

# Elements a reader never sees on the page.
_HIDDEN_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "title", "svg", "iframe", "select", "textarea"}
)
_HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3}
# A heading agrees with the declared title when this share of their words are the same (Dice coefficient).
_AGREES = 0.4
# Words are compared by their first letters: "falls" and "falling", "blogger" and "bloggers" are one word.
_STEM = 5
# A heading that stands over the body this close (visible characters, spaces dropped: room for a byline,
# a date, a standfirst and a caption) heads the article even when it shares no words with the declaration.
_LEAD_REACH = 1200
# A headline shares no words with the declaration only when it is a headline in its own right: a label
# ("Opinion", "Most popular") or a site name is shorter.
_LEAD_MIN_WORDS = 3
_HEADLINE_MAX_WORDS = 30
# The extracted body may open with a kicker set over the headline ("The minister said:"): a heading this
# far (visible characters) into the body still stands over it.
_KICKER = 200
# A piece of the site's name names it when it is most of the name ("Coastal Times" of "The Coastal Times",
# not "News" of "Fox News").
_SITE_SHARE = 0.6


@dataclass(frozen=True)
class Heading:
    """A visible <h1>-<h3>: its text, its level, and how much visible text stands before it."""

    text: str
    level: int
    at: int  # visible characters (whitespace dropped) before the heading


@dataclass(frozen=True)
class Headings:
    """A page's visible headings, in order, and its visible text with whitespace dropped."""

    items: list[Heading]
    text: str

    def body_at(self, body: Sequence[str]) -> int | None:
        """Where the article body starts in the visible text: its first block that can be found there."""
        for block in body[:3]:
            key = _compact(block)
            if len(key) >= 20 and (at := self.text.find(key)) >= 0:
                return at
        return None


def visible_headings(raw: str) -> Headings:
    """The page's visible <h1>-<h3> headings; none when the page cannot be parsed."""
    try:
        # lxml refuses a str that carries its own XML encoding declaration.
        tree = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", raw))
    except (ValueError, lxml.etree.ParserError):
        return Headings([], "")
    pieces: list[str] = []
    items: list[Heading] = []
    length = 0
    for element, text in _visible_pieces(tree):
        if element is not None:
            heading = " ".join(element.text_content().split())
            if heading:
                items.append(Heading(heading, _HEADING_LEVELS[str(element.tag)], length))
        key = _compact(text)
        pieces.append(key)
        length += len(key)
    return Headings(items, "".join(pieces))


def _visible_pieces(root: _Element) -> Iterator[tuple[_Element | None, str]]:
    """The visible text in document order, a heading element announced where it starts.

    A heading the template names as chrome ("in-article-recirc__header", a newsletter's title) heads that
    box, not the article: its text counts, the heading is not announced. Only the heading's own name is
    asked: the wrappers around a headline carry names like "content__header--no-promo" or "share-bar".
    """
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            yield None, element.tail or ""
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _HIDDEN_TAGS or _hidden(element):
            yield None, element.tail or ""
            continue
        announced = tag in _HEADING_LEVELS and not html_chrome.is_chrome(element)
        yield (element if announced else None), element.text or ""
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))


def _hidden(element: _Element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return element.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style


def agrees(heading: str, declared: str | None) -> bool:
    """Whether a heading and a declared title are one headline, however reworded, cut or prefixed."""
    if not declared:
        return False
    own, other = _stems(heading), _stems(declared)
    if not own or not other:
        return False
    return 2 * len(own & other) / (len(own) + len(other)) >= _AGREES


def _stems(text: str) -> set[str]:
    return {word[:_STEM] for word in words(fold(text).casefold())}


def names_site(text: str, site: str | None) -> bool:
    """Whether a piece of a title (or a heading) is the site's name: "Coastal Times", "coastaltimes.com"."""
    key, site_key = _letters(text), _letters(site or "")
    if not key or not site_key:
        return False
    # The part may add a domain or a word to the name ("coastaltimes.com", "The Coastal Times Online"),
    # never a headline's worth of words around it.
    return (
        key == site_key
        or (key in site_key and len(key) >= _SITE_SHARE * len(site_key))
        or (site_key in key and len(key) <= len(site_key) + 8)
    )


def shown_title(
    headings: Headings, declared: str | None, site: str | None, body: Sequence[str]
) -> str | None:
    """The headline the page shows over its article, checked against the title it declares.

    The heading nearest above the body whose words agree with the declaration is the title: the
    declaration may carry a section label, be cut short or be reworded for search engines, the shown
    headline is what a reader saw. With none agreeing, an <h1> right over the body is the headline (the
    declaration names a section, the site or another story); else the declaration, else the page's first
    headline-shaped <h1>.
    """
    # A declaration that is only the site's name says nothing of the article, unless nothing else does.
    claimed = None if declared is None or names_site(declared, site) else declared
    body_at = headings.body_at(body)
    above = [h for h in headings.items if body_at is None or h.at <= body_at + _KICKER]
    # Nearest the body first when the body is known; in page order otherwise.
    candidates = [
        h for h in (reversed(above) if body_at is not None else above) if not names_site(h.text, site)
    ]
    # An <h1> before an <h2>: a page repeats its headline in smaller headings (share boxes, teasers). Of two
    # alike, the one that reads as declared: the other adds a kicker ("TREBINJE Generalni direktor ...").
    agreeing = sorted(
        (h for h in candidates if agrees(h.text, claimed) and _headline(h, 1)),
        key=lambda h: (h.level, _letters(h.text) != _letters(claimed or "")),
    )
    if agreeing:
        return _without_kicker(agreeing[0].text, claimed)
    headed = [h for h in candidates if _headline(h, _LEAD_MIN_WORDS)]
    if body_at is not None and headed:
        lead = headed[0]
        if lead.level == 1 and body_at - lead.at - len(_compact(lead.text)) <= _LEAD_REACH:
            return lead.text
    if claimed:
        return claimed
    return next((h.text for h in headed if h.level == 1), None) or declared


def _without_kicker(shown: str, declared: str | None) -> str:
    """The declared headline where the shown one is it after a kicker of a few words ("Vadodara / ...",
    "TREBINJE ..."): the kicker names a place or a section, not the article."""
    if declared:
        heading, own = normalise(shown), normalise(declared)
        if heading != own and heading.endswith(own) and 0 < len(words(heading[: -len(own)])) <= _KICKER_WORDS:
            return own
    return shown


# A kicker over or before a headline is at most this many words.
_KICKER_WORDS = 3


def _headline(heading: Heading, min_words: int) -> bool:
    """Shaped like a headline: a few words; below an <h1>, no sentence closed by a full stop (a standfirst)."""
    count = len(words(heading.text))
    closed = heading.level > 1 and heading.text.endswith(".") and not heading.text.endswith("...")
    return min_words <= count <= _HEADLINE_MAX_WORDS and not closed


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _compact(text: str) -> str:
    return "".join(c for c in text if c.isprintable() and not c.isspace())
