"""Tables printed one cell a line: found by their period, rows aligned under their header, kept as rows."""

from __future__ import annotations

from pathlib import Path

from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.ingest.tables import table_rows

HEADER = ["Pos", "Player", "Plays", "%", "Stats"]
ROWS = [
    ["DL", "Ann Lee", "63", "85%", "1 tackle (1 combined). 1 sack, 2 QH."],
    ["DL", "Tom Ward", "57", "77%", "No stats registered."],
    ["LB", "Joe Smith", "74", "100%", "7 tackles, 3 assists (10 combined). 2 INT."],
    ["LB", "Sam Cole", "6", "8%", "1 tackle (1 combined)."],
]


def _texts(lines: list[str], rows: list[list[int]]) -> list[list[str]]:
    return [[lines[index] for index in row] for row in rows]


def test_rows_are_aligned_under_a_header_printed_twice() -> None:
    # The header's last name ("Stats") reads like a row's first cell would; the rows still start at "DL".
    lines = [
        "Defensive line",
        *HEADER,
        *HEADER,
        *[cell for row in ROWS for cell in row],
        "More from the team",
    ]
    assert _texts(lines, table_rows(lines)) == [HEADER, HEADER, *ROWS]


def test_blank_lines_and_lone_bullets_between_cells_are_skipped() -> None:
    lines = [part for row in ROWS for cell in row for part in (cell, "")]
    assert _texts(lines, table_rows(lines)) == ROWS


def test_a_standings_table_with_numbers_first() -> None:
    rows = [
        ["1", "Kyle Busch", "5040", "5", "27"],
        ["2", "Martin Truex Jr.", "5035", "7", "24"],
        ["3", "Kevin Harvick", "5033", "4", "26"],
    ]
    lines = ["Pos.", "Driver", "Points", "Wins", "Top 10", *[cell for row in rows for cell in row]]
    assert _texts(lines, table_rows(lines)) == [["Pos.", "Driver", "Points", "Wins", "Top 10"], *rows]


def test_lists_of_links_and_menus_are_no_tables() -> None:
    numbered = [
        part for n in range(1, 7) for part in ("-", str(n), f"Council votes on item number {n} tonight")
    ]
    counted = [part for name in ("Blog", "Events", "Sport", "Music") for part in (name, f"({len(name) * 7})")]
    timed = [part for n in range(1, 6) for part in (f"0{n}:45", f"Watch clip {n} of the match", "2h ago")]
    menu = ["Home", "World", "Sport", "Business", "Culture", "Travel", "Weather", "Video", "Audio"]
    ticker = [
        part for n in range(1, 6) for part in (f"1{n}:33:00", f"2020-09-1{n}", f"Storm closes road {n}")
    ]
    for lines in (numbered, counted, timed, menu, ticker):
        assert table_rows(lines) == [], lines


def test_a_table_of_dated_amounts_is_a_table() -> None:
    rows = [
        ["2020-09-01", "$2,800", "Ann Lee"],
        ["2020-09-14", "$500", "Tom Ward"],
        ["2020-09-30", "$250", "Sam Cole"],
    ]
    lines = ["Date", "Amount", "Contributor", *[cell for row in rows for cell in row]]
    assert _texts(lines, table_rows(lines)) == [["Date", "Amount", "Contributor"], *rows]


def test_a_table_inside_an_article_stays_as_its_rows(tmp_path: Path) -> None:
    intro = (
        "Below, we look at the snap counts and the stats on defense for the team's game on Sunday afternoon."
    )
    outro = "The linebackers stepped up after the first quarter, and the coach praised them after the game."
    menu = ["Home", "Scores", "Teams", "Tickets"]
    cells = [cell for row in ROWS for cell in row]
    page = [*menu, "Snap counts: week 11", intro, *HEADER, *HEADER, *cells, outro, *menu]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    texts = [p.text for p in paragraphs(read_corpus(tmp_path))]
    assert intro in texts and outro in texts
    assert " ".join(ROWS[0]) in texts and " ".join(ROWS[-1]) in texts
    assert "Tickets" not in texts
