"""Tables a text page prints one cell a line: rows of cells of one shape, found by their period."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.text import normalise, word_count

# A cell that is a figure: a count, a share, a price, a time, a score, a rank ("63", "85%", "$4.99", "1:23.4",
# "3-1", "12th").
_FIGURE = re.compile(r"^[(\[]?[-+−]?[$€£¥]?\d[\d,.:/'’-]*\s?(?:%|[a-zA-Z]{1,3}\.?)?[)\]]?$")
# A cell that is a date or a time of day: "2020-09-15", "15.09.2020", "14:33".
_WHEN = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}:\d\d(?::\d\d)?)$"
)
# Longer lines are text, not a cell.
_CELL_WORDS = 25
# A bullet on a line of its own marks the item under it; it is no cell.
_BULLETS = frozenset("-•·▪◦‣*+–—")
# A header cell is a column's name: a word or a few.
_HEADER_WORDS = 4
# Columns a row may have: fewer than three is a list of pairs, which menus with counts also make.
_MIN_COLUMNS, _MAX_COLUMNS = 3, 10
# Columns of figures a table has at least: lists of links to stories number them, or count their shares,
# in one column.
_FIGURE_COLUMNS = 2
# Fewer rows than this share a shape by chance.
_MIN_ROWS = 3


def _kind(text: str) -> str | None:
    """A cell's shape: "when" (a date or a time), "figure" or "words"; None for a line no cell reads as."""
    if not text or word_count(text) > _CELL_WORDS:
        return None
    if _WHEN.match(text):
        return "when"
    return "figure" if _FIGURE.match(text) else "words"


def table_rows(lines: Sequence[str]) -> list[list[int]]:
    """Rows (lists of line indexes) of the tables among these lines that print one cell a line.

    A table is a run of at least three rows of k cells (k from 3 to 10) whose shapes (a date or time, another
    figure, words) repeat column by column, with two columns of figures, one of them no date or time, and one
    of words: menus are words alone, lists of links to stories number them or count their readers in one
    column of figures at most, and a news ticker's only figures are its stories' dates and times. A row of short
    names over the first row is its header. Blank lines and lone bullets are skipped: a browser's text dump
    puts them between cells and items.
    """
    units = [
        (index, _kind(text))
        for index, line in enumerate(lines)
        if (text := normalise(line)) and text not in _BULLETS
    ]
    rows: list[list[int]] = []
    # Every row holds a figure: a table can only start a row's width or less before one (a quick test that
    # spares the search on pages of text and menus).
    figures = [position for position, (_, kind) in enumerate(units) if kind == "figure"]
    if len(figures) < _MIN_ROWS:
        return rows
    starts = {start for at in figures for start in range(max(0, at - _MAX_COLUMNS + 1), at + 1)}
    position = 0
    while position < len(units):
        found = _aligned(lines, units, position) if position in starts else None
        if found is None:
            position += 1
            continue
        start, columns, count, header = found
        first = start - columns * header
        while header and _copy_above(lines, units, first, columns):
            first -= columns  # a header printed twice, as a sticky header is
        rows.extend(
            [units[first + row * columns + column][0] for column in range(columns)]
            for row in range((start - first) // columns + count)
        )
        position = start + count * columns
    return rows


def _aligned(
    lines: Sequence[str], units: list[tuple[int, str | None]], position: int
) -> tuple[int, int, int, int] | None:
    """The table found from this unit on, its rows aligned: (start, columns, rows, header rows: 0 or 1).

    A run of rows can start at any of a row's cells (a header's last name reads like a row's first). Of
    the starts within one row, the one whose columns are most alike cell by cell wins: a header's name
    misread as a cell differs from the cells under it.
    """
    found = _table_at(units, position)
    if found is None:
        return None
    columns = found[1]
    candidates = [
        shifted
        for start in range(position, position + columns)
        if (shifted := _table_at(units, start)) is not None and shifted[1] == columns
    ]
    start, _, count = max(candidates, key=lambda table: _alike(lines, units, *table))
    return start, columns, count, int(_header(lines, units, start, columns))


def _alike(
    lines: Sequence[str], units: list[tuple[int, str | None]], start: int, columns: int, count: int
) -> int:
    """How alike a table's cells are column by column: for each trait of their look, the cells that share
    their column's commonest value."""
    total = 0
    for column in range(columns):
        looks = [_look(normalise(lines[units[start + row * columns + column][0]])) for row in range(count)]
        for trait in zip(*looks, strict=True):
            total += max(trait.count(value) for value in trait)
    return total


def _look(text: str) -> tuple[bool, bool, int]:
    """A cell's look beyond its shape: whether it opens with a capital, ends a sentence, and its length."""
    return text[:1].isupper(), text.endswith((".", "!", "?")), min(word_count(text), 4)


def _table_at(units: list[tuple[int, str | None]], start: int) -> tuple[int, int, int] | None:
    """The table whose first row starts at this unit: (start, columns, rows), the widest-covering first."""
    best: tuple[int, int, int] | None = None
    if units[start][1] is None:
        return None
    for columns in range(_MIN_COLUMNS, _MAX_COLUMNS + 1):
        below = start + (_MIN_ROWS - 1) * columns
        if below >= len(units) or units[below][1] != units[start][1]:
            continue  # the third row's first cell must look like this one
        shape = [kind for _, kind in units[start : start + columns]]
        if (
            len(shape) < columns
            or None in shape
            or shape.count("figure") + shape.count("when") < _FIGURE_COLUMNS
            or "figure" not in shape  # dates and times alone: a list of dated links, as a news ticker is
            or "words" not in shape
        ):
            continue
        if any(
            columns % part == 0 and shape == shape[:part] * (columns // part) for part in range(1, columns)
        ):
            continue  # a shorter row repeated: a list of pairs, as numbered links to stories make
        count = 1
        while [kind for _, kind in units[start + count * columns : start + (count + 1) * columns]] == shape:
            count += 1
        if count >= _MIN_ROWS and (best is None or count * columns > best[1] * best[2]):
            best = (start, columns, count)
    return best


def _header(lines: Sequence[str], units: list[tuple[int, str | None]], start: int, columns: int) -> bool:
    """Whether the row above a table's first is its header: as many short names as it has columns."""
    if start < columns:
        return False
    above = units[start - columns : start]
    return all(
        kind == "words" and word_count(normalise(lines[index])) <= _HEADER_WORDS for index, kind in above
    )


def _copy_above(lines: Sequence[str], units: list[tuple[int, str | None]], first: int, columns: int) -> bool:
    """Whether the row above this header row prints it again."""
    if first < columns:
        return False
    row = [normalise(lines[index]) for index, _ in units[first : first + columns]]
    return row == [normalise(lines[index]) for index, _ in units[first - columns : first]]
