"""Duplicate detection on the duplicate shapes found in the seed corpus, and passage assembly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import qa.dedup.groups
from qa.build.passages import build_passages, merge_fragments, split_long
from qa.config import Settings
from qa.dedup.groups import duplicate_groups
from qa.dedup.memory import DedupCache
from qa.dedup.similarity import containment, jaccard, near_duplicate, shingles
from qa.ingest.articles import Paragraph, paragraphs
from qa.ingest.corpus import read_corpus
from qa.params import dedup_thresholds
from qa.types import Citation

FULL = (
    "The head of an Iranian exile group holed up at a camp in Iraq said Wednesday that the first of the camp’s "
    "residents are ready to move to a new location picked by the Iraqi government, solving a potential crisis."
)


THRESHOLDS = dedup_thresholds(Settings())  # the configured defaults


def test_shingles_and_measures() -> None:
    a = shingles("one two three four five six")
    assert a == {("one", "two", "three", "four", "five"), ("two", "three", "four", "five", "six")}
    assert jaccard(a, a) == 1.0
    assert containment(shingles("one two three four five"), a) == 1.0
    assert shingles("two words") == {("two", "words")}
    assert shingles("") == frozenset()


@pytest.mark.parametrize(
    ("copy", "why"),
    [
        (FULL, "exact repeat"),
        (FULL.upper().replace("’", "'"), "same text, other case and apostrophe"),
        (
            "The head of an Iranian exile group holed up at a camp in Iraq said Wednesday that the first of the "
            "camp’s residents are ready to move",
            "truncated copy (a prefix)",
        ),
        (
            "Iranian exile group holed up at a camp in Iraq said Wednesday that the first of the camp’s",
            "fragment",
        ),
        (FULL.replace("solving", "averting"), "one word changed"),
    ],
)
def test_near_duplicates_found(copy: str, why: str) -> None:
    groups = duplicate_groups(
        [FULL, "Something else entirely, about the weather in Lisbon.", copy], THRESHOLDS
    )
    assert sorted(sorted(g) for g in groups) == [[0, 2], [1]], why


def test_keeper_is_the_most_complete() -> None:
    prefix = FULL[:120]
    (group,) = duplicate_groups([prefix, FULL], THRESHOLDS)
    assert group == [1, 0]


def test_different_paragraphs_stay_apart() -> None:
    a = "The UN has said it considers conditions at Camp Hurriya already better than at most refugee camps."
    b = "The group says it renounced violence in 2001, after carrying out bloody bombings in Iran in the 1980s."
    assert not near_duplicate(a, b, jaccard_at=0.8, containment_at=0.9)
    assert duplicate_groups([a, b], THRESHOLDS) == [[0], [1]]


def _cite(source: str, start: int, end: int, title: str | None = "T") -> Citation:
    return Citation(source, 1, 1, start, end, title, None)


def test_fragments_merge_into_the_previous_passage() -> None:
    drafts = build_passages(
        [
            Paragraph("A full sentence that stands on its own as a passage.", _cite("a.txt", 0, 52)),
            Paragraph("By ROY GUTMAN", _cite("a.txt", 54, 67)),
        ],
        count_tokens=lambda t: len(t.split()),
        max_tokens=200,
        thresholds=THRESHOLDS,
    )
    (only,) = drafts
    assert only.text.endswith("By ROY GUTMAN")
    assert (only.citation.char_start, only.citation.char_end) == (0, 67)


def test_long_paragraphs_split_at_sentences() -> None:
    text = " ".join(f"Sentence number {i} has exactly seven words." for i in range(10))
    pieces = split_long(text, 20, lambda t: len(t.split()))
    assert all(len(p.split()) <= 20 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


def test_one_overlong_sentence_splits_between_words() -> None:
    text = " ".join(["word"] * 50)
    pieces = split_long(text, 16, lambda t: len(t.split()))
    assert [len(p.split()) for p in pieces] == [16, 16, 16, 2]


def test_merge_keeps_articles_apart() -> None:
    from qa.build.passages import _Draft

    drafts = [
        _Draft("A long enough first paragraph of the first article here.", _cite("a.txt", 0, 10, "One")),
        _Draft("Short label", _cite("a.txt", 20, 30, "Two")),
        _Draft(
            "A long enough paragraph opening the second article of the page.", _cite("a.txt", 40, 50, "Two")
        ),
    ]
    merged = merge_fragments(drafts, 8)
    assert [d.text for d in merged] == [
        drafts[0].text,
        "Short label A long enough paragraph opening the second article of the page.",
    ]


def test_seed_passages_have_no_near_duplicates(corpus_dir: Path) -> None:
    found = paragraphs(read_corpus(corpus_dir))
    passages = build_passages(
        found, count_tokens=lambda t: len(t.split()) * 2, max_tokens=250, thresholds=THRESHOLDS
    )
    texts = [p.text for p in passages]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            sa, sb = shingles(a), shingles(b)
            assert jaccard(sa, sb) < 0.8 and containment(sa, sb) < 0.9 and containment(sb, sa) < 0.9, (a, b)
    # The repeated story in 000 and the doubled page 003 fold into citations.
    deadline = next(p for p in passages if "July 20 deadline" in p.text)
    assert [c.line_start for c in deadline.also_in] == [18]
    assert len({p.passage_id for p in passages}) == len(passages)
    assert len(passages) < len(found)


def test_split_pieces_cite_their_own_span(corpus_dir: Path) -> None:
    documents = read_corpus(corpus_dir)
    found = paragraphs(documents)
    texts = {d.source: d.text for d in documents}
    passages = build_passages(
        found, count_tokens=lambda t: len(t.split()), max_tokens=60, documents=texts, thresholds=THRESHOLDS
    )
    long_line = [p for p in passages if p.citation.source.startswith("001_") and p.citation.line_start == 10]
    assert len(long_line) >= 3  # the 180-word paragraph on line 10 is split
    spans = [(p.citation.char_start, p.citation.char_end) for p in long_line]
    assert spans == sorted(spans) and len(set(spans)) == len(spans)
    for p in long_line:
        raw = texts[p.citation.source][p.citation.char_start : p.citation.char_end]
        assert raw.split()[0] == p.text.split()[0] and raw.split()[-1] == p.text.split()[-1]


def _corpus_texts(count: int, seed: int) -> list[str]:
    """Distinct made-up paragraphs, with republished, edited and cut-short copies among them."""
    import random

    rng = random.Random(seed)
    words = [f"w{i}" for i in range(400)]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(12, 60))) for _ in range(count)]
    for i in range(0, count, 7):
        texts.append(texts[i].replace(texts[i].split()[3], "changed", 1))  # one word changed
    for i in range(3, count, 11):
        texts.append(" ".join(texts[i].split()[:-2]))  # cut short
    return texts


def _groups_with(texts: list[str], memory: DedupCache | None) -> list[list[str]]:
    return sorted(
        sorted(texts[i] for i in g)
        for g in duplicate_groups(texts, THRESHOLDS, pairs=memory.pairs if memory else None)
    )


def test_dedup_memory_gives_the_groups_of_a_full_pass(tmp_path: Path) -> None:
    old = _corpus_texts(300, seed=1)
    memory = DedupCache.open(tmp_path, "paragraphs", THRESHOLDS)
    assert _groups_with(old, memory) == _groups_with(old, None)
    memory.save()

    # Next build: a few texts gone, a few new, some of the new ones near-duplicates of old ones.
    new = [
        *old[5:],
        old[40].replace(old[40].split()[1], "edited", 1),
        " ".join(old[80].split()[2:]),
        "brand new text",
    ]
    memory = DedupCache.open(tmp_path, "paragraphs", THRESHOLDS)
    incremental = _groups_with(new, memory)
    assert memory.reused == len({*old[5:]} & {*new})  # the texts seen before were not compared again
    assert incremental == _groups_with(new, None)
    assert any(old[40] in group and len(group) > 1 for group in incremental)


def test_dedup_memory_with_nothing_new_shingles_only_the_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _corpus_texts(200, seed=3)
    texts += [" ".join(texts[7].split()[1:]), " ".join(texts[9].split()[:-1])]  # two teasers
    memory = DedupCache.open(tmp_path, "paragraphs", THRESHOLDS)
    full = _groups_with(texts, memory)
    memory.save()

    made: list[str] = []

    def counting(text: str, size: int = 5) -> frozenset[tuple[str, ...]]:
        made.append(text)
        return shingles(text, size)

    monkeypatch.setattr(qa.dedup.groups, "shingles", counting)
    memory = DedupCache.open(tmp_path, "paragraphs", THRESHOLDS)
    assert _groups_with(texts, memory) == full
    # Only the members of groups were shingled, to choose their keepers.
    members = {text for group in full if len(group) > 1 for text in group}
    assert {texts[7], texts[9], *texts[-2:]} <= members
    assert set(made) == members


def test_dedup_memory_of_other_thresholds_or_unreadable_is_not_used(tmp_path: Path) -> None:
    texts = _corpus_texts(50, seed=2)
    memory = DedupCache.open(tmp_path, "passages", THRESHOLDS)
    duplicate_groups(texts, THRESHOLDS, pairs=memory.pairs)
    memory.save()
    other = DedupCache.open(tmp_path, "passages", replace(THRESHOLDS, jaccard=0.7))
    duplicate_groups(texts, replace(THRESHOLDS, jaccard=0.7), pairs=other.pairs)
    assert other.reused == 0  # the file of other thresholds was not read
    (saved,) = tmp_path.glob("dedup-passages-*.npz")
    saved.write_bytes(b"not a cache")
    memory = DedupCache.open(tmp_path, "passages", THRESHOLDS)
    assert _groups_with(texts, memory) == _groups_with(texts, None) and memory.reused == 0


def test_dedup_memory_of_an_older_format_is_ignored(tmp_path: Path) -> None:
    import numpy as np

    texts = _corpus_texts(60, seed=3)
    memory = DedupCache.open(tmp_path, "paragraphs", THRESHOLDS)
    duplicate_groups(texts, THRESHOLDS, pairs=memory.pairs)
    memory.save()
    (saved,) = tmp_path.glob("dedup-paragraphs-*.npz")
    # The first format: MinHash signatures besides keys and pairs, and no format version.
    with np.load(saved) as data:
        keys, pairs = data["keys"], data["pairs"]
    np.savez(saved, keys=keys, signatures=np.zeros((len(keys), 128), np.uint64), pairs=pairs[:0])
    memory = DedupCache.open(tmp_path, "paragraphs", THRESHOLDS)
    assert _groups_with(texts, memory) == _groups_with(texts, None) and memory.reused == 0
