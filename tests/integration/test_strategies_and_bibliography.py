"""The strategies and bibliography databases through the ingest and HTTP against the real
servers: each filter of each list, newest first and paged by cursor, `Party.strategies`
whose round trips do not grow with the page of parties, `node(id)`, search in the languages
of their texts with facets, bad records refused whole with their file, line, field and
reason, and the same search documents from the ingest and from a reindex."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from api.config import Settings
from api.graphql.relay import global_id
from graph.content import DocumentKind, write_documents
from ingest.content.models import ContentRecord
from ingest.content.rows import KIND_OF, Record, content_hash, to_row
from mechanism.vocabulary import WORKING_LANGUAGES
from ops.bootstrap import ingest_files
from ops.cli import DEMO_DIR, DEMO_FILES
from search.documents import fetch_documents, written_document
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import graph_of, refresh_search
from tests.integration.ingest_helpers import refused_whole
from tests.integration.test_ingest import write_lines

# Parties no other module gives strategies or publications.
ONE, TWO = "ISL", "MNE"
WORD = "Zqlibtoken"
PREFIX = "T-LIB-"


def strategy(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "strategy",
        "id": f"{PREFIX}{key}",
        "party": ONE,
        "document_type": "STRATEGY",
        "from_year": 2015,
        "to_year": 2019,
        "title": {"en": f"{WORD} national strategy {key}"},
        "original_language": "en",
        **extra,
    }


def publication(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "publication",
        "id": f"{PREFIX}{key}",
        "title": {"en": f"{WORD} study {key}"},
        "original_language": "en",
        "authors": [f"{WORD} Institute"],
        "year": 2022,
        **extra,
    }


CORPUS = [
    strategy(
        "S1",
        title={"en": f"{WORD} national strategy against trafficking", "fr": f"{WORD} stratégie nationale"},
        summary={
            "en": f"{WORD}: prevention, protection and prosecution of trafficking in persons.",
            "fr": f"{WORD} : la stratégie nationale contre la traite des personnes.",
        },
        crime_types=["trafficking-in-persons"],
    ),
    strategy(
        "S2",
        document_type="ACTION_PLAN",
        from_year=2020,
        to_year=2024,
        adopted_on="2019-12-01",
        crime_types=["money-laundering"],
    ),
    strategy("S3", document_type="POLICY", from_year=2022, to_year=None, crime_types=["cybercrime"]),
    strategy(
        "S4",
        party=TWO,
        document_type="ACTION_PLAN",
        from_year=2021,
        to_year=2023,
        crime_types=["trafficking-in-persons"],
        url="https://example.org/mne-plan",
    ),
    publication(
        "B1",
        title={
            "en": f"{WORD} handbook on mutual legal assistance",
            "es": f"{WORD} manual de asistencia judicial",
        },
        authors=[f"{WORD} Pérez Gómez", "Ana Sample"],
        year=2018,
        publisher=f"Éditions {WORD}",
        languages=["en", "es"],
        crime_types=["trafficking-in-persons"],
        articles=["UNTOC:18"],
        parties=[ONE],
        abstract={
            "en": f"{WORD}: how to request mutual legal assistance.",
            "es": f"{WORD}: cómo solicitar asistencia judicial recíproca entre Estados.",
        },
        isbn="978-3-16-148410-0",
        doi="10.5555/sherloc-test-b1",
    ),
    publication(
        "B2",
        title={"zh": f"{WORD} 洗钱问题研究", "en": f"{WORD} money laundering study"},
        original_language="zh",
        authors=[f"{WORD} 李明"],
        year=2020,
        languages=["zh-Hant"],
        crime_types=["money-laundering"],
        articles=["TIP:5"],
    ),
    publication(
        "B3",
        title={"fr": f"{WORD} la preuve électronique"},
        original_language="fr",
        authors=[f"{WORD} Dubois"],
        publisher=f"{WORD} University Press",
        languages=["fr"],
        crime_types=["cybercrime"],
        articles=["UNTOC:18", "UNTOC:20"],
        parties=[TWO, ONE],
        abstract={"fr": f"{WORD} : les techniques d'enquête spéciales."},
    ),
    publication("B4", isbn="0-306-40615-2"),
]
KEYS = {record["id"] for record in CORPUS}


@pytest.fixture(scope="module")
async def corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = write_lines(tmp_path_factory.mktemp("library") / "corpus.jsonl", CORPUS)
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.rejected == 0, summary.rejections
    await refresh_search(settings)
    return path


def _mine(connection: dict[str, Any]) -> list[str]:
    return [e["node"]["key"] for e in connection["edges"] if e["node"]["key"] in KEYS]


STRATEGIES = (
    "query($f: StrategyFilter) { strategies(filter: $f, first: 100) { totalCount edges { node { key } } } }"
)
BIBLIOGRAPHY = "query($f: BibliographyFilter) { bibliography(filter: $f, first: 100) { totalCount edges { node { key } } } }"


async def _strategies(gql: GraphQLClient, **given: Any) -> list[str]:
    return _mine((await gql.data(STRATEGIES, {"f": {"parties": [ONE, TWO], **given}}))["strategies"])


async def _bibliography(gql: GraphQLClient, **given: Any) -> list[str]:
    return _mine((await gql.data(BIBLIOGRAPHY, {"f": given}))["bibliography"])


async def test_strategies_by_party_crime_type_type_and_a_year_of_their_period(
    gql: GraphQLClient, corpus: Path
) -> None:
    def keys(*names: str) -> list[str]:
        return [f"{PREFIX}{name}" for name in names]

    # Newest first (by the first year of the period), then by key.
    assert await _strategies(gql) == keys("S3", "S4", "S2", "S1")
    assert await _strategies(gql, parties=[TWO]) == keys("S4")
    assert await _strategies(gql, crimeTypes=["trafficking-in-persons"]) == keys("S4", "S1")
    assert await _strategies(gql, documentTypes=["ACTION_PLAN"]) == keys("S4", "S2")
    assert await _strategies(gql, year=2021) == keys("S4", "S2")
    assert await _strategies(gql, year=2019) == keys("S1")
    assert await _strategies(gql, year=2040) == keys("S3")  # open-ended
    assert await _strategies(gql, year=2021, parties=[ONE]) == keys("S2")

    data = await gql.data(
        f'{{ party(code: "{ONE}") {{ strategies(first: 10) {{ totalCount edges {{ node {{'
        " key documentType fromYear toYear adoptedOn url sample party { code } crimeTypes { key }"
        ' title(lang: "fr") { text lang } summary(lang: "fr") { text lang } } } } } }'
    )
    strategies = data["party"]["strategies"]
    assert strategies["totalCount"] == 3
    by_key = {e["node"]["key"]: e["node"] for e in strategies["edges"]}
    assert by_key[f"{PREFIX}S2"] == {
        "key": f"{PREFIX}S2",
        "documentType": "ACTION_PLAN",
        "fromYear": 2020,
        "toYear": 2024,
        "adoptedOn": "2019-12-01",
        "url": None,
        "sample": False,
        "party": {"code": ONE},
        "crimeTypes": [{"key": "money-laundering"}],
        "title": {"text": f"{WORD} national strategy S2", "lang": "en"},  # no French title: English
        "summary": None,
    }
    assert by_key[f"{PREFIX}S1"]["summary"] == {
        "text": f"{WORD} : la stratégie nationale contre la traite des personnes.",
        "lang": "fr",
    }
    assert by_key[f"{PREFIX}S3"]["toYear"] is None


async def test_the_bibliography_by_each_of_its_filters(gql: GraphQLClient, corpus: Path) -> None:
    def keys(*names: str) -> list[str]:
        return [f"{PREFIX}{name}" for name in names]

    # Newest first (by year), then by key.
    assert await _bibliography(gql, author=WORD) == keys("B3", "B4", "B2", "B1")
    # Part of a name, whatever its case and accents.
    assert await _bibliography(gql, author="perez") == keys("B1")
    assert await _bibliography(gql, author="PÉREZ  GÓMEZ") == keys("B1")
    assert await _bibliography(gql, author="Sample") == keys("B1")
    assert await _bibliography(gql, author=WORD, yearFrom=2019, yearTo=2021) == keys("B2")
    assert await _bibliography(gql, author=WORD, yearFrom=2020) == keys("B3", "B4", "B2")
    assert await _bibliography(gql, publisher=f"editions {WORD}") == keys("B1")
    assert await _bibliography(gql, publisher=f"{WORD} university") == keys("B3")
    assert await _bibliography(gql, author=WORD, languages=["zh"]) == keys("B2")  # zh-Hant
    assert await _bibliography(gql, author=WORD, languages=["es", "fr"]) == keys("B3", "B1")
    assert await _bibliography(gql, author=WORD, languages=["en"]) == keys("B4", "B1")  # B4: its original
    assert await _bibliography(gql, author=WORD, crimeTypes=["cybercrime"]) == keys("B3")
    assert await _bibliography(gql, author=WORD, articles=["UNTOC:18"]) == keys("B3", "B1")
    article = global_id("Article", "UNTOC:20")
    assert await _bibliography(gql, author=WORD, articles=[article]) == keys("B3")
    assert await _bibliography(gql, parties=[ONE]) == keys("B3", "B1")
    assert await _bibliography(gql, parties=[ONE], yearFrom=2020) == keys("B3")

    data = await gql.data(
        '{ bibliography(filter: {author: "perez"}) { edges { node { key authors year publisher languages'
        " isbn doi url originalLanguage articles { key } crimeTypes { key } parties { code }"
        ' title(lang: "es") { text } abstract(lang: "zh") { lang } } } } }'
    )
    (entry,) = [e["node"] for e in data["bibliography"]["edges"]]
    assert entry == {
        "key": f"{PREFIX}B1",
        "authors": [f"{WORD} Pérez Gómez", "Ana Sample"],
        "year": 2018,
        "publisher": f"Éditions {WORD}",
        "languages": ["en", "es"],
        "isbn": "9783161484100",  # kept without its hyphens
        "doi": "10.5555/sherloc-test-b1",
        "url": None,
        "originalLanguage": "en",
        "articles": [{"key": "UNTOC:18"}],
        "crimeTypes": [{"key": "trafficking-in-persons"}],
        "parties": [{"code": ONE}],
        "title": {"text": f"{WORD} manual de asistencia judicial"},
        "abstract": {"lang": "en"},
    }


async def test_pages_follow_their_cursors_to_the_end(gql: GraphQLClient, corpus: Path) -> None:
    query = (
        "query($w: String, $a: String) { bibliography(filter: {author: $w}, first: 2, after: $a) {"
        " totalCount pageInfo { hasNextPage endCursor } edges { node { key } } } }"
    )
    first = (await gql.data(query, {"w": WORD, "a": None}))["bibliography"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    second = (await gql.data(query, {"w": WORD, "a": first["pageInfo"]["endCursor"]}))["bibliography"]
    assert not second["pageInfo"]["hasNextPage"]
    walked = [e["node"]["key"] for page in (first, second) for e in page["edges"]]
    assert walked == [f"{PREFIX}{k}" for k in ("B3", "B4", "B2", "B1")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "bibliography(filter: {yearFrom: 2022, yearTo: 2020})",
            "filter.yearFrom: is later than filter.yearTo",
        ),
        ("bibliography(filter: {yearTo: 99999})", "filter.yearTo: 99999 is not a year from 1900 to 2100"),
        ('bibliography(filter: {author: "  "})', "filter.author: give 1 to 200 characters"),
        ('bibliography(filter: {parties: ["XXXX"]})', "filter.parties: 'XXXX' is not a party code"),
        ('bibliography(filter: {articles: ["UNTOC:99"]})', "filter.articles: 'UNTOC:99' is neither"),
        ('strategies(filter: {crimeTypes: ["arson"]})', "filter.crimeTypes: 'arson' is not a crime type"),
        ("strategies(filter: {year: 1200})", "filter.year: 1200 is not a year"),
    ],
)
async def test_bad_filters_are_named(gql: GraphQLClient, query: str, message: str) -> None:
    errors = await gql.errors(f"{{ {query} {{ totalCount }} }}")
    assert errors[0].startswith(message), errors


async def test_both_kinds_are_nodes(gql: GraphQLClient, corpus: Path) -> None:
    for type_name, key, fragment in (
        ("Strategy", f"{PREFIX}S4", "... on Strategy { key party { code } }"),
        ("BibliographyEntry", f"{PREFIX}B2", "... on BibliographyEntry { key parties { code } }"),
    ):
        data = await gql.data(
            f"query($id: ID!) {{ node(id: $id) {{ id __typename {fragment} }} }}",
            {"id": global_id(type_name, key)},
        )
        assert data["node"]["__typename"] == type_name and data["node"]["key"] == key


SEARCH = (
    "query($q: String!, $lang: LanguageCode, $f: SearchFilter) {"
    " search(query: $q, lang: $lang, kinds: [STRATEGY, BIBLIOGRAPHY], filter: $f, first: 50) {"
    " totalCount edges { node { kind lang highlights document {"
    " ... on Strategy { key party { code } } ... on BibliographyEntry { key parties { code } } } } }"
    " facets { field buckets { key count } } } }"
)


async def _search(gql: GraphQLClient, query: str, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await gql.data(SEARCH, {"q": query, **variables}))["search"]
    return result


def _found(result: dict[str, Any]) -> set[str]:
    return {edge["node"]["document"]["key"] for edge in result["edges"]}


async def test_both_kinds_are_searched_in_the_languages_of_their_texts(
    gql: GraphQLClient, corpus: Path
) -> None:
    french = await _search(gql, f"{WORD} stratégies", lang="fr")  # the plural finds the singular
    assert _found(french) == {f"{PREFIX}S1"}
    assert all(edge["node"]["lang"] == "fr" for edge in french["edges"])
    assert any("<em>" in h for edge in french["edges"] for h in edge["node"]["highlights"])
    spanish = await _search(gql, f"{WORD} estado", lang="es")  # the singular finds the plural
    assert _found(spanish) == {f"{PREFIX}B1"}
    chinese = await _search(gql, "洗钱", lang="zh", f={"crimeTypes": ["money-laundering"]})
    assert f"{PREFIX}B2" in _found(chinese)
    assert _found(await _search(gql, WORD, lang="fr")) == {f"{PREFIX}S1", f"{PREFIX}B3"}


async def test_search_facets_count_both_kinds(gql: GraphQLClient, corpus: Path) -> None:
    result = await _search(gql, WORD)
    assert _found(result) == KEYS
    facets = {f["field"]: {b["key"]: b["count"] for b in f["buckets"]} for f in result["facets"]}
    assert facets["kind"] == {"STRATEGY": 4, "BIBLIOGRAPHY": 4}
    assert facets["party"] == {ONE: 5, TWO: 2}  # a publication is filed under each State it is about
    assert facets["crimeType"]["trafficking-in-persons"] == 3
    assert facets["article"] == {"UNTOC:18": 2, "UNTOC:20": 1, "TIP:5": 1}
    assert facets["instrument"] == {"UNTOC": 2, "TIP": 1}
    # A strategy's year: its adoption's, else its period's first; a publication's: its year.
    assert facets["year"] == {"2022": 3, "2021": 1, "2020": 1, "2019": 1, "2018": 1, "2015": 1}
    of_one = await _search(gql, WORD, f={"parties": [ONE], "from": "2020-01-01"})
    assert _found(of_one) == {f"{PREFIX}S3", f"{PREFIX}B3"}


async def test_pages_cost_the_same_round_trips_whatever_their_size(gql: GraphQLClient, corpus: Path) -> None:
    nested = (
        "query($n: Int) { parties(first: $n) { edges { node { code strategies(first: 3) {"
        " totalCount edges { node { key documentType party { code } crimeTypes { key } title { text } } } } } } } }"
    )
    lists = (
        "query($n: Int) { strategies(first: $n) { edges { node { key party { code } crimeTypes { key } } } }"
        " bibliography(first: $n) { edges { node { key parties { code } articles { key } crimeTypes { key } } } } }"
    )
    for query in (nested, lists):
        trips = []
        for size in (5, 50, 100):
            body = await gql.raw(query, {"n": size})
            assert "errors" not in body, body["errors"]
            trips.append(body["extensions"]["roundTrips"]["neo4j"])
        assert len(set(trips)) == 1, (query, trips)
    data = await gql.data(nested, {"n": 100})
    codes = {e["node"]["code"]: e["node"]["strategies"] for e in data["parties"]["edges"]}
    if ONE in codes:  # the first 100 parties by code
        assert codes[ONE]["totalCount"] == 3


async def test_the_same_file_twice_changes_nothing(settings: Settings, corpus: Path) -> None:
    summary = await ingest_files(settings, [corpus], report=lambda _: None, progress=False)
    assert not summary.created and not summary.updated and summary.rejected == 0
    assert "strategies: 0 created, 0 updated, 4 unchanged" in summary.lines()
    assert "publications: 0 created, 0 updated, 4 unchanged" in summary.lines()


async def test_the_documents_indexed_at_ingest_are_those_a_reindex_reads_back(
    settings: Settings, corpus: Path
) -> None:
    adapter: TypeAdapter[Record] = TypeAdapter(ContentRecord)
    async with graph_of(settings) as graph:
        for kind in (DocumentKind.STRATEGY, DocumentKind.BIBLIOGRAPHY):
            parsed = [adapter.validate_python(r) for r in CORPUS if KIND_OF[r["kind"]] is kind]
            rows = [to_row(r, content_hash(r)) for r in parsed]
            written = {w["key"]: w for w in await write_documents(graph, kind, rows)}
            direct = [written_document(kind, row, written[row["key"]]) for row in rows]
            fetched = await fetch_documents(graph, kind, [row["key"] for row in rows])
            assert sorted(fetched, key=lambda d: d["key"]) == sorted(direct, key=lambda d: d["key"])
    # Written again with new versions: the index must hold them too.
    await ingest_files(settings, [], report=lambda _: None, progress=False)


async def test_the_demo_goes_in_whole_marked_sample_in_the_six_languages(
    settings: Settings, running_services: None
) -> None:
    paths = [DEMO_DIR / "strategies.jsonl", DEMO_DIR / "publications.jsonl"]
    assert set(paths) <= set(DEMO_FILES)  # `make run` loads them
    summary = await ingest_files(settings, paths, report=lambda _: None, progress=False)
    assert summary.rejected == 0, summary.rejections
    records = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(record["sample"] is True for record in records)
    assert set(WORKING_LANGUAGES) <= {lang for record in records for lang in record["title"]}


NEXT_YEAR = datetime.datetime.now(datetime.UTC).year + 1


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        (strategy("BAD1", party="XXX"), "party", "unknown party 'XXX'"),
        (strategy("BAD2", from_year=2020, to_year=2019), "to_year", "2019 is before from_year 2020"),
        (strategy("BAD3", from_year=2000, to_year=2080), "to_year", "a period of 80 years: at most 50"),
        (strategy("BAD4", from_year=1900), "from_year", "greater than or equal to 1950"),
        (strategy("BAD5", adopted_on="2021-01-05"), "adopted_on", "is after the period it covers"),
        (strategy("BAD6", document_type="PROGRAMME"), "document_type", "Input should be"),
        (strategy("BAD7", crime_types=["arson"]), "crime_types.0", "Input should be"),
        (strategy("BAD8", summary={"en": "a\x07b"}), "summary.en", "contains control characters"),
        (publication("BAD9", parties=[ONE, "QQQ"]), "parties", "unknown party 'QQQ'"),
        (publication("BAD10", parties=[ONE, ONE]), "parties", "names a party twice"),
        (publication("BAD11", articles=["UNTOC:99"]), "articles.0", "UNTOC has articles 1 to 41, not 99"),
        (publication("BAD12", isbn="978-3-16-148410-1"), "isbn", "its check digit is wrong"),
        (publication("BAD13", isbn="12345"), "isbn", "is not an ISBN-10 or ISBN-13"),
        (publication("BAD14", doi="https://doi.org/10.5555/x"), "doi", "write the DOI alone"),
        (publication("BAD15", doi="10.55/x"), "doi", "is not a DOI"),
        (publication("BAD16", authors=[f"Author {i}" for i in range(101)]), "authors", "at most 100 items"),
        (publication("BAD17", authors=[]), "authors", "at least 1 item"),
        (publication("BAD18", authors=["x" * 301]), "authors.0", "at most 300 characters"),
        (
            publication("BAD19", year=NEXT_YEAR + 1),
            "year",
            f"is not a year of publication (1900 to {NEXT_YEAR})",
        ),
        (publication("BAD20", languages=["xx"]), "languages.0", "'xx'"),
        (publication("BAD21", original_language="fr"), "original_language", "'fr' must be among"),
    ],
)
async def test_bad_records_are_refused_whole_with_the_field_and_the_reason(
    settings: Settings,
    running_services: None,
    tmp_path: Path,
    record: dict[str, Any],
    field: str,
    reason: str,
) -> None:
    await refused_whole(settings, tmp_path, [record], field, reason)
