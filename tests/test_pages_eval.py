"""qa.evaluate.pages: declared gold metadata, the five page metrics, and the command, on pages made here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import cli
from qa.config import Settings
from qa.evaluate.halves import half
from qa.evaluate.pages import (
    Gold,
    PagesError,
    authors_match,
    bundled_tokens,
    declared_metadata,
    iso_date,
    measure,
    read_gold,
    run_pages_command,
    score_page,
    split_gold,
    titles_match,
    with_declared,
)
from qa.types import Citation, Passage

RIVER_BODY = (
    "Otters have returned to the upper Thames for the first time in forty years, surveyors said on "
    "Tuesday. The animals were seen near Oxford by volunteers counting birds along the banks.\n\n"
    "Cleaner water and the removal of old weirs have brought back the fish that otters feed on, "
    "according to the river trust that ran the survey."
)
# A real paragraph of the page that the gold leaves out: no ingest can know to drop it, so it must
# count as text outside the body whatever ingest does.
RIVER_EXTRA = "The trust will publish a fuller report in the autumn, with a map of every sighting so far."
RIVER_TXT = f"""Home | World | Sport | Weather

River Otters Return to the Thames

By Jane Smith

March 3, 2021

{RIVER_BODY}

{RIVER_EXTRA}

Share this story on Facebook, Twitter and WhatsApp with your friends
"""

BAKERY_PARAGRAPHS = [
    "A small bakery in the village of Elm has won the national bread prize for its sourdough loaf, "
    "beating more than two hundred entries from across the country.",
    "The owners said the recipe had been handed down from their grandmother and that they bake every "
    "loaf by hand before dawn each morning.",
]
# In the gold but not on the page: recall must fall below 1.
BAKERY_MISSING = (
    "Judges praised the crust and the open crumb, and said the loaf was the best they had tasted."
)
BAKERY_HTML = f"""<html><head><title>Village Bakery Wins National Prize | Daily Loaf</title>
<meta property="og:title" content="Village Bakery Wins: Daily Loaf">
<meta property="article:published_time" content="2021-05-10T08:00:00+01:00">
<meta name="author" content="https://example.org/staff/tom">
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [
 {{"@type": "WebSite", "name": "Daily Loaf", "headline": "Not an article"}},
 {{"@type": ["NewsArticle"], "headline": "Village Bakery Wins National Prize &#8216;Again&#8217;",
   "datePublished": "2021-05-09T23:30:00Z",
   "author": [{{"@type": "Person", "name": "Tom Baker"}}, "Ann Lee", "https://example.org/ann"]}}]}}
