"""Date lines in many languages by one rule, the cheap test before the parser, and an HTML page's date from its evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.bench.builds import BuildTiming
from qa.bench.report import _stage_rows
from qa.ingest import dates, languages
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.ingest.dates import line_date, page_date, parse_date, published


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Опубліковано 7 червня 2020, 10:00", "2020-06-07"),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", "2010-10-22"),
        ("Текст: Венера Ерофеева·24 сентября 2018", "2018-09-24"),
        ("publiziert am 25. September 2018", "2018-09-25"),
        ("2020年6月7日 10:00", "2020-06-07"),
        ("[ 등록년월일 : 2012년 11월 06일 ]", "2012-11-06"),
        ("02 Ago 2017", "2017-08-02"),
        ("Publicado el 07.06.2020", "2020-06-07"),  # dots: day first
        ("22:57 GMT 28.04.2020(updated 11:14 GMT 29.04.2020) Get short URL", "2020-04-28"),  # a glued bracket
    ],
)
def test_date_lines_in_the_languages_of_their_month_names(line: str, iso: str) -> None:
    assert line_date(line) == iso


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("December 29, 2011", "2011-12-29"),
        ("7 червня 2020", "2020-06-07"),
        ("Wednesday, 17 July 2024", "2024-07-17"),
        ("07.06.2020", "2020-06-07"),
        ("Published June 7, 2020", None),  # a date line, but not only a date
        ("Council meets on June 7, 2020 to vote on the flood barrier", None),
    ],
)
def test_parse_date_is_a_line_that_is_only_a_date_by_the_same_rule(line: str, iso: str | None) -> None:
    assert parse_date(line) == iso
    if iso is not None:
        assert line_date(line) == iso  # the same rule reads it as a date line too


def test_a_sentence_in_a_script_without_spaces_is_prose_not_a_date_line() -> None:
    # Counted by its characters it is a long sentence; the parser once read a year of its own making (5) in it.
    sentence = (
        "索尼曾在8月預測,截至2021年3月,一年的感測器領域營業利潤將下降45%。"
        "索尼公司將這一下滑歸咎於智慧手機銷售在新冠肺炎疫情時期下降。"
    )
    assert line_date(sentence) is None
    assert line_date("发布时间：2020年10月4日 15:05") == "2020-10-04"


@pytest.mark.parametrize(
    "line",
    [
        "2020 Audi e-tron Sportback revealed as electric 4-door coupe",
        "© 2019 The Coastal Times. All rights reserved.",
        "Top 10 films of 2019",
        "58th Venice Biennale of Art 2019",
    ],
)
def test_lines_that_cannot_hold_a_full_date_never_reach_the_parser(
    line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"parser called for {line!r}")

    monkeypatch.setattr(dates, "search_dates", refuse)
    assert line_date(line + " ") is None  # a text no earlier test remembered
    assert parse_date(line + "  ") is None


def test_a_page_date_line_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    line = "Published 3 March 2016, 10:41 AM GMT"
    assert page_date(line) == "2016-03-03"
    monkeypatch.setattr(dates, "search_dates", lambda *a, **k: pytest.fail("read twice"))
    assert page_date(line) == "2016-03-03"


def _page(*, declared: str = "", head_date: str = "", url: str = "", body_date: str = "") -> tuple[str, list]:
    head = f'<meta property="article:published_time" content="{declared}">' if declared else ""
    head += f'<link rel="canonical" href="{url}">' if url else ""
    article = "<p>Lower town gets its flood wall at last, after years of council debate and two floods.</p>"
    raw = (
        f"<html><head><title>Flood wall</title>{head}</head><body><h1>Flood wall approved</h1>"
        f"<div class='byline'>{head_date}</div>{article}<footer>{body_date}</footer></body></html>"
    )
    start = raw.index("<p>") + 3
    return raw, [(start, raw.index("</p>"))]


def test_a_declaration_stands_when_htmldate_agrees_or_reads_nothing() -> None:
    raw, blocks = _page(declared="2020-04-14T00:38:07Z")
    assert published(raw, "2020-04-14", "2020-04-14", blocks) == "2020-04-14"
    assert published(raw, "2020-04-14", None, blocks) == "2020-04-14"


def test_the_day_shown_under_the_headline_decides_between_declaration_and_htmldate() -> None:
    raw, blocks = _page(head_date="April 13, 2020 at 4:38 PM PDT")
    assert published(raw, "2020-04-14", "2020-04-13", blocks) == "2020-04-13"
    raw, blocks = _page(url="https://example.org/news/20200413/flood-wall")
    assert published(raw, "2020-04-14", "2020-04-13", blocks) == "2020-04-13"
    raw, blocks = _page()  # nothing shown: the declaration stands
    assert published(raw, "2020-04-14", "2020-04-13", blocks) == "2020-04-14"


def test_a_free_text_guess_needs_the_page_to_show_that_day(monkeypatch: pytest.MonkeyPatch) -> None:
    raw, blocks = _page(body_date="Posted 15 April 2020")
    monkeypatch.setattr(dates, "_extensive_date", lambda raw: "2020-04-15")
    assert published(raw, None, None, blocks) == "2020-04-15"
    monkeypatch.setattr(dates, "_extensive_date", lambda raw: "2016-01-01")  # a year alone, read as Jan 1
    assert published(raw, None, None, blocks) is None


def test_bench_shows_where_a_build_spends_its_time() -> None:
    quick = BuildTiming(100, 10.0, 100, ingest_seconds=2.0, embed_seconds=20.0)
    rows = _stage_rows("text pages", quick)
    assert "0.50x" in rows[0] and rows[0].endswith("ok")
    assert "20%" in rows[1] and rows[1].endswith("ok")
    slow = BuildTiming(100, 30.0, 100, ingest_seconds=15.0, embed_seconds=20.0)
    assert all(row.endswith("MISSED") for row in _stage_rows("text pages", slow))
    assert _stage_rows("text pages", BuildTiming(100, 10.0, 100)) == []


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2020-04-24T21:25:06+00:00", "2020-04-24"),
        ("20200413T16:38:07Z", "2020-04-13"),
        ("0001-01-01T00:00:00", None),  # a template's "no date"
        ("1970-01-01", None),
    ],
)
def test_declared_timestamps_and_template_defaults(value: str, iso: str | None) -> None:
    assert dates.iso_date(value) == iso


def test_htmldate_reading_a_sidebar_date_is_not_the_page_date() -> None:
    raw, blocks = _page(body_date="<ul><li>2023-10-02 Museum reopens its west wing</li></ul>")
    assert published(raw, None, "2023-10-02", blocks) is None  # shown only in a list of other stories
    raw, blocks = _page(head_date="7 November 2023")
    assert published(raw, None, "2023-11-07", blocks) == "2023-11-07"
    raw, blocks = _page()
    assert published(raw, None, "2023-11-07", blocks) == "2023-11-07"  # read from markup nobody sees


def test_the_head_of_a_page_of_heavy_markup_still_shows_its_date() -> None:
    # Thousands of characters of share widgets and scripts between the headline and the first paragraph: the date
    # line under the headline is still the head's, so htmldate's reading of it is shown there, not elsewhere.
    widgets = "".join(
        f"<div class='share-widget w{n}' style='display:inline-block'></div>" for n in range(300)
    )
    article = "<p>Lower town gets its flood wall at last, after years of council debate and two floods.</p>"
    raw = (
        "<html><head><title>Flood wall</title></head><body><h1>Flood wall approved</h1>"
        f"<div class='byline'>28 October 2020</div>{widgets}{article}</body></html>"
    )
    start = raw.index("<p>") + 3
    assert raw.index("<p>") - raw.index("<h1") > 5000
    assert published(raw, None, "2020-10-28", [(start, raw.index("</p>"))]) == "2020-10-28"


@pytest.mark.parametrize(
    ("line", "day", "shown"),
    [
        ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "2020-04-24", True),
        ("2020年4月17日 10:05", "2020-04-17", True),
        ("Posted 15 April 2020", "2020-04-15", True),
        ("Posted 15 April 2020", "2020-04-16", False),
        ("© 2016 Coastal Times, 1 Harbour Street", "2016-01-01", False),
        ("15/04/2020", "2020-04-15", True),
    ],
)
def test_a_line_shows_a_day_in_any_language(line: str, day: str, shown: bool) -> None:
    assert dates.shows_day(line, day) is shown


@pytest.mark.parametrize(
    ("line", "day"),
    [
        (
            "| octubre 7, 2020 | 7:09 am | Agencia Efe.",
            "2020-10-07",
        ),  # a byline row that ends with its agency
        (
            "November 20, 2019 (This Morning)Some sun and clouds later in the day.",
            None,
        ),  # a teaser glued to its date
    ],
)
def test_a_byline_row_ending_in_a_full_stop_dates_its_page_and_a_teaser_does_not(
    line: str, day: str | None
) -> None:
    assert page_date(line) == day


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2020. 06. 04. 11:27", "2020-06-04"),  # year first with dots and spaces: Korean, Hungarian
        ("Közzétéve: 2020. 6. 4.", "2020-06-04"),
        ("기사입력 2020.06.04 11:27", "2020-06-04"),  # a label glued on before a date of numbers
        ("- 質問日時：2020/07/13 01:10", "2020-07-13"),
    ],
)
def test_dates_of_numbers_year_first_and_after_a_label_in_any_script(line: str, iso: str) -> None:
    assert line_date(line) == iso


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Yahoo News Australia28 October 2020", "2020-10-28"),  # a name glued to the day
        ("News Nation Bureau19 Nov 2019, 09:01 AM", "2019-11-19"),
        ("iPhone11 Pro 2019", None),  # "Pro" is a month word only in Czech and Croatian
    ],
)
def test_a_name_glued_to_the_day_of_a_date(line: str, iso: str | None) -> None:
    assert line_date(line) == iso


ENGLISH_PAGE = (
    "Apple announced its new phones today. They cost more than last year's and ship next week in stores."
)
CZECH_PAGE = (
    "Vláda dnes schválila nový zákon o státním rozpočtu na příští rok. Poslanci o něm jednali celý den."
)


@pytest.mark.parametrize("line", ["iPhone 11 Pro 2019", "MacBook Pro 13 2020", "Surface Pro 7 2019 review"])
def test_a_month_word_of_another_language_than_the_pages_is_another_word(line: str) -> None:
    # "pro" is Czech and Croatian for December: on an English page it names a model, and dates nothing.
    with languages.reading(ENGLISH_PAGE):
        assert line_date(line) is None
    with languages.reading(CZECH_PAGE):
        assert line_date(line.replace("Surface ", "").replace(" review", "")) is not None


def test_the_pages_languages_leave_english_and_numeric_dates_alone() -> None:
    with languages.reading(CZECH_PAGE):
        assert line_date("November 18, 2019") == "2019-11-18"
        assert line_date("11. prosince 2019") == "2019-12-11"
    with languages.reading(ENGLISH_PAGE):
        assert line_date("By Tess Bonn - 11/19/19 06:56 AM EST") == "2019-11-19"


def test_a_text_page_is_dated_in_its_own_languages(tmp_path: Path) -> None:
    page = (
        "Apple's laptops, compared\n"
        "MacBook Pro 13 2020\n"
        "Apple's smallest laptop got a faster chip and a better keyboard this spring, and it is the one we"
        " would buy.\nThe larger model costs more, but its screen and speakers are the best Apple has made.\n"
        "Battery life is about the same on both machines, a little over ten hours of browsing on one charge.\n"
    )
    (tmp_path / "laptops.txt").write_text(page)
    found = paragraphs(read_corpus(tmp_path))
    assert found and {p.citation.date for p in found} == {None}
