"""A page's lines -> articles with their titles and dates -> cleaned paragraphs, each with its citation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from qa.config import Settings
from qa.ingest import body_region, captions, clean, dates, languages, metadata, story_links, tables
from qa.ingest import boilerplate as chrome
from qa.ingest.documents import Document
from qa.ingest.lines import Line, Page, page
from qa.text import ends_sentence, fold, normalise, prose_words, word_count
from qa.types import Citation


@dataclass(frozen=True)
class Paragraph:
    """Cleaned text of one or more source lines, with the citation that locates it."""

    text: str
    citation: Citation

    @property
    def source(self) -> str:
        return self.citation.source


# Lines at the top of a body region among which a byline or date still belongs to the header.
_HEADER_IN_BODY = 6
# Lines at the top of a body region where a byline or date still describes the article.
_BYLINE_LINES = 25
# A date stands closer to the top of the body than a byline may: one further down dates a teaser or a post.
_DATE_LINES = 8
# Numbered section headings ("1 Introduction", "2.3 Methods") label a part of a paper, not the paper.
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")


# The boilerplate settings a build uses unless configured otherwise: one set of defaults, Settings'.
_DEFAULTS = Settings.model_construct()

# Runs one pass over the pages, in order, under a label for progress: a plain map, or one that spreads the
# pages over processes.
MapPages = Callable[[str, Callable[[Any], Any], Sequence[Any]], list[Any]]


def serial(label: str, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """One pass here, page after page."""
    return [function(item) for item in items]


def _is_html(source: str) -> bool:
    return source.lower().endswith((".html", ".htm"))


@dataclass
class _Article:
    title: str | None = None
    date: str | None = None
    author: str | None = None
    paragraphs: list[list[Line]] = field(default_factory=list)


def _blocks(lines: list[Line]) -> Iterator[list[Line]]:
    block: list[Line] = []
    for line in lines:
        if line.text and not line.heading:
            block.append(line)
            continue
        if block:
            yield block
        block = [line] if line.heading else []
        if line.heading:
            yield block
            block = []
    if block:
        yield block


def _articles(lines: list[Line], boilerplate: set[str], *, promote: bool = True) -> list[_Article]:
    """Split a page into articles at blog footers ("December 29, 2011 0 comments"), finding titles and dates.

    A title is the last short, single-line block before an article's first body paragraph; the
    single-line blocks before it are section labels and are dropped.
    """
    articles = [_Article()]
    for block in _blocks(lines):
        kept: list[Line] = []
        for line in block:
            article = articles[-1]
            if (date := dates.footer_date(line.text)) is not None:
                article.date = date
                articles.append(_Article())
            elif (date := dates.parse_date(line.text)) is not None and not (article.paragraphs or kept):
                # A date above an article's body dates it; one inside the body is a dateline, kept as text.
                article.date = article.date or date
            elif date is not None:
                article.date = article.date or date
                kept.append(line)
            elif not (clean.is_boilerplate(line.text) or fold(normalise(line.text)) in boilerplate):
                kept.append(line)
        if not kept:
            continue
        article = articles[-1]
        if promote and not article.paragraphs and len(kept) == 1 and _titled(kept[0]):
            article.title = normalise(kept[0].text)
            continue
        article.paragraphs.extend(_join_wrapped(kept))
    return [a for a in articles if a.paragraphs]


def _titled(line: Line) -> bool:
    """A single-line block that can title an article: heading-shaped, and no byline, dateline or number."""
    text = line.text
    return (
        (line.heading or clean.is_heading(text))
        and metadata.byline_author(text) is None
        and dates.line_date(text) is None
        and not metadata.is_dateline(text)
        and not _SECTION_NUMBER.match(normalise(text))
    )


def _listing(lines: list[Line]) -> bool:
    """Whether a page lists several articles: it has two or more blog footers ("May 2, 2011 0 comments")."""
    return sum(dates.footer_date(line.text) is not None for line in lines if line.text) >= 2


def _single_article(lines: list[Line], boilerplate: set[str]) -> list[_Article]:
    """A text page with one article: its body region, and the title, date and byline just above it."""
    texts = [line.text for line in lines]
    table_rows = tables.table_rows(texts)
    found = body_region.body_span(texts, table_rows) or _long_lines(texts)
    if found is None:
        return []
    start, end = found
    start = _past_links_box(texts, start, end)
    lead = metadata.leading_title(texts[start:end])
    if lead is not None:
        # The body region began at its own headline: that is the title, not article text.
        start = next(i for i in range(start, end) if normalise(texts[i])) + 1
    start, end = _below_byline(texts, start, end)
    head = _header(texts, start, end)
    if lead is None and (head.title is None or metadata.short_headline(head.title)):
        # The region began above the byline or date (a pull quote, a section name): the headline under them
        # opens what is left. A one- or two-word line over the date is the section's name ("Earnings") when
        # a headline opens the body under it.
        lead = metadata.leading_title(texts[start:end])
        if lead is not None:
            start = _below_byline(texts, next(i for i in range(start, end) if normalise(texts[i])) + 1, end)[
                0
            ]
            # The date and byline under that headline are the article's, not those above it (a quote's).
            head = _header(texts, start, end)
    if lead is not None:
        head = metadata.Header(lead, head.date, head.author)
    start = _up_to_header(texts, start, boilerplate)
    # A Markdown heading above the body is the title its author declared.
    declared = next((line.text for line in reversed(lines[:start]) if line.heading), None)
    article = _Article(declared or head.title, head.date, head.author)
    links = story_links.link_lines(texts, start, end) | captions.caption_lines(texts, start, end)
    # A table printed one cell a line: each row is a paragraph of its cells, whatever each cell looks like.
    rows = {row[0]: row for row in table_rows if start <= row[0] and row[-1] < end}
    cells = {index for row in rows.values() for index in row}
    block: list[Line] = []
    for index, line in enumerate([*lines[start:end], Line(0, 0, 0, 0, "")]):
        if start + index in cells:
            if start + index in rows:
                article.paragraphs.extend(_join_wrapped(block))
                article.paragraphs.append([lines[cell] for cell in rows[start + index]])
                block = []
            continue
        if start + index in links:
            line = Line(0, 0, 0, 0, "")  # a link to another story ends the paragraph, as a blank line does
        if line.text and line.text.strip() and not _chrome_line(line, boilerplate, article, index):
            block.append(line)
        elif not line.text and block:
            article.paragraphs.extend(_join_wrapped(block))
            block = []
    return [article] if article.paragraphs else []


def _header(texts: list[str], start: int, end: int) -> metadata.Header:
    """Title, date and byline from the lines above a body that runs from `start` to `end`."""
    return metadata.header(_without_links(texts, start), [t for t in texts[start:end] if t])


def _long_lines(texts: list[str]) -> tuple[int, int] | None:
    """Where no run reads as prose (a note of one long line, a page of lists): from the first to the last line
    long enough to be written text rather than a menu item, so that no such text is lost."""
    long = [i for i, text in enumerate(texts) if word_count(text) >= _LONG_LINE_WORDS]
    return (long[0], long[-1] + 1) if long else None


_LONG_LINE_WORDS = 12


def _up_to_header(texts: list[str], start: int, boilerplate: set[str]) -> int:
    """Where the article starts when long lines without a full stop stand between its date or byline line and
    the body region (an opening sentence the site did not punctuate): right under that line, so that they are
    kept. Anything else between (a caption, a share row, a short line) leaves the start where it was."""
    index, top = start - 1, start
    while index >= 0 and start - index <= _UNPUNCTUATED_LINES * 2:
        text = normalise(texts[index])
        if not text:
            index -= 1
            continue
        if _meta_line(text):
            return top
        if (
            word_count(text) < _LONG_LINE_WORDS
            or ends_sentence(text)
            or metadata.is_header_noise(text)
            or chrome.is_title_case(text)  # a teaser's headline, not the article's opening
            or fold(text) in boilerplate
            or chrome.is_caption(text)
        ):
            return start
        top = index
        index -= 1
    return start


# At most this many unpunctuated lines stand between a date line and the body region.
_UNPUNCTUATED_LINES = 3


def _past_links_box(texts: list[str], start: int, end: int) -> int:
    """Where the article starts when the body region began inside a box of links to other stories.

    A box's teasers can read as prose, and its heading may stand a few lines above the region: the
    article's own headline and byline come after its last link.
    """
    links = story_links.link_lines(texts, max(0, start - _BOX_REACH), end)
    index = start
    while index < end and (index in links or not normalise(texts[index])):
        index += 1
    return index if start < index < end and index - 1 in links else start


# A links box's heading may stand this many lines above where the body region begins.
_BOX_REACH = 15


def _without_links(texts: list[str], start: int) -> list[str]:
    """The lines above the body, those of headed boxes of links to other stories ("See also") blanked:
    no headline in them titles the article, and no date in them dates it."""
    reach = max(0, start - _HEADER_REACH)
    links = story_links.headed_boxes(texts, reach, start, above_body=True)
    return [text if index not in links else "" for index, text in enumerate(texts[:start])]


# The header's window reaches at most this many lines above the body.
_HEADER_REACH = 80


def _below_byline(texts: list[str], start: int, end: int) -> tuple[int, int]:
    """The body region started below its byline or date when those stand among its first lines.

    A standfirst is prose and can pull the region's start above the byline; the article starts below.
    """
    seen = 0
    cut = start
    for index in range(start, end):
        text = normalise(texts[index])
        if not text:
            continue
        seen += 1
        if seen > _HEADER_IN_BODY:
            break
        if _meta_line(text):
            cut = index + 1
    while cut < end and not normalise(texts[cut]):
        cut += 1
    return (cut, end) if cut < end else (start, end)


def _meta_line(text: str) -> bool:
    """A short line that dates or bylines the article: a date, an age ("3 hours ago") or a byline."""
    return prose_words(text) <= dates.DATE_LINE_WORDS and bool(
        dates.line_date(text) or metadata.byline_author(text) or metadata.is_relative_date(text)
    )


def _chrome_line(line: Line, boilerplate: set[str], article: _Article, index: int) -> bool:
    """A line inside the body region that is no article text: chrome, a repeated label, a byline or date.

    Only a byline or date near the top of the body describes the article; further down one belongs
    to a quoted post, a caption or a comment.
    """
    text = normalise(line.text)
    if chrome.kind(text) is not None or fold(text) in boilerplate or metadata.is_dateline(text):
        return True
    if article.title and fold(normalise(clean.unbulleted(text))) == fold(article.title):
        return True  # the headline again: breadcrumb and heading both print it
    if prose_words(text) <= dates.DATE_LINE_WORDS and (metadata.byline_author(text) or dates.line_date(text)):
        if index < _BYLINE_LINES:
            article.author = article.author or metadata.byline_author(text)
        if index < _DATE_LINES:
            article.date = article.date or dates.page_date(text)
        return not ends_sentence(text) or word_count(text) <= 8
    return chrome.is_caption(text) or chrome.glued_teaser(text)


def _join_wrapped(lines: list[Line]) -> list[list[Line]]:
    """Group lines into paragraphs: a line that breaks mid-sentence continues on the next, lower-case line."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and not ends_sentence(groups[-1][-1].text) and line.text[:1].islower():
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _paragraph(source: str, article: _Article, group: list[Line]) -> Paragraph | None:
    text = chrome.strip_teaser(normalise(" ".join(line.text for line in group)))
    cleaned = clean.remove_fused(text, article.title)
    if cleaned != text and word_count(cleaned) <= 2:
        return None  # only a caption or link text was left around the fused title
    citation = Citation(
        source=source,
        line_start=group[0].number,
        line_end=group[-1].end_number,
        char_start=group[0].start,
        char_end=group[-1].end,
        title=article.title,
        date=article.date,
        author=article.author,
    )
    return Paragraph(cleaned, citation)


