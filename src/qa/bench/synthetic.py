"""A generated corpus of realistic, distinct documents: seed and SQuAD sentences recombined, names and numbers varied."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import blingfire

FIRST = [
    "Maria",
    "Ahmed",
    "Chen",
    "Olga",
    "Tomas",
    "Priya",
    "Kwame",
    "Sofia",
    "Ivan",
    "Lena",
    "Diego",
    "Amara",
    "Yusuf",
    "Hana",
    "Pavel",
    "Ines",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Haddad",
    "Novak",
    "Brennan",
    "Castillo",
    "Petrov",
    "Adeyemi",
    "Kowalski",
    "Rossi",
]
PLACES = [
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Quito",
    "Tbilisi",
    "Bergen",
    "Accra",
    "Hanoi",
    "Tampere",
    "Cusco",
    "Porto",
    "Dakar",
    "Graz",
    "Perth",
]
TOPICS = [
    "Harbour",
    "Council",
    "Archive",
    "Survey",
    "Review",
    "Bulletin",
    "Dispatch",
    "Record",
    "Inquiry",
    "Report",
    "Digest",
    "Ledger",
]
_NUMBER = re.compile(r"\d+")


def source_sentences(corpus_dir: Path, squad_file: Path | None) -> list[str]:
    """Sentences of the seed corpus and of SQuAD's paragraphs, the material every document is cut from."""
    texts = [
        p.read_text(encoding="utf-8") for p in sorted(corpus_dir.rglob("*")) if p.suffix in (".txt", ".md")
    ]
    if squad_file is not None and squad_file.is_file():
        data = json.loads(squad_file.read_text(encoding="utf-8"))
        texts += [p["context"] for article in data["data"] for p in article["paragraphs"]]
    sentences = []
    for text in texts:
        for line in filter(str.strip, text.splitlines()):
            _, offsets = blingfire.text_to_sentences_and_offsets(line)
            sentences += [line[s:e].strip() for s, e in offsets if len(line[s:e].split()) >= 6]
    return sentences


def vary(sentence: str, rng: random.Random) -> str:
    # New numbers and a named source make every occurrence distinct, so deduplication keeps it.
    sentence = _NUMBER.sub(
        lambda m: str(rng.randrange(10 ** (len(m.group()) - 1), 10 ** len(m.group()))), sentence
    )
    lead = sentence[0].lower() + sentence[1:] if sentence[1:2].islower() else sentence
    who, where = f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(PLACES)
    form = rng.randrange(4)
    if form == 0:
        return f"According to {who} in {where}, {lead}"
    if form == 1:
        return f"{who} wrote from {where} that {lead}"
    if form == 2:
        return f"In {where}, {who} noted that {lead}"
    return f"{sentence.rstrip('.')}, {who} told the {where} desk."


def paragraph(pool: list[str], rng: random.Random) -> str:
    return " ".join(vary(s, rng) for s in rng.sample(pool, rng.randint(3, 4)))


def write_corpus(
    folder: Path,
    pool: list[str],
    *,
    paragraphs: int,
    per_document: int = 40,
    seed: int = 0,
    duplicates: float = 0.0,
) -> int:
    """Markdown documents of `per_document` paragraphs under a distinct title; returns how many were written.

    With `duplicates`, that share of paragraphs republishes an earlier one, as archives do: a verbatim copy, a
    teaser cut short, or a copy with one word changed (`republished`).
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    documents = -(-paragraphs // per_document)
    written: list[str] = []
    for number in range(documents):
        title = f"{rng.choice(PLACES)} {rng.choice(TOPICS)} no. {number + 1}"
        body = []
        for _ in range(min(per_document, paragraphs - number * per_document)):
            if duplicates and written and rng.random() < duplicates:
                body.append(republished(rng.choice(written), rng))
            else:
                body.append(paragraph(pool, rng))
                written.append(body[-1])
        (folder / f"doc{number:05d}.md").write_text(
            f"# {title}\n\n" + "\n\n".join(body) + "\n", encoding="utf-8"
        )
    return documents


def republished(text: str, rng: random.Random) -> str:
    """An earlier paragraph again: verbatim, as a teaser of its first words, or with one word changed."""
    words = text.split()
    form = rng.randrange(3)
    if form == 0:
        return text
    if form == 1:
        return " ".join(words[: max(8, len(words) * 2 // 3)]) + " ... Read more"
    words[rng.randrange(len(words))] = rng.choice(PLACES)
    return " ".join(words)


def change_one(folder: Path, pool: list[str], *, seed: int = 1) -> Path:
    """Rewrite one paragraph of the first document, as an author editing one file would."""
    path = sorted(folder.glob("*.md"))[0]
    head, *body = path.read_text(encoding="utf-8").split("\n\n")
    body[len(body) // 2] = paragraph(pool, random.Random(seed))
    path.write_text("\n\n".join([head, *body]), encoding="utf-8")
    return path
