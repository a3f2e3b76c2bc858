"""Extract an HTML page's main-content text blocks, with exact raw offsets, and its title, date and author."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import accumulate, repeat
from typing import Any

import lxml.html
import trafilatura
from lxml.etree import ParserError, _Element
from trafilatura.utils import load_html

from qa.ingest import dates, html_blocks, html_chrome, html_title
from qa.text import sentences, word_count

# Elements a browser never renders as page text (title lives in the tab, not the page).
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "title"})

# Elements rendered on their own line: text on either side of them never forms one word.
_BREAK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

# Inline markup in trafilatura's output tree; every other element is a block of its own.
_INLINE_TAGS = frozenset({"hi", "ref", "del", "lb", "graphic", "span"})

# Precision-first extraction keeps chrome out, but on some layouts (an article body in an
# unusual container) it drops most of the article: when it keeps less than this share of
# what default extraction finds, the default extraction is used instead.
_PRECISION_MIN_SHARE = 0.5

# A block whose visible text is at least this share link text is a list of links (related
# stories, "Read more: ...", tag clouds), not article prose...
_MAX_LINK_SHARE = 0.5
# ...unless it is a paragraph of this many words and sentences that the page does not link: its first characters
# are found in no link text of the page at least as long as the shortest such paragraph.
_PROSE_LINK_WORDS, _PROSE_LINK_SENTENCES = 50, 3
_KEY_CHARS, _LINKED_PARAGRAPH_CHARS = 80, 200

# schema.org types that describe an article (NewsArticle, BlogPosting, ReportageNewsArticle...).
_ARTICLE_TYPES = ("Article", "BlogPosting", "Report", "Posting")
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publish-date",
    "publishdate",
    "pubdate",
    "date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl")
_SITE_META = ("og:site_name", "application-name", "twitter:site", "publisher")
# Separators sites put between a headline and their own name.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014:\u00b7\u2022\u00bb]|::)\s+")
# Words that make an "author" a desk, a wire or a role, not a person.
_NOT_A_PERSON = re.compile(
    r"\b(?:staff|editors?|editorial|desk|team|newsroom|bureau|correspondents?|contributors?|"
    r"admin|administrator|press|agency|wire|news|reporters?|writers?)\b",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*(?:[^\W\d]+\s+){0,2}?by\s*:?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    text: str  # the block's visible text, entities decoded, whitespace collapsed to single spaces, stripped
    start: int  # offset into the raw HTML string where the block's first visible character is
    end: int  # offset just after the block's last visible character (end exclusive)


@dataclass(frozen=True)
class HtmlPage:
    title: str | None
    date: str | None  # "YYYY-MM-DD" or None
    blocks: list[Block]  # main content paragraphs / headings / list items, in document order
    author: str | None = None  # a person's name, or names joined by ", "


def extract_html(raw: str) -> HtmlPage:
    """Return the main-content blocks of `raw` located in it, plus the page title, date and author."""
    if not raw.strip():
        return HtmlPage(None, None, [])
    declared = _declared(raw)
    meta = trafilatura.extract_metadata(raw, date_config=dates.HTML_DATE_PARAMS)
    site = declared.get("site") or meta.sitename or None
    claimed = _without_site(declared.get("title") or meta.title or "", site) or None
    headings = html_title.visible_headings(raw)
    headlines = [
        claimed or "",
        *(h.text for h in headings.items if h.level == 1 or html_title.agrees(h.text, claimed)),
    ]
    blocks = _main_blocks(raw, headlines)
    published = dates.published(raw, declared.get("date"), meta.date, [(b.start, b.end) for b in blocks])
    author = _person(declared.get("author"), site) or _person(meta.author, site)
    title = html_title.shown_title(headings, claimed, site, [b.text for b in blocks])
    return HtmlPage(title, published, blocks, author)


# --- metadata ------------------------------------------------------------------------------------------


def _declared(raw: str) -> dict[str, str]:
    """Title, date, author and site name the page declares: its JSON-LD article first, then meta tags."""
    tree = _parse(raw)
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            for item in _json_ld_articles(_json(script.text_content())):
                for key, value in (
                    ("title", _clean(item.get("headline")) or _clean(item.get("name"))),
                    ("date", dates.iso_date(_clean(item.get("datePublished")) or "")),
                    ("author", _names(item.get("author"))),
                    ("site", _names(item.get("publisher"))),
                ):
                    if value:
                        found.setdefault(key, value)
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = _clean(meta.get("content"))
        if key and content:
            tags.setdefault(key, content)
    candidates: dict[str, list[str | None]] = {
        "title": [tags.get("og:title"), tags.get("twitter:title")],
        "date": [dates.iso_date(tags.get(key) or "") for key in _DATE_META],
        "author": [tags.get(key) for key in _AUTHOR_META],
        "site": [tags.get(key, "").lstrip("@") for key in _SITE_META],
    }
    for key, values in candidates.items():
        value = next((v for v in values if v and not _is_url(v)), None)
        if value:
            found.setdefault(key, value)
    return found


def _parse(raw: str) -> lxml.html.HtmlElement | None:
    try:
        # lxml refuses a str that carries its own XML encoding declaration.
        return lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", raw))
    except (ValueError, ParserError):
        return None


def _json(text: str) -> Any:
    # Sites wrap JSON-LD in CDATA or HTML comments, or leave it broken: such a block declares nothing.
    text = re.sub(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$", "", text)
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def _json_ld_articles(data: Any) -> Iterator[dict[str, Any]]:
    """Article objects of a JSON-LD block: top level, in a list, in an @graph or as a mainEntity."""
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_articles(item)
    elif isinstance(data, dict):
        types = data.get("@type")
        names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if any(isinstance(name, str) and name.endswith(_ARTICLE_TYPES) for name in names):
            yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), dict | list):
                yield from _json_ld_articles(data[key])


def _names(value: Any) -> str | None:
    """A JSON-LD person or organisation (string, object with a name, or a list of them) as "A, B"."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = ", ".join(n for n in name if isinstance(n, str))
        name = _clean(name)
        if name and not _is_url(name) and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    # Script text is not entity-decoded by the parser, and many sites write "&#8217;" in JSON-LD.
    return " ".join(html.unescape(value).split()) or None


