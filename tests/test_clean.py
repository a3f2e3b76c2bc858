"""Cleaning functions on the boilerplate, dates and fused captions that occur in the seed corpus."""

from __future__ import annotations

import pytest

from qa.ingest import clean, dates
from qa.text import fold, normalise


@pytest.mark.parametrize(
    "line",
    [
        "  • Home",
        "    • Photo Gallery",
        "FacebookTwitterPinterestWhatsappTelegramSkypeEmail",
        "December 29, 2011 0 comments",
        "© 2003 - 2024 NEJAT Society. nejatngo.org",
        "© 2003 - 2025 NEJAT Society . All Rights Reserved. NejatNGO.org",
        "Home » MEK Camp Ashraf » Iranian dissidents in Iraq want refuge in 3rd country",
        "HomeIran News NowCamp Ashraf / Liberty NewsIranian exile group under new pressure in Iraq",
        "Back To Top",
        "Newer Posts",
        "You may also like",
        "Leave a Comment",
        "Read more: http://www.upi.com/Top_News/Special/2011/12/27/US-wants-safe-resettlement-from-Ashraf/",
        "Wednesday, July 17, 2024",
    ],
)
def test_boilerplate_lines_from_the_seeds(line: str) -> None:
    assert clean.is_boilerplate(line)


@pytest.mark.parametrize("line", ["- Tags:", "• Newsletter", "- Share"])
def test_a_bulleted_chrome_label_is_chrome(line: str) -> None:
    assert clean.is_boilerplate(line)
    assert not clean.is_boilerplate("- Tags of the harbour wall were painted over by the council.")


@pytest.mark.parametrize(
    "line",
    [
        "But it ignored a July 20 deadline to move the remaining people out of Camp Ashraf.",
        "Iranian dissidents in Iraq want refuge in 3rd country",
        "Home Secretary rejects the plan.",
        "The MEK said it had come under rocket attack on Sunday and Tuesday, but no injuries were reported.",
        "By ROY GUTMAN",
        "",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    assert not clean.is_boilerplate(line)


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("Whatsapp Facebook Pint Baixar", True),  # cut short and labelled in the site's language
        ("FacebookEmailTwitterGoogle+LinkedInPinterest", True),
        ("- Share to Facebook", True),  # one button of a row, each its own line
        ("Share on Twitter", True),
        ("Share to LinkedInLinkedInShare to FacebookFacebook", True),
        ("Facebook and Twitter ban the account", False),
        ("Instagram, YouTube stars meet fans", False),
        ("Facebook Twitter sued.", False),
    ],
)
def test_share_rows_name_two_networks_in_few_words(line: str, row: bool) -> None:
    assert clean.is_share_row(line) is row


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("December 29, 2011", "2011-12-29"),
        ("Dec. 27, 2011", "2011-12-27"),
        ("Wednesday, July 17, 2024", "2024-07-17"),
        ("25 December 2011", "2011-12-25"),
        ("2011-12-28", "2011-12-28"),
        ("February 30, 2011", None),
        ("The deadline was July 20", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert dates.parse_date(text) == iso


def test_footer_date_needs_the_comment_count() -> None:
    assert dates.footer_date("December 28, 2011 0 comments") == "2011-12-28"
    assert dates.footer_date("December 28, 2011") is None


def test_normalise_collapses_whitespace_and_invisible_characters() -> None:
    assert normalise("  a\u200b  b\t\nc\u00a0d ") == "a b c d"


def test_fold_keeps_length_and_unifies_quotes() -> None:
    text = "Iraq’s “camp” – İstanbul"
    assert len(fold(text)) == len(text)
    assert fold("Iraq’s") == fold("IRAQ'S")


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (  # the article title glued into the body
            "The dissidents agreed to move to a former U.S. Army base, where the United Nations will process their "
            "applications for refugee MEK group in Iraq agrees to quit Camp Ashrafstatus in Europe and elsewhere.",
            "MEK group in Iraq agrees to quit Camp Ashraf",
            "The dissidents agreed to move to a former U.S. Army base, where the United Nations will process their "
            "applications for refugee status in Europe and elsewhere.",
        ),
        (  # the opening phrase repeated as an image caption, glued to the next word
            "Iraqi government spokesman Ali al-Dabbagh says that Baghdad has not extended the Iraqi government "
            "spokesman Ali al-Dabbaghend-of-year deadline to expel the group.",
            None,
            "Iraqi government spokesman Ali al-Dabbagh says that Baghdad has not extended the end-of-year "
            "deadline to expel the group.",
        ),
        (  # curly and straight apostrophes still match
            "Top advisor to Speaker of Iraq’s Majlis al-Aala Seyyed Mohssen Hakim says it can be defined as an "
            "Top advisor to Speaker of Iraq's Majlis al-Aala Seyyed Mohssen Hakiminternational crime.",
            None,
            "Top advisor to Speaker of Iraq’s Majlis al-Aala Seyyed Mohssen Hakim says it can be defined as an "
            "international crime.",
        ),
        (  # ordinary repetition, separated by spaces, is prose and stays
            "The UN said the camp is safe. The UN said the camp is safe, officials repeated.",
            None,
            "The UN said the camp is safe. The UN said the camp is safe, officials repeated.",
        ),
    ],
)
def test_remove_fused(text: str, title: str | None, expected: str) -> None:
    assert clean.remove_fused(text, title) == expected


def test_a_row_of_links_set_off_by_dashes_is_chrome_and_a_sentence_of_them_is_not() -> None:
    row = " - ".join(
        [
            "Education",
            "Urdu News",
            "Car Prices",
            "Breaking News",
            "Live Tv Channels",
            "Prayer Times",
            "Travel Guide",
        ]
    )
    assert clean.is_boilerplate(row)
    assert not clean.is_boilerplate("Starters: Smith - Jones - Brown - White - Green - Black.")
    assert not clean.is_boilerplate("Paris - London - Berlin - Rome")
