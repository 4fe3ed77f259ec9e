"""The speed-ups as one layer (api/speedups): each has a documented setting, one setting
turns them all off, the maps they use are derived from the hints declared on the fields,
and documents built from search hits cannot show what the index does not hold."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType, get_named_type, is_leaf_type
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig

from api import deadline, speedups
from api.collector import YOUNG_THRESHOLD
from api.config import Settings, load_settings
from api.graphql.execution import DeadlineExecutionContext, FlatExecutionContext
from api.graphql.knowledge.pages import page_links
from api.graphql.knowledge.search_hits import (
    BUILDERS,
    FROM_INDEX,
    INDEX_SOURCE,
    NotInIndex,
    document_from_hit,
)
from api.graphql.knowledge.types import Case, CompetentAuthority, Legislation
from api.graphql.relay import Node
from api.graphql.scalars import SCALAR_MAP
from api.graphql.schema import build_schema
from api.reference_cache import ReferenceSnapshot
from graph.knowledge import DocumentFilter
from search.query import SearchOrder, SearchRequest, build_search

CONFIGURATION = Path(__file__).parents[2] / "docs" / "configuration.md"


# ---------- the settings ----------


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No speed-up setting from the environment the tests run in."""
    monkeypatch.delenv("SHERLOC_SPEEDUPS", raising=False)
    for speedup in speedups.ALL:
        monkeypatch.delenv(speedup.variable, raising=False)
    return monkeypatch


def test_each_speedup_has_a_documented_setting_on_by_default(environment: pytest.MonkeyPatch) -> None:
    documented = CONFIGURATION.read_text(encoding="utf-8")
    settings = load_settings()
    assert "`SHERLOC_SPEEDUPS`" in documented
    for speedup in speedups.ALL:
        assert speedup.setting in Settings.model_fields, speedup
        assert f"`{speedup.variable}`" in documented, speedup
        assert speedups.on(settings, speedup)


