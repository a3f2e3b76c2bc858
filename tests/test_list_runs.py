"""Lists built alike kept at the end of an article, related headlines and link boxes left out, on made-up pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import list_runs
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus

ARTICLE = [
    "The city band announced on Monday that it would tour the coast next summer for its fiftieth year.",
    "Tickets go on sale on Friday morning, and the band said it would play songs from every decade.",
    "The drummer, who joined in 1975, said the band had never sounded better than it does now.",
]
CHROME = ["Share this", "- Home", "- News", "- Sport", "Privacy Policy"]

# Three sites' ways of setting out a list of dates or picks, under a heading that ends in no colon.
TOUR = [
    "The Harbour Band Tour Dates",
    "June 9 – West Bay, CA @ Harbour Green Amphitheatre",
    "June 10 – East Bay, CA @ Old Town Square",
    "June 14 – North Point, OR @ The Breakwater Stage",
    "July 2 – South Cove, WA @ Lighthouse Field Arena",
    "July 5 – Port Hill, WA @ Quay Street Theatre",
]
CALENDAR = [
    "Coastal Rally 2021 calendar",
    "1st round: 10 March – Harbour Circuit",
    "2nd round: 8 April – Old Town Street Course",
    "3rd round: 22 April – Breakwater Raceway",
    "4th round: 6 May – Lighthouse Ring",
    "5th round: 20 May – to be announced",
]
PICKS = [
    "Our picks for the week",
    "1) A wooden model of the harbour lighthouse",
    "2) The band's complete recordings on vinyl, all fifty years",
    "3) A board game about fishing in the bay",
    "4) A guide to the harbour walk, second edition, with maps",
]


@pytest.mark.parametrize("items", [TOUR, CALENDAR, PICKS])
def test_a_list_built_alike_ends_the_article(tmp_path: Path, items: list[str]) -> None:
    (tmp_path / "page.txt").write_text("\n".join(["Band tour", *ARTICLE, *items, *CHROME]) + "\n")
    text = " ".join(p.text for p in paragraphs(read_corpus(tmp_path)))
    assert all(item.split(" ", 1)[1] in text for item in items[1:])
    assert "Privacy Policy" not in text


# Boxes of links to other stories: headlines with a topic and a colon, bulleted links, social links.
RELATED = [
    "Moon landing: How a rocket failed seconds after launch",
    "Royal wedding 2020: Will the princess wear a tiara?",
    "Asteroid warning: Space agency reveals the dates a rock could hit",
    "Black hole shock: New method to explore black holes explained",
]
BULLETED = [
    "- Harbour wall plan approved after long debate",
    "- Plague of rats blamed on new bins in town",
    "- Major cities face a summer of roadworks",
    "- Find us on Facebook",
    "- Follow us on Twitter",
]


@pytest.mark.parametrize("box", [RELATED, BULLETED])
def test_links_to_other_stories_are_no_list(tmp_path: Path, box: list[str]) -> None:
    assert not list_runs.list_lines(box)
    (tmp_path / "page.txt").write_text("\n".join(["Band tour", *ARTICLE, "More stories", *box]) + "\n")
    text = " ".join(p.text for p in paragraphs(read_corpus(tmp_path)))
    assert ARTICLE[0] in text
    assert not any(line.lstrip("- ") in text for line in box)


def test_list_lines_need_three_items_in_a_row() -> None:
    lines = [TOUR[1], TOUR[2], "", "A sentence of the article in between.", TOUR[3], TOUR[4]]
    assert list_runs.list_lines(lines) == set()
    assert list_runs.list_lines([TOUR[1], "", TOUR[2], TOUR[3]]) == {0, 2, 3}
