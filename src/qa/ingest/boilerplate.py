"""Page chrome by kind (share rows, prompts, menus, captions, bios) and the article body among it, up to its comments."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.ingest import clean
from qa.text import normalise, word_count

# Kinds of template text, each recognised by what it asks of the reader or says about the site, not by
# any one site's strings. Short lines (a button, a heading) match the broad words; longer lines only
# the phrases that no article sentence uses.
_SHORT_WORDS = 12
_LONG_WORDS = 60
_KINDS_SHORT = {
    "share": re.compile(
        r"^(?:share|tweet|pin it|email|print|post to \w+|share (?:this|on|via)\b.*|\d+\s*shares?|"
        r"sharing is caring.*|copy link.*|like us on \w+|follow us.*|.*\bshar(?:e|ing) buttons?)$",
        re.IGNORECASE,
    ),
    "prompt": re.compile(
        r"\b(?:sign[ -]?(?:in|up|out)|log[ -]?(?:in|out)|(?:subscribe|sign up) (?:to|for|now|today)|newsletters?|"
        r"cookies? (?:policy|settings|preferences)|required fields?|leave a (?:reply|comment)|"
        r"post (?:a )?comment|comments? (?:are )?closed|notify me|save my name|click here|create an account|"
        r"my account|download (?:the|our) app|forgot (?:your )?password|remember me|cancel reply|add comment|"
        r"(?:view|show|load|see) (?:\d+ )?(?:more|all|comments?)|read more|continue reading|skip to|back to top|"
        r"privacy (?:policy|notice|settings)|terms (?:of|and) (?:use|service|conditions)|contact us|about us|"
        r"sitemap|all rights reserved|powered by|©|copyright)\b|"
        r"^(?:name|e-?mail|website|comments?|search|subscribe|register|advertisement|advertising|sponsored|"
        r"accept|close|menu|home|login|more|next|previous|reply|share|print|rss|search for|go)\s*[*:]?\s*$",
        re.IGNORECASE,
    ),
    # Photo captions' credit lines: an agency or photographer, not article text.
    "credit": re.compile(
        r"\b(?:getty images|shutterstock|istock|ap photo|afp|reuters/|file photo|courtesy(?: of)?|"
        r"photo(?:graph)?(?: credit)?\s*:|image(?: credit)?\s*:|credit\s*:|credit\.\.\.|photo by|image by)",
        re.IGNORECASE,
    ),
    "related": re.compile(
        r"^(?:related|more (?:stories|news|from|in|on|articles|posts|videos)|most (?:popular|read|viewed|shared)|"
        r"trending|recommended|you (?:may|might) also like|read next|recent (?:posts|articles|stories)|"
        r"popular (?:posts|articles|stories)|top stories|latest (?:news|stories|posts|articles)|"
        r"editor'?s picks|what to read next|in case you missed it|also read|see also|tags?|categories|"
        r"filed under|topics)\b",
        re.IGNORECASE,
    ),
}
_KINDS_LONG = re.compile(
    r"\b(?:we use cookies|this (?:web)?site uses cookies|by (?:clicking|continuing|using this)|"
    r"your email address will not be published|required fields are marked|all rights reserved|"
    r"powered by (?:wordpress|blogger|\w+)|privacy policy|terms of (?:use|service)|"
    r"sign up (?:for|to)|subscribe (?:to|for|now|today)|get (?:our|the) newsletter|"
    r"you must be logged in|log in to (?:comment|post|reply)|this material may not be published|"
    r"this entry was posted|is licensed under|enable javascript|(?:in|to) your inbox|"
    r"delivered (?:to your|every|weekday|daily)|sign up (?:for|to) (?:our|the)|opt-in|"
    r"may not be reproduced|unauthori[sz]ed (?:use|reproduction)|affiliate (?:links?|commission)|"
    r"submission guidelines|comments? policy|community guidelines|contributed (?:to )?(?:this )?report(?:ing)?|"
    r"(?:additional )?reporting by|editing by|follow (?:\w+ ){0,3}on (?:twitter|facebook|instagram|youtube)|"
    r"like this (?:story|article)|share (?:it|this) with a friend|"
    r"(?:not |un)supported (?:on|by) your (?:device|browser)|your browser does not support|"
    r"(?:update|upgrade) (?:to a modern|your) browser|no spam|unsubscribe at any time|click to subscribe|"
    r"story continues below|can send me|click to (?:share|email|print)|opens in (?:a )?new window|"
    r"(?:receive|earn) a (?:small )?commission|links to (?:online )?retail)\b",
    re.IGNORECASE,
)
# Headings that open what follows an article: its comments or its author's bio. Whole short lines
# only. "Related" and "Most popular" boxes are not among them: sites put those inside articles too.
_END_HEADING = re.compile(
    r"^(?:[1-9]\d*\s+(?:comments?|responses?|replies|thoughts|reactions)\b.*|"
    r"\W*(?:(?:top rated |latest |recent |reader )?comments?(?:\s*\(\d+\))?|discussion|"
    r"join the (?:discussion|conversation)|(?:leave|post|add|write) a (?:reply|comment|response)|"
    r"comments? (?:are )?closed.*|(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments?|"
    r"about the (?:author|writer)s?|author(?:'s)? bio(?:graphy)?)\W*)$",
    re.IGNORECASE,
)
_END_WORDS = 8
# A photo caption, by what only captions say: who stands left or right, "In this ... photo", a credit.
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_CAPTION = re.compile(
    r"[,(]\s*(?:(?:second |third )?(?:from )?(?:left|right)|cent(?:er|re)|top|bottom|foreground|background)\s*[,)]|"
    r"^(?:in this|this|an?) .{0,100}?\b(?:file )?(?:photo|image|picture|handout|photograph|illustration|"
    r"rendering|screenshot|artist'?s (?:impression|concept))\b|"
    r"^(?:file photo|above:|below:|pictured:|\(source:)|^\([^()\s]*/[^()]*\)$|[a-z]Credit\s*[:.]|"
    r"^file photo\b|\((?:ap|afp|reuters|getty|epa|photo|image|credit)\b[^)]*\)\s*$|"
    r"[\[(][^\])]*\b(?:ap|afp|reuters|getty(?: images)?|epa|shutterstock|file)\b[^\])]*[\])]\s*$|"
    r"\b(?:ap|afp|getty images|reuters|epa|shutterstock)\s*(?:/\s*[\w .'-]+)?\s*$|"
    # News-agency style dates a photo with weekday and full date in one clause; stories name the day only.
    rf"\b{_WEEKDAY},\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},\s+\d{{4}}\b|"
    # A gallery's counter: "Image 2 of 5", "1of4".
    r"^(?:image|photo|slide|picture)?\s*\d+\s*of\s*\d+\b",
    re.IGNORECASE,
)
# An author's bio: a name, then what they are at a publication ("Ann Lee is a reporter for ...").
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}(?:\([^)]*\)\s+)?(?:is|was|has been|joined|writes|covers)\b.{0,120}?\b"
    r"(?i:reporter|writer|editor|correspondent|journalist|contributor|columnist|author|producer|publisher|"
    r"educator|founder|blogger|freelancer?|host|anchor|critic|staff)\b|"
    # "Write to Ann Lee at ann.lee@example.com": the author's address under the article.
    r"^(?i:write to|contact|email) [^@]{2,60}\bat \S+@\S+"
)
_BIO_WORDS = 120
_CAPTION_WORDS = 70
# A line of links to other stories: "Read these next ...", "Also on example.com ...", "- A - B - C".
_LINK_LIST = re.compile(
    r"^(?:read (?:these|this) next|also on \S+\.\w+|on \S+\.(?:com|org|net|co\.uk)\s*:)|^- .{8,}?(?: - .{8,}?){2,}$",
    re.IGNORECASE,
)
# A teaser copies a paragraph's opening and ends in a link on to the full text.
_TEASER_TAIL = re.compile(
    r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])?\s*(?:read more|continue reading|read full (?:story|article)|more)\s*[»›>→]*\s*$",
    re.IGNORECASE,
)
_TEASER_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")


def kind(line: str) -> str | None:
    """What kind of page chrome a line is ("share", "prompt", "related", "nav", "footer"), or None."""
    text = normalise(line)
    if not text:
        return None
    count = word_count(text)
    if clean.is_boilerplate(line):
        return "nav"
    if count <= _SHORT_WORDS:
        for name, pattern in _KINDS_SHORT.items():
            if pattern.search(text):
                return name
        if _TEASER_TAIL.search(text) and count <= 3:
            return "prompt"
    if count <= _LONG_WORDS and _KINDS_LONG.search(text):
        return "footer"
    if _LINK_LIST.search(text):
        return "related"
    return None


def ends_article(line: str) -> bool:
    """A line that closes an article: a comment section or author-bio heading, a comment form, legal text."""
    text = normalise(line)
    count = word_count(text)
    if not text or count > _LONG_WORDS:
        return False
    if count <= _END_WORDS and _END_HEADING.match(text) and not clean.is_nav_item(line):
        return True
    return count <= 30 and bool(_CLOSING.search(text))


_CLOSING = re.compile(
    r"\b(?:your email address will not be published|required fields are marked|you must be logged in|"
    r"log in to (?:comment|post|reply)|comments? policy|community guidelines|this material may not be published|"
    r"all rights reserved)\b|^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# A newsletter sign-up closes an article too, but sites also set one in the middle of it.
_SIGN_UP = re.compile(
    r"\b(?:(?:in|to) your inbox|sign up (?:for|to) (?:our|the)|get (?:our|the) newsletter|subscribe to our)\b",
    re.IGNORECASE,
)


def is_bio(line: str) -> bool:
    """An author's bio line ("Ann Lee is a reporter for the Gazette, covering ...")."""
    text = normalise(line)
    return 0 < word_count(text) <= _BIO_WORDS and bool(_BIO.match(text))


