"""A rebuild's memory of cleaned pages gives exactly what cleaning every page gives, and cleans only what changed."""

from __future__ import annotations

from pathlib import Path

from qa.build.cleaned import PageMemory
from qa.ingest.articles import paragraphs, serial
from qa.ingest.corpus import read_corpus
from qa.ingest.documents import Document

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"max_words": 6, "min_docs": 2}


def _documents() -> list[Document]:
    seeds = read_corpus(ROOT / "corpus")
    return [Document(f"site{n}/{d.source}", d.text) for n in range(2) for d in seeds]


def _remembered(folder: Path, documents: list[Document]) -> tuple[list, int]:
    """Paragraphs through a memory opened from `folder` and saved after, and how many pages it reused."""
    memory = PageMemory.open(folder, **SETTINGS)
    found = memory.paragraphs(documents, map_pages=serial, **SETTINGS)
    memory.save()
    return found, memory.reused


def _cleaned(documents: list[Document]) -> list:
    return paragraphs(documents, boilerplate_max_words=6, boilerplate_min_docs=2)


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