def _is_url(text: str) -> bool:
    return bool(re.match(r"^(?:https?:)?//|^www\.|^\S+\.(?:com|org|net)\b", text.strip(), re.IGNORECASE))


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _without_site(title: str, site: str | None) -> str:
    """The title less a leading or trailing " | Site Name" part, when that part is the site's name."""
    title = " ".join(title.split())
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    if html_title.names_site(parts[-1], site):
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    if html_title.names_site(parts[0], site):
        return " - ".join(parts[1:]) if len(parts) > 2 else parts[1]
    return title


def _person(value: str | None, site: str | None) -> str | None:
    """A person's name (or names, ", "-joined) from an author field: no URL, site name, desk or wire."""
    people: list[str] = []
    for part in re.split(r"\s*(?:[,;|/]|\band\b|&)\s*", value or ""):
        name = _BY.sub("", part).strip(" .:-")
        if not name or _is_url(name) or "@" in name or any(c.isdigit() for c in name):
            continue
        if _NOT_A_PERSON.search(name) or (site and _fold(name) == _fold(site)):
            continue
        if not 1 < len(name.split()) <= 5:  # "Admin", "Reuters" are not a person's full name
            continue
        if name.isupper():
            name = name.title()
        if name not in people:
            people.append(name)
    return ", ".join(people) or None


# --- main content ----------------------------------------------------------------------------------


# Every stage after extraction (chrome at the article's edges, alignment to the raw page) can drop
# text: blocks holding less than this share of what plain extraction finds mean the article was
# lost on the way, and the plain extraction is used instead.
_KEPT_MIN_SHARE = 0.5

_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_links": True,  # to tell blocks of links from prose; only the text is kept
    "with_metadata": False,
}


def _main_blocks(raw: str, headlines: list[str]) -> list[Block]:
    """The article's blocks, located in the page: precision-first, the plain extraction when that keeps much more."""
    linked = _long_links(raw)
    main, default, pruned = _main_paragraphs(raw, linked)
    visible = _VisibleText(raw)
    blocks = _align(html_blocks.article_text(main, headlines), visible)
    # Plain extraction costs as much as the others: it runs only where the blocks keep too little of the
    # pruned page's text and the pruned boxes', or of trafilatura's quick baseline (an article body
    # declared in JSON-LD, an <article> element, or the page's paragraphs), the text an article can hold.
    _, _, quick = trafilatura.baseline(raw)
    if _chars(blocks) >= _KEPT_MIN_SHARE * max(sum(map(len, default)) + pruned, quick):
        return blocks
    plain = _extracted(trafilatura.bare_extraction(raw, **_OPTIONS), linked)
    if _chars(blocks) >= _KEPT_MIN_SHARE * sum(map(len, plain)):
        return blocks
    fallback = _align(html_blocks.without_headline(plain, headlines), visible)
    return fallback if _chars(fallback) > _chars(blocks) else blocks


def _chars(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks)


