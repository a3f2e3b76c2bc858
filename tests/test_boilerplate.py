"""Page chrome recognised by kind, and the article body kept whole, on pages made up here."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import boilerplate
from qa.ingest.articles import paragraphs
from qa.ingest.documents import read_corpus

ARTICLE = [
    "The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive.",
    "Engineers said the wall had been weakened by three years of high tides and needed urgent repair.",
    "It will cost more.",
    "The harbour master welcomed the vote and said the work would start within a month.",
]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Proudly powered by WordPress", "prompt"),
        ("Your email address will not be published. Required fields are marked *", "prompt"),
        ("Share this story", "share"),
        ("Post to Twitter", "share"),
        ("Sign up for our newsletter", "prompt"),
        (
            "We use cookies to give you the best experience. By continuing you accept our use of cookies.",
            "footer",
        ),
        ("Name *", "prompt"),
        ("Related Stories", "related"),
        ("Photo: Jane Smith/Getty Images", "credit"),
        ("The two sides agree on a deal.", None),
        ("Engineers said the wall had been weakened by three years of high tides.", None),
    ],
)
def test_kind(line: str, kind: str | None) -> None:
    assert boilerplate.kind(line) == kind


def test_strip_teaser_leaves_a_prefix_copy() -> None:
    teaser = "The city council voted on Tuesday to rebuild the old harbour wall ... Read more »"
    assert (
        boilerplate.strip_teaser(teaser)
        == "The city council voted on Tuesday to rebuild the old harbour wall"
    )
    assert boilerplate.strip_teaser("Read more") == "Read more"


def test_body_span_skips_menus_and_sidebars() -> None:
    lines = [
        "Home",
        "World",
        "Sport",
        "Harbour wall to be rebuilt",
        *ARTICLE,
        "Related",
        "Bus fares rise",
        "Library shut",
    ]
    assert boilerplate.body_span(lines) == (4, 8)


def test_single_page_comes_out_clean(tmp_path: Path) -> None:
    page = [
        "We use cookies to improve your experience. By using this site you accept our cookie policy.",
        "Home",
        "News",
        "Harbour wall to be rebuilt before winter storms",
        "By Jane Doe and John Roe",
        "Share this story",
        "Post to Twitter",
        *ARTICLE,
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Name *",
        "Email *",
        "Related stories",
        "Council closes the library on Sundays",
        "New bus route to the harbour opens",
        "Proudly powered by WordPress",
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    text = " ".join(p.text for p in found)
    for line in ARTICLE:
        assert line in text  # the short real paragraph inside the body stays too
    for chrome in ("cookie", "Share", "Twitter", "Reply", "published", "library", "WordPress"):
        assert chrome not in text
    assert found[0].citation.author == "Jane Doe and John Roe"
    assert found[0].citation.title == "Harbour wall to be rebuilt before winter storms"


def test_share_row_on_several_pages_leaves_no_passage(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(
            f"Headline number {name} for the harbour\nShare on Facebook\n"
            + "\n".join(ARTICLE)
            + "\nShare on Facebook\n"
        )
    found = paragraphs(read_corpus(tmp_path))
    assert not any("Facebook" in p.text for p in found)


def test_two_article_blog_listing_keeps_both(tmp_path: Path) -> None:
    page = [
        "Harbour blog",
        "Wall vote passes",
        *ARTICLE[:2],
        "December 29, 2011 0 comments",
        "Library to close on Sundays",
        "The library will close on Sundays from March because of the budget cuts announced last week.",
        "December 28, 2011 0 comments",
    ]
    (tmp_path / "blog.txt").write_text("\n\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    titles = {p.citation.title: p.citation.date for p in found}
    assert titles == {"Wall vote passes": "2011-12-29", "Library to close on Sundays": "2011-12-28"}
