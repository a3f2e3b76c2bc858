"""Tests for qa.html: main-content blocks, exact raw offsets, title and date."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import lxml.etree
import pytest
import trafilatura

from qa.ingest import html
from qa.ingest.html import Block, HtmlPage, extract_html

ARTICLE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour Bridge Reopens After Repairs | The Coastal Times</title>
  <meta property="article:published_time" content="2023-04-18T09:30:00+00:00">
  <script>window.dataLayer = []; function track() { console.log("tracking pixel"); }</script>
  <style>body { font-family: serif; }</style>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">The Coastal Times</a>
    <nav class="main-nav">
      <ul>
        <li><a href="/news">News</a></li>
        <li><a href="/sport">Sport</a></li>
        <li><a href="/subscribe">Subscribe today</a></li>
      </ul>
    </nav>
  </header>
  <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
    <button>Accept all cookies</button></div>
  <main>
    <article>
      <h1>Harbour Bridge Reopens After Repairs</h1>
      <p class="byline">By Maria Gonz&aacute;lez &middot; <time datetime="2023-04-18">18 April 2023</time></p>
      <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
      <p>The Harbour Bridge reopened to traffic on Tuesday morning after eight months of repairs,
         the city&rsquo;s transport department said. Commuters crossed the span shortly after 6&nbsp;a.m.</p>
      <p>Engineers replaced 1,200 corroded bolts &amp; resurfaced the deck, work that cost an estimated
         &euro;14 million. &#8220;It&#8217;s stronger than when it was built,&#8221; said chief engineer
         Søren Østergaard.</p>
      <script>alert(1)</script>
      <h2>Traffic expected to ease</h2>
      <p>Officials predict that congestion on the ring road will fall by a third now that the bridge is
         open again, although <em>heavy goods vehicles</em> remain restricted until June.</p>
      <p>A reader asked how the city's website escapes markup: the form showed
         &lt;script&gt;alert(2)&lt;/script&gt; as plain text, which is exactly what should happen.</p>
      <ul>
        <li>Speed limit on the bridge: 50 km/h</li>
        <li>Cycle lane reopened on the eastern side</li>
      </ul>
    </article>
    <section id="comments" class="comments">
      <h3>2 comments</h3>
      <div class="comment"><p>Great article, thanks for sharing this with us all!</p></div>
      <div class="comment"><p>My commute finally got shorter, about time.</p></div>
    </section>
  </main>
  <aside class="sidebar"><h3>Most read</h3><ul>
    <li><a href="/a">Storm warning issued for the weekend</a></li>
    <li><a href="/b">Local bakery wins national award</a></li></ul></aside>
  <footer class="site-footer">
    <p>&copy; 2023 The Coastal Times. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p>
  </footer>
</body>
</html>
"""

BOILERPLATE = [
    "Subscribe today",
    "Share on Facebook",
    "Share on Twitter",
    "Accept all cookies",
    "We use cookies",
    "Most read",
    "Storm warning issued",
    "All rights reserved",
    "Privacy policy",
    "Great article",
    "My commute finally",
]

# In document order.
CONTENT = [
    "The Harbour Bridge reopened to traffic on Tuesday morning",
    "Engineers replaced 1,200 corroded bolts & resurfaced the deck",
    "Traffic expected to ease",
    "Officials predict that congestion on the ring road",
    "A reader asked how the city's website escapes markup",
    "Speed limit on the bridge: 50 km/h",
    "Cycle lane reopened on the eastern side",
]