def page_paragraphs(page: Page, boilerplate: set[str]) -> list[Paragraph]:
    """One page's cleaned paragraphs, given the boilerplate found across all pages.

    Only a page that lists several articles is split into them. A text page's single article is its
    body region, titled from the lines above it; an HTML page's metadata is its own declaration and
    no line of the page replaces it, and so is what a reader found a PDF or Word file to show.
    """
    document, lines, title, date = page.document, page.lines, page.title, page.date
    declared = title is not None or date is not None or page.author is not None
    # Its date lines are read in the languages it is written in.
    with languages.reading("\n".join(line.text for line in lines)):
        if _listing(lines):
            articles = _articles(lines, boilerplate)
        elif declared or _is_html(document.source) or document.blocks is not None:
            articles = _articles(lines, boilerplate, promote=title is None)
        else:
            articles = _single_article(lines, boilerplate)
    result = []
    for article in articles:
        if title and (not article.title or not _listing(lines)):
            article.title = normalise(title)
        article.date = article.date or date
        article.author = article.author or page.author
        for group in article.paragraphs:
            paragraph = _paragraph(document.source, article, group)
            if paragraph is not None:
                result.append(paragraph)
    return result


@dataclass(frozen=True)
class CleanedPage:
    """One page after both passes: the short lines boilerplate counting saw on it, and its paragraphs."""

    document: Document
    short: list[str]
    paragraphs: list[Paragraph]
    again: bool  # read and cleaned in this pass (not taken from a memory)