def test_one_setting_turns_every_speedup_off_and_each_has_its_own(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("SHERLOC_SPEEDUPS", "off")
    assert not any(speedups.on(load_settings(), speedup) for speedup in speedups.ALL)
    environment.delenv("SHERLOC_SPEEDUPS")
    environment.setenv(speedups.COLLECTOR.variable, "off")
    off = [speedup for speedup in speedups.ALL if not speedups.on(load_settings(), speedup)]
    assert off == [speedups.COLLECTOR]


def test_the_schema_without_speedups_is_the_same_schema_run_the_plain_way(
    environment: pytest.MonkeyPatch,
) -> None:
    fast, plain = build_schema(Settings()), build_schema(Settings(speedups=False))
    assert fast.as_str() == plain.as_str()
    assert fast.execution_context_class is FlatExecutionContext
    assert plain.execution_context_class is DeadlineExecutionContext  # the deadline stays
    assert ParserCache in fast.extensions
    assert ParserCache not in plain.extensions


@pytest.mark.parametrize("context_class", [FlatExecutionContext, DeadlineExecutionContext])
def test_both_ways_of_execution_stop_at_the_deadline(context_class: type[DeadlineExecutionContext]) -> None:
    schema = build_schema(Settings())
    schema.execution_context_class = context_class
    with deadline.serving(-1.0):  # already past
        result = schema.execute_sync("{ reviewPhases { number } }")
    assert result.data is None
    assert [error.extensions for error in result.errors or []] == [{"code": "TIMEOUT"}]
    assert schema.execute_sync("{ reviewPhases { number } }").errors is None


def test_the_collector_is_left_alone_without_its_speedup() -> None:
    import gc

    from api.collector import serving_collector

    before = gc.get_threshold()
    with serving_collector(tuned=False):
        assert gc.get_threshold() == before
    with serving_collector(tuned=True):
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD


# ---------- the maps derived from the fields' hints ----------


def test_the_maps_derived_from_the_hints_are_those_once_kept_by_hand() -> None:
    hints = page_links(build_schema(Settings()))
    assert hints.link_of_field == {
        "implementsArticles": "_articles",
        "legalBasisArticles": "_articles",
        "crimeTypes": "_crimeTypes",
        "appliedLegislation": "_applied",
        "relatedCases": "_related",
        "extracts": "_extracts",
        "status": "_changes",
        "amends": "_changes",
        "amendedBy": "_changes",
        "repeals": "_changes",
        "repealedBy": "_changes",
        "cooperation": "_cooperation",
        "defendants": "_people",
        "victims": "_people",
        "proceduralHistory": "_proceedings",
    }
    assert hints.documents_of_field == {
        "appliedLegislation": "_appliedDocuments",
        "relatedCases": "_relatedDocuments",
    }
    served = FROM_INDEX
    assert served == {"__typename", "id", "key", "title", "name", "party", "originalLanguage", "sample"}
    request = SearchRequest("law", None, None, DocumentFilter(), SearchOrder.RELEVANCE, size=10)
    source = build_search(request, INDEX_SOURCE)["_source"]
    assert sorted(source) == sorted(
        ["kind", "key", "party", "originalLanguage", "languages", "sample", "titles"]
    )


# ---------- documents built from search hits ----------

HITS: dict[str, dict[str, Any]] = {
    "LEGISLATION": {
        "kind": "LEGISLATION",
        "key": "L-1",
        "party": "MDG",
        "originalLanguage": "fr",
        "languages": ["en", "fr"],
        "sample": True,
        "titles": {"fr": "Loi 1", "en": "Law 1"},
    },
    "CASE": {
        "kind": "CASE",
        "key": "C-1",
        "party": "MDG",
        "originalLanguage": "es",
        "languages": ["es"],
        "sample": False,
        "titles": {"es": "Caso 1"},
    },
    "COMPETENT_AUTHORITY": {
        "kind": "COMPETENT_AUTHORITY",
        "key": "A-1",
        "party": "MDG",
        "originalLanguage": None,
        "languages": ["fr"],
        "sample": True,
        "titles": {"fr": "Direction 1"},
    },
}
# The same documents as the graph gives them, with what the index does not hold.
RECORDS: dict[str, dict[str, Any]] = {
    "LEGISLATION": {
        "key": "L-1",
        "party": "MDG",
        "originalLanguage": "fr",
        "sample": True,
        "title.fr": "Loi 1",
        "title.en": "Law 1",
        "text.fr": "Article premier",
        "enactedOn": "2020-01-02",
        "inForce": False,
        "url": "https://example.org/l-1",
        "_articles": ["UNTOC:5"],
        "_crimeTypes": ["SMUGGLING_OF_MIGRANTS"],
    },
    "CASE": {
        "key": "C-1",
        "party": "MDG",
        "originalLanguage": "es",
        "sample": False,
        "title.es": "Caso 1",
        "summary.es": "Resumen",
        "court": "Tribunal",
        "caseNumber": "12/2021",
        "decidedOn": "2021-03-04",
        "usesConventionAsLegalBasis": True,
        "url": None,
        "_articles": ["UNTOC:16"],
        "_crimeTypes": [],
        "_applied": ["L-1"],
        "_related": [],
    },
    "COMPETENT_AUTHORITY": {
        "key": "A-1",
        "party": "MDG",
        "sample": True,
        "name.fr": "Direction 1",
        "functions": ["FIREARMS"],
        "acceptedLanguages": ["fr"],
    },
}
# Fields that read only the document's key and load what they show: they work the same on a
# document built from its hit (and need the databases, so they are not run here).
LOADED_BY_KEY = {"cases", "contact", "versions"}


@strawberry.type
class _Query:
    document: strawberry.Private[Node]

    @strawberry.field
    def doc(self) -> Node:
        return self.document


_SCHEMA = strawberry.Schema(
    query=_Query,
    types=[Legislation, Case, CompetentAuthority],
    config=StrawberryConfig(scalar_map=SCALAR_MAP),
    execution_context_class=FlatExecutionContext,
)
_CONTEXT = SimpleNamespace(
    reference=ReferenceSnapshot(
        instruments={},
        articles={},
        articles_of_instrument={},
        parties={"MDG": {"code": "MDG", "kind": "STATE", "name.en": "Madagascar"}},
        participations={},
        crime_types={},
    )
)


def _ask(document: Node, type_name: str, selection: str) -> tuple[Any, list[Any]]:
    result = _SCHEMA.execute_sync(
        f"{{ doc {{ ... on {type_name} {{ {selection} }} }} }}",
        root_value=_Query(document=document),
        context_value=_CONTEXT,
    )
    errors = [error.original_error for error in result.errors or []]
    return (result.data or {}).get("doc"), errors


def _selections(type_name: str) -> dict[str, str]:
    """Each field of the type with what to ask below it."""
    graphql_type = _SCHEMA._schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    selections = {}
    for name, field in graphql_type.fields.items():
        inner = get_named_type(field.type)
        below = "" if is_leaf_type(inner) else "{ __typename }"
        selections[name] = f"{name} {below}"
    return selections


@pytest.mark.parametrize("kind", sorted(HITS))
def test_a_document_built_from_its_hit_shows_what_the_index_holds_and_nothing_else(kind: str) -> None:
    build = BUILDERS[kind][1]
    from_hit = document_from_hit(kind, HITS[kind])
    from_graph = build(RECORDS[kind])
    assert isinstance(from_hit, type(from_graph))
    assert "built from a search hit" in repr(from_hit)
    selections = _selections(type(from_graph).__name__)
    assert FROM_INDEX & selections.keys(), selections
    for name, selection in selections.items():
        if name in LOADED_BY_KEY:
            continue
        shown, errors = _ask(from_hit, type(from_graph).__name__, selection)
        if name in FROM_INDEX:
            assert errors == [], (name, errors)
            assert shown == _ask(from_graph, type(from_graph).__name__, selection)[0], name
        else:
            assert (shown or {}).get(name) is None, (name, shown)  # never a value the index lacks
            assert len(errors) == 1 and isinstance(errors[0], NotInIndex), (name, errors)


def test_titles_of_a_document_built_from_its_hit_fall_back_as_the_graphs_do() -> None:
    for kind, field in (("LEGISLATION", "title"), ("CASE", "title"), ("COMPETENT_AUTHORITY", "name")):
        type_name = type(BUILDERS[kind][1](RECORDS[kind])).__name__
        selection = " ".join(
            f"{lang}: {field}(lang: {lang}) {{ lang text }}" for lang in ("en", "fr", "es", "zh")
        )
        from_hit = document_from_hit(kind, HITS[kind])
        from_graph = BUILDERS[kind][1](RECORDS[kind])
        assert _ask(from_hit, type_name, selection) == _ask(from_graph, type_name, selection)


def test_any_other_property_of_a_document_built_from_its_hit_raises() -> None:
    law = document_from_hit("LEGISLATION", HITS["LEGISLATION"])
    assert isinstance(law, Legislation)
    assert law.properties.get("title.de") is None  # a language the law has no title in
    with pytest.raises(NotInIndex):
        law.properties.get("text.fr")
    with pytest.raises(NotInIndex):
        _ = law.in_force
    with pytest.raises(AttributeError):
        _ = law.no_such_attribute  # type: ignore[attr-defined]