class _VisibleOnly(HTMLParser):
    """Independent reference: tags removed, entities decoded, script/style dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_code += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._in_code -= tag in ("script", "style") and self._in_code > 0

    def handle_data(self, data: str) -> None:
        if not self._in_code:
            self.parts.append(data)


def visible(fragment: str) -> str:
    parser = _VisibleOnly()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def words_in_order(text: str, fragment: str) -> bool:
    """True if the words of `text` occur, in order, in the visible text of `fragment`."""
    haystack = visible(fragment)
    position = 0
    for word in text.split():
        found = haystack.find(word, position)
        if found == -1:
            return False
        position = found + len(word)
    return True


def assert_offsets_exact(raw: str, blocks: list[Block]) -> None:
    for block in blocks:
        assert 0 <= block.start < block.end <= len(raw), block
        assert words_in_order(block.text, raw[block.start : block.end]), (block, raw[block.start : block.end])
        # Tight: the slice begins and ends on visible characters, not on markup or spaces.
        assert raw[block.start] not in "< \t\r\n", block
        assert raw[block.end - 1] not in "> \t\r\n", block


def block_index(page: HtmlPage, snippet: str) -> int:
    hits = [i for i, block in enumerate(page.blocks) if snippet in block.text]
    assert hits, f"{snippet!r} not in any block: {[b.text for b in page.blocks]}"
    return hits[0]


@pytest.fixture(scope="module")
def article() -> HtmlPage:
    return extract_html(ARTICLE)


def test_reference_helper_can_fail() -> None:
    assert words_in_order("bolts & deck", "<p>bolts &amp; the <b>deck</b></p>")
    assert not words_in_order("deck bolts", "<p>bolts &amp; the deck</p>")
    assert not words_in_order("alert", "<p>x</p><script>alert(1)</script>")


def test_title_and_date(article: HtmlPage) -> None:
    assert article.title == "Harbour Bridge Reopens After Repairs"
    assert article.date == "2023-04-18"


def test_boilerplate_is_not_in_blocks(article: HtmlPage) -> None:
    texts = [block.text for block in article.blocks]
    for phrase in BOILERPLATE:
        assert not any(phrase in text for text in texts), phrase


def test_headline_is_the_title_not_a_block(article: HtmlPage) -> None:
    # The citation carries the title; as a block it would run into the first paragraph as one sentence.
    assert not any(block.text == article.title for block in article.blocks)


def test_content_blocks_present_in_document_order(article: HtmlPage) -> None:
    indices = [block_index(article, snippet) for snippet in CONTENT]
    assert indices == sorted(set(indices)), indices
    starts = [block.start for block in article.blocks]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(article.blocks, article.blocks[1:], strict=False))


def test_offsets_point_at_the_block_text(article: HtmlPage) -> None:
    assert_offsets_exact(ARTICLE, article.blocks)
    # On this well-formed page the slice renders to exactly the block text.
    for block in article.blocks:
        assert visible(ARTICLE[block.start : block.end]) == block.text


def test_offsets_of_a_known_paragraph(article: HtmlPage) -> None:
    block = article.blocks[block_index(article, "Engineers replaced")]
    assert ARTICLE[block.start :].startswith("Engineers replaced 1,200 corroded bolts &amp; resurfaced")
    assert ARTICLE[: block.end].endswith("Søren Østergaard.")


def test_entities_are_decoded_and_whitespace_collapsed(article: HtmlPage) -> None:
    first = article.blocks[block_index(article, "reopened to traffic")].text
    assert "the city’s transport department" in first
    assert first.endswith("shortly after 6 a.m.")
    second = article.blocks[block_index(article, "Engineers replaced")].text
    assert "bolts & resurfaced" in second
    assert "estimated €14 million. “It’s stronger than when it was built,” said" in second
    for block in article.blocks:
        assert block.text == " ".join(block.text.split())
        assert "\xa0" not in block.text and "&amp;" not in block.text and "&#" not in block.text


def test_non_ascii_text_survives(article: HtmlPage) -> None:
    assert "Søren Østergaard" in article.blocks[block_index(article, "Engineers replaced")].text


def test_scripts_never_text_but_escaped_markup_is(article: HtmlPage) -> None:
    texts = " ".join(block.text for block in article.blocks)
    assert "alert(1)" not in texts
    assert "tracking pixel" not in texts
    assert "font-family" not in texts
    block = article.blocks[block_index(article, "escapes markup")]
    assert "the form showed <script>alert(2)</script> as plain text" in block.text
    assert "&lt;script&gt;" in ARTICLE[block.start : block.end]


def test_headings_and_list_items_are_separate_blocks(article: HtmlPage) -> None:
    texts = [block.text for block in article.blocks]
    assert "Traffic expected to ease" in texts
    assert "Speed limit on the bridge: 50 km/h" in texts
    assert "Cycle lane reopened on the eastern side" in texts


@pytest.mark.parametrize("raw", ["", "   ", "\n\t \r\n"])
def test_empty_input(raw: str) -> None:
    assert extract_html(raw) == HtmlPage(None, None, [])


def test_malformed_html() -> None:
    raw = (
        "<html><body><div class='story'><h1>Vineyards of the Duero</h1>"
        "<p>The río Duero runs past terraced vineyards &amp; small caf&eacute;s where growers "
        "meet after the harvest to compare notes on the season"
        "<p>Growers say the 2022 vintage was small but concentrated, with grapes picked two weeks early"
        "<div>Unclosed div with a <b>bold claim about prices rising sharply this year"
    )
    page = extract_html(raw)
    assert_offsets_exact(raw, page.blocks)
    texts = [block.text for block in page.blocks]
    assert any(text.startswith("The río Duero runs past terraced vineyards & small cafés") for text in texts)
    assert block_index(page, "río Duero") < block_index(page, "Growers say the 2022 vintage")


def test_date_from_time_element_and_crlf_offsets() -> None:
    raw = (
        "<html>\r\n<head><title>Council approves new library</title></head>\r\n<body>\r\n"
        "<nav><a href='/'>Home</a> <a href='/local'>Local</a></nav>\r\n<article>\r\n"
        "<h1>Council approves new library</h1>\r\n"
        '<time datetime="2021-06-03T10:00:00">3 June 2021</time>\r\n'
        "<p>The council voted on Wednesday to build a new library\r\n"
        "in the town centre, replacing the 1960s building on Mill Street.</p>\r\n"
        "<blockquote>&ldquo;Everyone deserves a warm, quiet place to read,&rdquo; the mayor said. "
        "&ldquo;Now we can build one.&rdquo;</blockquote>\r\n"
        "<p>Construction is expected to start next spring and take about eighteen months.</p>\r\n"
        "</article>\r\n</body>\r\n</html>\r\n"
    )
    page = extract_html(raw)
    assert page.date == "2021-06-03"
    assert page.title == "Council approves new library"
    assert_offsets_exact(raw, page.blocks)
    quote = page.blocks[block_index(page, "warm, quiet place")]
    said = "“Everyone deserves a warm, quiet place to read,” the mayor said. “Now we can build one.”"
    assert quote.text == said
    # A block that starts and ends on an entity spans the whole reference.
    assert raw[quote.start :].startswith("&ldquo;Everyone")
    assert raw[: quote.end].endswith("build one.&rdquo;")
    paragraph = page.blocks[block_index(page, "The council voted")]
    assert paragraph.text.endswith("library in the town centre, replacing the 1960s building on Mill Street.")


def test_no_date_when_page_has_none() -> None:
    raw = (
        "<html><head><title>How to repot a fern</title></head><body><article>"
        "<h1>How to repot a fern</h1><p>Choose a pot one size larger than the current one and "
        "water the fern thoroughly the day before you move it into fresh compost.</p></article>"
        "<footer>&copy; 2019 Green Thumbs</footer></body></html>"
    )
    page = extract_html(raw)
    assert page.date is None
    assert page.title == "How to repot a fern"
    assert "Green Thumbs" not in " ".join(block.text for block in page.blocks)


def test_block_repeated_in_menu_is_located_in_the_article() -> None:
    raw = (
        "<html><head><meta property='og:title' content='Storm season ahead'></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>Weather</a></li></ul></nav>"
        "<article><h2>Weather</h2>"
        "<p>Forecasters expect an unusually active storm season this autumn, with at least six "
        "named storms predicted for the region.</p>"
        "<p>Rainfall in September was nearly double the long-term average, according to the "
        "national meteorological office.</p></article>"
        "<footer><p>Weather</p></footer></body></html>"
    )
    page = extract_html(raw)
    assert_offsets_exact(raw, page.blocks)
    heading = page.blocks[0]
    assert heading.text == "Weather"
    assert raw.index("<h2>") < heading.start < raw.index("</h2>")


def test_hidden_elements_and_table_cells() -> None:
    raw = (
        "<html><body><article><h1>Turnout by district</h1>"
        "<noscript><p>Please enable JavaScript to view the interactive map.</p></noscript>"
        "<template><p>Template paragraph that is never rendered on the page.</p></template>"
        "<p>Turnout rose in every district compared with the previous election, officials said on Monday.</p>"
        "<table><tr><th>District</th><th>Turnout</th></tr>"
        "<tr><td>Northgate</td><td>64&nbsp;%</td></tr><tr><td>Riverside</td><td>58&nbsp;%</td></tr></table>"
        "<p>The final count will be certified by the electoral commission later this week.</p>"
        "</article></body></html>"
    )
    page = extract_html(raw)
    assert_offsets_exact(raw, page.blocks)
    texts = [block.text for block in page.blocks]
    assert not any("JavaScript" in text or "Template paragraph" in text for text in texts)
    assert "Northgate" in texts and "64 %" in texts and "Riverside" in texts
    order = [block_index(page, snippet) for snippet in ("Turnout rose", "Northgate", "final count")]
    assert order == sorted(order)


PARAGRAPHS = (
    "<p>The regional parliament voted on Tuesday to expand the tram network by eleven kilometres, "
    "adding two lines that will connect the university campus with the northern suburbs.</p>"
    "<p>Construction is due to begin next spring and the first trams should run in 2027, according "
    "to the transport authority, which estimates the cost at 480 million euros.</p>"
    "<p>Opposition members criticised the timetable, arguing that the northern line should have been "
    "built first because its residents have the longest commutes in the region.</p>"
)

SIDEBAR = (
    "<aside class='sidebar'><h3>Latest news</h3><ul>"
    "<li><span class='date'>2023-10-02</span> <a href='/x'>Museum reopens its west wing after renovation</a></li>"
    "<li><time datetime='2023-09-15'>15 September 2023</time> <a href='/y'>Harvest festival draws record crowds</a></li>"
    "</ul></aside>"
)


def test_json_ld_news_article_metadata_beats_a_sidebars_dates() -> None:
    raw = (
        "<html><head><title>Tram network to grow by eleven kilometres | Metro Courier</title>"
        '<meta property="og:site_name" content="Metro Courier">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Tram network to grow by eleven kilometres", "datePublished": "2023-11-07T08:15:00+01:00",'
        ' "author": [{"@type": "Person", "name": "Ingrid Halvorsen"}, {"@type": "Person", "name": "Tomas Berg"}],'
        ' "publisher": {"@type": "Organization", "name": "Metro Courier"}}</script></head><body>'
        f"{SIDEBAR}<article><h1>Tram network to grow by eleven kilometres</h1>"
        f"<p class='byline'>By Ingrid Halvorsen and Tomas Berg</p>{PARAGRAPHS}</article></body></html>"
    )
    page = extract_html(raw)
    assert page.date == "2023-11-07"
    assert page.title == "Tram network to grow by eleven kilometres"
    assert page.author == "Ingrid Halvorsen, Tomas Berg"
    assert_offsets_exact(raw, page.blocks)


def test_og_title_and_time_element_in_the_article() -> None:
    raw = (
        "<html><head><title>Tram network grows - Metro Courier</title>"
        '<meta property="og:title" content="Tram network to grow by eleven kilometres">'
        '<meta name="author" content="By Ingrid Halvorsen">'
        f"</head><body><article><h1>Tram network to grow by eleven kilometres</h1>"
        f'<p>Written: <time datetime="2023-11-07">7 November 2023</time></p>{PARAGRAPHS}</article>'
        f"{SIDEBAR}</body></html>"
    )
    page = extract_html(raw)
    assert page.title == "Tram network to grow by eleven kilometres"
    assert page.date == "2023-11-07"
    assert page.author == "Ingrid Halvorsen"


def test_no_date_on_the_page_means_none_even_with_a_dated_sidebar() -> None:
    raw = (
        "<html><head><title>Tram network to grow by eleven kilometres</title></head><body>"
        f"<article><h1>Tram network to grow by eleven kilometres</h1>{PARAGRAPHS}</article>"
        f"{SIDEBAR}</body></html>"
    )
    page = extract_html(raw)
    assert page.date is None
    assert page.author is None


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ('<meta name="author" content="https://www.facebook.com/metrocourier">', None),
        ('<meta name="author" content="Metro Courier">', None),
        ('<meta name="author" content="Staff Reporter">', None),
        ('<meta name="author" content="By INGRID HALVORSEN">', "Ingrid Halvorsen"),
    ],
)
def test_author_is_a_person(declared: str, expected: str | None) -> None:
    raw = (
        f'<html><head><meta property="og:site_name" content="Metro Courier">{declared}'
        f"<title>Tram network</title></head><body><article><h1>Tram network</h1>{PARAGRAPHS}</article></body></html>"
    )
    assert extract_html(raw).author == expected


def test_site_name_is_stripped_from_the_title_only_when_it_is_the_sites() -> None:
    head = '<html><head><meta property="og:site_name" content="Metro Courier"><meta property="og:title" content="{}">'
    body = f"</head><body><article>{PARAGRAPHS}</article></body></html>"
    assert extract_html(head.format("Trams: the plan | Metro Courier") + body).title == "Trams: the plan"
    assert extract_html(head.format("Rome - A Travel Guide") + body).title == "Rome - A Travel Guide"


def test_article_in_an_unusual_container_is_kept_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # On real pages precision-first extraction has dropped a whole body held in an unusual
    # container; simulate that (precision mode sees the page without its story box) and check
    # the default extraction is used instead, with exact offsets.
    story = f"<div class='story-box'>{PARAGRAPHS}</div>"
    raw = (
        "<html><head><title>Tram network to grow</title></head><body>"
        "<div class='menu'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></div>"
        "<div class='col'><h1>Tram network to grow by eleven kilometres</h1>"
        "<p>Metro Courier is an independent newsroom covering transport and housing in the region.</p>"
        f"{story}</div></body></html>"
    )
    real = trafilatura.bare_extraction

    def precision_drops_the_box(page: Any, **options: object) -> object:
        # The extractor is given the page's tree, its chrome boxes already taken out.
        if options.get("favor_precision"):
            for box in page.xpath("//div[@class='story-box']"):
                box.getparent().remove(box)
        return real(page, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", precision_drops_the_box)
    page = extract_html(raw)
    text = " ".join(block.text for block in page.blocks)
    for phrase in ("expand the tram network", "480 million euros", "longest commutes in the region"):
        assert phrase in text
    assert "Sport" not in text
    assert_offsets_exact(raw, page.blocks)


# --- chrome inside the article container ------------------------------------------------------------

STORY = [
    "The county council approved a new flood barrier for the lower town on Monday evening, after "
    "three winters in which the river broke its banks.",
    "The barrier will run for two kilometres along the east bank and is expected to cost 38 million "
    "euros, most of it from a national resilience fund.",
    "Residents who spoke at the meeting said the plan came too late for the shops on Quay Street, "
    "several of which have closed since the last flood.",
    "Construction is due to start in the spring and to finish before the winter of next year, the "
    "council's engineer told members.",
]


def _page(inside: str, after: str = "") -> str:
    """An article page: headline, four paragraphs, `inside` after the second, `after` after the last."""
    paragraphs = [f"<p>{text}</p>" for text in STORY]
    return (
        "<html><head><meta property='og:title' content='Council backs flood barrier'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<main><article><h1>Council backs flood barrier</h1>"
        f"{''.join(paragraphs[:2])}{inside}{''.join(paragraphs[2:])}{after}"
        "</article></main><footer><p>Riverside Gazette</p></footer></body></html>"
    )


def _assert_story_without(raw: str, chrome: list[str]) -> None:
    page = extract_html(raw)
    text = " ".join(block.text for block in page.blocks)
    for paragraph in STORY:
        assert paragraph in text
    for phrase in chrome:
        assert phrase not in text, phrase
    assert_offsets_exact(raw, page.blocks)


@pytest.mark.parametrize(
    "box",
    [
        "<aside>{}</aside>",
        "<div class='recirc-module'>{}</div>",  # no <aside>: only the template's name says what it is
    ],
)
def test_related_links_box_in_the_article_is_left_out(box: str) -> None:
    related = box.format(
        "<h3>Keep reading</h3><p>The river has flooded the lower town three times since 2019, and each "
        "time the council promised action.</p>"
        "<ul><li><a href='/a'>River levels: what the gauges say</a></li></ul>"
    )
    _assert_story_without(_page(related), ["Keep reading", "each time the council promised", "gauges say"])


def test_newsletter_box_inside_the_article_body_is_left_out() -> None:
    box = (
        "<div class='story-cta'><h4>The Morning Brief</h4>"
        "<p>Local news you need, every weekday before breakfast. No spam, ever.</p>"
        "<input type='email' placeholder='Your email'><span>Sign me up</span></div>"
    )
    _assert_story_without(_page(box), ["The Morning Brief", "before breakfast", "Sign me up"])


def test_figure_caption_and_credit_are_left_out() -> None:
    figure = (
        "<figure><img src='/barrier.jpg' alt=''><figcaption>Flood water on Quay Street last January. "
        "<span>Photo: Ana Ruiz for the Gazette</span></figcaption></figure>"
        "<div class='media-credit'><p>Illustration by the county engineering office, 2024</p></div>"
    )
    _assert_story_without(
        _page(figure), ["Flood water on Quay Street", "Ana Ruiz", "county engineering office"]
    )


def test_figure_holding_a_table_is_kept() -> None:
    table = (
        "<figure><table><tr><td>Barrier length</td><td>2 km</td></tr>"
        "<tr><td>Estimated cost</td><td>38 million euros</td></tr></table></figure>"
    )
    text = " ".join(block.text for block in extract_html(_page(table)).blocks)
    assert "Estimated cost" in text


def test_author_bio_card_at_the_end_is_left_out() -> None:
    bio = (
        "<div class='c-author-bio'><p>Tom Hale covers local government and the environment for the "
        "Gazette. He has reported from the lower town since 2015.</p></div>"
        "<p>Tom Hale can be reached at tom.hale@gazette.example. Follow him on Twitter @tomhale.</p>"
    )
    _assert_story_without(_page("", bio), ["covers local government", "can be reached", "@tomhale"])


def test_contributed_reporting_and_pitch_lines_at_the_end_are_left_out() -> None:
    tail = (
        "<p>Maria Costa contributed reporting from the county hall.</p>"
        "<p>Get the Gazette delivered to your door every morning. Subscribe today.</p>"
    )
    _assert_story_without(_page("", tail), ["contributed reporting", "delivered to your door", "Subscribe"])


def test_chrome_words_in_mid_article_prose_are_kept() -> None:
    # The same words inside the story are reporting, not a pitch: only the article's edges are chrome.
    prose = (
        "<p>Shop owners said they would subscribe to the council's flood alerts, and a volunteer who "
        "contributed reporting to a residents' newsletter said the plan was overdue.</p>"
    )
    raw = _page(prose)
    _assert_story_without(raw, [])
    assert "subscribe to the council's flood alerts" in " ".join(b.text for b in extract_html(raw).blocks)


def test_headline_set_in_h1_is_not_a_block_even_when_the_declared_title_differs() -> None:
    raw = _page("").replace(
        "<h1>Council backs flood barrier</h1>", "<h1>Lower town to get its flood wall at last</h1>"
    )
    page = extract_html(raw)
    assert page.title == "Lower town to get its flood wall at last"
    assert not any("flood wall at last" in block.text for block in page.blocks)
    _assert_story_without(raw, [])


def test_photo_credit_line_between_paragraphs_is_left_out() -> None:
    credit = "<p>The quay at high tide, photos © Riverside Gazette, 2024</p>"
    _assert_story_without(_page(credit), ["photos ©"])


def test_comment_moderation_note_at_the_end_is_left_out() -> None:
    note = "<p>Note: we are temporarily moderating all comments submitted to deal with a surge in spam.</p>"
    _assert_story_without(_page("", note), ["moderating all comments"])


def test_template_data_and_a_repeated_summary_after_the_article_are_left_out() -> None:
    summary = f"<p>{STORY[0]} {STORY[1]}</p>"
    tail = f"{summary}<p>2024-03-04T08:57:40+01:00</p><p>https://gazette.example/img/barrier.jpg</p>"
    raw = _page("", tail)
    page = extract_html(raw)
    assert sum(STORY[1] in block.text for block in page.blocks) == 1
    _assert_story_without(raw, ["2024-03-04T08", "barrier.jpg"])


def test_a_named_span_inside_a_sentence_does_not_cost_the_paragraph() -> None:
    # Pruning it would leave a paragraph whose text is nowhere in the page as one run.
    inline = "<p>The plan was backed by <span class='promo-tag'>twelve</span> of the 15 members present.</p>"
    page = extract_html(_page(inline))
    assert any("of the 15 members present" in block.text for block in page.blocks)
    _assert_story_without(_page(inline), [])


def test_a_heading_named_as_chrome_inside_the_article_is_not_its_title() -> None:
    # A "more from this section" box set with an <h1> of its own sits between the headline and the body;
    # the declared title is another wording of the shown headline, so only the box's heading stands nearer.
    raw = ARTICLE.replace(
        "<title>Harbour Bridge Reopens After Repairs | The Coastal Times</title>",
        "<title>Repaired span back in use for commuters | The Coastal Times</title>",
    ).replace(
        '<div class="share-buttons">',
        '<h1 class="in-article-recirc__header">More on City Transport Projects</h1><div class="share-buttons">',
    )
    assert extract_html(raw).title == "Harbour Bridge Reopens After Repairs"


def test_paragraph_after_a_linked_image_is_kept() -> None:
    # trafilatura folds the text after a linked image into the link: the paragraph is still the article's.
    deal = (
        "The price of the crystal controller has dropped to holiday levels a week early. It is the best looking "
        "of all the controllers, and one of the most popular. Because of its colour and matte texture, it is also "
        "the least likely of your controllers to look grimy after hours and hours of continuous use."
    )
    inside = f"<p><a href='https://shop.example/c'><img src='/c.jpg' alt='controller'></a>{deal}</p>"
    _assert_story_without(_page(inside), [])
    assert deal in " ".join(block.text for block in extract_html(_page(inside)).blocks)


def test_a_linked_headline_and_a_linked_summary_are_still_links() -> None:
    teaser = (
        "<p><a href='/b'>Bridge closes for repairs. Drivers face a twelve-mile detour until the spring, the "
        "council said on Monday.</a></p>"
    )
    _assert_story_without(_page(teaser), ["Bridge closes", "detour"])


def test_a_paragraph_the_page_links_whole_is_still_a_link() -> None:
    # The extractor's tree marks both paragraphs as link text; only the promotion is a link on the page.
    promo = (
        "Get access to the region's fastest growing business newsletter for as little as ten dollars for the first "
        "year. Use the code at checkout. The newsletter offers you all the information you need, including "
        "investment ideas, independent research and analysis, in your inbox every weekday morning before the markets "
        "open."
    )
    story = " ".join(STORY[:3])
    raw = f"<html><body><p><a href='/c'><img src='/c.jpg'></a>{story}</p><p><a href='/pro'>{promo}</a></p></body></html>"
    tree = lxml.etree.fromstring(
        f"<body><p><ref target='/c'>{story}</ref></p><p><ref target='/pro'>{promo}</ref></p></body>"
    )
    assert html._block_texts(tree, html._long_links(raw)) == [story]
