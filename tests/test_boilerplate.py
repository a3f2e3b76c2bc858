"""Page chrome recognised by kind, and the article body kept whole, on pages made up here."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import body_region, boilerplate
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus

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
        ("Enter City and State or Zip Code", "prompt"),
        ("Type your email address", "prompt"),
        ("Enter the Dragon returns to cinemas", None),
        ("S'abonner - 2 mois pour 1€", "prompt"),
        ("Jetzt abonnieren!", "prompt"),
        ("Embed this Tweet", "prompt"),
        ("Share it With Friends", "share"),
        ("Send this page to someone via email", "share"),
        ("Copy article link", "share"),
        ("Foto: Liselotte Sabroe/Ritzau Scanpix", "credit"),
        ("This copy is for your personal non-commercial use only. To order", "footer"),
        ("presentation-ready copies of Daily Planet content for distribution", "footer"),
        ("Republication or distribution of this content is expressly prohibited", "footer"),
        ("Use of any of this information is strictly prohibited without express written consent.", "footer"),
        ("Smoking is strictly prohibited in the building, the council said.", None),
        ("Свидетельство о регистрации СМИ ЭЛ № ФС 77 - 57529", "footer"),
        ("Fotografía de la semana", None),
        ("Decrease article font size", "prompt"),
        ("A+", "prompt"),
        ("Text Size", "prompt"),
        ("Why you're seeing this ad", "prompt"),
        ("AdChoices", "prompt"),
        ("Ad choices matter to voters in the report", None),
        ("The text size of the bill grew", None),
        ("Print This Article", "share"),
        ("Printing costs rose", None),
        ("Добавить комментарий", "prompt"),
        ("Lascia un commento", "prompt"),
        (
            "Сохранить моё имя, email и адрес сайта в этом браузере для последующих моих комментариев.",
            "footer",
        ),
        ("Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *", "footer"),
        ("Baca juga: Harga emas naik lagi", "related"),
        ("[Related: Keynote draws protesters]", "related"),
        (
            "Leggi anche: ecco gli attori che interpreteranno i cavalieri nella serie e il loro regista",
            "related",
        ),
        ("Der Bericht wird nicht veröffentlicht, sagte die Ministerin am Dienstag.", None),
        ("Les abonnés de la ligne de ferry attendent", None),
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
    assert body_region.body_span(lines) == (4, 8)


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


def _page_text(tmp_path: Path, lines: list[str]) -> tuple[str, list]:
    (tmp_path / "page.txt").write_text("\n".join(lines) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    return " ".join(p.text for p in found), found


COMMENT = (
    "I grew up near that harbour and the wall has been crumbling for as long as I can remember, frankly."
)


@pytest.mark.parametrize(
    "section",
    [
        [
            "3 Comments",
            "Ann Smith says:",
            COMMENT,
            "Reply",
            "Bob Jones says:",
            "Totally agree, Ann, about time.",
        ],
        ["Comments", "Ann Smith", "2 days ago", COMMENT, "Reply"],
        ["Leave a Reply", COMMENT],
        ["Join the discussion", COMMENT],
    ],
)
def test_comment_section_below_the_article_is_dropped(tmp_path: Path, section: list[str]) -> None:
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt before winter storms", *ARTICLE, *section])
    assert ARTICLE[0] in text and ARTICLE[-1] in text
    assert "crumbling" not in text


def test_article_wins_over_a_longer_run_below_its_comment_form() -> None:
    # Below "Leave a Reply" a poll or a block of comments can hold a little more prose than a short article.
    below = [
        "We ran a poll of our readers about the harbour wall and the council's plans for the seafront this year.",
        "Most readers who answered said the wall should have been rebuilt two winters ago, before the floods.",
        "A third said the money would be better spent on the promenade, the lifeboat station and the beach huts.",
        "The rest did not mind either way, or said they had never been to the harbour at all in their lives.",
        "The poll closes on Friday at noon.",
    ]
    shares = ["Facebook", "Twitter", "Email", "Pinterest", "LinkedIn", "WhatsApp", "Telegram"] * 2
    chrome = [
        *shares,
        "Previous Post",
        "Next Post",
        "Leave a Reply",
        "You must be logged in to post a comment.",
    ]
    lines = ["Home", "Harbour wall to be rebuilt", *ARTICLE, *chrome, "Reader poll", *below]
    assert body_region.body_span(lines) == (2, 6)


def test_author_bio_box_below_the_article_is_dropped(tmp_path: Path) -> None:
    bio = "Jane Doe has covered the coast for the Gazette since 2009 and lives in the old town with her dog."
    text, _ = _page_text(
        tmp_path, ["Harbour wall to be rebuilt before winter storms", *ARTICLE, "About the author", bio]
    )
    assert ARTICLE[-1] in text
    assert "Gazette" not in text


def test_newsletter_prompt_below_the_article_ends_it(tmp_path: Path) -> None:
    promo = (
        "Get the best of our local reporting delivered straight to your inbox every single weekday morning."
    )
    more = "Our journalists cover the council, the schools, the courts and the harbour for readers like you."
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt", *ARTICLE, promo, more])
    assert ARTICLE[-1] in text
    assert "inbox" not in text and "journalists" not in text


def test_comments_link_above_the_article_does_not_end_it(tmp_path: Path) -> None:
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt", "12 comments", *ARTICLE])
    assert all(line in text for line in ARTICLE)


def test_photo_caption_under_the_headline(tmp_path: Path) -> None:
    caption = "Council leader Ann Smith, left, and harbour master Tom Lee inspect the wall on Monday, Nov. 18, 2019."
    text, found = _page_text(
        tmp_path,
        ["Harbour wall to be rebuilt before winter storms", caption, "(AP Photo/John Roe)", *ARTICLE],
    )
    assert found[0].citation.title == "Harbour wall to be rebuilt before winter storms"
    assert "inspect" not in text and "AP Photo" not in text
    assert all(line in text for line in ARTICLE)


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Ann Smith, left, and Tom Lee inspect the harbour wall.", True),
        ("In this Dec. 12, 2006, file photo, astronauts work outside the station.", True),
        ("A long row of unsold cars sits in a lot in Houston. (AP Photo/David J. Phillip)", True),
        ("The council left the meeting without a vote, and the harbour master was angry.", False),
        ("Turn right at the harbour and the wall is on the left.", False),
        ("Flood defences at the harbour mouth, Jan. 4, 2019. (EPA/Jan Novak)", True),
        (
            "The topic with the most promise has been argued over for years: the electronic patient file (ePA)",
            False,
        ),
    ],
)
def test_is_caption(line: str, caption: bool) -> None:
    assert boilerplate.is_caption(line) is caption


def test_author_bio_line_at_the_end_is_dropped_but_not_one_up_top(tmp_path: Path) -> None:
    bio = "Jane Doe is a reporter for the Gazette, covering the council and the coast since 2009."
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt", *ARTICLE, bio])
    assert ARTICLE[-1] in text and "Gazette" not in text
    quoted = "Tom Lee is a writer who has lived by the harbour for forty years and opposes the plan."
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt", quoted, *ARTICLE])
    assert "forty years" in text


@pytest.mark.parametrize(
    "line",
    [
        "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
        "(Reporting by Greg Roe; Editing by Ann Lee)",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    ],
)
def test_agency_credits_and_follow_prompts_are_chrome(line: str) -> None:
    assert boilerplate.kind(line) is not None


def test_browser_notice_is_chrome() -> None:
    assert boilerplate.kind("Media playback is unsupported on your device") is not None
    assert boilerplate.kind("Your browser does not support the video tag.") is not None


def test_newsletter_pitch_broken_over_two_lines_ends_the_article(tmp_path: Path) -> None:
    teasers = [
        "After 60 games last season the eventual champions were in trouble, and nobody expected a title.",
        "The team was 27-33 then, while its rivals had the second-best record in the league.",
    ]
    page = [
        "Harbour wall to be rebuilt",
        *ARTICLE,
        "Sign up for the",
        "Morning Brief newsletter",
        "The Latest",
        *teasers,
    ]
    text, _ = _page_text(tmp_path, page)
    assert ARTICLE[-1] in text
    assert "eventual champions" not in text


def test_newsletter_box_inside_the_article_does_not_end_it(tmp_path: Path) -> None:
    more = [
        "The second half of the work will rebuild the northern breakwater, which took the worst of last winter.",
        "Divers surveyed its footings in the spring and found that several of the old stone blocks had shifted.",
        "The contractor plans to lift the loose blocks, pour a new concrete base and set them back in place.",
        "Residents will be able to walk the length of the breakwater again once the work is finished next year.",
    ]
    page = [
        "Harbour wall to be rebuilt",
        *ARTICLE,
        "Get the Gazette delivered to your inbox",
        "Subscribe",
        *more,
    ]
    text, _ = _page_text(tmp_path, page)
    assert ARTICLE[0] in text and more[-1] in text


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Subscribe to WIRED and stay smart with more of your favorite Ideas writers.", True),
        (
            "Sign Up: Stay on top of the latest breaking film and TV news! Sign up for our Email Newsletters here.",
            True,
        ),
        (
            "If you just want the service, you can sign up for a free seven-day trial. Afterwards you will pay "
            "$6.99 per month, and if you know you are in it for the long haul, a year costs $69.99, which "
            "saves you about fifteen dollars over paying month by month.",
            False,
        ),
    ],
)
def test_a_pitch_is_a_few_sentences_and_an_article_may_say_sign_up(line: str, chrome: bool) -> None:
    assert (boilerplate.kind(line) is not None) == chrome


def test_heading_that_says_sign_up_for_a_product_does_not_end_the_article(tmp_path: Path) -> None:
    section = [
        "The Bundle Is Now Live, Sign up for the Streaming Package and Save $5 a Month",
        "The bundle is now live and you can watch every film and show of the three services from a single "
        "subscription, which costs less than two of them would cost apart.",
        "Note: the bundle includes the basic tier with commercials. If you want the tier without them, you "
        "will have to upgrade before you sign up for the bundle.",
    ]
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt", *ARTICLE, *section])
    assert ARTICLE[0] in text and section[-1] in text


def test_a_box_of_teasers_cut_off_mid_sentence_is_not_the_body(tmp_path: Path) -> None:
    teasers = [
        "Bus fares to rise in spring",
        "The council said on Tuesday that fares on every route in the county would rise by ten pence from...",
        "-",
        "Library to close on Sundays",
        "Readers will lose their Sunday opening hours from next month after the library board voted to cut...",
        "-",
        "New school opens its doors",
        "Pupils arrived for the first day of lessons at the new primary school on the old dairy site, which...",
        "-",
    ]
    header = ["Harbour wall to be rebuilt before winter storms", "By Ann Lee", "November 20, 2019"]
    text, found = _page_text(tmp_path, ["Breaking News", "-", *teasers, *header, *ARTICLE])
    assert "fares" not in text and "Pupils" not in text
    assert found[0].citation.title == header[0]
    assert found[0].citation.date == "2019-11-20"


def test_glued_teaser_links_are_not_the_body() -> None:
    teasers = [
        "Police: 2 In Custody After Death Of Student-AthleteA 24-year-old woman and a 28-year-old man have "
        "been arrested in connection with the death of a student athlete, police said on Tuesday night.",
        "Customers Leave Without Paying Bill At SteakhouseA party of six left the restaurant in Troy without "
        "paying a bill of several hundred dollars after a long dinner, the manager said on Monday.",
    ]
    lines = [*teasers, "Weather", "Sports", "Harbour wall to be rebuilt", *ARTICLE]
    assert body_region.body_span(lines) == (5, 9)


def test_list_the_article_introduces_stays_in_the_body(tmp_path: Path) -> None:
    items = [
        "June 9 -- Harbour Green, West Bay",
        "June 10 -- Old Town Square, East Bay",
        "June 14 -- The Breakwater Stage, North Point",
        "June 17 -- Lighthouse Field, South Cove",
    ]
    page = [
        "Harbour festival returns",
        *ARTICLE,
        "The festival's summer dates:",
        *items,
        "Share this",
        "- Home",
        "- News",
    ]
    text, _ = _page_text(tmp_path, page)
    assert all(item in text for item in items)
    assert "Home" not in text


def test_menu_under_a_colon_line_is_no_list_of_the_article() -> None:
    lines = ["Our sites around the globe:", "- World", "- Asia", "- Europe", "- India", *ARTICLE]
    assert body_region.body_span(lines) == (5, 9)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Read these next Windows update is now available via the assistant", "related"),
        ("On example.com: Car sales plunge nearly 17 percent in August", "related"),
        ("- Eleven facts about our galaxy - The biggest open questions - Why the sky is dark", "related"),
        ("No spam, we promise.", "footer"),
        ("Story continues below gallery", "footer"),
        ("Click to share on Twitter (Opens in new window)", "footer"),
        ("If you click on one and make a purchase we may receive a small commission.", "footer"),
    ],
)
def test_link_lists_and_sign_up_small_print(line: str, kind: str) -> None:
    assert boilerplate.kind(line) == kind


@pytest.mark.parametrize(
    ("line", "bio"),
    [
        ("Julius is an LA Entertainment Reporter for Fox News.", True),
        ("Write to Al Root at allen.root@example.com", True),
        ("Ann Lee is a nurse who has worked at the harbour clinic for a decade.", False),
    ],
)
def test_is_bio(line: str, bio: bool) -> None:
    assert boilerplate.is_bio(line) is bio


@pytest.mark.parametrize("line", ["Above: A coworking space in San Francisco.", "(NASA/JPL-Caltech/ASU)"])
def test_more_captions(line: str) -> None:
    assert boilerplate.is_caption(line)


def test_headlines_under_a_related_heading_are_dropped_and_the_article_goes_on(tmp_path: Path) -> None:
    box = [
        "More from the coast",
        "-",
        "Ferry timetable changes for the winter season",
        "-",
        "Who will run the lighthouse museum next year?",
        "-",
    ]
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], *box, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "Ferry" not in text and "lighthouse" not in text and "More from" not in text


def test_related_link_with_its_own_headline_keeps_the_subheading_under_it(tmp_path: Path) -> None:
    page = [
        "Harbour wall to be rebuilt",
        *ARTICLE[:2],
        "Related post: Sea Wall Repairs",
        "What The Plan Costs",
    ]
    text, _ = _page_text(tmp_path, [*page, *ARTICLE[2:]])
    assert "What The Plan Costs" in text


def test_bulleted_headlines_nobody_introduced_are_links_to_other_stories(tmp_path: Path) -> None:
    links = [
        "- Storm Season: Ten Harbours Brace for High Tides",
        "- Photos: The Old Lighthouse Through the Years",
        "- Coastal Towns Weigh New Flood Barriers",
    ]
    text, _ = _page_text(tmp_path, ["Harbour wall to be rebuilt", *ARTICLE[:-1], *links, ARTICLE[-1]])
    assert ARTICLE[-1] in text
    assert "Brace" not in text and "Lighthouse" not in text and "Barriers" not in text


def test_bulleted_list_the_article_introduces_or_prices_stays(tmp_path: Path) -> None:
    shop = ["- Get The Harbour Map for $9.99", "- Get The Tide Table Book for $4.50"]
    partners = ["- The Harbour Trust And Its Volunteer Divers", "- The Coast Guard Office At North Point"]
    page = [
        "Harbour wall to be rebuilt",
        *ARTICLE,
        "The council named its partners:",
        *partners,
        "Readers can order the guides online.",
        *shop,
    ]
    text, _ = _page_text(tmp_path, page)
    assert "Volunteer Divers" in text and "North Point" in text
    assert "Tide Table" in text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["Image caption"], []),
        (["© Ann Lee"], []),
        ([], ["Photo: Ann Lee for the Gazette"]),
        ([], ["(Image: © Harbour Trust)"]),
    ],
)
def test_caption_marked_by_its_label_or_credit_is_dropped(
    tmp_path: Path, before: list[str], after: list[str]
) -> None:
    caption = "Divers inspect the cracked stones of the old harbour wall at low tide in March."
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], *before, caption, *after, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "Divers" not in text


def test_paragraph_next_to_an_empty_credit_or_an_aside_stays(tmp_path: Path) -> None:
    # The short paragraph has an empty credit over it and an aside in brackets under it, both inside the body
    # (a short line after the article's last paragraph is outside it, and so never looked at): neither is a
    # credit that marks it as a caption, and the aside is article text itself.
    aside = "(A radical idea, the mayor joked.)"
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], "Image:", ARTICLE[2], aside, *ARTICLE[3:]]
    text, _ = _page_text(tmp_path, page)
    assert [line for line in [*ARTICLE, aside] if line not in text] == []


def test_long_headline_in_capitals_between_paragraphs_is_a_link(tmp_path: Path) -> None:
    shout = "MAYOR SAYS NEW FERRY TERMINAL WILL OPEN BEFORE THE SUMMER SEASON"
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], shout, "WHAT THE WORK COSTS", *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "FERRY" not in text and "WHAT THE WORK COSTS" in text


def test_headline_cut_off_with_dots_is_a_teaser(tmp_path: Path) -> None:
    cut = "Storm alert: Coastal towns told to brace for the arrival of Hurri..."
    trailing = "He paused. And then the harbour master said only that..."
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], cut, *ARTICLE[2:], trailing]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "Hurri" not in text and "harbour master said only" in text


def test_headline_and_cut_summary_over_a_read_more_link_are_a_teaser(tmp_path: Path) -> None:
    teaser = [
        "Ferry Timetable Changes for the Winter Season",
        "From next month the early boat will leave at",
        "Read more",
    ]
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], *teaser, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "Ferry" not in text and "early boat" not in text


def test_headlines_each_set_off_by_a_bullet_line_are_a_links_box(tmp_path: Path) -> None:
    box = [
        "-",
        'Diver rescues trapped seal: "We got him!"',
        "-",
        "Lighthouse keeper retires after forty years",
        "-",
    ]
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], *box, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "seal" not in text and "Lighthouse keeper" not in text


def test_article_sentence_over_a_read_more_link_stays(tmp_path: Path) -> None:
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], "Read more", *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)


@pytest.mark.parametrize(
    "caption",
    [
        "The cracked stones of the old harbour wall at low tide. Credit: Harbour Trust",
        "The first survey map of the harbour floor. (NOAA/Harbour-Trust/BGS)",
    ],
)
def test_caption_that_ends_in_its_credit_is_dropped(tmp_path: Path, caption: str) -> None:
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], caption, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "harbour floor" not in text and "cracked stones" not in text


def test_sentence_with_a_bracketed_aside_at_its_end_stays(tmp_path: Path) -> None:
    aside = "The wall was last repaired in the spring. (The council paid for it.)"
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], aside, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert "last repaired" in text


def test_most_commented_box_under_a_site_named_heading_is_links_even_from_the_body_start() -> None:
    from qa.ingest import story_links

    lines = [
        "Gazette Most Commented",
        "- Ferry fares rise again for island residents (185)",
        "- Lighthouse keeper retires after forty years (148)",
        *ARTICLE,
    ]
    assert story_links.link_lines(lines, 1, len(lines)) == {1, 2}
    assert story_links.link_lines(lines, 0, len(lines)) == {0, 1, 2}


def test_links_box_with_kicker_lines_and_a_cut_headline_is_dropped(tmp_path: Path) -> None:
    box = [
        "-",
        "News",
        "Ferry timetable changes: but for how long?",
        "-",
        "Storm alert: Coastal towns told to brace after...",
        "-",
        "News",
        "Lighthouse keeper retires after forty years",
        "-",
    ]
    page = ["Harbour wall to be rebuilt", *ARTICLE[:2], *box, *ARTICLE[2:]]
    text, _ = _page_text(tmp_path, page)
    assert all(line in text for line in ARTICLE)
    assert "Ferry" not in text and "Lighthouse keeper" not in text


def test_byline_under_a_links_box_is_not_one_of_its_links() -> None:
    from qa.ingest import story_links

    lines = [
        "Gazette Most Commented",
        "- Ferry fares rise again for island residents (185)",
        "Posted by Jane Doe on November 19, 2019, 6:21 AM EST",
        *ARTICLE,
    ]
    assert story_links.link_lines(lines, 0, len(lines)) == {0, 1}