def _main_paragraphs(raw: str, linked: frozenset[str]) -> tuple[list[str], list[str], int]:
    """Main-content paragraphs (precision-first, default extraction when precision keeps too little), the
    default extraction, and the characters of text the pruning of chrome boxes took out of the page."""
    tree, pruned = _pruned(raw)
    precise = _extracted(trafilatura.bare_extraction(tree, favor_precision=True, **_OPTIONS), linked)
    default = _extracted(trafilatura.bare_extraction(_pruned(raw)[0], **_OPTIONS), linked)
    if sum(map(len, precise)) >= _PRECISION_MIN_SHARE * sum(map(len, default)):
        return precise, default, pruned
    return default, default, pruned


def _pruned(raw: str) -> tuple[lxml.html.HtmlElement | str, int]:
    """The page's tree less the chrome boxes inside its article (the extractor changes it: one per call), and
    the characters of text that went with them."""
    tree = load_html(raw)  # parsed as trafilatura would parse the string (comments dropped, repairs)
    if tree is None:
        return raw, 0
    return tree, html_chrome.prune(tree)


def _extracted(document: Any, linked: frozenset[str]) -> list[str]:
    body = getattr(document, "body", None)
    return [] if body is None else _block_texts(body, linked)


def _long_links(raw: str) -> frozenset[str]:
    """The text of the page's links long enough to hold a paragraph, compacted: what the page itself links."""
    root = _parse(raw)
    if root is None:
        return frozenset()
    texts = (_compact(link.text_content()) for link in root.iter("a"))
    return frozenset(text for text in texts if len(text) >= _LINKED_PARAGRAPH_CHARS)


def _block_texts(body: _Element, linked: frozenset[str]) -> list[str]:
    """Each block's text; blocks mostly made of link text (related links, "Read more: ...") are left out,
    unless the block is a paragraph of prose that the page itself does not link (`linked`: its long links'
    texts): the extractor folds the text after a linked image into the link."""
    texts: list[str] = []
    pending: list[str] = []
    link_chars = 0
    for piece, in_link in [*_text_events(body, False), (None, False)]:
        if piece is None:
            text = " ".join("".join(pending).split())
            if text and (
                link_chars < _MAX_LINK_SHARE * len(_compact(text))
                or (
                    _paragraph_of_prose(text)
                    and not any(_compact(text)[:_KEY_CHARS] in link for link in linked)
                )
            ):
                texts.append(text)
            pending.clear()
            link_chars = 0
        else:
            pending.append(piece)
            link_chars += len(_compact(piece)) if in_link else 0
    return texts


def _paragraph_of_prose(text: str) -> bool:
    """A paragraph of several sentences: links to other stories are a headline, or a summary of a sentence or two."""
    return word_count(text) >= _PROSE_LINK_WORDS and len(sentences(text)) >= _PROSE_LINK_SENTENCES


def _text_events(elem: _Element, in_link: bool) -> Iterator[tuple[str | None, bool]]:
    """Text of the tree in document order, whether it is link text, and None where a block starts or ends."""
    if isinstance(elem.tag, str):  # comments and processing instructions carry no text
        is_block = elem.tag not in _INLINE_TAGS
        inside = in_link or elem.tag == "ref"
        if is_block:
            yield None, inside
        if elem.tag == "lb":
            yield " ", inside
        yield elem.text or "", inside
        for child in elem:
            yield from _text_events(child, inside)
        if is_block:
            yield None, inside
    yield elem.tail or "", in_link


