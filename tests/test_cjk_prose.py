"""Chinese and Japanese pages, written without spaces: their sentences are prose and the whole body is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import boilerplate
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.text import normalise

# A law firm's blog (Japanese): short one-sentence paragraphs, a menu and a related-posts box around them.
JAPANESE = [
    "先日、港の古い防波堤を冬の嵐の前に建て直すことが市議会で決まったというニュースを耳にしました。",
    "報道によると、防波堤は三年間の高潮で弱くなっていたとのことです。",
    "もちろん、工事には多くの費用がかかります。",
    "港長はこの決定を歓迎し、一か月以内に工事を始めると話しました。",
    "では、なぜ今回の工事がこれほど急がれるのでしょうか。",
]
JAPANESE_PAGE = [
    "MENU",
    "受付時間：平日9:00〜18:00",
    "- HOME >",
    "- ブログ >",
    *JAPANESE,
    "関連記事",
    "2016年08月03日",
    "港の歴史シリーズ",
    "検索",
    "カテゴリー",
]
# A city news site (Chinese): the same shape.
CHINESE = [
    "市议会周二投票决定，在冬季风暴到来之前重建旧港口的防波堤。",
    "工程师说，三年来的高潮已经削弱了这道墙，需要紧急修复。",
    "当然，这项工程的费用不会太低。",
    "港务长欢迎这一决定，并表示工程将在一个月内开始。",
]
CHINESE_PAGE = ["首页", "新闻", "体育", *CHINESE, "相关新闻", "2019年11月20日", "港口新闻", "联系我们"]


@pytest.mark.parametrize(("page", "body"), [(JAPANESE_PAGE, JAPANESE), (CHINESE_PAGE, CHINESE)])
def test_sentences_without_spaces_are_the_body(tmp_path: Path, page: list[str], body: list[str]) -> None:
    (tmp_path / "page.txt").write_text("\n".join(page) + "\n", encoding="utf-8")
    text = "".join(p.text for p in paragraphs(read_corpus(tmp_path)))
    assert all(normalise(sentence) in text for sentence in body)
    assert "受付時間" not in text and "カテゴリー" not in text and "联系我们" not in text


@pytest.mark.parametrize(
    ("line", "prose"),
    [
        (JAPANESE[1], True),
        (CHINESE[0], True),
        ("受付時間：平日9:00〜18:00", False),  # no sentence end: a header's notice
        ("港の歴史シリーズ", False),  # a headline
        ("The wall will cost more.", False),
    ],
)
def test_is_prose_counts_characters_of_scripts_without_spaces(line: str, prose: bool) -> None:
    assert boilerplate.is_prose(line) is prose
