"""A date mention's value, YYYY-MM-DD, YYYY-MM or YYYY, read against the date of the article that holds it,
and that value moved by a stated duration."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateparser.date import DateDataParser
from dateutil.relativedelta import relativedelta

from qa.answers import numbers
from qa.answers.mentions import Form, Mention, Move

# Forms whose value depends on when the article was written; without its date they stay unresolved.
_NEEDS_ARTICLE_DATE = frozenset({Form.DAY_MONTH, Form.MONTH, Form.RELATIVE, Form.WEEKDAY, Form.YEAR_END})
_PARSED = frozenset({Form.FULL, Form.DAY_MONTH, Form.MONTH_YEAR, Form.MONTH, Form.RELATIVE, Form.WEEKDAY})
_LEADING = re.compile(r"^(?:the\s+)?(?:early|mid|late)?[\s-]*", re.I)
_FUTURE = re.compile(r"\b(?:next|coming|following|tomorrow)\b", re.I)
_GRAIN = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def resolve(mention: Mention, article_date: str | None, *, ahead: bool = False) -> str | None:
    """The mention's date at the grain it is written (None for a decade, a century, a range, or a date that
    needs the article's and has none). `ahead`: the text looks forward ("until April"), so a month and day
    that fall before the article's date are in the next year."""
    form = mention.form
    base = _day(article_date)
    if form is None or (form in _NEEDS_ARTICLE_DATE and base is None):
        return None
    if form is Form.YEAR:
        return _year(mention.text)
    if form is Form.SEASON_YEAR:
        return _year(mention.text.split()[-1])
    if form is Form.YEAR_END:
        return f"{base.year:04d}-12-31" if base else None
    text = _LEADING.sub("", mention.text)
    if form in (Form.DAY_MONTH, Form.MONTH) and base is not None:
        value = _in_year(_parsed(text, None), base.year)
        if ahead and value is not None and value < base.isoformat()[: len(value)]:
            return _in_year(value, base.year + 1)
        return value
    if form in _PARSED:
        # Only relative dates and weekdays depend on the whole of the article's date: the rest are read once.
        return _parsed(text, base if form in (Form.RELATIVE, Form.WEEKDAY) else None)
    return None


def moved(value: str, move: Move) -> str | None:
    """A date (YYYY-MM-DD, YYYY-MM or YYYY) moved by a stated duration, at the date's grain: December 31 moved
    by six months is June 30 (the month's last day, not July 1). None when the duration is finer than the date
    ("2012" moved by two weeks) or its number is vague ("several months")."""
    count = 1 if move.amount.lower() in ("a", "an") else numbers.number(move.amount)
    if count is None or count != int(count):
        return None
    steps = move.sign * int(count)
    grain = {10: "day", 7: "month", 4: "year"}.get(len(value))
    if grain == "day":
        try:
            return (dt.date.fromisoformat(value) + relativedelta(**{f"{move.unit}s": steps})).isoformat()
        except (ValueError, OverflowError):
            return None
    months = {"month": steps, "year": 12 * steps}.get(move.unit)
    if grain == "month" and months is not None:
        year, month = divmod(int(value[:4]) * 12 + int(value[5:7]) - 1 + months, 12)
        return f"{year:04d}-{month + 1:02d}" if 1 <= year <= 9999 else None
    if grain == "year" and move.unit == "year":
        year = int(value) + steps
        return f"{year:04d}" if 1 <= year <= 9999 else None
    return None


def _in_year(value: str | None, year: int) -> str | None:
    """A month-and-day (or month) read in some year, moved to the article's year: "December 31" written on
    29 December 2011 is 2011-12-31, ahead of the article and not pulled back a year."""
    if value is None:
        return None
    moved = f"{year:04d}{value[4:]}"
    try:
        dt.date.fromisoformat(moved if len(moved) == 10 else f"{moved}-01")
    except ValueError:  # 29 February in a year without one
        return None
    return moved


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _year(text: str) -> str | None:
    digits = re.search(r"\d{1,4}", text)
    if digits is None or re.search(r"B\.?C", text):
        return None
    return f"{int(digits.group()):04d}"


@lru_cache(maxsize=4096)
def _parsed(text: str, base: dt.date | None) -> str | None:
    """dateparser's reading, with the article's date as "now": a month and day take the article's year, so
    a deadline later in that year stays in it; a weekday is the last one on or before the article's date."""
    # Without the article's date, a leap year stands in for "now", so that 29 February reads.
    relative_base = dt.datetime.combine(base or dt.date(2000, 1, 1), dt.time())
    found = _parser(relative_base).get_date_data(text)
    if found.date_obj is None or found.period not in _GRAIN:
        return None
    value = found.date_obj.date()
    # A bare weekday is the one before the article's date; dateparser's choice is kept for the others.
    bare_weekday = re.fullmatch(r"(?:on\s+)?\w+day", text, re.I) and not _FUTURE.search(text)
    if base is not None and value > base and found.period == "day" and bare_weekday:
        value -= dt.timedelta(days=7)
    return value.strftime(_GRAIN[found.period]) if value.year >= 1000 else _old(value, found.period)


def _old(value: dt.date, period: str) -> str:
    """strftime pads years before 1000 inconsistently across platforms."""
    day = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return {"day": day, "month": day[:7], "year": day[:4]}[period]


@lru_cache(maxsize=512)
def _parser(relative_base: dt.datetime) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": relative_base,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_TIME_AS_PERIOD": False,
        },
    )
