"""Template elements inside an article that are not its text: captions, asides, forms, promo and share boxes.

Page templates name such elements with a shared vocabulary (class, id, role, aria-label: "related",
"newsletter", "share", "author-bio", "caption"...). Text dumps lose that; here the elements are
removed from the tree before the main-content extractor sees it.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

# Elements that hold no article prose whatever their name.
_CHROME_TAGS = frozenset({"figure", "figcaption", "aside", "form", "button", "select", "dialog"})

# Words of template vocabulary: a class/id token equal to one of these marks a box of chrome.
_CHROME_WORDS = frozenset(
    {
        "related", "recirc", "recirculation", "newsletter", "newsletters", "subscribe", "subscription",
        "signup", "share", "sharing", "sharebar", "social", "socials", "promo", "promotion", "bio",
        "authorbio", "caption", "captions", "credit", "credits", "ad", "ads", "advert", "advertisement",
        "sponsor", "sponsored", "outbrain", "taboola", "popular", "trending", "recommended", "follow",
    }
)  # fmt: skip
# Two-word names ("author-card", "read-more", "more-stories") whose parts alone are article words.
_CHROME_PAIRS = frozenset(
    {
        ("author", "card"), ("author", "box"), ("author", "info"), ("author", "about"), ("about", "author"),
        ("read", "more"), ("more", "stories"), ("more", "articles"), ("also", "read"), ("see", "also"),
        ("photo", "credit"), ("image", "credit"), ("in", "brief"), ("call", "to"), ("cta",),
    }
)  # fmt: skip
_ROLES = frozenset({"complementary", "dialog", "banner", "contentinfo", "form", "search"})

# A box with this much text outside links is article prose (or holds it), whatever its name
# says: "entry-content-read-more" or "article has-share-bar" must not take the article with it.
# Captions, bios and pitches are shorter; lists of related links are mostly link text.
_MAX_PROSE_CHARS = 400

_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(value: str) -> list[str]:
    # "relatedStories" / "related_stories" / "related-stories" -> related, stories
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value)
    return _TOKEN.findall(spaced.lower())


def _named_chrome(element: _Element) -> bool:
    names = " ".join(element.get(a) or "" for a in ("class", "id", "aria-label", "data-component"))
    for name in names.split():
        tokens = _tokens(name)
        if any(t in _CHROME_WORDS for t in tokens):
            return True
        if any(tuple(tokens[i : i + len(p)]) == p for p in _CHROME_PAIRS for i in range(len(tokens))):
            return True
    return (element.get("role") or "").lower() in _ROLES


def is_chrome(element: _Element) -> bool:
    """Whether an element is, by its tag or template name, a box of chrome rather than article text."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"html", "body", "main", "article"}:
        return False
    if tag == "figure" and element.find(".//table") is not None:
        return False  # a table set as a figure is data the article reports
    return tag in _CHROME_TAGS or _named_chrome(element)


def prune(tree: _Element) -> int:
    """Remove chrome boxes from `tree` in place, keeping their tail text; returns the characters of text
    outside links that went with them (whitespace not counted)."""
    doomed: list[_Element] = []
    removed = 0
    for element in tree.iter():
        if not isinstance(element.tag, str) or not is_chrome(element):
            continue
        if any(a in doomed for a in element.iterancestors()):
            continue  # already inside a box that goes
        prose = _prose_chars(element)
        if prose <= _MAX_PROSE_CHARS and not _in_running_text(element):
            doomed.append(element)
            removed += prose
    for element in doomed:
        _drop(element)
    return removed


def _in_running_text(element: _Element) -> bool:
    """Whether text runs on either side of the element inside its parent (a span in a sentence).

    Blocks are located in the raw page by their whole text: a paragraph missing a piece from
    its middle would not be found, and the whole paragraph would be lost.
    """
    previous = element.getprevious()
    parent = element.getparent()
    before = previous.tail if previous is not None else parent.text if parent is not None else None
    return bool((before or "").strip() or (element.tail or "").strip())


def _prose_chars(element: _Element) -> int:
    """Characters of visible text in `element` that are not link text."""
    total = _visible_chars(element)
    linked = sum(
        _visible_chars(a) for a in element.iter("a") if not any(p.tag == "a" for p in a.iterancestors())
    )
    return total - linked


def _visible_chars(element: _Element) -> int:
    hidden = sum(_compact_len(e) for e in element.iter("script", "style", "noscript", "template"))
    return _compact_len(element) - hidden


def _compact_len(element: _Element) -> int:
    return sum(len(word) for word in element.text_content().split())


def _drop(element: _Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        # The text after the box belongs to the parent, as if the box had never been there.
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