def is_caption(line: str) -> bool:
    """A photo caption or its credit: "Ann Lee, left, speaks ...", "In this 2006 file photo ...", "(AP Photo/X)"."""
    text = normalise(line)
    return 0 < word_count(text) <= _CAPTION_WORDS and bool(_CAPTION.search(text))


def strip_teaser(text: str) -> str:
    """A teaser without its "... Read more »" tail, so that what is left is a prefix copy dedup folds."""
    stripped = _TEASER_TAIL.sub("", text)
    if stripped != text and word_count(stripped) >= 4:
        return _TEASER_ELLIPSIS.sub("", stripped)
    return text


def is_prose(line: str) -> bool:
    """A line (or wrapped paragraph) of running text: long enough and ending like a sentence.

    A headline has the length of a sentence but not its full stop; a hard-wrapped paragraph joined
    back together has both.
    """
    text = normalise(line)
    count = word_count(text)
    ends = text.endswith(_SENTENCE_END)
    return (count >= 8 and ends) or count >= 30 or (len(text) >= 80 and ends)


# A link to another story, its headline glued to its summary ("...SteakhouseA party of six left ...").
_GLUED_TEASER = re.compile(r"[a-z](?:The|A|An|In|On|At|For|It|This|After|When|As) [a-z0-9]")
# A colon too: "...a definition like the following:" runs on into what it introduces.
_SENTENCE_END = tuple('.!?…"”’)。:')


