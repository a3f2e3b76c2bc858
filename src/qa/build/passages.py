"""Paragraphs -> passages: duplicates folded into citations, fragments merged, packed, split to the model's size."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import blingfire

from qa.build.progress import stage_progress
from qa.dedup.groups import PairFinder, duplicate_groups
from qa.dedup.similarity import Thresholds, content_hash
from qa.ingest.articles import Paragraph
from qa.ingest.citations import narrow, span
from qa.text import ends_sentence, word_count
from qa.types import Citation, Passage

# The two dedup passes: paragraphs as cleaned, and passages as packed and split.
STAGES = ("paragraphs", "passages")

CountTokens = Callable[[str], int]
CountMany = Callable[[Sequence[str]], list[int]]


def counted(count_tokens: CountTokens, count_many: CountMany | None, texts: Sequence[str]) -> CountTokens:
    """`count_tokens`, with the counts of `texts` made in one call (a tokenizer's batch runs on every core)."""
    if count_many is None:
        return count_tokens
    known = dict(zip(texts, count_many(texts), strict=True))
    return lambda text: known[text] if text in known else count_tokens(text)


@dataclass(frozen=True)
class _Draft:
    text: str
    citation: Citation
    also_in: tuple[Citation, ...] = ()


def fold_duplicates(
    drafts: Sequence[_Draft], thresholds: Thresholds, pairs: PairFinder | None = None
) -> list[_Draft]:
    """Keep one draft per duplicate group (the most complete); the others become its `also_in`."""
    keep: dict[int, _Draft] = {}
    texts = [d.text for d in drafts]
    for group in duplicate_groups(texts, thresholds, pairs=pairs):
        keeper, *others = (drafts[i] for i in group)
        extra = [c for d in others for c in (d.citation, *d.also_in)]
        keep[group[0]] = replace(keeper, also_in=_unique((*keeper.also_in, *extra), keeper.citation))
    return [keep[i] for i in sorted(keep)]


def _unique(citations: Sequence[Citation], own: Citation) -> tuple[Citation, ...]:
    """Distinct citations in file order, those on consecutive lines of one article joined into one span."""
    result: list[Citation] = []
    for c in sorted(citations, key=lambda c: (c.source, c.char_start)):
        if (c.source, c.char_start, c.char_end) == (own.source, own.char_start, own.char_end):
            continue
        last = result[-1] if result else None
        if last and last.source == c.source and c.char_start <= last.char_end:
            continue  # the same place, or inside one already listed
        if last and _same_article(last, c) and c.line_start <= last.line_end + 1:
            result[-1] = span(last, c)
        else:
            result.append(c)
    return tuple(result)


def _stands_alone(text: str, min_words: int) -> bool:
    words = word_count(text)
    return words >= min_words and (ends_sentence(text) or words >= 2 * min_words)


def merge_fragments(drafts: Sequence[_Draft], min_words: int) -> list[_Draft]:
    """Attach fragments (bylines, captions, cut-off lines) to the previous passage of the same article."""
    merged: list[_Draft] = []
    pending: _Draft | None = None  # a fragment that opened an article, waiting for what follows
    for draft in drafts:
        same_article = bool(merged) and _same_article(merged[-1].citation, draft.citation)
        if pending is not None and _same_article(pending.citation, draft.citation):
            draft = _join(pending, draft)
            pending = None
        elif pending is not None:
            merged.append(pending)
            pending = None
        if _stands_alone(draft.text, min_words):
            merged.append(draft)
        elif same_article:
            merged[-1] = _join(merged[-1], draft)
        else:
            pending = draft
    if pending is not None:
        merged.append(pending)
    return merged


def _same_article(a: Citation, b: Citation) -> bool:
    return (
        a.source == b.source
        and (a.title, a.date, a.author) == (b.title, b.date, b.author)
        and a.char_end <= b.char_start
    )


def _join(first: _Draft, second: _Draft) -> _Draft:
    return _Draft(
        f"{first.text} {second.text}",
        span(first.citation, second.citation),
        _unique((*first.also_in, *second.also_in), first.citation),
    )


def pack(drafts: Sequence[_Draft], target: int, count_tokens: CountTokens) -> list[_Draft]:
    """Join consecutive paragraphs of one article while the result stays within `target` tokens.

    News paragraphs are often one sentence; alone they lose the context that retrieval needs
    ("she said" without who). Packing to a modest size keeps passages precise but self-contained.
    """
    # Tokens of two texts joined by a space are the sum of their tokens less one set of special tokens
    # (the tokenizer splits on whitespace first), so each paragraph is counted once. The target is soft:
    # split_long enforces the model's hard limit with exact counts.
    special = count_tokens("")
    packed: list[_Draft] = []
    size = 0
    for draft in drafts:
        tokens = count_tokens(draft.text)
        if (
            packed
            and _same_article(packed[-1].citation, draft.citation)
            and size + tokens - special <= target
        ):
            packed[-1] = _join(packed[-1], draft)
            size += tokens - special
        else:
            packed.append(draft)
            size = tokens
    return packed


def split_long(text: str, budget: int, count_tokens: CountTokens) -> list[str]:
    """Cut text into pieces of at most `budget` tokens, at sentence boundaries where they exist."""
    if count_tokens(text) <= budget:
        return [text]
    _, offsets = blingfire.text_to_sentences_and_offsets(text)
    sentences = [text[start:end].strip() for start, end in offsets] or [text]
    units: list[str] = []
    for sentence in sentences:
        units.extend(
            [sentence] if count_tokens(sentence) <= budget else _split_words(sentence, budget, count_tokens)
        )
    pieces: list[str] = []
    for unit in units:
        if pieces and count_tokens(f"{pieces[-1]} {unit}") <= budget:
            pieces[-1] = f"{pieces[-1]} {unit}"
        else:
            pieces.append(unit)
    return pieces


def _split_words(sentence: str, budget: int, count_tokens: CountTokens) -> list[str]:
    """Last resort for one sentence longer than the budget: cut between words."""
    pieces: list[str] = []
    current: list[str] = []
    for word in sentence.split():
        if current and count_tokens(" ".join([*current, word])) > budget:
            pieces.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        pieces.append(" ".join(current))
    return pieces


def embedding_text(passage: Passage) -> str:
    """What the model and BM25 read for a passage: its article's title and byline, then its text.

    The byline lets "who wrote the article about ...?" find the article; the title gives every passage its topic.
    """
    header = article_header(passage.citation)
    return f"{header} {passage.text}" if header else passage.text


def article_header(citation: Citation) -> str:
    """ "Title. By Author." as far as the article has them."""
    parts = [
        f"{citation.title}." if citation.title else "",
        f"By {citation.author}." if citation.author else "",
    ]
    return " ".join(part for part in parts if part)


def build_passages(
    paragraphs: Sequence[Paragraph],
    *,
    count_tokens: CountTokens,
    max_tokens: int,
    min_words: int = 8,
    target_tokens: int = 0,
    thresholds: Thresholds,
    documents: Mapping[str, str] | None = None,
    pairs: Mapping[str, PairFinder] | None = None,
    count_many: CountMany | None = None,
    progress: bool = False,
) -> list[Passage]:
    """The index's passages: deduplicated, fragments merged, none longer than `max_tokens` with its title.

    `pairs` finds the near-duplicate pairs of each stage (STAGES): all of them exactly by default
    (`dedup.groups.every_pair`), or the previous build's memory plus the new texts' pairs on a rebuild.
    """
    pairs = pairs or {}
    drafts = [_Draft(p.text, p.citation) for p in paragraphs]
    with stage_progress("dedup of paragraphs", len(drafts), "text", progress):
        drafts = fold_duplicates(drafts, thresholds, pairs.get("paragraphs"))
    with stage_progress("passages", len(drafts), "paragraph", progress):
        drafts = _cut(drafts, count_tokens, max_tokens, min_words, target_tokens, documents, count_many)
    with stage_progress("dedup of passages", len(drafts), "text", progress):
        drafts = fold_duplicates(drafts, thresholds, pairs.get("passages"))
    return [Passage(content_hash(d.text), d.text, d.citation, d.also_in) for d in drafts]


def _cut(
    drafts: list[_Draft],
    count_tokens: CountTokens,
    max_tokens: int,
    min_words: int,
    target_tokens: int,
    documents: Mapping[str, str] | None,
    count_many: CountMany | None,
) -> list[_Draft]:
    """Fragments merged, paragraphs packed to the target, pieces split to the model's size with their header."""
    drafts = merge_fragments(drafts, min_words)
    if target_tokens:
        drafts = pack(drafts, target_tokens, counted(count_tokens, count_many, [d.text for d in drafts]))
    count_tokens = counted(count_tokens, count_many, [d.text for d in drafts])
    pieces: list[_Draft] = []
    header_tokens: dict[str, int] = {}  # an article's header heads each of its passages: count it once
    for draft in drafts:
        header = article_header(draft.citation)
        if header and header not in header_tokens:
            header_tokens[header] = count_tokens(header)
        budget = max_tokens - (header_tokens[header] if header else 0)
        texts = split_long(draft.text, max(budget, 16), count_tokens)
        if len(texts) == 1:
            pieces.append(draft)
            continue
        # With the documents at hand each piece cites its own span; without, the whole paragraph's.
        source = documents.get(draft.citation.source) if documents else None
        cursor = draft.citation.char_start
        for text in texts:
            citation = narrow(draft.citation, source, text, cursor) if source else draft.citation
            cursor = citation.char_end if citation is not draft.citation else cursor
            pieces.append(_Draft(text, citation, draft.also_in))
    return pieces
