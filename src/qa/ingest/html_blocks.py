"""Chrome among an article's extracted blocks, found by what a block says and where it sits.

Extractors keep what the template puts inside the article container: the headline again at the
top, and at the end the credit line, the author's contact and social handles, a newsletter
pitch, "You may also like...". Such text sits at the article's edges, so only the first and
last blocks are looked at, sentence by sentence: the same words in mid-article are prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from qa.ingest import boilerplate as chrome
from qa.text import fold, normalise, word_count

# How many blocks at each end of an article may be chrome.
_HEAD_BLOCKS = 2
_TAIL_BLOCKS = 10
# A block this short, or a sentence this short, carries no article text of its own next to
# chrome ("Have a tip?", "Tell us what YOU think...", "comments").
_SHORT_BLOCK_WORDS = 6
_SHORT_SENTENCE_WORDS = 4
# A credit or copyright line longer than this is a sentence of the story that names a photographer.
_CREDIT_MAX_WORDS = 15

# A sentence ends at a stop followed by a capital ("Oct. 5" and "U.S. officials" mostly stay whole).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(\[]?[A-ZÀ-ÖØ-ÞА-ЯΑ-Ω])")

# Who reported, wrote, edited: the wire and newsroom credit that closes an article.
_CREDIT = re.compile(
    r"\b(?:contributed (?:reporting|to (?:this|the) (?:report|story|article))|(?:additional )?reporting by|"
    r"(?:editing|edited|writing|compiled) by)\b|^\(?\s*source\s*:",
    re.IGNORECASE,
)
# Where to reach the author or the site: an e-mail address, a handle, a web address, a social prompt.
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|"
    r"\b(?:follow|like|find) (?:us|him|her|them|me|@?\w+(?:'s)?(?: \w+){0,4}) on "
    r"(?:twitter|facebook|instagram|linkedin|youtube|tiktok|social)\b|"
    r"\b(?:can|may) be reached at\b|^e-?mail \w+(?: \w+){0,3} at\b",
    re.IGNORECASE,
)
# A web address or handle standing for a link: what a short sentence around it points to.
_ADDRESS = re.compile(r"(?:^|\s)@\w{2,}|https?://|www\.\w", re.IGNORECASE)
_ADDRESS_MAX_WORDS = 12
_URL = re.compile(r"\S*(?:https?://|www\.)\S*")
# The offer of a newsletter or magazine, in the words no article sentence uses.
_PITCH = re.compile(
    r"\bdelivered (?:\w+ )?(?:to|through|into|straight to) your\b|\b(?:in|to) your inbox\b|"
    r"\bsign up (?:for|to|now|today)\b|\bsubscribe (?:to|for|now|today)\b",
    re.IGNORECASE,
)
# A block that is only a web address or a machine timestamp: data the template printed, not text.
_DATA = re.compile(r"(?:https?://|www\.)\S+|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?")
# The comment section's notices ("we are moderating all comments").
_COMMENTS = re.compile(
    r"\bmoderat\w* (?:all |the )?comments\b|\bcomments? (?:are|is|will be) moderated\b", re.I
)
# A pointer to a link ("listen back here", "You can view our open thread here.") or a share prompt.
_LINK_PROMPT = re.compile(
    r"\b(?:read|see|view|watch|listen|find|click|tap|sign up|subscribe|download|learn|check)\b.*\bhere\s*[.!]?$|"
    r"\bshare (?:it|this)\b",
    re.IGNORECASE,
)


def article_text(blocks: list[str], headlines: Iterable[str]) -> list[str]:
    """The blocks less the headline at the top, captions and credits, and the chrome at the head and tail.

    `headlines` are what the page calls its headline: the declared title, its <h1> texts.
    """
    blocks = without_headline(blocks, headlines)
    blocks = [b for b in blocks if not (_is_credit(b) or _COMMENTS.search(b))]
    return _without_tail(_without_head(blocks))


def without_headline(blocks: list[str], headlines: Iterable[str]) -> list[str]:
    """The blocks less the page's headline (and the short labels above it) among the first ones."""
    # The headline is the citation's title; as a block it would glue onto the next one as a sentence.
    keys = {fold(normalise(h)) for h in headlines} - {""}
    for i, block in enumerate(blocks[:_HEAD_BLOCKS]):
        # Labels above the headline ("Review", "Opinion") go with it.
        labels = all(word_count(b) <= _SHORT_SENTENCE_WORDS for b in blocks[:i])
        if fold(normalise(block)) in keys and labels:
            return blocks[i + 1 :]
    return blocks


