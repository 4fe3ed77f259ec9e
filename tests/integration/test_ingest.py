"""`sherloc ingest` against the real servers: good, bad, repeated lines, unknown references."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from api.config import Settings
from graph.content import DocumentKind, write_documents
from ingest.content.models import ContentRecord, json_schema
from ingest.content.rows import KIND_OF, Record, content_hash, to_row
from ops.bootstrap import ingest_files
from search.documents import fetch_documents, written_document
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import graph_of

SHERLOC = str(Path(sys.executable).parent / "sherloc")


def law(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "legislation",
        "id": key,
        "party": "FRA",
        "title": {"fr": f"Loi {key}", "en": f"Law {key}"},
        "original_language": "fr",
        "enacted_on": "2001-02-03",
        "implements_articles": ["UNTOC:5"],
        "crime_types": ["organized-criminal-group"],
        **extra,
    }


def case(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "case",
        "id": key,
        "party": "ITA",
        "court": "Corte di cassazione",
        "decided_on": "2015-06-07",
        "title": {"it": f"Sentenza {key}"},
        "summary": {"it": "Estradizione concessa.", "en": "Extradition granted."},
        "original_language": "it",
        "uses_convention_as_legal_basis": True,
        "legal_basis_articles": ["UNTOC:16"],
        **extra,
    }


def write_lines(path: Path, lines: list[Any]) -> Path:
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture
def run_id() -> str:
    return uuid.uuid4().hex[:8].upper()


async def test_good_bad_and_repeated_lines(
    settings: Settings, running_services: None, tmp_path: Path, run_id: str, gql: GraphQLClient
) -> None:
    a, b, c = f"T-{run_id}-L1", f"T-{run_id}-L2", f"T-{run_id}-C1"
    path = write_lines(
        tmp_path / "mixed.jsonl",
        [
            law(a),
            law(b, party="XXX"),
            "{not json",
            law(b, implements_articles=["UNTOC:99"]),
            case(c, applied_legislation=[a]),
            case(f"T-{run_id}-C2", applied_legislation=[f"T-{run_id}-NONE"]),
            law(f"T-{run_id}-L3", original_language="de"),
            {"kind": "statute", "id": "x"},
        ],
    )
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.created == {"LEGISLATION": 1, "CASE": 1}
    assert summary.rejected == 6
    messages = sorted(str(r) for r in summary.rejections)
    assert messages == sorted(
        [
            "mixed.jsonl, line 2: party: unknown party 'XXX'",
            "mixed.jsonl, line 3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
            "mixed.jsonl, line 4: implements_articles.0: UNTOC has articles 1 to 41, not 99",
            f"mixed.jsonl, line 6: applied_legislation: unknown law 'T-{run_id}-NONE'",
            "mixed.jsonl, line 7: original_language 'de' must be among the languages of the title (en, fr)",
            "mixed.jsonl, line 8: kind: must be one of 'legislation', 'case', 'authority', 'treaty', 'treaty_action',"
            " 'strategy', 'publication'",
        ]
    )
    rejected = (tmp_path / "mixed.jsonl.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rejected) == 6 and rejected[1] == "{not json"

    data = await gql.data(
        "query($k: ID!) { node(id: $k) { ... on Case { key appliedLegislation { key party { code } } "
        'legalBasisArticles { key } usesConventionAsLegalBasis summary(lang: "it") { lang text } } } }',
        {"k": _global_id("Case", c)},
    )
    assert data["node"]["appliedLegislation"] == [{"key": a, "party": {"code": "FRA"}}]
    assert data["node"]["legalBasisArticles"] == [{"key": "UNTOC:16"}]
    assert data["node"]["summary"] == {"lang": "it", "text": "Estradizione concessa."}

    again = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert again.created == {} and again.updated == {}
    assert again.unchanged == {"LEGISLATION": 1, "CASE": 1}
    assert "nothing changed" not in again.lines()  # it still rejected lines


async def test_the_same_file_twice_changes_nothing(
    settings: Settings, running_services: None, tmp_path: Path, run_id: str
) -> None:
    path = write_lines(tmp_path / "twice.jsonl", [law(f"T-{run_id}-A"), law(f"T-{run_id}-B")])
    first = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert first.created == {"LEGISLATION": 2}
    second = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert second.unchanged == {"LEGISLATION": 2}
    assert second.lines()[-1] == "nothing changed"
    assert not (tmp_path / "twice.jsonl.rejected.jsonl").exists()


async def test_a_changed_record_replaces_the_old_one_and_its_links(
    settings: Settings, running_services: None, tmp_path: Path, run_id: str, gql: GraphQLClient
) -> None:
    key = f"T-{run_id}-R"
    await ingest_files(
        settings,
        [write_lines(tmp_path / "v1.jsonl", [law(key, text={"fr": "ancien"})])],
        report=lambda _: None,
        progress=False,
    )
    changed = law(key, title={"fr": "Nouveau titre"}, implements_articles=["TIP:5"], crime_types=[])
    summary = await ingest_files(
        settings,
        [write_lines(tmp_path / "v2.jsonl", [changed])],
        report=lambda _: None,
        progress=False,
    )
    assert summary.updated == {"LEGISLATION": 1}
    data = await gql.data(
        "query($k: ID!) { node(id: $k) { ... on Legislation { title { lang text } "
        "text { text } implementsArticles { key } crimeTypes { key } } } }",
        {"k": _global_id("Legislation", key)},
    )
    assert data["node"] == {
        "title": {"lang": "fr", "text": "Nouveau titre"},
        "text": None,
        "implementsArticles": [{"key": "TIP:5"}],
        "crimeTypes": [],
    }


async def test_related_cases_link_both_ways(
    settings: Settings, running_services: None, tmp_path: Path, run_id: str, gql: GraphQLClient
) -> None:
    request, answer = f"T-{run_id}-REQ", f"T-{run_id}-ANS"
    path = write_lines(
        tmp_path / "related.jsonl",
        [case(request), case(answer, party="ALB", related_cases=[request])],
    )
    await ingest_files(settings, [path], report=lambda _: None, progress=False)
    query = "query($k: ID!) { node(id: $k) { ... on Case { relatedCases { key party { code } } } } }"
    first = await gql.data(query, {"k": _global_id("Case", request)})
    assert first["node"]["relatedCases"] == [{"key": answer, "party": {"code": "ALB"}}]
    second = await gql.data(query, {"k": _global_id("Case", answer)})
    assert second["node"]["relatedCases"] == [{"key": request, "party": {"code": "ITA"}}]


def test_the_command_line_prints_a_summary_and_names_missing_files(
    tmp_path: Path, running_services: None
) -> None:
    path = write_lines(tmp_path / "cli.jsonl", [law(f"T-{uuid.uuid4().hex[:6]}-CLI"), "[]"])
    result = subprocess.run([SHERLOC, "ingest", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "legislation: 1 created, 0 updated, 0 unchanged" in result.stdout
    assert "rejected: cli.jsonl, line 2: a line must hold one JSON object" in result.stdout
    missing = subprocess.run(
        [SHERLOC, "ingest", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"sherloc: no such file: {tmp_path / 'nope.jsonl'}"


def test_the_committed_json_schema_is_the_one_the_models_generate() -> None:
    committed = Path(__file__).parents[2] / "ingest" / "content" / "schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate it: sherloc ingest --schema > ingest/content/schema.json"
    )


def _global_id(type_name: str, key: str) -> str:
    from api.graphql.relay import global_id

    return str(global_id(type_name, key))


async def test_the_documents_indexed_at_ingest_are_those_a_reindex_reads_back(
    settings: Settings, running_services: None
) -> None:
    """The ingest builds search documents from what it wrote (no read-back); a reindex and
    the catch-up loop read them from the graph. Both must give the same documents."""
    suffix = uuid.uuid4().hex[:8]
    authority = {
        "kind": "authority",
        "id": f"SAME-A-{suffix}",
        "party": "DEU",
        "name": {"de": "Bundesamt für Justiz", "en": "Federal Office of Justice"},
        "functions": ["MUTUAL_LEGAL_ASSISTANCE", "EXTRADITION", "TRAFFICKING_IN_PERSONS"],
        "contact": {"email": "mla@bfj.example.org"},
    }
    records = [
        law(f"SAME-L-{suffix}", text={"fr": "Texte.", "zh-Hant": "條文"}),
        law(f"SAME-L2-{suffix}", enacted_on=None, implements_articles=[], crime_types=[]),
        case(f"SAME-C-{suffix}", applied_legislation=[f"SAME-L-{suffix}"], crime_types=["corruption"]),
        authority,
    ]
    adapter: TypeAdapter[Record] = TypeAdapter(ContentRecord)
    async with graph_of(settings) as graph:
        for kind in (DocumentKind.LEGISLATION, DocumentKind.CASE, DocumentKind.COMPETENT_AUTHORITY):
            parsed = [adapter.validate_python(r) for r in records if KIND_OF[r["kind"]] is kind]
            rows = [to_row(r, content_hash(r)) for r in parsed]
            written = {w["key"]: w for w in await write_documents(graph, kind, rows)}
            direct = [written_document(kind, row, written[row["key"]]) for row in rows]
            fetched = await fetch_documents(graph, kind, [row["key"] for row in rows])
            assert sorted(fetched, key=lambda d: d["key"]) == sorted(direct, key=lambda d: d["key"])


async def test_references_reach_back_across_batches(
    settings: Settings, running_services: None, tmp_path: Path
) -> None:
    """A case may apply a law given batches earlier in the file (the ingest remembers only
    the batch it writes; earlier ones are found in the graph)."""
    suffix = uuid.uuid4().hex[:8]
    lines = [
        law(f"BACK-L-{suffix}"),
        law(f"BACK-L2-{suffix}"),
        law(f"BACK-L3-{suffix}"),
        case(f"BACK-C-{suffix}", applied_legislation=[f"BACK-L-{suffix}"]),
        case(f"BACK-C2-{suffix}", applied_legislation=[f"BACK-NONE-{suffix}"]),
    ]
    path = write_lines(tmp_path / "back.jsonl", lines)
    summary = await ingest_files(settings, [path], batch_size=2, report=lambda _: None, progress=False)
    assert summary.created == {"LEGISLATION": 3, "CASE": 1}
    assert [(r.line, r.field) for r in summary.rejections] == [(5, "applied_legislation")]
