"""PDF reader: text in reading order as paragraphs, headings, page starts and the metadata page 1 shows."""

from __future__ import annotations

import ctypes
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from qa.ingest.metadata import byline_author, line_date
from qa.ingest.readers import Block, Extracted, Limits, Unreadable, ocr
from qa.text import ends_sentence

# A page with fewer visible characters than this has no text layer worth reading: it is scanned.
_MIN_PAGE_CHARS = 8
# Running headers and footers live in this share of the page height at its top and bottom.
_BAND = 0.08
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# Characters a line never keeps: soft hyphens (a break opportunity, not text), controls, PDFium's markers.
_DROP = re.compile(r"[\u00ad\u0000-\u0008\u000b-\u001f\u200b\ufeff\uffff]")
_SPACES = re.compile(r"\s+")
# A bare page number in a header or footer: "3", "Page 3", "3/12", "3 of 12", "- 3 -".
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*\d{1,5}\s*(?:(?:/|of)\s*\d{1,5})?\s*[-–—)\]]?$", re.IGNORECASE
)
# A browser's print stamp or a file address opening a header/footer line ("12/4/26, 2:18 PM", "file:///...").
_PRINT_STAMP = re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d\d(?:\s*[AP]M)?|(?:https?|file)://\S+)")
_HYPHENS = "-\u2010\u2011"
_LINE_END_HYPHEN = "\ufffe"  # PDFium's mark for a "-" it found at a line's end (and joined the next line to)
_DASHES = "–—"
_REFERENCE_MARK = re.compile(r"(?:\[[^\]]{1,40}\])+$")
_WORD_END = re.compile(r"([^\W\d_]+)$")
_WORD_START = re.compile(r"^([^\W_]+)")
_FONT_NAME = ctypes.create_string_buffer(256)
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FORCE_BOLD = 1 << 18


@dataclass
class Line:
    """One visual line of text: its words, box (PDF points, y up), baseline and font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool
    page: int
    ocr: bool = False

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Paragraph:
    lines: list[Line]
    heading: bool = False
    meta: bool = False  # a headline, byline or date line taken as metadata: shown, not indexed


@dataclass
class _Pages:
    """Lines of every page as read, with what the reading noted on the way."""

    lines: list[list[Line]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # scanned pages left unread (no OCR)
    failed: list[int] = field(default_factory=list)  # scanned pages OCR could not read


def read_pdf(path: Path, limits: Limits, progress: Callable[[int], None] | None = None) -> Extracted:
    """The PDF's text, blocks, page starts and metadata; Unreadable with the reason for a file it cannot read."""
    pdf = _open(path)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise Unreadable(f"too many pages ({count} > {limits.max_pages})")
        if count == 0:
            raise Unreadable("damaged: no pages")
        pages = _read_pages(pdf, count, limits, progress)
        metadata = _metadata(pdf)
    except pdfium.PdfiumError as error:
        raise Unreadable(f"damaged: {error}") from error
    finally:
        pdf.close()
    return _assemble(pages, metadata)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise Unreadable("encrypted (password protected)") from error
        raise Unreadable(f"damaged: {error}") from error
    except (OSError, ValueError) as error:
        raise Unreadable(f"damaged: {error}") from error


def _read_pages(
    pdf: pdfium.PdfDocument, count: int, limits: Limits, progress: Callable[[int], None] | None
) -> _Pages:
    pages = _Pages()
    can_ocr = limits.ocr and ocr.available()
    for index in range(count):
        page = pdf[index]
        try:
            pages.heights.append(page.get_height())
            lines = _text_lines(page, index)
            if not lines and _has_images(page):
                if can_ocr:
                    lines = _ocr_lines(page, index, limits, pages)
                else:
                    pages.unread.append(index)
            pages.lines.append(lines)
        finally:
            page.close()
        if progress is not None:
            progress(index + 1)
    return pages


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))


def _ocr_lines(page: pdfium.PdfPage, index: int, limits: Limits, pages: _Pages) -> list[Line]:
    try:
        found = ocr.ocr_page(page, limits.ocr_language)
    except ocr.OcrError:
        pages.failed.append(index)
        return []
    lines = []
    for item in found:
        text = _clean(item.text)
        if text:
            # A line box spans ascenders to descenders: about three quarters of the font size.
            size = round((item.top - item.bottom) * 1.33, 1)
            lines.append(
                Line(text, item.x0, item.x1, item.top, item.bottom, item.bottom, size, False, index, True)
            )
    return _even_sizes(lines)


