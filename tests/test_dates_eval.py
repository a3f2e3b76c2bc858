"""`qa eval-dates`: its gold, its corpora of HTML pages and text dumps, its halves and its figures."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from qa.config import Settings
from qa.evaluate.dates import (
    Page,
    Verdict,
    evaluate,
    read_gold,
    render,
    rows,
    visible_text,
    write_corpus,
)
from qa.evaluate.halves import half
from qa.evaluate.pages import PagesError

PAGE = """<html><head><title>Flood wall | Coastal Times</title>
<meta property="article:published_time" content="2020-06-07T09:00:00+00:00"></head>
<body><nav><ul><li>Home</li><li>News</li></ul></nav>
<h1>Lower town gets its flood wall</h1><p class="byline">By Ann Lee | 7 June 2020</p>
<p>The council voted on Tuesday to build a flood wall along the lower town's river front, after two floods
in three years left homes and shops under water and the insurers of the street refused new policies.</p>
<p>Work starts in the spring and should take two years; the wall will stand a metre above the worst flood
on record, the engineers said, and its gates will close when the river rises.</p>
<footer>© 2020 Coastal Times</footer></body></html>"""


def _folder(tmp_path: Path, pages: dict[str, str]) -> Path:
    folder = tmp_path / "html"
    folder.mkdir()
    for name, text in pages.items():
        (folder / f"{name}.html.gz").write_bytes(gzip.compress(text.encode()))
    return folder


def _gold(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_gold_pages_without_a_date_expect_none(tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        [
            json.dumps({"file": "a.html", "url": "https://x.org/a", "date": "2020-06-07"}),
            '{"file": "b.html", "url": "https://x.org/b", "date": NaN}',
        ],
    )
    assert read_gold(gold) == [
        Page("a.html", "https://x.org/a", "2020-06-07"),
        Page("b.html", "https://x.org/b", None),
    ]
    with pytest.raises(PagesError, match=r"gold\.jsonl:1"):
        read_gold(_gold(tmp_path, [json.dumps({"file": "c.html", "date": "soon"})]))


def test_a_page_with_no_date_is_right_only_when_none_is_found() -> None:
    assert Verdict("b", None, None).right
    assert Verdict("b", None, "2020-01-01").wrong
    assert not Verdict("a", "2020-06-07", None).wrong


def test_rows_split_by_half_and_name_the_pages_without_passages() -> None:
    ids = [f"{n:04d}" for n in range(40)]
    verdicts = [Verdict(i, "2020-06-07", "2020-06-07" if n % 2 else None, n % 3) for n, i in enumerate(ids)]
    table = rows("qa, html", verdicts, "all")
    assert [row.split for row in table] == ["tune", "test", "all"]
    tune, test, every = table
    assert tune.pages + test.pages == every.pages == 40
    assert tune.pages == sum(half(f"{i}.html") == "tune" for i in ids)
    assert every.right == 0.5 and every.wrong == 0.0
    assert every.no_passage == [i for n, i in enumerate(ids) if n % 3 == 0]
    reference = rows("htmldate fast", [Verdict(i, "2020-06-07", None) for i in ids], "all")
    assert reference[-1].no_passage is None
    assert "no passage" in render(table + reference)


def test_text_dumps_are_the_visible_text_a_line_per_block(tmp_path: Path) -> None:
    dump = visible_text(PAGE)
    assert "Flood wall | Coastal Times" not in dump  # the tab's title is not on the page
    assert "- Home\n- News\n" in dump
    assert "By Ann Lee | 7 June 2020\n" in dump
    folder = _folder(tmp_path, {"a": PAGE})
    pages = [Page("a.html", "", "2020-06-07")]
    write_corpus(folder, pages, tmp_path / "txt", "txt")
    write_corpus(folder, pages, tmp_path / "as-html", "html")
    assert (tmp_path / "txt" / "a.txt").read_text() == dump
    assert (tmp_path / "as-html" / "a.html").read_text() == PAGE


@pytest.mark.slow
def test_evaluate_reads_the_pages_as_a_build_does(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"a": PAGE, "b": PAGE.replace("2020-06-07T09:00:00+00:00", "")})
    gold = _gold(
        tmp_path,
        [
            json.dumps({"file": "a.html", "url": "", "date": "2020-06-07"}),
            json.dumps({"file": "b.html", "url": "", "date": "2020-06-08"}),
        ],
    )
    table, verdicts = evaluate(folder, gold, Settings(), split="all")
    assert set(verdicts) == {"qa, html", "qa, txt", "htmldate fast", "htmldate extensive"}
    found = {v.id: v.found for v in verdicts["qa, html"]}
    assert found["a"] == "2020-06-07"
    assert found["b"] in (None, "2020-06-07")  # shown as the 7th, never the gold's 8th
    assert all(v.passages for v in verdicts["qa, html"])
    every = {row.name: row for row in table if row.split == "all"}
    assert every["qa, html"].pages == 2 and every["qa, html"].wrong <= 0.5


def test_unknown_forms_and_missing_folders_are_refused(tmp_path: Path) -> None:
    gold = _gold(tmp_path, [json.dumps({"file": "a.html", "url": "", "date": "2020-06-07"})])
    with pytest.raises(PagesError, match="unknown form pdf"):
        evaluate(tmp_path, gold, Settings(), forms=["pdf"])
    with pytest.raises(PagesError, match="does not exist"):
        evaluate(tmp_path / "nowhere", gold, Settings())
