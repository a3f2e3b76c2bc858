"""The admin API: token, uploads and deletes confined to the corpus, and refusals that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from live import TOKEN
from qa.api.app import create_app
from qa.config import Settings
from qa.ingest import uploads as corpus

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = b"The harbour reopened on 3 May after the storm, the port authority said.\n"


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones too) with its bytes: what "nothing changed" compares."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "news").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"First document about elections.\n")
    (folder / "news" / "b.md").write_bytes(b"# Weather\n\nRain all week.\n")
    (tmp_path / "outside.txt").write_bytes(b"not part of the corpus\n")
    return folder


@pytest.fixture
def client(corpus_dir: Path) -> TestClient:
    """The app without its lifespan: document routes need no index, and no build starts."""
    settings = Settings(
        corpus_dir=corpus_dir,
        index_dir=corpus_dir.parent / "index",
        admin_token=SecretStr(TOKEN),
        max_upload_bytes=4096,
        index_poll_seconds=0,
    )
    return TestClient(create_app(settings))


def _upload(client: TestClient, name: str, content: bytes = TEXT, path: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/documents",
        files={"file": (name, content, "text/plain")},
        data={"path": path} if path else {},
        headers=AUTH,
    )


def test_admin_api_is_off_without_a_token(tmp_path: Path) -> None:
    client = TestClient(
        create_app(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "i", index_poll_seconds=0))
    )
    for response in (
        client.post("/admin/reindex", headers=AUTH),
        client.delete("/documents/a.txt", headers=AUTH),
        client.post("/documents", files={"file": ("a.txt", TEXT)}, headers=AUTH),
    ):
        assert response.status_code == 404
        assert "QA_ADMIN_TOKEN" in response.json()["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer \xff\xfe".encode("latin-1")},
    ],
)
def test_admin_api_needs_the_bearer_token(client: TestClient, corpus_dir: Path, headers: dict) -> None:
    before = _tree(corpus_dir)
    for response in (
        client.post("/admin/reindex", headers=headers),
        client.delete("/documents/a.txt", headers=headers),
        client.post("/documents", files={"file": ("new.txt", TEXT)}, headers=headers),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Bearer" in response.json()["message"]
    assert _tree(corpus_dir) == before


def test_upload_saves_the_file_under_its_normalised_name(client: TestClient, corpus_dir: Path) -> None:
    response = _upload(client, "c.txt")
    assert response.status_code == 201
    assert response.json()["source"] == "c.txt" and response.json()["replaced"] is False
    assert (corpus_dir / "c.txt").read_bytes() == TEXT
    # A path in a subfolder, with backslashes and decomposed accents, is stored as citations name it.
    nested = _upload(client, "x.md", path="reports\\2024\\cafe\u0301.md")
    assert nested.status_code == 201 and nested.json()["source"] == "reports/2024/café.md"
    assert (corpus_dir / "reports" / "2024" / "café.md").read_bytes() == TEXT
    again = _upload(client, "c.txt", b"Replaced text about harbours and ports.\n")
    assert again.json()["replaced"] is True
    assert not [p for p in corpus_dir.rglob("*") if p.name.startswith(".upload-")]


BAD_NAMES = [
    "../outside.txt",
    "news/../../outside.txt",
    "/../outside.txt",
    "..",
    ".hidden.txt",
    "news/.git/config.txt",
    "a.exe",
    "a.txt.sh",
    "noextension",
    "a\x00.txt",
    "line\nbreak.txt",
    "-rf.txt",
    "a/" * 10 + "deep.txt",
    "x" * 300 + ".txt",
    "",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused_and_change_nothing(client: TestClient, corpus_dir: Path, name: str) -> None:
    before, outside = _tree(corpus_dir), (corpus_dir.parent / "outside.txt").read_bytes()
    response = _upload(client, "ok.txt", path=name) if name else _upload(client, "", path=None)
    assert response.status_code == 422, response.text
    assert response.json()["message"]
    assert _tree(corpus_dir) == before
    assert (corpus_dir.parent / "outside.txt").read_bytes() == outside


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "UTF-8"),
        (b"text with a NUL \x00 byte", "binary"),
        (b"   \n\t\n", "empty"),
        (b"x" * 5000, "larger"),
    ],
)
def test_bad_content_is_refused_and_changes_nothing(
    client: TestClient, corpus_dir: Path, content: bytes, fragment: str
) -> None:
    before = _tree(corpus_dir)
    response = _upload(client, "a.txt", content)  # would replace a.txt if accepted
    assert response.status_code in (413, 422), response.text
    assert fragment in response.json()["message"]
    assert _tree(corpus_dir) == before


def test_upload_over_the_size_limit_is_413(client: TestClient, corpus_dir: Path) -> None:
    before = _tree(corpus_dir)
    response = _upload(client, "big.txt", b"word " * 2000)
    assert response.status_code == 413 and "MiB" in response.json()["message"]
    assert _tree(corpus_dir) == before


def test_a_symlink_cannot_lead_outside_the_corpus(client: TestClient, corpus_dir: Path) -> None:
    (corpus_dir / "link").symlink_to(corpus_dir.parent)
    before = _tree(corpus_dir.parent)
    assert _upload(client, "x.txt", path="link/escaped.txt").status_code == 422
    assert client.delete("/documents/link/outside.txt", headers=AUTH).status_code == 422
    assert _tree(corpus_dir.parent) == before


def test_delete_removes_one_document(client: TestClient, corpus_dir: Path) -> None:
    response = client.delete("/documents/news/b.md", headers=AUTH)
    assert response.status_code == 200 and response.json()["source"] == "news/b.md"
    assert not (corpus_dir / "news" / "b.md").exists() and (corpus_dir / "a.txt").exists()
    missing = client.delete("/documents/news/b.md", headers=AUTH)
    assert missing.status_code == 404 and "news/b.md" in missing.json()["message"]


@pytest.mark.parametrize(
    "path", ["..%2Foutside.txt", "news/..%2F..%2Foutside.txt", "%2E%2E/outside.txt", "news"]
)
def test_delete_cannot_leave_the_corpus(client: TestClient, corpus_dir: Path, path: str) -> None:
    before = _tree(corpus_dir.parent)
    response = client.delete(f"/documents/{path}", headers=AUTH)
    assert response.status_code in (404, 422), response.text
    assert _tree(corpus_dir.parent) == before


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("a.txt", "a.txt"),
        ("/news//b.md", "news/b.md"),
        ("news\\b.md", "news/b.md"),
        (" r/ x.HTML ", "r/x.HTML"),
    ],
)
def test_normalise(given: str, expected: str) -> None:
    assert corpus.normalise(given) == expected