</script></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Village Bakery Wins National Prize</h1>
<p>{BAKERY_PARAGRAPHS[0]}</p>
<p>{BAKERY_PARAGRAPHS[1]}</p>
</article></body></html>
"""


def citation(source: str, title: str | None = None, date: str | None = None) -> Citation:
    return Citation(source, 1, 1, 0, 10, title=title, date=date)


def passage(
    text: str, source: str = "page.txt", title: str | None = None, date: str | None = None
) -> Passage:
    return Passage(f"{source}:{hash(text)}", text, citation(source, title, date))


# --- gold metadata declared by a page -----------------------------------------------------------------


def test_json_ld_article_comes_before_meta_tags() -> None:
    found = declared_metadata(BAKERY_HTML.encode())
    # The WebSite object's headline is no article's; entities in JSON-LD are decoded; URLs are no authors.
    assert found == {
        "title": "Village Bakery Wins National Prize ‘Again’",
        "date": "2021-05-09",
        "author": "Tom Baker, Ann Lee",
    }


def test_meta_tags_fill_in_what_json_ld_leaves_out() -> None:
    page = """<html><head><meta property="og:title" content="  Storm   Hits Coast ">
    <meta name="DC.date.issued" content="2020/2/7"><meta property="article:author" content="https://x.org/a">
    <meta name="author" content="Ruth Kim">
    <script type="application/ld+json">{"@type": "BlogPosting", "author": {"name": "Ruth Kim"}}</script>
    <script type="application/ld+json">{not json</script></head><body><p>x</p></body></html>"""
    assert declared_metadata(page) == {
        "title": "Storm Hits Coast",
        "date": "2020-02-07",
        "author": "Ruth Kim",
    }


def test_nothing_declared_gives_nothing() -> None:
    assert declared_metadata("<html><head><title>Only a title tag</title></head><body>x</body></html>") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-11-19T21:57:01+0000", "2019-11-19"),
        ("20191119", "2019-11-19"),
        ("Tue, 19 Nov 2019 08:00:00 GMT", "2019-11-19"),
        ("0001-01-01T00:00:00Z", None),  # how some sites write "no date"
        ("2019-02-30", None),
        ("yesterday", None),
    ],
)
def test_iso_date(text: str, expected: str | None) -> None:
    assert iso_date(text) == expected


def test_declared_metadata_fills_only_missing_gold_fields(tmp_path: Path) -> None:
    (tmp_path / "bakery.html").write_text(BAKERY_HTML)
    gold = {"bakery": Gold("bakery", "body", title="Human title"), "gone": Gold("gone", "body")}
    merged = with_declared(gold, tmp_path)
    assert merged["bakery"].title == "Human title"
    assert (merged["bakery"].date, merged["bakery"].author) == ("2021-05-09", "Tom Baker, Ann Lee")
    assert merged["gone"] == gold["gone"]


# --- matching ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cited", "gold", "right"),
    [
        ("“Otters” Return — Thames | BBC News", '"otters" return - thames', True),
        ("Otters Return to the Thames - BBC News", "Otters return to the Thames.", True),
        ("Otters Return :: Site", "Otters Return", True),
        # Never stripped on both sides: " - " is also a dash inside headlines ("A - B" vs "A - C").
        ("Otters Return - Yes", "Otters Return - No", False),
        ("Otters Return", "Otters Return to the Thames", False),
        ("BBC News", "Otters Return | BBC News", False),  # the site name alone is no title
        (None, "Otters", False),
    ],
)
def test_titles_match(cited: str | None, gold: str, right: bool) -> None:
    assert titles_match(cited, gold) is right


def test_authors_match_ignores_order_case_and_by() -> None:
    assert authors_match("By ann lee and Tom Baker", "Tom Baker, Ann Lee")
    assert not authors_match("Tom Baker", "Tom Baker, Ann Lee")
    assert not authors_match(None, "Tom Baker")


# --- one page's metrics from passages made by hand ------------------------------------------------------


def test_share_row_in_a_passage_is_boilerplate_and_article_text_is_not() -> None:
    gold = Gold("page", RIVER_BODY, title="River Otters Return to the Thames", date="2021-03-03")
    clean = [passage(RIVER_BODY.replace("\n\n", " "), title="River Otters Return to the Thames")]
    page = score_page(gold, clean, [])
    assert page.boilerplate == []
    assert (page.title_right, page.recall) == (True, 1.0)

    share = "Share this story on Facebook, Twitter and WhatsApp with your friends"
    noisy = score_page(gold, [passage(f"{RIVER_BODY} {share}. Read more")], [])
    # "Read more" is under three words: too short to judge.
    assert noisy.boilerplate == [f"{share}."]


def test_recall_counts_also_in_copies_and_falls_when_a_paragraph_is_missing() -> None:
    first, second = RIVER_BODY.split("\n\n")
    gold = Gold("page", RIVER_BODY, date="2021-03-03")
    half = score_page(gold, [passage(first, date="2021-03-04")], [])
    assert 0.3 < half.recall < 0.7
    assert (half.date_right, half.wrong_date) == (False, True)

    # The second paragraph was folded into another page's passage; it still stands on this page.
    copy = passage(second, source="other.txt", date="2021-03-03")
    whole = score_page(gold, [passage(first, date="2021-03-03")], [(copy, citation("page.txt"))])
    assert whole.recall == 1.0
    assert whole.boilerplate == []  # only the page's own passages are judged for boilerplate


def test_page_with_no_passages() -> None:
    page = score_page(Gold("page", RIVER_BODY, title="T"), [], [])
    assert (page.cited_title, page.title_right, page.date_right, page.recall) == (None, False, None, 0.0)


def test_most_common_title_wins_and_dates_without_gold_are_reported() -> None:
    own = [passage("a b c", title="Menu"), passage("d e f", title="Real", date="2020-01-01")]
    own.append(passage("g h i", title="Real"))
    page = score_page(Gold("page", "a b c d e f g h i", title="Real"), own, [])
    assert (page.cited_title, page.title_right) == ("Real", True)
    assert (page.date_right, page.wrong_date, page.date_without_gold) == (None, False, True)


# --- the whole path: ingest as `qa build` does, on a corpus made here ----------------------------------


@pytest.fixture
def devset(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "river.txt").write_text(RIVER_TXT)
    (corpus / "bakery.html").write_text(BAKERY_HTML)
    gold = tmp_path / "gold.jsonl"
    rows = [
        {
            "id": "river",
            "body": RIVER_BODY,
            "title": "River Otters Return to the Thames",
            "date": "2021-03-03",
        },
        {"id": "bakery", "body": "\n\n".join([*BAKERY_PARAGRAPHS, BAKERY_MISSING])},
        {"id": "missing", "body": "A page the corpus does not hold at all, so it has no passages."},
    ]
    gold.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return corpus, gold


def test_measure_on_a_small_corpus(devset: tuple[Path, Path]) -> None:
    corpus, gold = devset
    result = measure(corpus, with_declared(read_gold(gold), corpus), Settings(), bundled_tokens())
    pages = {page.id: page for page in result.pages}
    assert list(pages) == ["bakery", "missing", "river"]

    river, bakery, missing = pages["river"], pages["bakery"], pages["missing"]
    assert river.passages >= 1 and river.recall == 1.0
    assert RIVER_EXTRA in river.boilerplate  # page text outside the gold body
    assert river.date_right is True
    assert bakery.gold_title == "Village Bakery Wins National Prize ‘Again’"
    assert 0.5 < bakery.recall < 1.0  # the gold's third paragraph is not on the page
    assert (missing.passages, missing.recall, missing.boilerplate) == (0, 0.0, [])

    figures = result.figures()
    assert (figures["zero passages"].count, figures["zero passages"].total) == (1, 3)
    assert figures["title"].total == 2 and figures["date"].total == 2
    assert figures["boilerplate"].count >= 1
    assert result.recall == pytest.approx((river.recall + bakery.recall) / 3)


def test_command_table_show_json_and_written_gold(devset: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, gold = devset
    written = tmp_path / "gold-meta.jsonl"
    text = run_pages_command(
        corpus, gold, as_json=False, show=2, settings=Settings(), declared_from=corpus, write_gold_to=written
    )
    assert text.splitlines()[0].startswith("title ")
    assert "zero passages" in text and "== boilerplate" in text and RIVER_EXTRA in text
    saved = [json.loads(line) for line in written.read_text().splitlines()]
    assert saved[1] == {
        "id": "bakery",
        "body": "\n\n".join([*BAKERY_PARAGRAPHS, BAKERY_MISSING]),
        "title": "Village Bakery Wins National Prize ‘Again’",
        "date": "2021-05-09",
        "author": "Tom Baker, Ann Lee",
    }

    report = json.loads(run_pages_command(corpus, written, as_json=True, show=0, settings=Settings()))
    assert report["figures"]["zero passages"] == {"share": 0.3333, "count": 1, "total": 3}
    assert [page["id"] for page in report["pages"]] == ["bakery", "missing", "river"]


def test_bad_input_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gold.jsonl").write_text('{"id": "x"}\n')
    with pytest.raises(PagesError, match=r"gold\.jsonl:1"):
        read_gold(tmp_path / "gold.jsonl")
    assert cli.main(["eval-pages", str(tmp_path / "nowhere"), "--gold", str(tmp_path / "gold.jsonl")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_command_names_the_pages_with_no_passage(devset: tuple[Path, Path]) -> None:
    corpus, gold = devset
    text = run_pages_command(corpus, gold, as_json=False, show=0, settings=Settings())
    assert "no passage from 1: missing" in text
    report = json.loads(run_pages_command(corpus, gold, as_json=True, show=0, settings=Settings()))
    assert report["no_passage"] == ["missing"]


def test_split_scores_one_half_of_the_pages(devset: tuple[Path, Path]) -> None:
    corpus, gold = devset
    pages = read_gold(gold)
    halves = {name: split_gold(pages, name) for name in ("tune", "test")}
    assert sorted([*halves["tune"], *halves["test"]]) == sorted(pages)
    assert all(half(key) == name for name, part in halves.items() for key in part)
    for name, part in halves.items():
        report = json.loads(
            run_pages_command(corpus, gold, as_json=True, show=0, settings=Settings(), split=name)
        )
        assert [page["id"] for page in report["pages"]] == sorted(part)
    with pytest.raises(PagesError, match="unknown split"):
        split_gold(pages, "train")


def test_split_flag_of_the_command(devset: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    corpus, gold = devset
    tune = sorted(key for key in read_gold(gold) if half(key) == "tune")
    assert cli.main(["eval-pages", str(corpus), "--gold", str(gold), "--split", "tune", "--json"]) == 0
    assert [page["id"] for page in json.loads(capsys.readouterr().out)["pages"]] == tune
