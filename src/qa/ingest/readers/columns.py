"""Reading order of a page's lines: top to bottom, side by side columns one after the other."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from qa.ingest.readers.lines import Line


def reading_order(lines: list[Line]) -> list[Line]:
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
        ordered += reading_order([ln for ln in above if (ln.x0 + ln.x1) / 2 < middle_x])
        ordered += reading_order([ln for ln in above if (ln.x0 + ln.x1) / 2 >= middle_x])
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
