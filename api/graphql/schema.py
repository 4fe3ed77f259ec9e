"""The schema, with the limits every request is held to."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from api import speedups
from api.config import Settings
from api.graphql.accounts.mutations import AccountMutations
from api.graphql.accounts.queries import AccountQueries
from api.graphql.accounts.types import User
from api.graphql.designations.mutations import DesignationMutations
from api.graphql.designations.queries import DesignationQueries
from api.graphql.dialogues.mutations import DialogueMutations
from api.graphql.dialogues.queries import DialogueQueries
from api.graphql.draws.announcements import AnnouncementMutations, AnnouncementQueries
from api.graphql.draws.mutations import DrawMutations
from api.graphql.draws.queries import DrawQueries
from api.graphql.draws.reviewers import ReviewerDrawMutations
from api.graphql.draws.types import Draw, DrawAnnouncement
from api.graphql.execution import DeadlineExecutionContext, FlatExecutionContext
from api.graphql.knowledge.directory_log import DirectoryQueries
from api.graphql.knowledge.directory_mutations import DirectoryMutations
from api.graphql.knowledge.queries import KnowledgeQueries
from api.graphql.knowledge.types import Case, CompetentAuthority, Legislation
from api.graphql.library.queries import LibraryQueries
from api.graphql.library.types import BibliographyEntry, Strategy
from api.graphql.limits import COSTS, DocumentLimits, LimitedValidation, cost_rule
from api.graphql.nodes import NodeQueries
from api.graphql.participation.mutations import ParticipationMutations
from api.graphql.participation.queries import ParticipationQueries
from api.graphql.reference.queries import ReferenceQueries
from api.graphql.reference.types import Article, Instrument, Party
from api.graphql.reviews.disclosure import ReviewDisclosureMutations
from api.graphql.reviews.mutations import ReviewMutations
from api.graphql.reviews.observations import ReviewObservationMutations
from api.graphql.reviews.opening import ReviewOpeningMutations
from api.graphql.reviews.queries import ReviewQueries
from api.graphql.reviews.timeline import ReviewTimelineMutations
from api.graphql.reviews.types import Review, ReviewPublication
from api.graphql.scalars import SCALAR_MAP
from api.graphql.schedule.mutations import ScheduleMutations
from api.graphql.schedule.queries import PhaseQueries, ScheduleQueries
from api.graphql.treaties.digest import DigestQueries
from api.graphql.treaties.queries import TreatyQueries
from api.graphql.treaties.types import Treaty, TreatyAction
from api.policy.writes import guard_mutations


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged where they are masked, with the request id (api/app.py)."""


Query = merge_types(
    "Query",
    (
        NodeQueries,
        ReferenceQueries,
        KnowledgeQueries,
        DirectoryQueries,
        PhaseQueries,
        AccountQueries,
        ReviewQueries,
        DrawQueries,
        AnnouncementQueries,
        ParticipationQueries,
        DesignationQueries,
        ScheduleQueries,
        DialogueQueries,
        TreatyQueries,
        LibraryQueries,
        DigestQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        ReviewOpeningMutations,
        ReviewMutations,
        ReviewObservationMutations,
        ReviewTimelineMutations,
        ReviewDisclosureMutations,
        DrawMutations,
        ReviewerDrawMutations,
        AnnouncementMutations,
        ParticipationMutations,
        DesignationMutations,
        ScheduleMutations,
        DialogueMutations,
        DirectoryMutations,
    ),
)
# Every mutation runs its guard first: who may do it is decided there (api/policy/writes.py).
guard_mutations(get_object_definition(Mutation, strict=True).fields)


def build_schema(settings: Settings) -> strawberry.Schema:
    # The limits are validation rules made once per schema: the validation cache below
    # recognizes a query it has validated only when the rules are the same classes.
    limits = DocumentLimits()
    rules: list[type[ASTValidationRule]] = [
        depth_rule(settings.max_query_depth, None),
        aliases_rule(settings.max_aliases),
        cost_rule(COSTS, limits.max_cost),
    ]
    if settings.production:
        rules.append(NoSchemaIntrospectionCustomRule)
    cached = speedups.on(settings, speedups.DOCUMENT_CACHE)
    extensions: list[Any] = [
        # The frontend sends a few dozen distinct queries: each is parsed and validated once
        # per process (a search's validation cost ~3 ms). The caches are bounded (LRU of
        # 128), so distinct queries from a hostile client cannot grow memory. Validation
        # runs only on documents within the limits (api/graphql/limits.py).
        *([ParserCache] if cached else []),
        lambda: LimitedValidation(limits, cached),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: AddValidationRules(rules),
    ]
    return _Schema(
        query=Query,
        mutation=Mutation,
        types=[
            Instrument,
            Article,
            Party,
            Legislation,
            Case,
            CompetentAuthority,
            User,
            Review,
            ReviewPublication,
            Draw,
            DrawAnnouncement,
            Treaty,
            TreatyAction,
            Strategy,
            BibliographyEntry,
        ],
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        execution_context_class=(
            FlatExecutionContext
            if speedups.on(settings, speedups.FLAT_COMPLETION)
            else DeadlineExecutionContext
        ),
    )