def _even_sizes(lines: list[Line]) -> list[Line]:
    """OCR line heights vary with ascenders and descenders: lines near the page's usual size take that size."""
    if not lines:
        return lines
    usual = statistics.median(line.size for line in lines)
    for line in lines:
        if abs(line.size - usual) <= 0.25 * usual:
            line.size = usual
    return lines


def _clean(text: str) -> str:
    text = _DROP.sub("", text.translate(_LIGATURES))
    return _SPACES.sub(" ", text).strip()


# --- text layer -----------------------------------------------------------------------------------------


def _text_lines(page: pdfium.PdfPage, index: int) -> list[Line]:
    """The page's visual lines, from PDFium's line breaks split further where a run jumps to another line."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text) - text.count(" ") - text.count("\r") - text.count("\n") < _MIN_PAGE_CHARS:
            return []
        lines: list[Line] = []
        for match in re.finditer("[^\r\n\ufffe]+\ufffe?", text):
            lines.extend(_segment_lines(textpage, match.start(), match.group(), index))
        return lines
    finally:
        textpage.close()


def _segment_lines(textpage: pdfium.PdfTextPage, start: int, segment: str, index: int) -> list[Line]:
    """One PDFium line, boxed by its first and last characters; split per character when it spans lines."""
    body = segment.strip()
    if not body:
        return []
    raw = textpage.raw
    begin = start + segment.index(body[0])
    first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, begin)
    last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, begin + len(body) - 1)
    if first < 0 or last < first:
        return []
    head, tail = _char_box(raw, first), _char_box(raw, last)
    size = pdfium_c.FPDFText_GetFontSize(raw, first) or 10.0
    if abs(head[4] - tail[4]) > 0.5 * size:
        return _split_by_chars(textpage, first, last, index)
    return [_line(raw, body, first, head, tail, index)]


def _char_box(raw: pdfium_c.FPDF_TEXTPAGE, char: int) -> tuple[float, float, float, float, float]:
    """A character's box from its font's ascent to descent (left, right, bottom, top) and its baseline."""
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(raw, char, rect)
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(raw, char, x, y)
    return rect.left, rect.right, rect.bottom, rect.top, y.value


def _line(raw: pdfium_c.FPDF_TEXTPAGE, text: str, first: int, head: tuple, tail: tuple, index: int) -> Line:
    size = round(pdfium_c.FPDFText_GetFontSize(raw, first), 1)
    line_text = _clean(text.replace(_LINE_END_HYPHEN, "-"))
    top, bottom = max(head[3], tail[3]), min(head[2], tail[2])
    return Line(
        line_text, head[0], max(head[1], tail[1]), top, bottom, head[4], size, _bold(raw, first), index
    )


def _bold(raw: pdfium_c.FPDF_TEXTPAGE, char: int) -> bool:
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(raw, char, _FONT_NAME, len(_FONT_NAME), flags)
    name = _FONT_NAME.value.decode("latin-1").lower() if length else ""
    weight = pdfium_c.FPDFText_GetFontWeight(raw, char)
    return any(mark in name for mark in _BOLD_NAMES) or bool(flags.value & _FORCE_BOLD) or weight >= 600


def _split_by_chars(textpage: pdfium.PdfTextPage, first: int, last: int, index: int) -> list[Line]:
    """A PDFium line that holds several visual lines (it joins hyphenated ones): split where the baseline moves."""
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    pieces: list[tuple[int, int]] = []
    begin, baseline = first, None
    for char in range(first, last + 1):
        if pdfium_c.FPDFText_IsGenerated(raw, char) == 1:
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, char, x, y)
        size = pdfium_c.FPDFText_GetFontSize(raw, char) or 10.0
        if baseline is not None and abs(y.value - baseline) > 0.5 * size:
            pieces.append((begin, char))
            begin = char
        baseline = y.value
    pieces.append((begin, last + 1))
    lines = []
    for begin, end in pieces:
        text = textpage.get_text_range(begin, end - begin)
        body = text.strip()
        if body:
            first = begin + text.index(body[0])
            last = first + len(body) - 1
            lines.append(_line(raw, body, first, _char_box(raw, first), _char_box(raw, last), index))
    return lines


# --- running headers and footers ---------------------------------------------------------------------


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _in_band(line: Line, height: float) -> bool:
    return line.bottom > height * (1 - _BAND) or line.top < height * _BAND


def _drop_running(pages: _Pages) -> None:
    """Remove header and footer lines: the same line (digits aside) at the same height in the top or bottom
    band of most pages, and page counters and print stamps there."""
    seen: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, (lines, height) in enumerate(zip(pages.lines, pages.heights, strict=True)):
        for line in lines:
            if _in_band(line, height):
                seen[_mask(line.text)].append((index, line.baseline))
    text_pages = sum(1 for lines in pages.lines if lines)
    repeated = max(2, math.ceil(text_pages / 2))
    running = {text for text, places in seen.items() if _repeats(places) >= repeated}
    for i, (lines, height) in enumerate(zip(pages.lines, pages.heights, strict=True)):
        pages.lines[i] = [line for line in lines if not (_in_band(line, height) and _running(line, running))]


def _repeats(places: list[tuple[int, float]]) -> int:
    """On how many pages a line stands at one height (within a few points): where a running line stays."""
    return max(len({page for page, y in places if abs(y - at) <= 3}) for _, at in places)


def _running(line: Line, running: set[str]) -> bool:
    return _mask(line.text) in running or bool(_PAGE_NUMBER.match(line.text) or _PRINT_STAMP.match(line.text))


# --- reading order ------------------------------------------------------------------------------------


def _reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; side by side columns one after the other, a line spanning them between."""
    if len(lines) < 6:
        return sorted(lines, key=lambda line: (-round(line.baseline), line.x0))
    gutter = _gutter(lines)
    if gutter is None:
        return sorted(lines, key=lambda line: (-round(line.baseline), line.x0))
    left_edge, right_edge = gutter
    middle_x = (left_edge + right_edge) / 2
    spanning = sorted((ln for ln in lines if _spans(ln, gutter)), key=lambda ln: -ln.top)
    rest = [ln for ln in lines if not _spans(ln, gutter)]
    ordered: list[Line] = []
    for span in [*spanning, None]:
        middle = (span.top + span.bottom) / 2 if span is not None else -math.inf
        above = [ln for ln in rest if (ln.top + ln.bottom) / 2 > middle]
        rest = [ln for ln in rest if (ln.top + ln.bottom) / 2 <= middle]
        ordered += _reading_order([ln for ln in above if (ln.x0 + ln.x1) / 2 < middle_x])
        ordered += _reading_order([ln for ln in above if (ln.x0 + ln.x1) / 2 >= middle_x])
        if span is not None:
            ordered.append(span)
    return ordered


