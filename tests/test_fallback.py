"""Never losing the article: the plain extraction when the precise one loses it, text found in the raw page
however an extractor joined it, and every page that gives no passage named with why."""

from __future__ import annotations

from qa.build.pipeline import passages_of, without_passages
from qa.config import Settings
from qa.evaluate.pages import bundled_tokens
from qa.ingest.documents import Document
from qa.ingest.html import _align, _VisibleText, extract_html

STORY = [
    "The harbour board voted on Monday to rebuild the old north pier, which storms damaged beyond repair "
    "last winter, at a cost the board put at four million pounds.",
    "Fishermen who use the pier said the decision came late but was welcome, since boats have had to land "
    "their catch at a town twenty miles along the coast since January.",
    "Work is due to start in the spring and to last eighteen months, during which the south pier will take "
    "all the traffic the harbour handles.",
    "The board said it would ask the county for help with the cost, and that a public meeting on the plans "
    "would be held in the town hall next month.",
]


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>Pier to be rebuilt</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<main><h1>Pier to be rebuilt</h1>{body}</main><footer>Contact us</footer></body></html>"
    )


def test_a_story_set_in_boxes_named_like_chrome_is_kept() -> None:
    # Each paragraph in a box whose class says "social": pruning such boxes takes the whole story,
    # and the plain extraction of the page as it is must bring it back.
    raw = page("".join(f'<div class="social-card"><p>{p}</p></div>' for p in STORY))
    blocks = extract_html(raw).blocks
    assert [b.text for b in blocks] == STORY
    for block in blocks:
        assert raw[block.start : block.end] == block.text


def test_a_stray_conditional_comment_end_does_not_hide_the_page() -> None:
    # Browsers read "<![endif]-->" as a bogus comment up to the first ">"; read as a marked section it
    # would run to the "]]>" in the script at the bottom and hide the article with it.
    head = '<!--[if IE 9]>--><link rel="stylesheet" href="/ie.css"><![endif]-->'
    body = "".join(f"<p>{p}</p>" for p in STORY) + "<script>//<![CDATA[\nvar seen = 1;\n//]]></script>"
    raw = page(body, head)
    blocks = extract_html(raw).blocks
    assert [b.text for b in blocks] == STORY
    assert all(raw[b.start : b.end] == b.text for b in blocks)
    # One left open runs to the end of the page, as in a browser.
    assert _VisibleText("<p>Shown.</p><![endif").text == "Shown."


def test_a_paragraph_joined_across_a_widget_is_placed_by_its_sentences() -> None:
    # The extractor left out the widget between two sentences: whole, the paragraph is nowhere on the page.
    first, second = "The pier will be rebuilt in the spring.", "Boats will land at the south pier until then."
    raw = f"<div><p>{first} <span><button>Listen</button></span> {second}</p><p>{STORY[0]}</p></div>"
    blocks = _align([f"{first} {second}", STORY[0]], _VisibleText(raw))
    assert [raw[b.start : b.end] for b in blocks] == [first, second, STORY[0]]


def test_a_sentence_is_not_taken_from_further_down_the_page() -> None:
    # The unplaceable paragraph's sentence also occurs below the next paragraph (a footer repeating it):
    # only the place between its neighbours is its own, or the search would skip the rest of the article.
    notice = "This copy is for your personal use only."
    raw = (
        f"<p>{STORY[0]}</p><p>{notice} <b>Order</b> reprints.</p><p>{STORY[1]}</p>"
        f"<p>{STORY[2]}</p><footer><p>{notice}</p></footer>"
    )
    paragraphs = [STORY[0], f"{notice} Reprints.", STORY[1], STORY[2]]
    blocks = _align(paragraphs, _VisibleText(raw))
    assert [b.text for b in blocks] == [STORY[0], notice, STORY[1], STORY[2]]
    assert blocks[1].end < blocks[2].start


def test_pages_without_an_article_are_named_with_why() -> None:
    story = page("".join(f"<p>{p}</p>" for p in STORY))
    documents = [
        Document("story.html", story),
        Document("challenge.html", "<html><head><script>check();</script></head><body></body></html>"),
        Document(
            "links.html",
            "<html><body><ul><li><a href='/a'>Home</a></li><li><a href='/b'>Log in</a></li></ul>",
        ),
        Document("menu.txt", "Home\nNews\nSport\nWeather\n\nContact us\n"),
    ]
    _, passages = passages_of(Settings(), documents, bundled_tokens())
    named = {s.source: s.reason for s in without_passages(documents, passages)}
    assert set(named) == {"challenge.html", "links.html", "menu.txt"}
    assert "shows no text" in named["challenge.html"]
    assert "shows 3 words" in named["links.html"]
    assert "none of its 5 lines" in named["menu.txt"]


def test_a_page_whose_text_is_another_pages_copy_is_not_named() -> None:
    # Folded into the other page's passage, it is cited through `also_in`: found, not lost.
    story = page("".join(f"<p>{p}</p>" for p in STORY))
    documents = [Document("a.html", story), Document("b.html", story)]
    _, passages = passages_of(Settings(), documents, bundled_tokens())
    assert without_passages(documents, passages) == []