class PageRecall(Protocol):
    """What a build remembers of pages cleaned before: it decides which pages are read and cleaned again."""

    def remembered_short(self, document: Document) -> list[str] | None:
        """The page's short lines as remembered; None when the page must be read."""

    def remembered_paragraphs(
        self, document: Document, short: list[str], boilerplate: set[str]
    ) -> list[Paragraph] | None:
        """The page's paragraphs as remembered, when cleaning it again would give them; else None."""

    def keep(self, pages: list[CleanedPage], boilerplate: set[str]) -> None:
        """What this cleaning found, to remember for the next."""


def no_article_reason(document: Document) -> str:
    """Why a document gave no passage: what it shows, and that no article text was found in it."""
    if _is_html(document.source) and document.blocks is None:
        # Imported here, as in qa.ingest.lines: only HTML pages need trafilatura.
        from trafilatura import html2txt

        shown = word_count(html2txt(document.text) or "")
        if not shown:
            return "no article: the page shows no text (a page its scripts fill, or a blocked request)"
        return (
            f"no article found: the page shows {shown} words, none of them an article's text "
            "(a login wall, an error page, menus or links only)"
        )
    lines = [text for text in document.text.splitlines() if text.strip()]
    if not lines:
        return "no article: the document holds no text"
    return (
        f"no article found: none of its {len(lines)} lines reads as an article's text "
        "(menus, links, labels or repeated lines only)"
    )


