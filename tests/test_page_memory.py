"""A rebuild's memory of cleaned pages gives exactly what cleaning every page gives, and cleans only what changed."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from qa.build.cleaned import PageMemory
from qa.config import Settings
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.ingest.documents import Document

ROOT = Path(__file__).resolve().parent.parent
# The boilerplate settings a build uses by default: the memory is tested with what production runs.
DEFAULTS = Settings.model_construct()


def _documents() -> list[Document]:
    seeds = read_corpus(ROOT / "corpus")
    return [Document(f"site{n}/{d.source}", d.text) for n in range(2) for d in seeds]


def _remembered(folder: Path, documents: list[Document]) -> tuple[list, int]:
    """Paragraphs through a memory opened from `folder` and saved after, and how many pages it reused."""
    memory = PageMemory.open(folder, DEFAULTS.boilerplate_max_words, DEFAULTS.boilerplate_min_docs)
    found = paragraphs(documents, memory=memory)
    memory.save()
    return found, memory.reused


def _cleaned(documents: list[Document]) -> list:
    return paragraphs(documents)


def test_unchanged_pages_come_from_memory(tmp_path: Path) -> None:
    documents = _documents()
    first, reused = _remembered(tmp_path, documents)
    assert first == _cleaned(documents) and reused == 0
    again, reused = _remembered(tmp_path, documents)
    assert again == first and reused == len(documents)


def test_an_edited_page_is_cleaned_again(tmp_path: Path) -> None:
    documents = _documents()
    _remembered(tmp_path, documents)
    edited = documents[0].text.replace(
        "\n", "\nA new paragraph, written after the first build, long enough.\n", 1
    )
    documents[0] = Document(documents[0].source, edited)
    found, reused = _remembered(tmp_path, documents)
    assert found == _cleaned(documents)
    assert reused == len(documents) - 1


def test_a_page_whose_lines_become_boilerplate_elsewhere_is_cleaned_again(tmp_path: Path) -> None:
    documents = read_corpus(ROOT / "corpus")
    _remembered(tmp_path, documents)
    # A short line that stood on one page only now also stands on a new page: it becomes a repeated line.
    line = next(
        line
        for d in documents
        for line in d.text.splitlines()
        if 2 <= len(line.split()) <= 4 and sum(line in other.text for other in documents) == 1
    )
    documents.append(
        Document("new/page.txt", f"{line}\nOne sentence of a page of its own, long enough to keep.\n")
    )
    found, reused = _remembered(tmp_path, documents)
    assert found == _cleaned(documents)
    assert reused < len(documents) - 1


def test_a_damaged_memory_is_ignored(tmp_path: Path) -> None:
    documents = _documents()
    _remembered(tmp_path, documents)
    for path in tmp_path.glob("pages-*.npz"):
        path.write_bytes(path.read_bytes()[:100])
    found, reused = _remembered(tmp_path, documents)
    assert found == _cleaned(documents) and reused == 0


def test_an_unchanged_corpus_is_neither_read_nor_cleaned_again(tmp_path: Path) -> None:
    documents = _documents()
    _remembered(tmp_path, documents)
    passes: list[tuple[str, int]] = []

    def counted(label: str, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        passes.append((label, len(items)))
        return [function(item) for item in items]

    memory = PageMemory.open(tmp_path, DEFAULTS.boilerplate_max_words, DEFAULTS.boilerplate_min_docs)
    assert paragraphs(documents, map_pages=counted, memory=memory) == _cleaned(documents)
    assert passes == []


def test_cleaning_defaults_are_the_settings_defaults() -> None:
    # Tests and library callers that pass no settings clean as a default build does.
    defaults = inspect.signature(paragraphs).parameters
    for name in ("boilerplate_max_words", "boilerplate_min_docs"):
        assert defaults[name].default == Settings.model_fields[name].default
