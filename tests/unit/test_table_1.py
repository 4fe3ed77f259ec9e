"""Table 1 checked article by article against the source: the Chinese original of the
appendix (CTOC/COP/2018/13), copied verbatim into tests/data/table-1-zh.txt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mechanism.clusters import (
    TABLE_1,
    ReviewCluster,
    articles_under_review,
    cluster_of,
    reviewed_only_for_non_uncac_parties,
)
from mechanism.instruments import ARTICLE_COUNTS, ArticleRef, InstrumentCode

SOURCE = Path(__file__).parent.parent / "data" / "table-1-zh.txt"
INSTRUMENTS_ZH = {
    "《有组织犯罪公约》": InstrumentCode.UNTOC,
    "《贩运人口问题议定书》": InstrumentCode.TIP,
    "《偷运移民问题议定书》": InstrumentCode.SOM,
    "《枪支议定书》": InstrumentCode.FIREARMS,
}
# The source's column order.
COLUMNS = (
    ReviewCluster.CRIMINALIZATION_AND_JURISDICTION,
    ReviewCluster.PREVENTION_ASSISTANCE_PROTECTION,
    ReviewCluster.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM,
    ReviewCluster.INTERNATIONAL_COOPERATION,
)
DIGITS = dict(zip("一二三四五六七八九", range(1, 10), strict=True))


def chinese_number(text: str) -> int:
    """一 .. 九十九, as written in article numbers (十五, 二十三, 三十一)."""
    if "十" not in text:
        return DIGITS[text]
    tens, _, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def parse_cell(cell: str) -> tuple[int, ...]:
    cell = re.sub(r"<sup>.*?</sup>", "", cell).strip()
    if not cell:
        return ()
    body = cell.removeprefix("第").removesuffix("条")
    return tuple(chinese_number(part.removeprefix("第")) for part in re.split("[、和]", body))


def source_table() -> dict[InstrumentCode, dict[ReviewCluster, tuple[int, ...]]]:
    table = {}
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if cells[0] in INSTRUMENTS_ZH:
            cells += [""] * (5 - len(cells))
            table[INSTRUMENTS_ZH[cells[0]]] = {
                cluster: parse_cell(cell) for cluster, cell in zip(COLUMNS, cells[1:], strict=True)
            }
    return table


def test_the_parser_reads_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ("二", "十", "十五", "二十三", "三十一")] == [
        2,
        10,
        15,
        23,
        31,
    ]


def test_table_1_matches_the_source_cell_by_cell() -> None:
    source = source_table()
    assert set(source) == set(InstrumentCode)
    for instrument in InstrumentCode:
        for cluster in ReviewCluster:
            assert TABLE_1[instrument][cluster] == source[instrument][cluster], (
                instrument,
                cluster,
            )


@pytest.mark.parametrize(
    "article", [ArticleRef(c, n) for c, k in ARTICLE_COUNTS.items() for n in range(1, k + 1)]
)
def test_every_article_has_the_cluster_the_source_gives(article: ArticleRef) -> None:
    expected = [
        cluster
        for cluster, numbers in source_table()[article.instrument].items()
        if article.number in numbers
    ]
    assert len(expected) <= 1
    assert cluster_of(article) == (expected[0] if expected else None)


def test_the_firearms_protocol_has_no_law_enforcement_article() -> None:
    assert TABLE_1[InstrumentCode.FIREARMS][ReviewCluster.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM] == ()


def test_only_untoc_8_and_9_are_reviewed_only_for_non_uncac_parties() -> None:
    flagged = [
        a.key
        for c, k in ARTICLE_COUNTS.items()
        for a in (ArticleRef(c, n) for n in range(1, k + 1))
        if reviewed_only_for_non_uncac_parties(a)
    ]
    assert flagged == ["UNTOC:8", "UNTOC:9"]
    assert "八、九" in SOURCE.read_text(encoding="utf-8")


def test_untoc_8_and_9_are_asked_only_of_parties_not_party_to_uncac() -> None:
    crim = [ReviewCluster.CRIMINALIZATION_AND_JURISDICTION]
    for_uncac_party = [a.number for a in articles_under_review(InstrumentCode.UNTOC, crim, True)]
    for_others = [a.number for a in articles_under_review(InstrumentCode.UNTOC, crim, False)]
    assert for_uncac_party == [2, 5, 6, 10, 15, 23]
    assert for_others == [2, 5, 6, 8, 9, 10, 15, 23]


@pytest.mark.parametrize("text", ["UNTOC:0", "UNTOC:42", "TIP:21", "untoc:5", "UNCAC:5", "UNTOC 5", ""])
def test_bad_article_references_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ValueError, match=r"UNTOC|articles 1 to"):
        ArticleRef.parse(text)


def test_article_references_round_trip() -> None:
    assert ArticleRef.parse("FIREARMS:13").key == "FIREARMS:13"
