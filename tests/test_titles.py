"""Titles where readers see them: an HTML page's shown headline, checked against its declaration; a text page's
headline over its byline or date line."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.ingest.html import extract_html
from qa.ingest.html_title import agrees, names_site

BODY = (
    "<p>The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive, "
    "after a long debate about its cost.</p>"
    "<p>Engineers said the wall had been weakened by three years of high tides and needed urgent repair "
    "before the fishing fleet returns.</p>"
    "<p>The harbour master welcomed the vote and said the work would start within a month of the decision.</p>"
)
HEADLINE = "Council votes to rebuild the old harbour wall"


def _page(head: str, above_body: str, *, before: str = "") -> str:
    return (
        f"<html><head>{head}</head><body>{before}<main><article>{above_body}"
        f"<p class='byline'>By Ann Lee</p>{BODY}</article></main></body></html>"
    )


def _meta(title: str, site: str = "Coastal Gazette") -> str:
    return f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">'


@pytest.mark.parametrize(
    "declared",
    [
        f"Opinion | {HEADLINE}",  # a section label before the headline
        "Council votes to rebuild harbour wall: what it means for the fishing fleet",  # rewritten for search
        "Council votes to rebuild the old harbour",  # cut short
        "Opinion",  # a section's name, nothing of the headline
    ],
)
def test_the_shown_headline_beats_a_declaration_that_differs(declared: str) -> None:
    page = extract_html(_page(_meta(declared), f"<h1>{HEADLINE}</h1>"))
    assert page.title == HEADLINE


def test_a_site_name_in_the_h1_leaves_the_declared_title() -> None:
    masthead = (
        "<header><h1>Coastal Gazette</h1><nav><a href='/'>Home</a> <a href='/n'>News</a></nav></header>"
    )
    page = extract_html(_page(_meta(f"{HEADLINE} | Coastal Gazette"), "", before=masthead))
    assert page.title == HEADLINE


def test_another_story_in_the_h1_leaves_the_heading_that_agrees() -> None:
    # The page's <h1> is a featured story far above; the article's own headline is an <h2> over its body.
    featured = (
        "<section><h1>Ferry fares go up next spring across the county</h1>" + "<p>Teaser text.</p>" * 60
    )
    page = extract_html(_page(_meta(HEADLINE), f"<h2>{HEADLINE}</h2>", before=featured + "</section>"))
    assert page.title == HEADLINE


def test_a_hidden_heading_is_not_the_headline() -> None:
    hidden = f"<h2 style='display: none'>Share all sharing options for: {HEADLINE}</h2>"
    page = extract_html(_page(_meta(HEADLINE), f"<h1>{HEADLINE}</h1>{hidden}"))
    assert page.title == HEADLINE


def test_of_two_shown_headlines_the_one_that_reads_as_declared_wins() -> None:
    # A sticky copy of the headline, nearer the body, carries a place as its kicker.
    sticky = f"<h1 class='sticky'><span>TREBINJE</span> {HEADLINE}</h1>"
    page = extract_html(_page(_meta(HEADLINE), f"<h1>{HEADLINE}</h1>{sticky}"))
    assert page.title == HEADLINE


def test_a_kicker_in_the_shown_headline_is_left_out() -> None:
    page = extract_html(_page(_meta(HEADLINE), f"<h1><span>Harbour / </span>{HEADLINE}</h1>"))
    assert page.title == HEADLINE


def test_no_declaration_takes_the_h1() -> None:
    page = extract_html(_page("", f"<h1>{HEADLINE}</h1>"))
    assert page.title == HEADLINE


def test_a_headline_naming_the_site_keeps_its_words() -> None:
    # "The Gazette view on ..." names the site inside the headline: only a part that is the name goes.
    headline = "The Coastal Gazette view on the harbour wall"
    page = extract_html(_page(_meta(f"{headline} | Editorial"), ""))
    assert page.title == f"{headline} | Editorial"


@pytest.mark.parametrize(
    ("heading", "declared", "same"),
    [
        (
            "Home Depot Stock Is Falling After Its Earnings Release",
            "Home Depot Stock Falls After Earnings",
            True,
        ),
        ("Opinion", "Opinion | Republicans Are Following Trump to Nowhere", False),
        ("Kabar tentang Dunia Islam", "Jangan Membenci Satu Kaum Secara Berlebihan", False),
    ],
)
def test_agreement_of_a_heading_and_a_declaration(heading: str, declared: str, same: bool) -> None:
    assert agrees(heading, declared) is same


@pytest.mark.parametrize(
    ("part", "site", "named"),
    [
        ("coastalgazette.com", "Coastal Gazette", True),
        ("The Coastal Gazette", "Coastal Gazette", True),
        ("The Coastal Gazette view on the harbour wall", "Coastal Gazette", False),
        ("News", "Fox News", False),
    ],
)
def test_names_site(part: str, site: str, named: bool) -> None:
    assert names_site(part, site) is named


TEXT_BODY = (
    "The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive.\n"
    "Engineers said the wall had been weakened by three years of high tides and needed urgent repair.\n"
)


def _text_title(tmp_path: Path, text: str) -> str | None:
    (tmp_path / "page.txt").write_text(text)
    found = paragraphs(read_corpus(tmp_path))
    assert found
    return found[0].citation.title


@pytest.mark.parametrize("headline", ["Harbour", "Harbour Wall", HEADLINE])
@pytest.mark.parametrize("meta", ["By Jane Doe\nMarch 3, 2012\n", "March 3, 2012\n", "By Jane Doe\n"])
def test_plain_file_opening_with_its_headline(tmp_path: Path, headline: str, meta: str) -> None:
    assert _text_title(tmp_path, f"{headline}\n{meta}\n{TEXT_BODY}") == headline


def test_a_section_label_over_the_date_is_no_title(tmp_path: Path) -> None:
    # One word over the date line that the article never uses, under the site's name: a section, not a headline.
    assert _text_title(tmp_path, f"Coastal Gazette\nSports\nMarch 3, 2012\n\n{TEXT_BODY}") is None


def test_headline_over_its_byline_beats_a_teaser_above_it(tmp_path: Path) -> None:
    # A teaser for another story stands over the headline and shares more words with the body.
    text = (
        "Why the harbour wall needed urgent repair after the storms\n"
        "Old wall, new vote: the city decides\n"
        "By Jane Doe\n3 hours ago\n\n" + TEXT_BODY
    )
    assert _text_title(tmp_path, text) == "Old wall, new vote: the city decides"