def _gutter(lines: list[Line]) -> tuple[float, float] | None:
    """The widest x range few lines cross, with columns of lines beside each other on both sides."""
    low = min(ln.x0 for ln in lines)
    high = max(ln.x1 for ln in lines)
    bins = int(high - low) + 2
    if bins < 8:
        return None
    coverage = np.zeros(bins + 1, dtype=np.int32)
    for ln in lines:
        coverage[int(ln.x0 - low) + 1] += 1
        coverage[int(ln.x1 - low) + 1] -= 1
    coverage = np.cumsum(coverage)[:bins]
    allowed = max(1, len(lines) // 10)
    candidates: list[tuple[int, int, float, float]] = []
    for begin, end in _runs(coverage <= allowed):
        if end - begin < 6 or begin == 0 or end >= bins - 1:
            continue
        left_edge, right_edge = low + begin, low + end - 1
        middle_x = (left_edge + right_edge) / 2
        crossing = sum(1 for ln in lines if _spans(ln, (left_edge, right_edge)))
        left = [
            ln for ln in lines if (ln.x0 + ln.x1) / 2 < middle_x and not _spans(ln, (left_edge, right_edge))
        ]
        right = [
            ln for ln in lines if (ln.x0 + ln.x1) / 2 >= middle_x and not _spans(ln, (left_edge, right_edge))
        ]
        if min(len(left), len(right)) < max(3, 2 * crossing) or not _side_by_side(left, right):
            continue
        candidates.append((crossing, begin - end, left_edge, right_edge))
    return min(candidates)[2:] if candidates else None


def _spans(line: Line, gutter: tuple[float, float]) -> bool:
    return line.x0 < gutter[0] and line.x1 > gutter[1]


def _runs(mask: np.ndarray) -> Iterable[tuple[int, int]]:
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True)


