"""Paragraphs from lines in reading order: the body's style, where paragraphs break or run on, which are headings."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from qa.ingest.readers.lines import Line
from qa.text import ends_sentence

_REFERENCE_MARK = re.compile(r"(?:\[[^\]]{1,40}\])+$")


@dataclass
class Paragraph:
    """Lines that make one paragraph or heading, in reading order."""

    lines: list[Line]
    heading: bool = False
    meta: bool = False  # a headline, byline or date line taken as metadata: shown, not indexed


@dataclass
class Style:
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


def style_of(ordered: list[list[Line]]) -> Style:
    """The body's size and weight (those of most text), and each size's usual line pitch and line width."""
    weights: Counter[float] = Counter()
    bold: Counter[bool] = Counter()
    gaps: defaultdict[tuple[bool, float], list[float]] = defaultdict(list)
    widths: defaultdict[tuple[bool, float], list[float]] = defaultdict(list)
    probe = Style(0, False, {}, {})
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
    pitch = {key: _line_pitch(values) for key, values in gaps.items() if len(values) >= 3}
    width = {key: _upper_quartile(values) for key, values in widths.items()}
    return Style(body_size, bold.most_common(1)[0][0] if bold else False, pitch, width)


def _line_pitch(gaps: list[float]) -> float:
    """The distance between lines inside a paragraph: the tightest gap that recurs. Not the median: in a document
    of one-line paragraphs most gaps are the wider ones between paragraphs."""
    gaps = sorted(gaps)
    enough = max(2, len(gaps) // 10)
    for low in gaps:
        cluster = [g for g in gaps if low <= g <= 1.15 * low]
        if len(cluster) >= enough:
            return statistics.median(cluster)
    return statistics.median(gaps)


def _upper_quartile(values: list[float]) -> float:
    values = sorted(values)
    return values[(3 * len(values)) // 4]


def _overlap(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) <= 0.08 * max(a.size, b.size) and a.bold == b.bold


def _breaks(prev: Line, line: Line, paragraph: list[Line], style: Style) -> bool:
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


def _continues(prev: Line, line: Line, paragraph: list[Line], style: Style) -> bool:
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


def _heading_line(line: Line, style: Style) -> bool:
    bigger = line.size >= 1.15 * style.body_size
    return (bigger or (line.bold and not style.body_bold)) and len(line.text.split()) <= 20


def paragraphs_of(ordered: list[list[Line]], style: Style) -> list[Paragraph]:
    """The pages' lines (each page's in reading order) as paragraphs, which may run across columns and pages."""
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


def _paragraph(lines: list[Line], style: Style) -> Paragraph:
    heading = (
        len(lines) <= 3 and all(_heading_line(ln, style) for ln in lines) and not lines[-1].text.endswith(".")
    )
    return Paragraph(lines, heading)