class _VisibleText(HTMLParser):
    """The page's rendered characters, whitespace dropped, each with the raw span it comes from.

    Whitespace is dropped because extractors re-flow it freely; `word_start` remembers where
    it (or a line-breaking tag) was so matches can be kept to whole words.
    """

    def __init__(self, raw: str) -> None:
        # Entities stay unconverted so each one's raw span is known.
        super().__init__(convert_charrefs=False)
        self._raw = raw
        # getpos() reports line/column, and the parser counts lines by "\n" only.
        self._line_starts = list(accumulate((len(line) + 1 for line in raw.split("\n")), initial=0))
        self._hidden_depth = 0
        self._after_gap = True
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.word_start: list[bool] = []
        self.feed(raw)
        self.close()
        self.text = "".join(self.chars)

    def parse_html_declaration(self, i: int) -> int:
        # A browser reads "<![endif]-->" (and any "<![...]" in HTML) as a bogus comment that ends at
        # the first ">"; the standard parser seeks "]]>" and would hide the page up to one.
        if self.rawdata.startswith("<![", i):
            end = self.rawdata.find(">", i + 3)  # the whole page is fed at once: none runs to its end
            return len(self.rawdata) if end == -1 else end + 1
        return super().parse_html_declaration(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
        self._after_gap |= tag in _BREAK_TAGS

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Self-closing: must not open a hidden region that is never closed.
        self._after_gap |= tag in _BREAK_TAGS

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and self._hidden_depth:
            self._hidden_depth -= 1
        self._after_gap |= tag in _BREAK_TAGS

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if not self._raw.startswith(data, start):
            # Position unknown: leave the text unmapped so nothing can align to a wrong place.
            self._after_gap = True
            return
        self._add(data, range(start, start + len(data)), range(start + 1, start + len(data) + 1))

    def handle_entityref(self, name: str) -> None:
        self._add_reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._add_reference("&#" + name)

    def _add_reference(self, prefix: str) -> None:
        start = self._offset()
        if not self._raw.startswith(prefix, start):
            self._after_gap = True
            return
        end = start + len(prefix) + self._raw.startswith(";", start + len(prefix))
        # Every decoded character points at the whole reference: it has no finer location.
        self._add(html.unescape(self._raw[start:end]), repeat(start), repeat(end))

    def _add(self, text: str, starts: Iterable[int], ends: Iterable[int]) -> None:
        if self._hidden_depth:
            return
        for char, start, end in zip(text, starts, ends, strict=False):  # repeat() is endless
            if char.isspace():
                self._after_gap = True
            elif char.isprintable():  # extractors may or may not keep soft hyphens, zero-width spaces
                self.chars.append(char)
                self.starts.append(start)
                self.ends.append(end)
                self.word_start.append(self._after_gap)
                self._after_gap = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def first_match(self, needle: str, start: int) -> tuple[int, int] | None:
        """First whole-word occurrence of `needle` at or after character `start`."""
        i = self.text.find(needle, start) if needle else -1
        while i != -1 and not self._on_word_edges(i, i + len(needle)):
            i = self.text.find(needle, i + 1)
        return None if i == -1 else (i, i + len(needle))

    def last_match(self, needle: str, start: int, stop: int) -> tuple[int, int] | None:
        """Last whole-word occurrence of `needle` inside characters [start, stop)."""
        i = self.text.rfind(needle, start, stop) if needle else -1
        while i != -1 and not self._on_word_edges(i, i + len(needle)):
            i = self.text.rfind(needle, start, i + len(needle) - 1)
        return None if i == -1 else (i, i + len(needle))

    def _on_word_edges(self, i: int, j: int) -> bool:
        return self.word_start[i] and (j == len(self.text) or self.word_start[j])


def _align(paragraphs: list[str], visible: _VisibleText) -> list[Block]:
    """Locate each paragraph in the raw page, in order; one that cannot be placed whole is placed by sentences.

    A short paragraph ("Weather") may also occur in a menu before the article, so it takes
    its last occurrence before the place where the next paragraph is found.
    """
    needles = [_compact(p) for p in paragraphs]
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for k in range(len(paragraphs)):
        following = visible.first_match(needles[k + 1], cursor) if k + 1 < len(needles) else None
        span = visible.last_match(needles[k], cursor, following[0]) if following else None
        span = span or visible.first_match(needles[k], cursor)
        spans.append(span)
        cursor = span[1] if span else cursor
    blocks: list[Block] = []
    for k, (paragraph, span) in enumerate(zip(paragraphs, spans, strict=True)):
        if span is not None:
            blocks.append(Block(paragraph, visible.starts[span[0]], visible.ends[span[1] - 1]))
            continue
        # Between the paragraphs placed before and after it: a sentence found further down
        # the page is another copy, and would take the article's place.
        low = next((s[1] for s in reversed(spans[:k]) if s), 0)
        high = next((s[0] for s in spans[k + 1 :] if s), len(visible.text))
        blocks.extend(_pieces(paragraph, visible, low, high))
    return blocks


def _pieces(paragraph: str, visible: _VisibleText, low: int, high: int) -> list[Block]:
    """The sentences of a paragraph that cannot be placed whole, each where it is found in [low, high).

    An extractor joins text a browser shows apart (a menu and the story in one box, a widget's
    text between two sentences): whole, the paragraph matches nowhere; its sentences still do.
    """
    found: list[Block] = []
    for start, end in sentences(paragraph):
        sentence = paragraph[start:end]
        span = visible.first_match(_compact(sentence), low)
        if span is not None and span[1] <= high:
            i, j = span
            found.append(Block(sentence, visible.starts[i], visible.ends[j - 1]))
            low = j
    return found


def _compact(text: str) -> str:
    # Same character filter as _VisibleText, so the two sides compare like for like.
    return "".join(c for c in text if c.isprintable() and not c.isspace())
