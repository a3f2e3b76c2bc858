"""Exact sparse near-duplicate search against a brute force that applies `similar` to every pair."""

from __future__ import annotations

import random

import pytest

from qa.dedup import overlap
from qa.dedup.groups import duplicate_groups
from qa.dedup.similarity import Thresholds, content_hash, shingles, similar

DEFAULT = Thresholds(0.8, 0.9)
SETTINGS = [DEFAULT, Thresholds(0.5, 0.6), Thresholds(0.9, 0.5), Thresholds(0.3, 0.95, shingle=3)]


def _corpus(seed: int, count: int = 160) -> list[str]:
    """Paragraphs from a small vocabulary (so shingles repeat), with the duplicate shapes of real corpora."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(40)]
    common = "the minister said on tuesday that"  # a phrase in many texts: a shingle most rows hold
    texts = []
    for _ in range(count):
        body = [rng.choice(vocabulary) for _ in range(rng.randint(3, 70))]
        texts.append(f"{common} {' '.join(body)}" if rng.random() < 0.4 else " ".join(body))
    for _ in range(count // 2):
        words = rng.choice(texts).split() or ["alone"]
        shape = rng.randrange(6)
        if shape == 0:
            texts.append(" ".join(words))  # copy
        elif shape == 1:
            texts.append(" ".join(words[: max(1, int(len(words) * rng.uniform(0.5, 0.95)))]))  # cut short
        elif shape == 2:
            texts.append(" ".join(words[: rng.randint(4, 12)]) + " ...")  # teaser
        elif shape == 3:
            for _ in range(rng.randint(1, 3)):  # a few words changed
                words[rng.randrange(len(words))] = rng.choice(["changed", "edited", "new"])
            texts.append(" ".join(words))
        elif shape == 4:
            texts.append(" ".join(words[rng.randrange(len(words)) :]))  # a tail fragment
        else:
            texts.append(
                rng.choice(["", "  ", "Yes.", "two words", "just four words here"])
            )  # short or empty
    rng.shuffle(texts)
    return texts


def _reference_groups(texts: list[str], thresholds: Thresholds) -> list[list[int]]:
    """Groups by brute force: every pair with equal hashes or passing `similar` joins, keeper first."""
    sets = [shingles(t, thresholds.shingle) for t in texts]
    keys = [content_hash(t) for t in texts]
    group = list(range(len(texts)))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if keys[i] == keys[j] or similar(sets[i], sets[j], thresholds):
                old, new = group[j], group[i]
                group = [new if g == old else g for g in group]
    members: dict[int, list[int]] = {}
    for i, g in enumerate(group):
        members.setdefault(g, []).append(i)
    return sorted(sorted(m, key=lambda i: (-len(sets[i]), -len(texts[i]), i)) for m in members.values())


def _brute_pairs(texts: list[str], unique: list[int], thresholds: Thresholds) -> set[tuple[int, int]]:
    sets = [shingles(t, thresholds.shingle) for t in texts]
    return {
        (i, j) for a, i in enumerate(unique) for j in unique[a + 1 :] if similar(sets[i], sets[j], thresholds)
    }


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("thresholds", SETTINGS)
def test_groups_equal_brute_force(seed: int, thresholds: Thresholds) -> None:
    texts = _corpus(seed)
    found = sorted(duplicate_groups(texts, thresholds))
    reference = _reference_groups(texts, thresholds)
    assert found == reference
    assert sum(len(g) > 1 for g in reference) >= 10  # the corpus had duplicates to find


@pytest.mark.parametrize("seed", range(3))
def test_pairs_with_new_texts_equal_brute_force(seed: int) -> None:
    texts = _corpus(seed)
    sets = [shingles(t) for t in texts]
    unique = [i for i, s in enumerate(sets) if s]
    new = random.Random(seed).sample(unique, len(unique) // 10)
    expected = {(i, j) for i, j in _brute_pairs(texts, unique, DEFAULT) if i in new or j in new}
    assert overlap.near_pairs(sets, unique, DEFAULT, among=new) == expected
    assert overlap.near_pairs(sets, unique, DEFAULT, among=[]) == set()


def test_small_blocks_find_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _corpus(7)
    sets = [shingles(t) for t in texts]
    unique = [i for i, s in enumerate(sets) if s]
    expected = _brute_pairs(texts, unique, DEFAULT)
    # Blocks of a row or two: a shingle held by most rows is still counted exactly, block by block.
    monkeypatch.setattr(overlap, "BLOCK_ENTRIES", 30)
    assert overlap.near_pairs(sets, unique, DEFAULT) == expected
    monkeypatch.setattr(overlap, "PROBE", 1.0)  # the plain prefix filter: more pairs counted, same result
    assert overlap.near_pairs(sets, unique, DEFAULT) == expected


def test_probe_keeps_what_a_pair_at_the_threshold_needs() -> None:
    matrix = overlap.incidence([shingles(" ".join(f"w{i}" for i in range(n))) for n in (1, 5, 9, 14, 44)])
    probe, needed = overlap.probes(matrix, 0.8)
    sizes = matrix.sum(axis=1)
    kept = probe.sum(axis=1)
    # A row of m shingles may miss m - floor(0.8 m) of them: of its probe it must still hold the rest.
    missing = sizes - [max(1, int(0.8 * m)) for m in sizes]
    assert list(needed) == list(kept - missing)
    assert all(1 <= n <= k <= m for n, k, m in zip(needed, kept, sizes, strict=True))


def test_no_pairs_among_fewer_than_two() -> None:
    assert overlap.near_pairs([shingles("one two three four five six")], [0], DEFAULT) == set()
