"""Where a text page's article starts and what heads it, in layouts of made-up sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import metadata
from qa.ingest.articles import paragraphs
from qa.ingest.boilerplate import glued_teaser
from qa.ingest.corpus import read_corpus
from qa.ingest.dates import line_date
from qa.types import Citation

BODY = (
    "The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive.\n"
    "Engineers said the wall had been weakened by three years of high tides and needed urgent repair.\n"
    "The harbour master welcomed the vote and said the work would start within a month.\n"
)
HEADLINE = "Council votes to rebuild the old harbour wall"


def _citation(tmp_path: Path, text: str) -> tuple[Citation, list[str]]:
    (tmp_path / "page.txt").write_text(text)
    found = paragraphs(read_corpus(tmp_path))
    assert found
    return found[0].citation, [p.text for p in found]


def test_most_commented_box_over_the_article_is_not_its_start(tmp_path: Path) -> None:
    # Each link reads as a sentence with its comment count, too many of them for the byline to count as the
    # body's first lines; the article's headline and byline follow the box.
    box = "".join(
        f"- {line} ({count})\n"
        for line, count in [
            ("Mayor: we are waiting for the county board to stop stalling on the budget", 185),
            ("Ferry operator should expect a significant fine from the regulator", 148),
            ("Reports: the bridge will close for three weeks in the spring", 145),
            ("School board comes back to approve the new science building", 142),
            ("Harbour master: I made a mistake and I lost my cool at the meeting", 140),
            ("Week 12 rankings of the best bakeries in the whole county", 133),
            ("Council says it is disappointed the ferry operator did not appear", 122),
        ]
    )
    citation, texts = _citation(
        tmp_path,
        "Site Tools\n- Send a tip\n- Login\nGazette Most Commented\n"
        + box
        + f"{HEADLINE}\nPosted by Ann Lee on November 19, 2019, 6:21 AM EST\nGetty Images\n"
        + BODY,
    )
    assert (citation.title, citation.date, citation.author) == (HEADLINE, "2019-11-19", "Ann Lee")
    assert not any("(185)" in t for t in texts)


def test_teaser_in_a_bulleted_most_read_box_does_not_start_the_article(tmp_path: Path) -> None:
    # The box's links are each set off by a bullet; one of them carries its summary, two sentences long.
    citation, texts = _citation(
        tmp_path,
        f"Local News\n{HEADLINE}\nShare this:\n- Click to share on Facebook (Opens in new window)\n"
        "By Ann Lee | Special to the Gazette\nMost Read\n-\nPolice chief sought funding for new cameras\n-\n"
        "Ferry fares go up next spring\n-\nProperty taxes are on the rise. These maps show where and how much.\n"
        "-\nSkimming device found at a petrol station\n" + BODY,
    )
    assert citation.title == HEADLINE
    assert not any("maps show" in t for t in texts)


@pytest.mark.parametrize(
    ("line", "glued"),
    [
        (
            "Bakers Leave Town Fair Without Paying The Stall ChargesA group of six bakers left the fair early on Sunday.",
            True,
        ),
        (
            "Ferry Fares To Rise By 250,000The ferry company will charge more from the first of May next year.",
            True,
        ),
        (
            "Harbour Repairs Start Next Week In Northern BaywaterBaywater council said the work would take a month.",
            True,
        ),
        (
            "Column: The BayLine merger sends a poor signal about local ferries",
            False,
        ),  # a brand, and no sentence
        ("The mayor said the iPhone app and the WeWork office would open in the spring of next year.", False),
        ("Mayor Ann LeeAnn Marie LeeHarbour wall repairs start Monday said the council on Tuesday.", False),
        ("Council votes to rebuild the old harbour wall", False),
        (
            "These included Fitzgerald, FitzGibbons (Gibbons) dynasty, Fitzmaurice, and the Barrys. Several "
            "of them held land in Munster. Their castles still stand near the coast. Most were rebuilt later.",
            False,
        ),  # a name glued by its own spelling, in a paragraph of four sentences: no summary of a link
    ],
)
def test_glued_teaser(line: str, glued: bool) -> None:
    assert glued_teaser(line) is glued


def test_glued_teasers_over_the_article_are_neither_its_start_nor_its_text(tmp_path: Path) -> None:
    teasers = (
        "Police: Two In Custody After Break-In At The Marina Boathouse"
        "A man and a woman were arrested on Sunday in connection with the break-in at the boathouse.\n"
        "Customers Leave Without Paying Bill At Harbour SteakhouseA party of six left without paying on Friday.\n"
        "Ferry Company To Mail Timetable Leaflets To 25,000The company will mail the new timetable to every home.\n"
        "Wildlife Officers Seek Tips About Heron Shot Near LakesideOfficers are asking for tips about the heron.\n"
        "Couple Finds Old Letters During Home RenovationThe letters date back to the winter of 1952, they said.\n"
        "Fishing Season Opens Early On The River ThamesAnglers may fish from the first of March this year.\n"
        "Ferry Crew Rescues Two Swimmers Off The Harbour MouthTwo swimmers were pulled from the sea on Monday.\n"
    )
    citation, texts = _citation(
        tmp_path,
        "News\nLatest Headlines\n"
        + teasers
        + "More\nLocal\n"
        + f"{HEADLINE}\nNovember 19, 2019 at 9:45 am\n"
        + BODY,
    )
    assert (citation.title, citation.date) == (HEADLINE, "2019-11-19")
    assert not any("paying" in t or "heron" in t for t in texts)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("October 12, 2018/0 Comments/in Theatre News /by admin", "2018-10-12"),
        ("12 March 2017/3 Kommentare/in Allgemein", "2017-03-12"),
        ("News / October 12, 2018 / by Ann Lee", "2018-10-12"),
        ("0 Comments/in Theatre News /by admin", None),
    ],
)
def test_date_glued_to_the_rest_of_its_row_still_dates_it(line: str, iso: str | None) -> None:
    assert line_date(line) == iso


def test_blog_row_of_date_comments_and_category_under_the_headline(tmp_path: Path) -> None:
    citation, _ = _citation(
        tmp_path,
        f"- Contact\n- Blog\nSearch\nBlog - Latest News\n{HEADLINE}\n"
        "October 12, 2018/0 Comments/in Harbour News /by admin\n" + BODY,
    )
    assert (citation.title, citation.date) == (HEADLINE, "2018-10-12")


def test_date_glued_to_its_age_still_dates_the_line() -> None:
    assert line_date("Nov 19, 2019 at 9:08 GMT1 day ago") == "2019-11-19"


def test_related_box_between_the_headline_and_the_body_gives_no_title(tmp_path: Path) -> None:
    # A tabloid's layout: headline and byline, a most-read list, a comment form, the date, then a "More on"
    # box whose headlines share the body's words, then the body.
    citation, _ = _citation(
        tmp_path,
        "- Share\n- Email\nCouncil agrees to fix the old harbour wall\nBy Ann Lee\n-\nView author archive\n"
        "Most Popular Today\n1\nFerry fares rise for the third time this year\n2\nBakery wins the county prize\n"
        "Name(required)\nEmail(required)\nSubmit\nNovember 18, 2019 | 4:10pm\nMore On:\nharbour\n"
        "City council votes to rebuild the old harbour wall before winter storms\n"
        "Harbour master warns of high tides and winter storms\n"
        "Engineers say harbour wall weakened by three years of tides\nsee also\n"
        "City council votes to rebuild the old harbour wall before winter storms\n" + BODY,
    )
    assert (citation.title, citation.date, citation.author) == (
        "Council agrees to fix the old harbour wall",
        "2019-11-18",
        "Ann Lee",
    )


def test_one_word_trending_menu_item_over_the_headline_leaves_it_the_title(tmp_path: Path) -> None:
    citation, _ = _citation(
        tmp_path,
        "- News\n- Sport\nTrending\n- Weather\n- Traffic\n"
        + f"{HEADLINE}\nBy Ann Lee\nNovember 18, 2019\n"
        + BODY,
    )
    assert citation.title == HEADLINE


ARABIC_BODY = (
    "أعلنت وزارة الصحة اليوم تسجيل ثلاثين إصابة جديدة بفيروس كورونا في عدة محافظات، وقالت إن المصابين في حالة مستقرة.\n"
    "وأوضح المتحدث الرسمي للوزارة أن الحالات الجديدة اكتشفت خلال فحوص المخالطين للمصابين في الأيام الماضية.\n"
    "وأضاف أن الوزارة رفعت درجة الاستعداد في المستشفيات وطلبت من المواطنين الالتزام بالإرشادات الصحية.\n"
)
HINDI_BODY = (
    "वाराणसी। जनपद के बत्तीस क्रय केंद्रों पर बुधवार को समर्थन मूल्य पर गेहूं की खरीद शुरू हो गई और किसान पहुंचे।\n"
    "जिला खाद्य विपणन अधिकारी ने बताया कि सभी केंद्रों पर किसानों के लिए छाया और पानी की व्यवस्था की गई है।\n"
    "उन्होंने कहा कि किसानों को उनकी उपज का भुगतान सीधे उनके बैंक खातों में कुछ ही दिनों में भेजा जाएगा।\n"
)


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        ("مصر تسجل 30 إصابة جديدة بفيروس كورونا", ARABIC_BODY),
        ("जिले में 32 क्रय केंद्रों पर गेहूं की खरीद शुरू", HINDI_BODY),
    ],
)
def test_a_headline_in_a_script_without_capitals(tmp_path: Path, headline: str, body: str) -> None:
    # Arabic and Devanagari have no capital letters, and Devanagari's vowel signs are part of its words.
    citation, _ = _citation(
        tmp_path, f"- الرئيسية\n- वीडियो\n{headline}\nUpdated Thu, 16 Apr 2020 01:00 AM IST\n{body}"
    )
    assert citation.title == headline


def test_an_item_of_a_story_list_is_not_the_headline(tmp_path: Path) -> None:
    # The list above the article names another story on the same subject: it shares more of the body's words
    # than the article's own headline does, but a bulleted item is the list's.
    headline = "Council backs plan to rebuild harbour wall"
    stories = "- Menu\n- Harbour wall engineers say winter storms and high tides weakened the wall\n"
    citation, _ = _citation(tmp_path, f"{stories}{headline}\n{BODY}")
    assert citation.title == headline


def test_a_headline_with_an_exclamation_inside(tmp_path: Path) -> None:
    # The section's name stands over the date line as well, and is an item of the page's menu.
    headline = "Dark day! Storms break the old harbour wall in two places"
    menu = "- Home\n- World\n- Sport\n- Harbour\n"
    citation, _ = _citation(tmp_path, f"{menu}{headline}\nHarbour\nOn Apr 15, 2020\n{BODY}")
    assert citation.title == headline


def test_a_long_deck_under_the_headline_is_not_the_title(tmp_path: Path) -> None:
    # The deck has no full stop and repeats the body's first sentence: it shares more of its words than the
    # headline does, but it stands under the headline and is much longer.
    headline = "Harbour wall to be rebuilt before winter"
    deck = "The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive"
    citation, _ = _citation(tmp_path, f"- Home\n- News\n{headline}\n{deck}\nPhoto: Archive\n{BODY}")
    assert citation.title == headline


def test_a_shorter_line_over_the_headline_is_its_kicker(tmp_path: Path) -> None:
    kicker = "Harbour works"
    citation, _ = _citation(tmp_path, f"- Home\n{kicker}\n{HEADLINE}\nJune 3, 2020\n{BODY}")
    assert citation.title == HEADLINE


def test_a_byline_ending_with_the_word_for_reporter(tmp_path: Path) -> None:
    # A Korean byline ("the paper=name reporter") and a labelled date line of numbers stand under the headline.
    headline = "[부산 Live] 노경은, 8실점 부진, 난타에 야수 실책 겹쳤다"
    body = (
        "롯데 자이언츠 베테랑 투수 노경은이 27일 부산 사직구장에서 열린 경기에서 8실점 부진으로 무너졌다.\n"
        "난타에 야수 실책까지 겹치면서 노경은은 5회를 채우지 못하고 마운드를 내려왔다고 구단은 밝혔다.\n"
        "롯데는 이날 경기에서 상대 타선을 막지 못하고 큰 점수 차로 패배하며 연승 행진을 마감했다고 전했다.\n"
    )
    citation, _ = _citation(
        tmp_path, f"- 홈\n- 야구\n{headline}\n스포츠조선=선수민 기자\n- 공유\n입력 2020.08.27 20:27\n{body}"
    )
    assert citation.title == headline


def test_a_column_name_under_the_headline_is_not_the_title(tmp_path: Path) -> None:
    # The column's name stands between the headline and the body, and the body uses both of its words: two
    # words in common say less than most of the headline's.
    headline = "Council votes to rebuild the harbour wall after years of high tides"
    body = BODY + "Read more in our column Engineers at Harbour every Tuesday.\n"
    citation, _ = _citation(tmp_path, f"- Home\n{headline}\nEngineers at Harbour\n{body}")
    assert citation.title == headline


def test_a_headline_right_over_the_body_in_other_word_forms(tmp_path: Path) -> None:
    # Nothing between the headline and the body; the body uses other forms of most of its words.
    headline = "Councils rebuilding harbour walls soon"
    citation, _ = _citation(tmp_path, f"- Home\n- News\n{headline}\n{BODY}")
    assert citation.title == headline


def test_a_question_headline_with_initials_opens_the_body(tmp_path: Path) -> None:
    # A fact check: the quote it checks, dated, stands over the headline; "U.S." ends no sentence, and the
    # date under the headline (the byline's names split over lines) is the article's, not the quote's.
    headline = "What is the value of drugs that come to the U.S. border?"
    citation, texts = _citation(
        tmp_path,
        "- Articles\n- People\n- Subjects\n"
        '"$53 million a week is coming across the harbour in fees."\n'
        "— Jane Roe on Sunday, October 13th, 2019 in an article in a local newspaper\n"
        f"{headline}\nBy\nMatthew Digby\n,\nMinh Do\non Monday, November 18th, 2019 at 11:08 a.m.\n" + BODY,
    )
    assert (citation.title, citation.date) == (headline, "2019-11-18")
    assert headline not in texts


def test_a_section_name_over_the_age_line_is_not_the_title(tmp_path: Path) -> None:
    # "Earnings" over "Published 1 day ago" is the section; the headline opens the body under them.
    citation, texts = _citation(
        tmp_path,
        "- Markets\n- Video\nQuotes delayed at least 15 minutes. Market data provided by the exchanges.\n"
        "This material may not be published, broadcast, rewritten, or redistributed. All rights reserved.\n"
        f"Earnings\nPublished 1 day ago\n{HEADLINE}\nThe harbour wall will cost more than planned.\n"
        f"- Facebook\n- Twitter\n- Email\nBy Ann LeeGazette\n{BODY}",
    )
    assert citation.title == HEADLINE
    assert HEADLINE not in texts


def test_labels_on_their_own_lines_and_links_over_the_menu(tmp_path: Path) -> None:
    # "Author:" and "Publish date:" each over their value; the headline stands over its standfirst and the
    # byline, the body shares none of its words, and the site's links over the menu share some.
    headline = "Four things to see this autumn"
    links = "Programs\n-\nCouncil and Harbour Wall\n-\nHope in the Saddle\n-\n"
    menu = "".join(f"- {item}\n" for item in ["Training", "Health", "Lifestyle", "Podcast", "Home", "News"])
    citation, _ = _citation(
        tmp_path,
        f"{links}{menu}{headline}\nOur top picks for the month, from the harbour to the hills.\n"
        f"Author:\nHarbour Gazette Editorial Staff\nPublish date:\nOct 4, 2018\n{BODY}",
    )
    assert (citation.title, citation.date, citation.author) == (
        headline,
        "2018-10-04",
        "Harbour Gazette Editorial",
    )


def test_a_bare_by_over_a_short_name_gives_the_author(tmp_path: Path) -> None:
    citation, _ = _citation(tmp_path, f"- Home\n{HEADLINE}\nby\nAnn Lee\n-\nNov 18, 2019\n{BODY}")
    assert (citation.title, citation.date, citation.author) == (HEADLINE, "2019-11-18", "Ann Lee")


def test_unpunctuated_opening_lines_under_the_date_are_kept(tmp_path: Path) -> None:
    # The site printed the article's first two sentences without full stops: they are long lines right under
    # the date line, not chrome, and the body region (which begins at the first punctuated sentence) keeps them.
    first = "The city council this morning paid the builders in full to rebuild the old harbour wall at last"
    second = "This has freed the money for the new ferry pier at the north end of the harbour"
    citation, texts = _citation(
        tmp_path, f"- Home\n- News\n{HEADLINE}\nGazette\nAugust 08, 2018\n{first}\n{second}\n{BODY}"
    )
    assert (citation.title, citation.date) == (HEADLINE, "2018-08-08")
    assert texts[:2] == [first, second]


def test_a_caption_under_the_date_stays_out(tmp_path: Path) -> None:
    caption = "Photo: the old harbour wall seen from the north pier during the storm last winter by Ann Lee"
    _, texts = _citation(tmp_path, f"- Home\n- News\n{HEADLINE}\nAugust 08, 2018\n{caption}\n{BODY}")
    assert caption not in texts


def test_a_video_link_in_the_menu_does_not_hide_the_headline(tmp_path: Path) -> None:
    # "Video" is one of the site's links above its menu, not a player's label over the body.
    menu = "".join(f"- {item}\n" for item in ["News", "Sport", "Video", "Culture", "Weather"])
    citation, _ = _citation(
        tmp_path, f"Video\nWatch live\n{menu}Harbour\n{HEADLINE}\nPhoto: Archive of the harbour\n{BODY}"
    )
    assert citation.title == HEADLINE


def test_a_bare_by_names_the_author_over_a_list_of_dated_issues(tmp_path: Path) -> None:
    # Links to three dated issues stand above the headline: its "By" over the name still marks it as the
    # article's own, and the date under the byline is the article's.
    issues = "".join(
        f"Issue {n}, {day} August 2020\nWeb editions\n" for n, day in [(1167, 7), (1168, 14), (1169, 21)]
    )
    citation, _ = _citation(
        tmp_path,
        f"{issues}{HEADLINE}\nBy\nHarbour Gazette Desk\n-\n1 November 2020\n- Facebook\n- Twitter\n{BODY}",
    )
    assert (citation.title, citation.date, citation.author) == (
        HEADLINE,
        "2020-11-01",
        "Harbour Gazette Desk",
    )


def test_a_headline_cut_short_with_an_ellipsis_is_still_a_headline(tmp_path: Path) -> None:
    headline = "COUNCIL WINS THE MONEY TO REBUILD THE OLD HARBOUR WALL AND THE NEW …"
    citation, _ = _citation(tmp_path, f"- Home\n- News\n- Sport\n{headline}\n6\n{BODY}")
    assert citation.title is not None and citation.title.startswith("COUNCIL WINS THE MONEY")


# Three dated teasers of other stories, as a list above an article.
_DATED_TEASERS = "".join(
    f"[ October {day}, 2020 ]\n{title}\nAudio\n-\n"
    for day, title in [
        (22, "Ferry timetable changes for winter"),
        (23, "Snow may fall on Sunday"),
        (24, "Winter gear drive under way"),
    ]
)


def test_the_newest_date_a_few_lines_over_the_body_dates_it_under_a_list_of_stories(tmp_path: Path) -> None:
    # Three dated teasers above; the article's own date line stands under its headline, its author's name
    # and its categories between it and the body.
    citation, _ = _citation(
        tmp_path,
        f"{_DATED_TEASERS}Search for:\n{HEADLINE}\nOctober 26, 2020\nAnn Lee\nAudio, Local News, Media\n{BODY}",
    )
    assert (citation.title, citation.date) == (HEADLINE, "2020-10-26")


def test_an_older_date_a_few_lines_over_the_body_under_a_list_of_stories_dates_nothing(
    tmp_path: Path,
) -> None:
    citation, _ = _citation(
        tmp_path,
        f"{_DATED_TEASERS}Search for:\n{HEADLINE}\nOctober 20, 2020\nAnn Lee\nAudio, Local News, Media\n{BODY}",
    )
    assert citation.date is None


def test_teaser_headlines_under_the_date_do_not_open_the_article(tmp_path: Path) -> None:
    teaser = "Ferry Operator Faces A Record Fine After The Summer Of Cancelled Crossings On The North Route"
    _, texts = _citation(tmp_path, f"- Home\n- News\n{HEADLINE}\nAugust 08, 2018\n{teaser}\n{BODY}")
    assert teaser not in texts


def test_unpunctuated_opening_lines_under_an_age_line_are_kept(tmp_path: Path) -> None:
    first = "The city council this morning paid the builders in full to rebuild the old harbour wall at last"
    _, texts = _citation(tmp_path, f"- Home\n- News\n{HEADLINE}\nPublished 3 hours ago\n{first}\n{BODY}")
    assert texts[0] == first


@pytest.mark.parametrize(
    "chrome",
    ["Whatsapp Facebook Pint Baixar", "Share on Facebook Share on Twitter", "Sign up for our newsletter"],
)
def test_chrome_that_opens_a_body_region_is_no_headline(chrome: str) -> None:
    opening = (
        "The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive."
    )
    assert metadata.leading_title([chrome, opening]) is None


@pytest.mark.parametrize("affiliation", ["The Associated Press", "Harbour Gazette Staff Writers"])
def test_the_line_under_a_byline_is_its_affiliation_not_the_headline(
    tmp_path: Path, affiliation: str
) -> None:
    # The body names the affiliation (as agency copy does), so it shares more words with the body than the
    # headline does; standing between the byline and the date, it is still no headline.
    body = BODY + "The Associated Press and the Harbour Gazette staff writers contributed to this report.\n"
    headline = "Reality check: why claims about the seawall are false"
    header = f"Politics\n{headline}\nBy\nMARY JONES and TOM LEE\n{affiliation}\nPosted November 18, 2019\n"
    citation, _ = _citation(tmp_path, header + body)
    assert citation.title == headline
    assert citation.date == "2019-11-18"


def test_a_readers_font_size_controls_between_the_header_and_the_body_are_chrome(tmp_path: Path) -> None:
    controls = "".join(
        f"{line}\n"
        for line in [
            "Smaller font",
            "Decrease article font size",
            "-A",
            "Larger font",
            "Increase article font size",
            "A+",
        ]
    )
    header = f"{HEADLINE}\nBy Mary Jones\nNovember 18, 2019\n" + (controls + "Copy article link\n") * 3
    citation, _ = _citation(tmp_path, header + BODY)
    assert (citation.title, citation.date) == (HEADLINE, "2019-11-18")


@pytest.mark.parametrize(
    "credit",
    ["Foto: Companhia das Letras/Divulgação", "Photo: Harbour Gazette", "Enlarge photo", "写真を拡大"],
)
def test_a_line_over_a_photo_credit_that_opens_a_body_region_is_a_caption(credit: str) -> None:
    caption = 'Moser: "I fell in love with her work, as I can say I fell in love with certain people"'
    opening = "The biographer first read her novels at nineteen and has not stopped reading them since then."
    assert metadata.leading_title([caption, credit, opening]) is None
    assert metadata.leading_title([caption, opening]) == caption


def test_a_line_the_next_goes_on_from_in_lower_case_is_no_headline() -> None:
    wrapped = [
        "Cagliari-Juventus, in campo domani sera alle 21.45, 18ma partita",
        "del girone di ritorno in Serie A.",
    ]
    assert metadata.leading_title(wrapped) is None
    assert metadata.leading_title([wrapped[0], "Del girone di ritorno in Serie A."]) == wrapped[0]


def test_the_headline_a_breadcrumb_ends_in_wins_over_its_deck(tmp_path: Path) -> None:
    # The deck shares more words with the body than the headline does; the breadcrumb's last item names the page.
    deck = "Wall work to start within a month, say engineers"
    page = f"- Home\n- News\n- {HEADLINE}\n{HEADLINE}\n{deck}\nPosted November 18, 2019\n{BODY}"
    citation, _ = _citation(tmp_path, page)
    assert citation.title == HEADLINE


def test_the_date_line_over_an_update_line_published_the_page(tmp_path: Path) -> None:
    # The update is nearer the body, and in UTC a day later; the page was published the day before.
    header = f"{HEADLINE}\nby: Mary Jones\nPosted: Nov 20, 2020 / 05:25 PM CST\n/ Updated: Nov 20, 2020 / 07:16 PM CST\n"
    citation, _ = _citation(tmp_path, header + BODY)
    assert citation.date == "2020-11-20"


@pytest.mark.parametrize("tag", ["(+Photos and Video)", "(VIDEO)"])
def test_a_headline_that_ends_in_a_bracketed_tag_is_no_sentence(tmp_path: Path, tag: str) -> None:
    header = f"Site of the Harbour Gazette, news from the coast every day\n- Home\n- News\n{HEADLINE} {tag}\n"
    citation, _ = _citation(tmp_path, header + "By Mary Jones, November 18, 2019\n" + BODY)
    assert citation.title == f"{HEADLINE} {tag}"


def test_a_paragraph_in_a_script_without_spaces_between_words_is_no_headline() -> None:
    # Thai runs its words together: a whole paragraph splits into as few "words" as a headline.
    paragraph = "โซ่พลาสติกนิยมใช้ในการกั้นเขตผลิตจากวัสดุพลาสติกคุณภาพดี ทนทานต่อแรงดึง " * 6
    assert metadata.leading_title([paragraph.strip(), "ผู้ผลิตโซ่อุตสาหกรรมทุกประเภท"]) is None


@pytest.mark.parametrize("when", ["Feb 15, 7:00 AM", "2月15日(土)7時0分 オリコン"])
def test_a_day_and_time_without_a_year_marks_the_headline_over_it(tmp_path: Path, when: str) -> None:
    # In words the body does not use: only the line under it tells it is the headline.
    headline = "Mayor hails a new era for the seaside town"
    citation, _ = _citation(tmp_path, f"- Home\n- News\n{headline}\n-\n-\n{when}\n{BODY}")
    assert citation.title == headline
    assert citation.date is None  # no year, no date
