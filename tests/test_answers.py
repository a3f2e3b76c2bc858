"""Answer spans: question kinds, date and quantity mentions, dates read against the article's date, abstention."""

from __future__ import annotations

import pytest

from qa.answers.dates import resolve
from qa.answers.kinds import Kind, asked
from qa.answers.mentions import Form, dates, moves, quantities
from qa.answers.numbers import number
from qa.answers.spans import answer_span, moved, question
from qa.evaluate.answers import best_f1, exact


def date_value(text: str, article_date: str | None) -> str | None:
    """The value of the one date mention in `text`."""
    (mention,) = dates(text)
    return resolve(mention, article_date)


@pytest.mark.parametrize(
    ("question_text", "kind"),
    [
        ("when was the deadline?", Kind.DATE),
        ("In what year did the Normans invade at Bannow Bay?", Kind.DATE),
        ("What century did the Normans first gain their separate identity?", Kind.DATE),
        ("Since when has the group been listed?", Kind.DATE),
        ("What deadline did the exiles ignore?", Kind.DATE),
        ("How many men were in Robert's army?", Kind.COUNT),
        ("How far is the camp from the border?", Kind.DISTANCE),
        ("How long did Western Europe control Cyprus?", Kind.DURATION),
        ("What percentage of the vote did she get?", Kind.PERCENT),
        ("How much did the bridge cost?", Kind.AMOUNT),
        ("How old was the camp?", Kind.AGE),
    ],
)
def test_question_kinds(question_text: str, kind: Kind) -> None:
    found = asked(question_text)
    assert found is not None and found.kind is kind


@pytest.mark.parametrize(
    "question_text",
    [
        "Who warned the group?",
        "What utilities does the group want boosted?",
        # Opens with "when" but asks for something else.
        "When extensive time is required to sort integers, this represents what case complexity?",
    ],
)
def test_other_questions_ask_for_neither(question_text: str) -> None:
    assert asked(question_text) is None


def test_how_many_names_the_counted_noun() -> None:
    found = asked("How many Iranian exiles died in the raid?")
    assert found is not None and found.counted == "exiles"


def test_mentions_are_whole_and_of_the_right_form() -> None:
    text = (
        "In 1066 the fleet sailed; in February 1082 the city fell, in the 10th and 11th centuries they ruled, "
        "and on July 20, 2012 they left."
    )
    found = {m.text: m.form for m in dates(text)}
    assert found == {
        "1066": Form.YEAR,
        "February 1082": Form.MONTH_YEAR,
        "10th and 11th centuries": Form.CENTURY,
        "July 20, 2012": Form.FULL,
    }


def test_a_count_of_things_is_not_a_year() -> None:
    text = "The group moved 2000 residents in 2003."
    assert [m.text for m in dates(text)] == ["2003"]
    assert [(m.text, m.unit) for m in quantities(text)] == [("2000", "residents")]


def test_quantities_keep_their_units() -> None:
    found = {m.text: m.measure.value for m in quantities("about 120 kilometers away, for 380 years, at 45%")}
    assert found == {"120 kilometers": "distance", "380 years": "duration", "45%": "percent"}


@pytest.mark.parametrize(
    ("words", "value"), [("30,000", 30000), ("twenty-one", 21), ("5 million", 5_000_000), ("a dozen", 12)]
)
def test_numbers_in_digits(words: str, value: int) -> None:
    assert number(words) == value


def test_vague_numbers_have_no_value() -> None:
    assert number("hundreds") is None


# Resolution against the article's date.


def test_a_month_and_day_take_the_articles_year() -> None:
    assert date_value("ignored a July 20 deadline", "2012-08-01") == "2012-07-20"


def test_a_date_after_the_articles_own_is_not_pulled_back() -> None:
    # Written on 29 December, "December 31" is two days ahead, not a year back.
    assert date_value("extend the December 31 deadline", "2011-12-29") == "2011-12-31"


def test_a_weekday_is_the_last_one_on_or_before_the_article() -> None:
    # 29 December 2011 was a Thursday.
    assert date_value("the agency reported on Wednesday", "2011-12-29") == "2011-12-28"
    assert date_value("the agency reported on Thursday", "2011-12-29") == "2011-12-29"
    assert date_value("the agency reported on Friday", "2011-12-29") == "2011-12-23"


def test_relative_years_count_from_the_article() -> None:
    assert date_value("a raid last year left 34 dead", "2011-12-29") == "2010"
    assert date_value("elections next year", "2011-12-29") == "2012"


def test_a_month_alone_takes_the_articles_year() -> None:
    assert date_value("a raid by security forces in July", "2012-08-01") == "2012-07"


