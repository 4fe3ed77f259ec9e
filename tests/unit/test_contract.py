"""The schema keeps every name and type the frontend's contract gives it
(`../shared/contract/frontend.graphql`, copied to `api/graphql/contract.graphql`)."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    NamedTypeNode,
    TypeDefinitionNode,
    Visitor,
    build_schema,
    parse,
    specified_scalar_types,
    visit,
)

from api.config import Settings
from api.graphql.schema import build_schema as build_api_schema

CONTRACT = Path(__file__).parents[2] / "api" / "graphql" / "contract.graphql"

# Sections of the contract that open issues add, by their heading: the schema keeps them
# once their issue lands (then remove the line here, and the test holds the schema to it).
PENDING = {
    "# ---------- added 2026-12-04: practitioner services ----------": "#19",
    "# ---------- added 2026-12-04: follow-up and coverage ----------": "#18",
}


def _landed(sdl: str) -> str:
    """The contract without its pending sections (each runs to the next heading)."""
    kept, pending = [], False
    for line in sdl.splitlines():
        if line.startswith("# ----------"):
            pending = line.strip() in PENDING
        if not pending:
            kept.append(line)
    return "\n".join(kept)


def test_every_pending_section_is_in_the_contract() -> None:
    headings = {line.strip() for line in CONTRACT.read_text().splitlines()}
    assert set(PENDING) <= headings


def _contract() -> tuple[GraphQLSchema, set[str]]:
    """The contract as a schema, and the types it names without declaring them (the
    connections and scalars it describes in comments): those must merely exist."""
    sdl = _landed(CONTRACT.read_text())
    declared = {d.name.value for d in parse(sdl).definitions if isinstance(d, TypeDefinitionNode)}
    named = {n.name.value for n in _named_types(parse(sdl))}
    undeclared = named - declared - set(specified_scalar_types)
    stubs = "".join(f"scalar {name}\n" for name in sorted(undeclared))
    return build_schema(sdl + "\n" + stubs, assume_valid_sdl=True), undeclared


def _named_types(node: object) -> list[NamedTypeNode]:
    found: list[NamedTypeNode] = []

    class Collect(Visitor):
        def enter_named_type(self, named: NamedTypeNode, *_: object) -> None:
            found.append(named)

    visit(node, Collect())  # type: ignore[arg-type]
    return found


def _differences(contract: GraphQLSchema, undeclared: set[str], ours: GraphQLSchema) -> list[str]:
    problems = []
    for name, wanted in contract.type_map.items():
        if name.startswith("__"):
            continue
        have = ours.type_map.get(name)
        if have is None:
            problems.append(f"type {name} is missing")
            continue
        if name in undeclared:
            continue
        if not isinstance(have, type(wanted)):
            problems.append(f"{name} is a {type(have).__name__}, not a {type(wanted).__name__}")
            continue
        if isinstance(wanted, GraphQLEnumType):
            assert isinstance(have, GraphQLEnumType)
            problems += [f"{name}.{v} is missing" for v in wanted.values if v not in have.values]
        if isinstance(wanted, GraphQLUnionType):
            assert isinstance(have, GraphQLUnionType)
            names = {t.name for t in have.types}
            problems += [f"{name} lacks {t.name}" for t in wanted.types if t.name not in names]
        if isinstance(wanted, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            assert isinstance(have, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType)
            for field_name, field in wanted.fields.items():
                ours_field = have.fields.get(field_name)
                if ours_field is None:
                    problems.append(f"{name}.{field_name} is missing")
                    continue
                if str(ours_field.type) != str(field.type):
                    problems.append(f"{name}.{field_name} is {ours_field.type}, not {field.type}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    ours_arg = ours_field.args.get(arg_name)
                    if ours_arg is None:
                        problems.append(f"{name}.{field_name}({arg_name}) is missing")
                    elif str(ours_arg.type) != str(arg.type):
                        problems.append(f"{name}.{field_name}({arg_name}) is {ours_arg.type}, not {arg.type}")
            if isinstance(wanted, GraphQLObjectType):
                assert isinstance(have, GraphQLObjectType)
                interfaces = {i.name for i in have.interfaces}
                problems += [
                    f"{name} does not implement {i.name}"
                    for i in wanted.interfaces
                    if i.name not in interfaces
                ]
    return problems


def test_the_schema_keeps_the_contract() -> None:
    ours = build_api_schema(Settings())._schema
    assert _differences(*_contract(), ours) == []


def test_the_copy_of_the_contract_is_current() -> None:
    shared = Path(__file__).parents[3] / "shared" / "contract" / "frontend.graphql"
    if shared.exists():  # beside the checkout on the team's machines, not in every clone
        assert CONTRACT.read_text() == shared.read_text()