def _is_credit(block: str) -> bool:
    """A photo caption's credit or a copyright line, set as a block of its own anywhere in the article."""
    text = normalise(block)
    return word_count(text) <= _CREDIT_MAX_WORDS and (chrome.kind(text) == "credit" or "©" in text)


def _without_head(blocks: list[str]) -> list[str]:
    """Leading blocks that are mostly a pitch ("Start your day with our newsletter...") go."""
    start = 0
    while start < min(_HEAD_BLOCKS, len(blocks)) and _mostly(_sentences(blocks[start]), _is_pitch):
        start += 1
    return blocks[start:]


def _without_tail(blocks: list[str]) -> list[str]:
    """The article up to where its closing chrome starts, that block trimmed or dropped.

    Walking up from the last block: a block that is mostly chrome is chrome, and so is every
    block below it (the short "Tell us what you think..." between two pitches); a prose block
    ending in chrome sentences is trimmed and is where the article ends.
    """
    end, last = len(blocks), ""
    for i in range(len(blocks) - 1, max(-1, len(blocks) - 1 - _TAIL_BLOCKS), -1):
        sentences = _sentences(blocks[i])
        # A closing block that opens with chrome is a box of it ("Follow @deals ... Prices may change.");
        # one that only repeats the article (the summary again) or is a bare address or timestamp is
        # the template's, not the story's.
        if (
            _mostly(sentences, _is_chrome)
            or (sentences and _is_chrome(sentences[0]))
            or _DATA.fullmatch(blocks[i].strip())
            or _repeats(sentences, blocks[:i])
        ):
            end = i
        elif any(map(_is_chrome, sentences)):
            trimmed = _trimmed(blocks[i])
            if trimmed != blocks[i]:
                end, last = i, trimmed
            break
        elif word_count(blocks[i]) > _SHORT_BLOCK_WORDS:
            break
    return blocks[:end] + ([last] if last else [])


def _repeats(sentences: list[str], earlier: list[str]) -> bool:
    """Whether every sentence (two at least) is already in the blocks above: a summary or teaser repeated."""
    before = " ".join(earlier)
    return len(sentences) >= 2 and all(s.strip() in before for s in sentences)


def _trimmed(block: str) -> str:
    """A block less its closing run of chrome sentences (and the short question that leads into them)."""
    sentences = _sentences(block)
    cut, i = len(sentences), len(sentences) - 1
    while i >= 0 and (_is_chrome(sentences[i]) or _short(sentences[i])):
        cut = i if _is_chrome(sentences[i]) else cut
        i -= 1
    while cut > 0 and _short(sentences[cut - 1]) and sentences[cut - 1].rstrip().endswith("?"):
        cut -= 1  # "Have a tip?" before "Reach her at ..."
    return block[: _sentence_ends(block)[cut - 1]].rstrip() if cut else ""


def _short(sentence: str) -> bool:
    return word_count(sentence) <= _SHORT_SENTENCE_WORDS


def _mostly(sentences: list[str], test: Callable[[str], bool]) -> bool:
    return bool(sentences) and 2 * sum(map(test, sentences)) >= len(sentences)


def _sentences(block: str) -> list[str]:
    """The block's sentences, each as written (spans that tile the block up to the breaks between them)."""
    if not block.strip():
        return []
    starts = [0] + [m.end() for m in _SENTENCE_BREAK.finditer(block)]
    return [block[a:b] for a, b in zip(starts, _sentence_ends(block), strict=True)]


def _sentence_ends(block: str) -> list[int]:
    """Offset in `block` just after each sentence of `_sentences(block)`."""
    return [m.start() for m in _SENTENCE_BREAK.finditer(block)] + [len(block)]


def _is_chrome(sentence: str) -> bool:
    """A sentence that addresses the reader on the site's behalf, or credits, rather than tells the story."""
    text = normalise(sentence)
    return bool(
        _is_pitch(text)
        or _CREDIT.search(text)
        or _CONTACT.search(text)
        or _LINK_PROMPT.search(text)
        or _COMMENTS.search(text)
        or (_ADDRESS.search(text) and word_count(_URL.sub("", text)) <= _ADDRESS_MAX_WORDS)
    )


def _is_pitch(sentence: str) -> bool:
    """Template text by the shared kinds (share rows, prompts, related headings, footers) or a subscription offer."""
    text = normalise(sentence)
    return chrome.kind(text) is not None or bool(_PITCH.search(text))
