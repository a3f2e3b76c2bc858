"""Corpus files -> documents -> cleaned articles -> paragraphs, each with its exact place in the source."""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa import clean
from qa.types import Citation

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


@dataclass(frozen=True)
class Document:
    """A corpus file's decoded text and its path relative to the corpus folder, with `/` separators."""

    source: str
    text: str


@dataclass(frozen=True)
class Line:
    """A unit of source text (a line, or an HTML block) and its exact span in the file."""

    number: int
    end_number: int
    start: int
    end: int
    text: str
    heading: bool = False


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
    paragraphs: list[list[Line]] = field(default_factory=list)


def read_corpus(corpus_dir: Path) -> list[Document]:
    """Every .txt, .md and .html file below `corpus_dir`; unreadable or empty files are skipped with a warning."""
    documents = []
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        source = path.relative_to(corpus_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(corpus_dir).parts):
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            log.warning("skipping %s: not valid UTF-8 (%s)", source, error.reason)
            continue
        except OSError as error:
            log.warning("skipping %s: %s", source, error.strerror)
            continue
        if not text.strip():
            log.warning("skipping %s: empty file", source)
            continue
        documents.append(Document(source, text.removeprefix("\ufeff")))
    return documents


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def text_lines(document: Document) -> list[Line]:
    """Non-blank lines of a plain-text or Markdown file; blank lines become empty Lines (block breaks)."""
    lines = []
    offset = 0
    markdown = document.source.lower().endswith((".md", ".markdown"))
    for number, raw in enumerate(document.text.splitlines(keepends=True), start=1):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        start = offset + (len(body) - len(body.lstrip()))
        end = start + len(stripped)
        heading = markdown and bool(_MD_HEADING.match(body))
        text = _MD_HEADING.sub("", body).strip() if heading else stripped
        lines.append(Line(number, number, start, end, text, heading))
        offset += len(raw)
    return lines


def html_lines(document: Document) -> tuple[list[Line], str | None, str | None]:
    """Main-content blocks of an HTML file as Lines, each its own block, plus the page's title and date."""
    from qa.html import extract_html

    page = extract_html(document.text)
    starts = _line_starts(document.text)
    lines: list[Line] = []
    for block in page.blocks:
        first = bisect.bisect_right(starts, block.start)
        last = bisect.bisect_right(starts, max(block.start, block.end - 1))
        lines.append(Line(first, last, block.start, block.end, block.text))
        lines.append(Line(last, last, block.end, block.end, ""))
    return lines, page.title, page.date


def repeated_short_lines(documents: Iterable[list[Line]], max_words: int, min_docs: int) -> set[str]:
    """Short lines that recur across documents (or three times in one): menus, site names, section labels."""
    in_docs: Counter[str] = Counter()
    in_one: Counter[str] = Counter()
    for lines in documents:
        keys = [clean.fold(clean.normalise(line.text)) for line in lines if line.text]
        short = [key for key in keys if 0 < clean.word_count(key) <= max_words]
        in_docs.update(set(short))
        for key, count in Counter(short).items():
            in_one[key] = max(in_one[key], count)
    return {key for key in in_docs if in_docs[key] >= min_docs or in_one[key] >= 3}


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
            elif not (
                clean.is_boilerplate(line.text) or clean.fold(clean.normalise(line.text)) in boilerplate
            ):
                kept.append(line)
        if not kept:
            continue
        article = articles[-1]
        if not article.paragraphs and len(kept) == 1 and (kept[0].heading or clean.is_heading(kept[0].text)):
            article.title = clean.normalise(kept[0].text)
            continue
        article.paragraphs.extend(_join_wrapped(kept))
    return [a for a in articles if a.paragraphs]


def _join_wrapped(lines: list[Line]) -> list[list[Line]]:
    """Group lines into paragraphs: a line that breaks mid-sentence continues on the next, lower-case line."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and not clean.ends_sentence(groups[-1][-1].text) and line.text[:1].islower():
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _paragraph(source: str, article: _Article, group: list[Line]) -> Paragraph | None:
    text = clean.normalise(" ".join(line.text for line in group))
    cleaned = clean.remove_fused(text, article.title)
    if cleaned != text and clean.word_count(cleaned) <= 2:
        return None  # only a caption or link text was left around the fused title
    citation = Citation(
        source=source,
        line_start=group[0].number,
        line_end=group[-1].end_number,
        char_start=group[0].start,
        char_end=group[-1].end,
        title=article.title,
        date=article.date,
    )
    return Paragraph(cleaned, citation)


Page = tuple[Document, list[Line], str | None, str | None]


def page(document: Document) -> Page:
    """A document's lines, and its title and date when the format carries them (HTML)."""
    if document.source.lower().endswith((".html", ".htm")):
        lines, title, date = html_lines(document)
        return document, lines, title, date
    return document, text_lines(document), None, None


def page_paragraphs(page: Page, boilerplate: set[str]) -> list[Paragraph]:
    """One page's cleaned paragraphs, given the boilerplate found across all pages."""
    document, lines, title, date = page
    result = []
    for article in _articles(lines, boilerplate):
        if title and not article.title:
            article.title = clean.normalise(title)
        article.date = article.date or date
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
    boilerplate = repeated_short_lines((p[1] for p in pages), boilerplate_max_words, boilerplate_min_docs)
    return [paragraph for p in pages for paragraph in page_paragraphs(p, boilerplate)]


def citation_matches(text: str, raw: str) -> bool:
    """Whether the words of `text` occur in order in `raw`: the promise every citation keeps."""
    haystack = clean.fold(clean.normalise(raw))
    position = 0
    for word in clean.words(text):
        found = haystack.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


def narrow(citation: Citation, document: str, text: str, after: int = 0) -> Citation:
    """The citation cut down to where `text` (a piece of the cited passage) starts and ends in the file.

    `after` is a file offset the piece starts at or after (the end of the previous piece). Falls
    back to the whole citation when the words cannot be followed through the raw text (for
    instance where Unicode normalisation changed a character).
    """
    raw = clean.fold(document[citation.char_start : citation.char_end])
    position, first, last = max(0, after - citation.char_start), None, None
    for word in clean.words(text):
        found = raw.find(word, position)
        if found < 0:
            return citation
        first = found if first is None else first
        position = last = found + len(word)
    if first is None or last is None:
        return citation
    # Take in the punctuation and quotes that cling to the first and last words.
    while first > 0 and not raw[first - 1].isspace():
        first -= 1
    while last < len(raw) and not raw[last].isspace():
        last += 1
    start, end = citation.char_start + first, citation.char_start + last
    return replace(
        citation,
        char_start=start,
        char_end=end,
        line_start=document.count("\n", 0, start) + 1,
        line_end=document.count("\n", 0, end) + 1,
    )


def span(first: Citation, last: Citation) -> Citation:
    """One citation covering `first` through `last` of the same source."""
    return replace(first, line_end=last.line_end, char_end=last.char_end)
