"""Dates, quantities and moves of dates ("extended by six months") as a text writes them, found by pattern."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Form(Enum):
    """How a date mention is written, which decides how it is resolved."""

    FULL = "full"  # day, month and year
    DAY_MONTH = "day_month"  # "July 20": the year is the article's
    MONTH_YEAR = "month_year"
    MONTH = "month"  # "in March"
    YEAR = "year"
    SEASON_YEAR = "season_year"
    YEAR_RANGE = "year_range"
    DECADE = "decade"
    CENTURY = "century"
    RELATIVE = "relative"  # "last year", "yesterday", "next Friday": counted from the article's date
    WEEKDAY = "weekday"  # "on Wednesday": the last one on or before the article's date
    YEAR_END = "year_end"  # "the year-end deadline"
    TIME = "time"  # "at 10 a.m.": a time of day, which no date value holds


class Measure(Enum):
    """What a quantity mention measures, from its unit."""

    NUMBER = "number"  # a bare number, perhaps followed by the thing counted
    MONEY = "money"
    PERCENT = "percent"
    DISTANCE = "distance"
    DURATION = "duration"
    AGE = "age"
    MASS = "mass"  # mass, volume, area, energy, speed: units a "how much" may ask for


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    form: Form | None = None  # for a date
    measure: Measure | None = None  # for a quantity
    number: str | None = None  # the number's words as written ("30,000", "twenty-one", "5 million")
    unit: str | None = None  # the unit as written ("kilometers"), or the counted noun after a bare number
    ahead: bool = False  # a date the text looks forward to ("until April"), not back at


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_FULL_MONTH = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_ERA = r"(?:\s?(?:AD|BC|BCE|CE|A\.D\.|B\.C\.))"
_YEAR = r"(?:1\d{3}|20\d{2})"
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty-first)"
)
_PHASE = r"(?:(?:early|mid|late|the\s+early|the\s+mid|the\s+late)[\s-]+)"
# A year stands alone: not a count of things ("2000 residents"), so no plain lower-case word follows it,
# except the function words that can follow a date.
_AFTER_YEAR = (
    r"(?![\d,.]\d|\s*%|\s+(?!(?:and|or|to|the|a|an|he|she|it|they|we|when|after|before|as|with|until|at|in|on|"
    r"by|for|from|but|that|which|while|during|where|his|her|their|its|was|were|is|had|has)\b)[a-z])"
)

_DATE_FORMS: tuple[tuple[Form, str], ...] = (
    (Form.FULL, rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    (Form.FULL, rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
    (Form.FULL, r"\b(?:1\d{3}|20\d{2})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"),
    (Form.DAY_MONTH, rf"{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)"),
    (Form.DAY_MONTH, rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?!\s*,?\s*\d)"),
    (Form.MONTH_YEAR, rf"{_PHASE}?{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"),
    (Form.SEASON_YEAR, rf"(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}\b"),
    (
        Form.CENTURY,
        rf"{_PHASE}?{_ORDINAL}(?:\s*(?:and|or|to|-|–)\s*(?:the\s+)?{_ORDINAL})?[\s-]+centur(?:y|ies){_ERA}?",
    ),
    (Form.DECADE, rf"{_PHASE}?\d{{3}}0s\b"),
    (Form.YEAR_RANGE, rf"\b{_YEAR}\s*(?:-|–|to)\s*(?:{_YEAR}|\d{{2}})\b(?!\s*[%\d])"),
    (Form.YEAR, r"\b(?:AD|A\.D\.)\s?\d{1,4}\b|\b\d{1,4}\s?(?:AD|BC|BCE|CE|A\.D\.|B\.C\.)"),
    (Form.YEAR, rf"\b{_YEAR}\b{_AFTER_YEAR}"),
    # Three-digit years only after a word that introduces a date: "founded in 911".
    (Form.YEAR, rf"(?<=\b[Ii]n\s)[1-9]\d{{2}}\b{_AFTER_YEAR}|(?<=\b[Ss]ince\s)[1-9]\d{{2}}\b{_AFTER_YEAR}"),
    (
        Form.YEAR_END,
        r"\b(?:year-end|year's\s+end|end-of-(?:the-)?year|end\s+of\s+(?:the|this)\s+year)\b",
    ),
    (
        Form.RELATIVE,
        rf"\b(?:(?:last|this|next|previous|coming|following)\s+(?:year|month|week|{_WEEKDAY}|{_FULL_MONTH}|"
        rf"spring|summer|autumn|fall|winter)|yesterday|today|tomorrow|tonight|"
        rf"(?:earlier|later)\s+this\s+(?:year|month|week))\b",
    ),
    (Form.MONTH, rf"(?<=\b(?:in|In|by|of)\s){_PHASE}?{_MONTH}\b(?!\s*\d)"),
    (
        Form.MONTH,
        rf"(?:(?<=\buntil\s)|(?<=\bduring\s)|(?<=\bsince\s)|(?<=\bbefore\s)|(?<=\bafter\s)|(?<=\bleast\s))"
        rf"{_PHASE}?{_MONTH}\b(?!\s*\d)",
    ),
    (Form.MONTH, rf"\b{_PHASE}{_FULL_MONTH}\b(?!\s*\d)|\b{_FULL_MONTH}\b(?=\s+(?:deadline)\b)"),
    (Form.WEEKDAY, rf"\b{_WEEKDAY}\b"),
    (Form.TIME, r"\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)|\d{1,2}:\d{2}\b|noon\b|midnight\b"),
)
# Every form starts at a word's edge: trying them only there, not at every character, is several times faster.
_DATES = re.compile(r"\b(?:" + "|".join(f"(?P<d{i}>{p})" for i, (_, p) in enumerate(_DATE_FORMS)) + ")")

_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|a\s+dozen|dozen|a\s+hundred|a\s+thousand|a\s+million|"
    r"a\s+single|single|hundreds|thousands|millions|dozens|a\s+couple|a\s+few|several)"
)
_NUMBER = (
    rf"(?:(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|(?<![\w-]){_WORD_NUMBER})"
    r"(?:\s+(?:hundred|thousand|million|billion|trillion)\b)?"
)
_UNITS: tuple[tuple[Measure, str], ...] = (
    (Measure.PERCENT, r"%|\s?(?:percent|per\s+cent)\b|\s?percentage\s+points?\b"),
    (
        Measure.DISTANCE,
        r"\s?(?:square\s+|sq\.?\s+|cubic\s+)?(?:miles?|mi|kilomet(?:er|re)s?|km|met(?:er|re)s?|m|"
        r"centimet(?:er|re)s?|cm|millimet(?:er|re)s?|mm|feet|foot|ft|inch(?:es)?|yards?|nautical\s+miles?|"
        r"light[\s-]years?|acres?|hectares?|km2|km²|m²)\b",
    ),
    (
        Measure.DURATION,
        r"[\s-]?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|"
        r"millenni(?:um|a)|nights?)\b",
    ),
    (
        Measure.MASS,
        r"\s?(?:kilograms?|kg|grams?|g|tonnes?|tons?|pounds?|lbs?|ounces?|oz|litres?|liters?|gallons?|barrels?|"
        r"kilowatts?|kw|megawatts?|mw|gigawatts?|gw|watts?|calories|volts?|mph|km/h|knots)\b",
    ),
    (
        Measure.MONEY,
        r"\s?(?:dollars?|euros?|pounds\s+sterling|yen|yuan|rupees?|francs?|marks|pesos?|USD|EUR|GBP)\b",
    ),
)
_UNIT_AFTER = re.compile("|".join(f"(?P<u{i}>{p})" for i, (_, p) in enumerate(_UNITS)), re.I)
_CURRENCY = r"(?:US\$|A\$|C\$|\$|£|€|¥|₹)"
# Tried only where a word or a currency sign starts, as dates are.
_QUANTITIES = re.compile(
    rf"(?:(?<!\w)(?=\w)|(?=[$£€¥₹]))(?:(?P<age>(?:aged\s+|age\s+of\s+)(?:{_NUMBER})|(?:{_NUMBER})[\s-]+(?:years?|months?)[\s-]+old\b)|"
    rf"(?P<money>{_CURRENCY}\s?(?:{_NUMBER}))|"
    rf"(?P<number>{_NUMBER}))",
    re.I,
)
_COUNTED_NOUN = re.compile(r"\s+(?:of\s+(?:the\s+)?)?([A-Za-z][\w'-]*)")

# A date moved by a stated duration: "extend by six months a year-end deadline", "postponed the vote by two
# weeks", "pushed back a month", "brought the hearing forward three days". The verb, perhaps its object (up to
# six words, no punctuation), a particle, "by" or "for", then the duration.
_MOVE = re.compile(
    r"\b(?P<verb>extend(?:s|ed|ing)?|postpon(?:e|es|ed|ing)|delay(?:s|ed|ing)?|defer(?:s|red|ring)?|"
    r"push(?:es|ed|ing)?|put(?:s|ting)?\s+off|set(?:s|ting)?\s+back|mov(?:e|es|ed|ing)|bring(?:s|ing)?|brought|"
    r"advanc(?:e|es|ed|ing))\b"
    r"(?:\s+(?P<before>back|forward|up|ahead))?"
    r"(?P<object>(?:\s+[\w'’.-]+){0,6}?)"
    r"(?:\s+(?P<after>back|forward|up|ahead))?"
    r"(?:\s+(?P<by>by|for))?"
    r"(?:\s+(?:another|a\s+further|an\s+additional|an\s+extra|additional|further|a\s+full))?"
    rf"\s+(?P<amount>\d{{1,3}}|{_WORD_NUMBER}|an?)[\s-]+(?P<unit>day|week|month|year)s?(?![\w-])"
    # "delayed two years later" says when, not by how much.
    r"(?!\s+(?:ago|later|earlier|before|after|old)\b)",
    re.I,
)
# The same as a noun: "a six-month extension of the December 31 deadline", "a two-week delay to the vote".
_MOVE_NOUN = re.compile(
    rf"(?<![\w-])(?P<amount>\d{{1,3}}|{_WORD_NUMBER})[\s-]+(?P<unit>day|week|month|year)[\s-]+"
    r"(?:extension|delay|postponement)s?\b",
    re.I,
)
# Which way each verb moves a date; verbs that say so only with a particle ("move back", "bring forward").
_LATER_VERBS = ("extend", "postpon", "delay", "defer", "push", "put", "set")
_EARLIER_VERBS = ("advanc",)
_PARTICLES = {"back": 1, "forward": -1, "up": -1}


@dataclass(frozen=True)
class Move:
    """A stated shift of a date: its words and by how much, signed (negative: brought forward)."""

    start: int
    end: int
    text: str
    amount: str  # the number's words as written ("six", "2", "a")
    unit: str  # "day", "week", "month" or "year"
    sign: int
    noun: bool = False  # "a six-month extension": the date it moves follows "of", "to", "on" or "for"


@lru_cache(maxsize=8192)
def moves(text: str) -> tuple[Move, ...]:
    """The date moves a text states, left to right."""
    found = [
        Move(m.start(), m.end(), m.group(), m.group("amount"), m.group("unit").lower(), 1, noun=True)
        for m in _MOVE_NOUN.finditer(text)
    ]
    for match in _MOVE.finditer(text):
        verb = match.group("verb").lower()
        particle = (match.group("before") or match.group("after") or "").lower()
        # With an object between the verb and the duration, only "by", "for" or a particle ties them.
        if match.group("object").strip() and not (match.group("by") or match.group("after")):
            continue
        sign = _direction(verb, particle)
        if sign:
            start, end = match.span()
            found.append(
                Move(start, end, text[start:end], match.group("amount"), match.group("unit").lower(), sign)
            )
    return tuple(sorted(found, key=lambda move: move.start))


def _direction(verb: str, particle: str) -> int:
    """+1 for later, -1 for earlier, 0 when the words do not say ("pushed forward", "pushed ahead" may mean
    pressed on)."""
    if verb.startswith(_LATER_VERBS):
        return 0 if particle in ("forward", "up", "ahead") else 1
    if verb.startswith(_EARLIER_VERBS):
        return -1
    if verb.startswith("mov"):
        return _PARTICLES.get(particle, 0)
    return -1 if particle == "forward" else 0  # bring, brought: only "bring forward" moves a date


@lru_cache(maxsize=8192)
def dates(text: str) -> tuple[Mention, ...]:
    """The date mentions of a text, left to right, each the longest form that starts there."""
    found = []
    for match in _DATES.finditer(text):
        group = match.lastgroup or ""
        form = _DATE_FORMS[int(group[1:])][0]
        start, end = match.span()
        found.append(Mention(start, end, text[start:end], form=form))
    return tuple(found)


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[Mention, ...]:
    """The numbers of a text with their units (or the noun they count), left to right; years are dates, not
    quantities."""
    taken = [(m.start, m.end) for m in dates(text) if m.form is not Form.RELATIVE]
    found = []
    for match in _QUANTITIES.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            continue
        kind = match.lastgroup
        number = re.search(_NUMBER, match.group(), re.I)
        if kind == "age":
            # "at the age of 35", "aged 35": the answer is the number; "25-year-old" is whole.
            if number and match.group().lower().startswith("age"):
                start += number.start()
            found.append(_mention(text, start, end, Measure.AGE, number))
        elif kind == "money":
            found.append(
                _mention(
                    text,
                    start,
                    end,
                    Measure.MONEY,
                    number,
                    unit=match.group()[: match.group().index(number.group())].strip() if number else None,
                )
            )
        else:
            found.append(_with_unit(text, start, end, number))
    return tuple(found)


def _with_unit(text: str, start: int, end: int, number: re.Match[str] | None) -> Mention:
    unit = _UNIT_AFTER.match(text, end)
    if unit and unit.lastgroup:
        measure = _UNITS[int(unit.lastgroup[1:])][0]
        stop = unit.end()
        return _mention(text, start, stop, measure, number, unit=text[end:stop].strip(" -"))
    noun = _COUNTED_NOUN.match(text, end)
    return _mention(text, start, end, Measure.NUMBER, number, unit=noun.group(1) if noun else None)


def _mention(
    text: str,
    start: int,
    end: int,
    measure: Measure,
    number: re.Match[str] | None,
    unit: str | None = None,
) -> Mention:
    return Mention(
        start, end, text[start:end], measure=measure, number=number.group() if number else None, unit=unit
    )