def _side_by_side(left: list[Line], right: list[Line]) -> bool:
    """The two groups share most of their height: columns, not blocks stacked at different x."""
    top = min(max(ln.top for ln in left), max(ln.top for ln in right))
    bottom = max(min(ln.bottom for ln in left), min(ln.bottom for ln in right))
    shorter = min(
        max(ln.top for ln in left) - min(ln.bottom for ln in left),
        max(ln.top for ln in right) - min(ln.bottom for ln in right),
    )
    return shorter > 0 and (top - bottom) > 0.3 * shorter


# --- paragraphs -----------------------------------------------------------------------------------------


@dataclass
class _Style:
    """What the document's body text looks like: its font size, line pitch and line width per size."""

    body_size: float
    body_bold: bool
    pitch: dict[tuple[bool, float], float]
    width: dict[tuple[bool, float], float]

    def key(self, line: Line) -> tuple[bool, float]:
        return line.ocr, round(line.size * 2) / 2

    def line_pitch(self, line: Line) -> float:
        return self.pitch.get(self.key(line), 1.25 * line.size)

    def line_width(self, line: Line) -> float:
        return self.width.get(self.key(line), line.width)


def _style(ordered: list[list[Line]]) -> _Style:
    weights: Counter[float] = Counter()
    bold: Counter[bool] = Counter()
    gaps: defaultdict[tuple[bool, float], list[float]] = defaultdict(list)
    widths: defaultdict[tuple[bool, float], list[float]] = defaultdict(list)
    probe = _Style(0, False, {}, {})
    for lines in ordered:
        for prev, line in zip([None, *lines], lines, strict=False):
            weights[line.size] += len(line.text)
            bold[line.bold] += len(line.text)
            widths[probe.key(line)].append(line.width)
            if prev is not None and probe.key(prev) == probe.key(line):
                gap = prev.baseline - line.baseline
                if 0.8 * line.size < gap < 3 * line.size and _overlap(prev, line):
                    gaps[probe.key(line)].append(gap)
    body_size = weights.most_common(1)[0][0] if weights else 10.0
    pitch = {key: statistics.median(values) for key, values in gaps.items() if len(values) >= 3}
    width = {key: _upper_quartile(values) for key, values in widths.items()}
    return _Style(body_size, bold.most_common(1)[0][0] if bold else False, pitch, width)


