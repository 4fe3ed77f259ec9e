"""Exports beside /graphql: the case digest of resolution 9/3 as CSV or JSON Lines, in the
language asked (`GET /export/case-digest?format=csv&lang=fr&cooperation=EXTRADITION`).

The digest is public knowledge: anyone may export it. Its rows are those of
`Query.caseDigest`, one per case under each article and kind of cooperation, at most
`MAX_ROWS_PER_GROUP` per group."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.graphql.errors import UserInputError
from api.graphql.localized import pick_property, text_of
from api.graphql.scalars import parse_language_code
from api.graphql.treaties.digest import digest_groups
from api.reference_cache import ReferenceSnapshot
from graph.driver import Graph
from graph.knowledge import Projection
from mechanism.cooperation import CooperationType

MAX_ROWS_PER_GROUP = 5_000
COLUMNS = (
    "article",
    "article_title",
    "cooperation",
    "case",
    "party",
    "court",
    "decided_on",
    "title",
    "title_language",
    "requesting",
    "requested",
    "url",
)
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


class ExportError(Exception):
    """A parameter refused: `argument: reason`, answered with 400."""


def _parameters(query: Mapping[str, str]) -> tuple[str, str, CooperationType | None]:
    unknown = sorted(set(query) - {"format", "lang", "cooperation", "article", "party"})
    if unknown:
        raise ExportError(f"{unknown[0]}: not a parameter of this export")
    form = query.get("format", "csv")
    if form not in FORMATS:
        raise ExportError(f"format: must be one of {', '.join(FORMATS)}")
    try:
        lang = parse_language_code(query.get("lang", "en"))
    except ValueError as error:
        raise ExportError(f"lang: {error}") from None
    cooperation = query.get("cooperation")
    if cooperation is not None and cooperation not in CooperationType.__members__:
        raise ExportError(f"cooperation: must be one of {', '.join(CooperationType)}")
    return form, lang, CooperationType(cooperation) if cooperation else None


def _rows(groups: list[Any], lang: str, reference: ReferenceSnapshot) -> Iterator[dict[str, str]]:
    for group in groups:
        article = reference.articles.get(group["article"], {})
        for case in group["cases"]:
            title = text_of(case, "title", lang, case.get("originalLanguage"))
            pairs = [c for c in case.get("_cooperation", []) if c["cooperation"] == group["cooperation"]]
            yield {
                "article": group["article"],
                "article_title": (pick_property(article, "title", lang) or title).text if article else "",
                "cooperation": group["cooperation"],
                "case": case["key"],
                "party": case["party"],
                "court": case.get("court", ""),
                "decided_on": case.get("decidedOn") or "",
                "title": title.text,
                "title_language": title.lang,
                "requesting": " ".join(sorted({c["requesting"] for c in pairs})),
                "requested": " ".join(sorted({c["requested"] for c in pairs})),
                "url": case.get("url") or "",
            }


def _encoded(rows: Iterator[dict[str, str]], form: str) -> str:
    if form == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read UTF-8 (Arabic, Chinese, Russian)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


async def case_digest(request: Request, graph: Graph, reference: ReferenceSnapshot) -> Response:
    try:
        form, lang, cooperation = _parameters(request.query_params)
        groups = await digest_groups(
            graph,
            cooperation=cooperation,
            article=request.query_params.get("article"),
            party=request.query_params.get("party"),
            per_group=MAX_ROWS_PER_GROUP,
            projection=Projection(links=frozenset({"_cooperation"})),
        )
    except ExportError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    except UserInputError as error:
        return JSONResponse({"error": error.message}, status_code=400)
    body = _encoded(_rows(groups, lang, reference), form)
    return Response(
        body,
        media_type=FORMATS[form].split(";")[0],
        headers={
            "content-type": FORMATS[form],
            "content-disposition": f'attachment; filename="case-digest-{lang}.{form}"',
            "x-content-type-options": "nosniff",
        },
    )