def _score(text: str) -> float:
    """A unit's weight as article text: prose counts by its words, chrome and short lines against."""
    if not text:
        return 0.0
    if kind(text) is not None or is_caption(text) or _GLUED_TEASER.search(text):
        return -6.0
    if is_prose(text):
        return float(min(word_count(text), 80))
    return -2.0


def _units(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """Lines as (first, end, text) units, a hard-wrapped paragraph's lines joined into one."""
    units: list[tuple[int, int, str]] = []
    for index, line in enumerate(lines):
        text = normalise(line)
        if units and text and units[-1][2] and _continues(units[-1][2], text):
            first, _, joined = units[-1]
            units[-1] = (first, index + 1, f"{joined} {text}")
        else:
            units.append((index, index + 1, text))
    return units


def _continues(previous: str, text: str) -> bool:
    """A line carries on the previous one: that broke mid-sentence and this starts lower case."""
    return not previous.endswith(_SENTENCE_END) and text[:1].islower() and word_count(previous) >= 4


def _introduces_list(text: str) -> bool:
    """A line of the article that announces a list below it: "The tour dates:", "Here is what you need:"."""
    return (
        text.endswith(":") and word_count(text) >= 3 and kind(text) is None and clean.unbulleted(text) == text
    )


def _list_item(text: str) -> bool:
    """A line that can be an item of an article's list: no chrome but bullets, longer than a menu link."""
    found = kind(text)
    return word_count(text) >= _MENU_WORDS and found in (None, "nav") and not is_caption(text)


# Menu links are shorter than this; list items of an article often are not.
_MENU_WORDS = 4
# A list item's weight once the article has introduced its list: it carries the body on, barely.
_LIST_ITEM = 1.0


def body_span(lines: Sequence[str]) -> tuple[int, int] | None:
    """[start, end) of the article body: the run of lines with the most prose net of the chrome inside it.

    Like jusText's length classes applied to lines, with context by position: short lines between
    prose lines stay in (subheadings, one-line paragraphs), runs of short lines and chrome outside
    the run do not. None when the page has no prose at all.
    """
    best, best_span = 0.0, None
    total, start = 0.0, 0
    in_list = False
    for first, end, text in _units(lines):
        if total <= 0:
            total, start = 0.0, first
        score = _score(text)
        if in_list and text and not is_prose(text) and _list_item(text):
            score = _LIST_ITEM  # an item of a list the article introduced ("Tour dates:")
        elif text:
            in_list = _introduces_list(text)
        total += score
        if total > best:
            best, best_span = total, (start, end)
    if best_span is None:
        return None
    start, end = best_span
    while start < end and not normalise(lines[start]):
        start += 1
    return start, _closed(lines, start, end)


def _closed(lines: Sequence[str], start: int, end: int) -> int:
    """The body's end, cut at the first line that closes an article once some prose has come.

    An author's bio closes it only in the body's second half or after several paragraphs: at the
    top, a line like it is the article talking about someone.
    """
    prose = words = 0
    for index in range(start, end):
        line = lines[index]
        if prose >= _PROSE_BEFORE_END and (
            ends_article(line)
            or (is_bio(line) and (prose >= _PROSE_BEFORE_BIO or index >= (start + end) / 2))
            or _last_sign_up(lines, index, end, words)
        ):
            return index
        if is_prose(line):
            prose += 1
            words += word_count(normalise(line))
    return end


def _last_sign_up(lines: Sequence[str], index: int, end: int, before: int) -> bool:
    """A sign-up line after which less prose follows than the article has had: it closes the article."""
    text = normalise(lines[index])
    if not (0 < word_count(text) <= 30 and _SIGN_UP.search(text)):
        return False
    after = sum(word_count(t) for t in lines[index + 1 : end] if is_prose(t))
    return after < before


# Prose lines after which an author's bio closes the article wherever it stands in the region.
_PROSE_BEFORE_BIO = 5
# Prose lines an article has before a closing heading counts (a "Comments" link up top does not end it).
_PROSE_BEFORE_END = 2