def _upper_quartile(values: list[float]) -> float:
    values = sorted(values)
    return values[(3 * len(values)) // 4]


def _overlap(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) <= 0.08 * max(a.size, b.size) and a.bold == b.bold


def _breaks(prev: Line, line: Line, paragraph: list[Line], style: _Style) -> bool:
    """Whether `line` starts a new paragraph after `prev` (both on one page, `line` below)."""
    if not _same_style(prev, line) or not _overlap(prev, line):
        return True
    gap = prev.baseline - line.baseline
    if gap > 1.35 * style.line_pitch(line) or gap < -0.5 * line.size:
        return True
    column = _in_column(paragraph)
    left = min(ln.x0 for ln in column)
    right = max(ln.x1 for ln in column) if len(column) > 1 else left + style.line_width(prev)
    indented = line.x0 > left + 0.8 * line.size and prev.x0 < left + 0.3 * line.size
    if indented and len(column) > 1 and abs(column[0].x0 - column[1].x0) < 0.3 * line.size:
        return True
    short = right - prev.x1 > 0.2 * (right - left)
    return short and _ends_sentence(prev.text) and line.x0 < left + 0.3 * line.size and not line.ocr


def _continues(prev: Line, line: Line, paragraph: list[Line], style: _Style) -> bool:
    """A paragraph runs on across a column or page break: it stopped mid-sentence, or at a full line."""
    if not _same_style(prev, line) or _heading_line(line, style) or _heading_line(prev, style):
        return False
    column = _in_column(paragraph)
    right = max(ln.x1 for ln in column) if len(column) > 1 else prev.x0 + style.line_width(prev)
    if prev.x1 >= right - 0.3 * prev.size:
        return True
    return not _ends_sentence(prev.text) and prev.width >= 0.6 * style.line_width(prev)


def _in_column(paragraph: list[Line]) -> list[Line]:
    """The paragraph's last lines that stand in one column of one page (it may have begun in another)."""
    start = len(paragraph) - 1
    while start > 0:
        above, below = paragraph[start - 1], paragraph[start]
        if above.page != below.page or above.baseline < below.baseline or not _overlap(above, below):
            break
        start -= 1
    return paragraph[start:]


def _ends_sentence(text: str) -> bool:
    """Ends a sentence, a reference mark after it aside ("... Galilee.[citation needed]", "... 1066.[12]")."""
    return ends_sentence(_REFERENCE_MARK.sub("", text)) or text.endswith("]")


def _heading_line(line: Line, style: _Style) -> bool:
    bigger = line.size >= 1.15 * style.body_size
    return (bigger or (line.bold and not style.body_bold)) and len(line.text.split()) <= 20


def _paragraphs(ordered: list[list[Line]], style: _Style) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    for lines in ordered:
        for line in lines:
            if current:
                prev = current[-1]
                flows = prev.page != line.page or line.baseline > prev.baseline + 0.5 * line.size
                if (
                    _continues(prev, line, current, style)
                    if flows
                    else not _breaks(prev, line, current, style)
                ):
                    current.append(line)
                    continue
                paragraphs.append(_paragraph(current, style))
            current = [line]
    if current:
        paragraphs.append(_paragraph(current, style))
    return paragraphs


def _paragraph(lines: list[Line], style: _Style) -> Paragraph:
    heading = (
        len(lines) <= 3 and all(_heading_line(ln, style) for ln in lines) and not lines[-1].text.endswith(".")
    )
    return Paragraph(lines, heading)


# --- words across line ends ---------------------------------------------------------------------------


@dataclass
class _Vocabulary:
    """The document's own words: whether a word cut at a line end is one word or a compound."""

    words: set[str]
    compounds: set[str]
    auto_hyphen: bool  # the document marks hyphenation with U+2010: its plain "-" at a line end is real

    @classmethod
    def of(cls, paragraphs: list[Paragraph]) -> _Vocabulary:
        text = " ".join(line.text for p in paragraphs for line in p.lines)
        words = set(re.findall(r"[^\W\d_]+", text.lower()))
        compounds = set(re.findall(r"[^\W\d_]+-[^\W\d_]+", text.lower()))
        auto = any(p.lines[i].text.endswith("\u2010") for p in paragraphs for i in range(len(p.lines) - 1))
        return cls(words, compounds, auto)

    def joins(self, before: str, after: str) -> str:
        """How a line ending in `before` meets the next line starting with `after`: "", "-" kept or " "."""
        mark = before[-1:]
        if mark in _DASHES:
            return "" if len(before) > 1 and not before[-2].isspace() else " "
        if after[:1] in _DASHES:
            # A line broken before an unspaced dash ("Adriatic" / "—fell"): the dash was glued to both words.
            return "" if len(after) > 1 and not after[1].isspace() else " "
        if mark not in _HYPHENS or not after or not after[0].isalpha():
            return " "
        head, tail = _WORD_END.search(before[:-1]), _WORD_START.search(after)
        if head is None or tail is None or after[0].isupper() or tail.group(1)[0].isdigit():
            return "-"
        joined, hyphenated = (
            (head.group(1) + tail.group(1)).lower(),
            f"{head.group(1)}-{tail.group(1)}".lower(),
        )
        if hyphenated in self.compounds and joined not in self.words:
            return "-"
        if joined in self.words:
            return ""
        if mark == "-" and (self.auto_hyphen or any(h in before.rsplit(" ", 1)[-1][:-1] for h in _HYPHENS)):
            return "-"  # real hyphens where hyphenation has its own mark, or a chain ("Saint-Clair-sur-Epte")
        return ""


# --- text, blocks, pages, metadata ------------------------------------------------------------------------


def _assemble(pages: _Pages, metadata: dict[str, str]) -> Extracted:
    _drop_running(pages)
    ordered = [_reading_order(lines) for lines in pages.lines]
    if not any(ordered):
        if pages.unread:
            raise Unreadable(
                "scanned pages and no OCR: install tesseract-ocr (apt-get install tesseract-ocr)"
            )
        raise Unreadable("no text (no text layer and OCR found none)")
    style = _style(ordered)
    paragraphs = _paragraphs(ordered, style)
    title, date, author = _header(paragraphs, style)
    text, blocks, starts = _render(paragraphs, _Vocabulary.of(paragraphs), len(pages.lines))
    return Extracted(
        text=text,
        blocks=tuple(blocks),
        pages=tuple(starts),
        title=title or metadata.get("title"),
        date=date or metadata.get("date"),
        author=author or metadata.get("author"),
        notes=_notes(pages),
    )


def _notes(pages: _Pages) -> tuple[str, ...]:
    notes = []
    if pages.unread:
        notes.append(
            f"pages {_numbers(pages.unread)} are scanned and were not read: no OCR (install tesseract-ocr)"
        )
    if pages.failed:
        notes.append(f"pages {_numbers(pages.failed)} are scanned and OCR could not read them")
    return tuple(notes)


def _numbers(indices: list[int]) -> str:
    return ", ".join(str(i + 1) for i in indices)


def _render(
    paragraphs: list[Paragraph], vocabulary: _Vocabulary, count: int
) -> tuple[str, list[Block], list[int]]:
    """The text (a line per paragraph), a block per indexed paragraph and the offset where each page starts."""
    parts: list[str] = []
    blocks: list[Block] = []
    starts: list[int | None] = [None] * count
    offset = 0
    for paragraph in paragraphs:
        if parts:
            parts.append("\n\n")
            offset += 2
        begin = offset
        for i, line in enumerate(paragraph.lines):
            if i:
                glue = vocabulary.joins(paragraph.lines[i - 1].text, line.text)
                if glue == "" and paragraph.lines[i - 1].text[-1:] in _HYPHENS:
                    parts[-1] = parts[-1][:-1]
                    offset -= 1
                if glue == " ":
                    parts.append(" ")
                    offset += 1
            if starts[line.page] is None:
                starts[line.page] = offset
            parts.append(line.text)
            offset += len(line.text)
        if not paragraph.meta:
            blocks.append(Block(begin, offset, paragraph.heading))
    text = "".join(parts)
    return text, blocks, _fill(starts, len(text))


def _fill(starts: list[int | None], end: int) -> list[int]:
    """Pages without text start where the next page with text starts; the first page starts at 0."""
    filled: list[int] = []
    following = end
    for start in reversed(starts):
        following = start if start is not None else following
        filled.append(following)
    filled.reverse()
    if filled:
        filled[0] = 0
    return filled


# Page 1's headline, byline and date lie among its first paragraphs.
_HEADER_REACH = 12


def _header(paragraphs: list[Paragraph], style: _Style) -> tuple[str | None, str | None, str | None]:
    """Title, date and author as page 1 shows them first; their paragraphs become metadata (no block)."""
    first = [p for p in paragraphs[:_HEADER_REACH] if p.lines[0].page == 0 and len(p.lines) <= 3]
    headings = [p for p in first if p.heading]
    title = None
    if headings:
        top = max(headings, key=lambda p: (p.lines[0].size, p.lines[0].top))
        if top.lines[0].size > style.body_size:
            top.meta = True
            title = " ".join(line.text for line in top.lines)
    author = date = None
    for paragraph in first:
        text = " ".join(line.text for line in paragraph.lines)
        if len(text.split()) > 16:
            continue
        found_author = byline_author(text) if author is None else None
        found_date = line_date(text) if date is None else None
        if found_author or found_date:
            paragraph.meta = True
            author = author or found_author
            date = date or found_date
    return title, date, author


def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    """Title, author and (unless a browser printed the file: then it is the print's day) creation date."""
    info = pdf.get_metadata_dict(skip_empty=True)
    found = {}
    if info.get("Title", "").strip():
        found["title"] = info["Title"].strip()
    if info.get("Author", "").strip():
        found["author"] = info["Author"].strip()
    printed = any(
        mark in info.get("Creator", "") + info.get("Producer", "") for mark in ("Mozilla", "Skia", "Chrome")
    )
    created = re.match(r"D:(\d{4})(\d\d)(\d\d)", info.get("CreationDate", ""))
    if created and not printed:
        found["date"] = "-".join(created.groups())
    return found