def test_year_end_is_the_last_day_of_the_articles_year() -> None:
    assert date_value("a year-end deadline", "2011-12-28") == "2011-12-31"


def test_without_the_articles_date_only_full_dates_resolve() -> None:
    assert date_value("ignored a July 20 deadline", None) is None
    assert date_value("reported on Wednesday", None) is None
    assert date_value("on July 28, 2009 vehicles", None) == "2009-07-28"
    assert date_value("founded in 911", None) == "0911"


def test_decades_and_centuries_have_no_single_date() -> None:
    assert date_value("in the 1050s", "2011-12-29") is None
    assert date_value("in the 11th century", "2011-12-29") is None


# Spans.


def span(question_text: str, text: str, article_date: str | None = None) -> tuple[str, str | None] | None:
    q = question(question_text)
    assert q is not None
    found = answer_span(q, text, None, article_date)
    if found is None:
        return None
    assert text[found.start : found.end] == found.text
    return found.text, found.value


def test_the_date_next_to_the_questions_words() -> None:
    text = (
        "Earlier papers include John Myhill's definition of linear bounded automata (Myhill 1960), Raymond "
        "Smullyan's study of rudimentary sets (1961), as well as Hisao Yamada's paper (1962)."
    )
    assert span("In what year did Raymond Smullyan publish a study of rudimentary sets?", text) == (
        "1961",
        "1961",
    )


def test_what_the_question_names_is_left_out_of_the_span() -> None:
    assert span(
        "What year did the storm hit Richard's fleet?", "In April 1191 a storm hit Richard's fleet."
    ) == (
        "1191",
        "1191",
    )
    assert span(
        "By how many kilometers is the route?", "Is there a route of at most 2000 kilometres through Germany?"
    ) == ("2000", "2000 kilometres")


def test_a_count_carries_the_counted_noun_as_its_unit() -> None:
    assert span("How many men were in Robert's army?", "Robert's army of 30,000 men crossed the sea.") == (
        "30,000",
        "30000 men",
    )


def test_the_value_is_resolved_against_the_article() -> None:
    text = "But it ignored a July 20 deadline to move the remaining people out of the camp."
    assert span("What deadline did the exiles ignore?", text, "2012-08-01") == ("July 20", "2012-07-20")
    assert span("What deadline did the exiles ignore?", text, None) == ("July 20", None)


def test_abstains_when_no_sentence_is_about_the_question() -> None:
    text = "The MKO had fought as a mechanized division in the 1980-1988 war. The invasion came in 2003."
    assert span("When was the deadline?", text) is None


def test_abstains_when_no_mention_of_the_asked_kind() -> None:
    assert (
        span("How far is the camp from the border?", "The camp is near the border, the report says.") is None
    )


def test_a_date_the_question_states_is_not_its_answer() -> None:
    text = "In 1066 William landed, and in 1072 he invaded Scotland."
    assert span("When did William invade Scotland after 1066?", text) == ("1072", "1072")


def test_no_span_for_other_questions() -> None:
    assert question("Who warned the group?") is None


def test_squad_answer_scores() -> None:
    assert best_f1("the 11th century", ["11th century"]) == 1.0
    assert exact("In 1066", ["in 1066", "1066"])
    assert best_f1("30,000 men", ["30,000"]) == pytest.approx(2 / 3)


def test_until_when_asks_for_the_date_after_until() -> None:
    text = (
        "The minister said last week he had postponed the deportation, set for Dec. 31, until at least April."
    )
    assert span("Until when did the minister postpone the deportation?", text, "2012-01-05") == (
        "April",
        "2012-04",
    )
    # Written in December, "until April" looks ahead to the next April.
    assert span("Until when did the minister postpone the deportation?", text, "2011-12-20") == (
        "April",
        "2012-04",
    )


def test_a_time_of_day_answers_what_time_only() -> None:
    text = "The bomb went off at 10:30 a.m. on Monday."
    assert span("What time did the bomb go off?", text, "2011-12-29") == ("10:30 a.m.", None)
    assert span("When did the bomb go off?", text, "2011-12-29") == ("Monday", "2011-12-26")


@pytest.mark.parametrize(
    ("question_text", "text", "expected"),
    [
        (
            "How much did the stadium cost?",
            "The stadium cost $1.5 billion to build.",
            ("$1.5 billion", "1500000000 USD"),
        ),
        ("How old was Mozart when he died?", "Mozart died in 1791 at the age of 35.", ("35", "35")),
        (
            "How many people live in the city?",
            "The city has 1.2 million people, up from 900,000.",
            ("1.2 million", "1200000 people"),
        ),
        (
            "How far is the Moon from Earth?",
            "The Moon is on average 384,400 km from Earth.",
            ("384,400 km", "384400 km"),
        ),
    ],
)
def test_quantities_in_common_forms(question_text: str, text: str, expected: tuple[str, str]) -> None:
    assert span(question_text, text) == expected


