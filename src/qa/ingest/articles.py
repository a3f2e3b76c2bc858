"""A page's lines -> articles with their titles and dates -> cleaned paragraphs, each with its citation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from qa.ingest import clean
from qa.ingest.documents import Document
from qa.ingest.lines import Line, Page, page
from qa.text import ends_sentence, fold, normalise, word_count
from qa.types import Citation


@dataclass(frozen=True)
class Paragraph:
    """Cleaned text of one or more source lines, with the citation that locates it."""

    text: str
    citation: Citation

    @property
    def source(self) -> str:
        return self.citation.source


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


def _articles(lines: list[Line], boilerplate: set[str]) -> list[_Article]:
    """Split a page into articles at blog footers ("December 29, 2011 0 comments"), finding titles and dates.

    A title is the last short, single-line block before an article's first body paragraph; the
    single-line blocks before it are section labels and are dropped.
    """
    articles = [_Article()]
    for block in _blocks(lines):
        kept: list[Line] = []
        for line in block:
            article = articles[-1]
            if (date := clean.footer_date(line.text)) is not None:
                article.date = date
                articles.append(_Article())
            elif (date := clean.parse_date(line.text)) is not None and not (article.paragraphs or kept):
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
        if not article.paragraphs and len(kept) == 1 and (kept[0].heading or clean.is_heading(kept[0].text)):
            article.title = normalise(kept[0].text)
            continue
        article.paragraphs.extend(_join_wrapped(kept))
    return [a for a in articles if a.paragraphs]


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
    text = normalise(" ".join(line.text for line in group))
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
    """One page's cleaned paragraphs, given the boilerplate found across all pages."""
    document, lines, title, date = page.document, page.lines, page.title, page.date
    result = []
    for article in _articles(lines, boilerplate):
        if title and not article.title:
            article.title = normalise(title)
        article.date = article.date or date
        article.author = article.author or page.author
        for group in article.paragraphs:
            paragraph = _paragraph(document.source, article, group)
            if paragraph is not None:
                result.append(paragraph)
    return result


def paragraphs(
    documents: list[Document], *, boilerplate_max_words: int = 6, boilerplate_min_docs: int = 2
) -> list[Paragraph]:
    """Cleaned paragraphs of every document, in corpus order, boilerplate removed."""
    pages = [page(document) for document in documents]
    boilerplate = clean.repeated_short_lines(
        ([line.text for line in p.lines] for p in pages), boilerplate_max_words, boilerplate_min_docs
    )
    return [paragraph for p in pages for paragraph in page_paragraphs(p, boilerplate)]