def paragraphs(
    documents: list[Document],
    *,
    boilerplate_max_words: int = _DEFAULTS.boilerplate_max_words,
    boilerplate_min_docs: int = _DEFAULTS.boilerplate_min_docs,
    map_pages: MapPages = serial,
    memory: PageRecall | None = None,
) -> list[Paragraph]:
    """Cleaned paragraphs of every document, in corpus order, boilerplate removed.

    Two passes over the pages, each page on its own: read them, count the lines they share (the one step
    that sees every page), then cut each into paragraphs. `map_pages` runs a pass, in order; a build passes one
    that spreads the pages over processes. A rebuild's `memory` spares what it still holds: a page it knows
    is not read for counting, and one whose shared lines did not change is not cleaned again.
    """
    read: dict[int, Page] = {}
    known = [memory.remembered_short(d) if memory else None for d in documents]
    _read(read, [i for i, short in enumerate(known) if short is None], documents, map_pages)
    short = [
        found
        if found is not None
        else clean.short_lines((line.text for line in read[i].lines), boilerplate_max_words)
        for i, found in enumerate(known)
    ]
    boilerplate = clean.repeated_short_lines(short, boilerplate_max_words, boilerplate_min_docs)
    kept = [
        memory.remembered_paragraphs(d, short[i], boilerplate) if memory else None
        for i, d in enumerate(documents)
    ]
    stale = [i for i, found in enumerate(kept) if found is None]
    _read(read, [i for i in stale if i not in read], documents, map_pages)
    clean_page = partial(page_paragraphs, boilerplate=boilerplate)
    fresh = dict(
        zip(stale, _each(map_pages, "cleaning pages", clean_page, [read[i] for i in stale]), strict=True)
    )
    found = [fresh[i] if old is None else old for i, old in enumerate(kept)]
    if memory is not None:
        pages = [CleanedPage(d, short[i], found[i], i in fresh) for i, d in enumerate(documents)]
        memory.keep(pages, boilerplate)
    return [paragraph for each in found for paragraph in each]


def _read(pages: dict[int, Page], wanted: list[int], documents: list[Document], map_pages: MapPages) -> None:
    pages.update(
        zip(wanted, _each(map_pages, "reading pages", page, [documents[i] for i in wanted]), strict=True)
    )


def _each(map_pages: MapPages, label: str, function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    # Nothing to do is no pass at all: a cluster would still schedule one.
    return map_pages(label, function, items) if items else []