@pytest.mark.parametrize(
    ("question_text", "text", "article_date", "expected"),
    [
        # Months from a month's last day end on the last day of the month reached.
        (
            "when was the deadline?",
            "The ministry agreed to extend by six months a year-end deadline to close the office.",
            "2014-12-10",
            ("extend by six months a year-end", "2015-06-30"),
        ),
        (
            "when was the filing deadline?",
            "The court extended the March 31 filing deadline by two weeks.",
            "2015-03-20",
            ("extended the March 31 filing deadline by two weeks", "2015-04-14"),
        ),
        (
            "when was the referendum?",
            "The 4 May 2009 referendum was postponed by 10 days.",
            None,
            ("4 May 2009 referendum was postponed by 10 days", "2009-05-14"),
        ),
        (
            "when was the board meeting?",
            "Shareholders pushed the board meeting of June 3 back a month.",
            "2016-05-01",
            ("pushed the board meeting of June 3 back a month", "2016-07-03"),
        ),
        (
            "when was the final?",
            "Organisers brought the final of 15 June 2013 forward by three days.",
            None,
            ("brought the final of 15 June 2013 forward by three days", "2013-06-12"),
        ),
        (
            "when was the launch?",
            "The launch, planned for November 2019, was delayed for one year.",
            None,
            None,  # a clause break stands between the date and the move
        ),
        (
            "when was the launch?",
            "The launch planned for November 2019 was delayed a year.",
            None,
            ("November 2019 was delayed a year", "2020-11"),
        ),
        (
            "when was the census?",
            "The census of 2020 was delayed two weeks.",
            None,
            None,  # a year moved by weeks is no year
        ),
        (
            "when was the census?",
            "The census of 2020 was delayed by twelve years.",
            None,
            ("2020 was delayed by twelve years", "2032"),
        ),
        (
            "when was the deadline?",
            "The agency granted a three-month extension of the June 30 deadline.",
            "2017-06-01",
            ("three-month extension of the June 30", "2017-09-30"),
        ),
        (
            "when was the vote?",
            "Lawmakers agreed to a 10-day delay to the 2 March 2018 vote.",
            None,
            ("10-day delay to the 2 March 2018", "2018-03-12"),
        ),
    ],
)
def test_a_date_moved_by_a_stated_duration(
    question_text: str, text: str, article_date: str | None, expected: tuple[str, str] | None
) -> None:
    q = question(question_text)
    assert q is not None
    answer = answer_span(q, text, None, article_date)
    assert answer is not None
    shifted = moved(text, answer)
    found = (shifted.text, shifted.value) if shifted else None
    assert found == expected
    if shifted:
        assert text[shifted.start : shifted.end] == shifted.text


@pytest.mark.parametrize(
    ("question_text", "text"),
    [
        # The weekday says when the move was made, not which date moved.
        ("when was the deadline?", "On Monday the council extended the deadline by a week."),
        # "later" says when, not by how much.
        ("when did the plant open?", "The plant opened in March 2014, two years later than planned."),
        # "pushed forward" may mean pressed on: no direction, no move.
        ("when were the talks?", "They pushed forward the talks of May 2 by a week."),
        ("when were the talks?", "They pushed ahead with the talks of May 2 for a week."),
        # The duration belongs to nothing that moves.
        ("when was the deadline?", "The deadline was July 20 and the trip took three days."),
        # "on March 3" says when they spoke.
        ("when was the deadline?", "He said on March 3 that the deadline had been extended by a week."),
        ("when was the deadline?", "The council extended the deadline by a week on March 3."),
        # The extension is granted on a date; it does not move it.
        ("when was the deadline?", "A six-month extension on March 3 left the deadline unchanged."),
        # The moved date is stated: nothing to add to it.
        ("when is the deadline?", "The deadline was extended by six months to June 30."),
    ],
)
def test_no_move_where_the_words_do_not_move_the_date(question_text: str, text: str) -> None:
    q = question(question_text)
    assert q is not None
    answer = answer_span(q, text, (0, len(text)), "2014-06-01")
    assert answer is not None and moved(text, answer) is None


def test_moves_read_numbers_as_words_or_digits_and_the_direction() -> None:
    found = [
        (m.amount, m.unit, m.sign)
        for m in moves("It was delayed twenty-one days, then brought forward 2 weeks, then put off a year.")
    ]
    assert found == [("twenty-one", "day", 1), ("2", "week", -1), ("a", "year", 1)]
