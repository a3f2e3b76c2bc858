"""Titles, dates and bylines of text pages in several sites' layouts, made up here."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.ingest.dates import line_date, page_date
from qa.ingest.metadata import byline_author, is_dateline, reporter_author

BODY = (
    "The city council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive.\n"
    "Engineers said the wall had been weakened by three years of high tides and needed urgent repair.\n"
    "The harbour master welcomed the vote and said the work would start within a month.\n"
)


def _page(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    (tmp_path / "page.txt").write_text(text)
    found = paragraphs(read_corpus(tmp_path))
    assert found
    return found


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("January 13, 2020 at 08:45 AM | categories: python", "2020-01-13"),
        ("Published March 4, 2016, 10:41 AM", "2016-03-04"),
        ("By Emily Burack 8 January 2020, 3:51 pm", "2020-01-08"),
        ("Dec. 29, 2011", "2011-12-29"),
        ("2011-12-29", "2011-12-29"),
        ("Updated : 19 November 2019, 09:01 AM", "2019-11-19"),
        ("2 hours ago", None),
        ("May 2019", None),
        # Month abbreviations that are English words too: Portuguese/Italian "Ago", "Set", Spanish "Dic".
        ("02 Ago 2017", "2017-08-02"),
        ("14 Set 2019", "2019-09-14"),
        ("Publicado el 3 Dic 2018", "2018-12-03"),
        ("Posted 3 days ago, 2017", None),
        (
            "The wall was built in 1990 and repaired twice since, most recently on May 3, 2015, by the council.",
            None,
        ),
    ],
)
def test_line_date(line: str, iso: str | None) -> None:
    assert line_date(line) == iso


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Emily Burack", "Emily Burack"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("By Ann Lee, Staff Writer", "Ann Lee"),
        ("Written by: Tom Hale", "Tom Hale"),
        ("By Emily Burack 8 January 2020, 3:51 pm", "Emily Burack"),
        ("| BY: Beachbody", "Beachbody"),
        ("Bylines are hard to parse.", None),
        ("by the river the town grew quickly", None),
    ],
)
def test_byline_author(line: str, name: str | None) -> None:
    assert byline_author(line) == name


def test_dateline_is_not_a_title() -> None:
    assert is_dateline("WASHINGTON —")
    assert not is_dateline("Harbour wall to be rebuilt before winter")


def test_date_line_in_another_language_above_the_body(tmp_path: Path) -> None:
    # A blog's category label, then a date whose month ("Ago") English also reads as a word.
    body = (
        "Il consiglio comunale ha votato martedì per ricostruire il vecchio muro del porto prima dell'inverno.\n"
        "Gli ingegneri hanno detto che il muro era stato indebolito da tre anni di maree molto alte.\n"
        "Il capitano del porto ha accolto il voto e ha detto che i lavori inizieranno entro un mese.\n"
    )
    found = _page(tmp_path, "Home\nBlog\nCartoni\n02 Ago 2017\n" + body)
    assert found[0].citation.date == "2017-08-02"


def test_news_layout_headline_byline_date(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "Home\nNews\nSport\nSign in\nHarbour wall to be rebuilt before winter storms\n"
        "By Emily Burack 8 January 2020, 3:51 pm\nShare this story\n" + BODY,
    )
    citation = found[0].citation
    assert (citation.title, citation.date, citation.author) == (
        "Harbour wall to be rebuilt before winter storms",
        "2020-01-08",
        "Emily Burack",
    )


def test_published_line_under_the_headline_is_not_the_title(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "Harbour wall to be rebuilt before winter storms\nPublished March 4, 2016, 10:41 AM\n" + BODY,
    )
    assert found[0].citation.title == "Harbour wall to be rebuilt before winter storms"
    assert found[0].citation.date == "2016-03-04"


def test_blog_date_line_above_the_headline(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "My harbour blog\nJanuary 13, 2020 at 08:45 AM | categories: harbour\n"
        "Rebuilding the harbour wall, winter edition\n" + BODY,
    )
    assert found[0].citation.title == "Rebuilding the harbour wall, winter edition"
    assert found[0].citation.date == "2020-01-13"


def test_login_box_and_dated_sidebar_give_no_title_or_date(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "Click here to sign in with or\nMore stories\nCouncil closes the library on Sundays\n"
        "June 15, 2010\nNew bus route to the harbour opens\nMay 27, 2014\nHarbour fees rise again this year\n"
        "July 30, 2010\n" + BODY,
    )
    assert found[0].citation.date is None
    assert found[0].citation.title != "Click here to sign in with or"


def test_no_header_gives_none(tmp_path: Path) -> None:
    found = _page(tmp_path, BODY)
    assert (found[0].citation.title, found[0].citation.date, found[0].citation.author) == (None, None, None)


def test_sidebar_of_dated_headlines_gives_no_date(tmp_path: Path) -> None:
    page = [
        "Latest news",
        "Bus fares rise again",
        "November 18, 2019",
        "Library to shut on Sundays",
        "November 17, 2019",
        "New school opens in the old town",
        "November 15, 2019",
        "Harbour wall to be rebuilt before winter storms",
        *BODY.splitlines(),
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    assert found and all(p.citation.date is None for p in found)


def test_masthead_date_above_the_menu_is_not_the_article_date(tmp_path: Path) -> None:
    page = [
        "Wed, Nov 20, 2019",
        "- World",
        "- Business",
        "- Sport",
        "- Culture",
        "Harbour wall to be rebuilt",
        *BODY.splitlines(),
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    assert found and found[0].citation.date is None
    assert found[0].citation.title == "Harbour wall to be rebuilt"


def test_quoted_post_signature_in_the_body_does_not_date_the_article(tmp_path: Path) -> None:
    page = [
        "Harbour wall to be rebuilt",
        *BODY.splitlines()[:1],
        "— Ann Smith (@annsmith) November 18, 2019",
        *BODY.splitlines()[1:],
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    assert found and all(p.citation.date is None for p in found)


@pytest.mark.parametrize(
    ("line", "iso"),
    [("On 11/13/19 at 4:00 PM", "2019-11-13"), ("On 11/03/19 at 4:00 PM", None), ("Call 555/12/34", None)],
)
def test_two_digit_year_dates_only_when_unambiguous(line: str, iso: str | None) -> None:
    assert line_date(line) == iso


def test_headline_opening_the_body_region_is_its_title(tmp_path: Path) -> None:
    page = [
        "- Home",
        "- Fact Check",
        "- Is the harbour wall really falling down?",
        "Is the harbour wall really falling down?",
        *BODY.splitlines(),
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    assert found[0].citation.title == "Is the harbour wall really falling down?"
    assert not any("falling down" in p.text for p in found)


@pytest.mark.parametrize(
    "headline",
    ["The VW ID. SPACE VIZZION is a weird EV wagon with a secret", "Gov. Lee backs the harbour wall plan"],
)
def test_abbreviation_in_a_headline_is_no_standfirst(tmp_path: Path, headline: str) -> None:
    page = ["- News", "- Sport", "- Weather", headline, "Jane Doe - Nov 19, 2019", *BODY.splitlines()]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    assert paragraphs(read_corpus(tmp_path))[0].citation.title == headline


def test_date_line_above_the_headline_marks_it(tmp_path: Path) -> None:
    page = [
        "- News",
        "- Sport",
        "- Weather",
        "11.14.2019 09:00 AM",
        "The future of harbours is a wall",
        "Our towns are being turned into fortresses.",
        *BODY.splitlines(),
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    assert paragraphs(read_corpus(tmp_path))[0].citation.title == "The future of harbours is a wall"


def test_headline_over_its_standfirst_beats_the_site_name_in_the_byline(tmp_path: Path) -> None:
    page = [
        "- News",
        "- Sport",
        "- Weather",
        "Coastal towns: so many ways to keep the sea out",
        "There are more walls, dunes and barriers than ever before. Here is how to choose one.",
        "By",
        "Jane Doe",
        "The Harbour Gazette",
        "Nov. 19, 2019 8:03 am ET",
        "Keeping the sea out of coastal towns used to be simple: build a wall and wait for the storm.",
        "Now engineers weigh dunes, barriers and managed retreat, and each comes with its own cost.",
    ]
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n")
    found = paragraphs(read_corpus(tmp_path))
    assert found[0].citation.title == "Coastal towns: so many ways to keep the sea out"
    assert found[0].citation.date == "2019-11-19"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Published Wed, Nov 20 20194:29 AM ESTUpdated an hour ago", "2019-11-20"),
        ("Mon 18 Nov 2019 18.54 GMT", "2019-11-18"),
        ("Price 19.99 USD", None),
    ],
)
def test_glued_and_dotted_times_still_date_a_line(line: str, iso: str | None) -> None:
    assert line_date(line) == iso


@pytest.mark.parametrize(
    ("line", "below", "iso"),
    [
        # A zone that moves the time just past UTC midnight leaves the day in doubt; well past it, not.
        ("Nov 19, 2019, 7:53pm EST", "", None),
        ("Nov 19, 2019, 10:31 pm CST", "", "2019-11-20"),
        # An evening time on a 12-hour clock with no zone may fall on the next UTC day.
        ("Reuters November 18, 2019 11:03 PM", "", None),
        ("Nov 13, 2019 4:26 pm", "", "2019-11-13"),
        ("18 Nov 2019, 19:09", "", "2019-11-18"),
        # The time can stand alone on the next line.
        ("Nov. 19, 2019", "5:50 PM", None),
        ("Nov. 19, 2019", "9:50 AM", "2019-11-19"),
        # A date glued to a teaser's sentence dates the teaser.
        (
            "First Forecast Weather November 20, 2019 (This Morning)Some sunshine by the end of the day.",
            "",
            None,
        ),
    ],
)
def test_page_date_drops_days_in_doubt(line: str, below: str, iso: str | None) -> None:
    assert line_date(line) is not None
    assert page_date(line, below) == iso


def test_weekday_dated_article_is_not_dated_by_the_list_above(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "You may also like\nBus fares rise again\nAnn Lee\n11/13/19 11:00AM\nLibrary to shut on Sundays\n"
        "Ann Lee\n11/13/19 9:00AM\nHarbour wall to be rebuilt before winter storms\nAnn Lee\nMonday 5:30PM\n"
        + BODY,
    )
    assert found[0].citation.date is None


@pytest.mark.parametrize(
    "line",
    [
        "Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST on Nov 18, 2019 for the late edition",
        "Published Tue, Nov 19 20197:05 AM ESTUpdated Tue, Nov 19 20197:16 AM EST",
    ],
)
def test_long_published_row_is_dated_by_its_first_piece(line: str) -> None:
    assert line_date(line) in ("2019-11-18", "2019-11-19")
    assert line_date(line.replace("Published", "Reported")) is None


def test_name_under_a_bare_by_is_the_author_not_the_title(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "Home\nNews\nHarbour wall to be rebuilt before winter storms\nBy\nAnn Marie Lee\n" + BODY,
    )
    citation = found[0].citation
    assert (citation.title, citation.author) == (
        "Harbour wall to be rebuilt before winter storms",
        "Ann Marie Lee",
    )


def test_breadcrumb_trail_ending_in_the_headline_is_not_the_title(tmp_path: Path) -> None:
    found = _page(
        tmp_path,
        "- News\n- Sport\nCouncil Tuesday Harbour wall to be rebuilt before winter storms\nLocalNews\n"
        "Harbour wall to be rebuilt before winter storms\nby Ann Lee January 8, 2020\n" + BODY,
    )
    assert found[0].citation.title == "Harbour wall to be rebuilt before winter storms"


def test_video_block_over_the_body_holds_no_title(tmp_path: Path) -> None:
    # A video player between the byline and the body: its title and caption are the video's, not the page's.
    found = _page(
        tmp_path,
        "Home\nNews\nCouncil votes to rebuild the old harbour wall\nBy Emily Burack\n"
        "Video\nHarbour master welcomes the council vote on wall repair\n"
        "The harbour master speaks about the harbour wall repair and the winter storms.\n" + BODY,
    )
    assert found[0].citation.title == "Council votes to rebuild the old harbour wall"


def test_date_above_a_long_video_list_still_dates_the_page(tmp_path: Path) -> None:
    # A player and its playlist of other clips stand between the date and the body: they are no distance.
    clips = "".join(f"Clip number {n} of the evening news bulletin\n" for n in range(1, 15))
    found = _page(
        tmp_path,
        "Home\nCouncil votes to rebuild the old harbour wall\nBy Emily Burack\n"
        "Updated November 18, 2019\nJust watched\n" + clips + BODY,
    )
    citation = found[0].citation
    assert (citation.title, citation.date) == ("Council votes to rebuild the old harbour wall", "2019-11-18")


def test_headline_over_its_byline_beats_a_section_kicker_above_it(tmp_path: Path) -> None:
    # The kicker names the topic in the body's own words; the line the byline follows is the headline.
    found = _page(
        tmp_path,
        "Home\nHarbour Wall Repair\nPublished 2 hours ago\n"
        "Council to rebuild harbour wall before the winter storms arrive quickly\nBy Emily Burack\n" + BODY,
    )
    assert (
        found[0].citation.title == "Council to rebuild harbour wall before the winter storms arrive quickly"
    )


@pytest.mark.parametrize(
    ("header", "date"),
    [
        # The date and the age side by side under the headline: the date is the article's.
        (
            "AP\nCouncil votes to rebuild the old harbour wall\n-\nSep 30, 2020\n-\n1 hr ago\n-\n",
            "2020-09-30",
        ),
        # An age alone under the headline: the date of another story further up is not the article's.
        (
            "June 2, 2016\nFerry timetable changes\nMenu\nCouncil votes to rebuild the old harbour wall\n"
            "By Emily Burack\n3 hours ago\n",
            None,
        ),
        # A poster's profile between the headline and the age: the date they joined is not the article's.
        (
            "Council votes to rebuild the old harbour wall\nStart date\n1 minute ago\nEmily Burack\nJoined\n"
            "May 11, 2017\nMessages\n3,066\n1 minute ago\n",
            None,
        ),
    ],
)
def test_a_date_beside_an_age_dates_the_article_one_further_up_does_not(
    tmp_path: Path, header: str, date: str | None
) -> None:
    citation = _page(tmp_path, header + BODY)[0].citation
    assert (citation.title, citation.date) == ("Council votes to rebuild the old harbour wall", date)


@pytest.mark.parametrize(
    "header",
    [
        # A photo's caption over its credit, between the header and the body: the caption is no headline.
        "Council votes to rebuild the old harbour wall\nPublished Nov 19, 2019\n"
        "Harbour master Ann Lee on the old wall\nAl Goldis, Associated Press\n",
        # The same shape over the date line is the byline, and the headline over it stays the title.
        "Council votes to rebuild the old harbour wall\nColleen Barry, The Associated Press\nSaturday\n"
        "November 19, 2019 at 9:51 AM\n",
    ],
)
def test_a_caption_over_its_agency_credit_is_no_headline(tmp_path: Path, header: str) -> None:
    citation = _page(tmp_path, header + BODY)[0].citation
    assert (citation.title, citation.date) == ("Council votes to rebuild the old harbour wall", "2019-11-19")


# Boxes of other stories, each headline over its own date, set between an article's header and its body.
DATED_BOX = (
    "MORE STORIES LIKE THIS ONE\n"
    "HARBOUR NEWS\nFerry timetable changes for the summer season\nJune 2, 2016\n"
    "FEATURES\nThe lighthouse keepers of the north coast\nMarch 18, 2015\n"
    "HARBOUR NEWS\nFishing fleet returns after a record season\nAugust 9, 2014\n"
)


@pytest.mark.parametrize(
    "header",
    [
        # A motoring site: headline, author glued to a link, standfirst, then maker and date.
        "Harbour wall to be rebuilt before the winter storms arrive\nJane DoeView More Articles\n"
        "Council votes for the repair of the old harbour wall\nHarbour November 20, 2019 13:42\n",
        # A local paper: headline, then byline and date on their own lines.
        "Harbour wall to be rebuilt before the winter storms arrive\nBy Jane Doe\nNovember 20, 2019\n",
    ],
)
def test_date_under_the_headline_over_a_box_of_dated_stories(tmp_path: Path, header: str) -> None:
    found = _page(tmp_path, "Home\nNews\nSport\n" + header + "Find a home\n" + DATED_BOX + BODY)
    assert found[0].citation.title == "Harbour wall to be rebuilt before the winter storms arrive"
    assert found[0].citation.date == "2019-11-20"


@pytest.mark.parametrize(
    ("last", "date"),
    [
        # The article's date line right over its body, newer than every story of the box: the article's.
        ("In Harbour Town\nNovember 20, 2019 16h45\n", "2019-11-20"),
        # The box's own last item right over the body, older than one of its stories: no date.
        ("Harbour wall repairs begin\nJuly 1, 2015\n", None),
    ],
)
def test_a_date_right_over_the_body_under_a_box_of_older_stories(
    tmp_path: Path, last: str, date: str | None
) -> None:
    found = _page(tmp_path, "Home\nNews\n" + DATED_BOX + last + BODY)
    assert found[0].citation.date == date


def test_share_buttons_over_the_body_are_no_menu_that_makes_the_date_a_mastheads(tmp_path: Path) -> None:
    header = (
        "May 15, 2020,07:02pm EDT\nCouncil votes to rebuild the old harbour wall\nAnn LeeContributor\n"
        "- Share to Facebook\n- Share to Twitter\n- Share to Linkedin\n"
    )
    citation = _page(tmp_path, header + BODY)[0].citation
    assert (citation.title, citation.date) == ("Council votes to rebuild the old harbour wall", "2020-05-15")


def test_no_date_under_the_headline_leaves_a_box_of_dated_stories_undated(tmp_path: Path) -> None:
    header = "Harbour wall to be rebuilt before the winter storms arrive\nBy Jane Doe\nShare\nTweet\nEmail\n"
    found = _page(tmp_path, "Home\nNews\n" + header + DATED_BOX + BODY)
    assert found[0].citation.date is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("스포츠조선=선수민 기자", "선수민"),
        ("이용민 기자", "이용민"),
        ("山田太郎 記者", "山田太郎"),
        ("- 記者", None),
        ("기자", None),
        ("The reporter", None),
    ],
)
def test_reporter_author(line: str, name: str | None) -> None:
    assert reporter_author(line) == name
