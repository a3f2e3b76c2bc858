"""A quantity mention's value: its number in digits ("twenty-one" is 21, "5 million" is 5000000) and its unit."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from text_to_num import text2num

from qa.answers.mentions import Mention

_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Words text2num does not read as numbers, and that name one.
_ALSO = {
    "a dozen": 12,
    "dozen": 12,
    "a single": 1,
    "single": 1,
    "a hundred": 100,
    "a thousand": 1000,
    "a million": 10**6,
}


def number(words: str | None) -> Decimal | None:
    """The number a mention writes, or None for a vague one ("hundreds", "several")."""
    if not words:
        return None
    text = " ".join(words.lower().split())
    scale = 1
    last = text.rsplit(" ", 1)
    if len(last) == 2 and last[1] in _SCALES:
        text, scale = last[0], _SCALES[last[1]]
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        try:
            return Decimal(text.replace(",", "")) * scale
        except InvalidOperation:
            return None
    if text in _ALSO:
        return Decimal(_ALSO[text]) * scale
    if text.endswith("s"):  # "hundreds", "thousands": no one number
        return None
    try:
        return Decimal(text2num(text, "en")) * scale
    except ValueError:
        return None


# Currency signs as ISO 4217 codes: "$1.5 billion" is "1500000000 USD".
_CURRENCIES = {
    "US$": "USD",
    "$": "USD",
    "A$": "AUD",
    "C$": "CAD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
}


def value(mention: Mention) -> str | None:
    """ "30000 men", "380 years", "45 %": the number in digits with its unit as written (lower case)."""
    found = number(mention.number)
    if found is None:
        return None
    digits = format(found.normalize(), "f")
    sign = next((s for s in _CURRENCIES if mention.text.startswith(s)), None)
    unit = _CURRENCIES[sign] if sign else mention.unit.lower() if mention.unit else None
    return f"{digits} {unit}" if unit else digits
