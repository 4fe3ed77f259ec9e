"""Constraints and indexes of the graph, applied idempotently at set-up."""

from __future__ import annotations

from typing import LiteralString

from graph.driver import Graph

SCHEMA_VERSION = 12

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT instrument_code IF NOT EXISTS FOR (n:Instrument) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT article_key IF NOT EXISTS FOR (n:Article) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT party_code IF NOT EXISTS FOR (n:Party) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT review_phase_number IF NOT EXISTS FOR (n:ReviewPhase) REQUIRE n.number IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (n:Meta) REQUIRE n.key IS UNIQUE",
    # Each step of graph/migrations is recorded once.
    "CREATE CONSTRAINT migration_version IF NOT EXISTS "
    "FOR (n:Migration) REQUIRE (n.namespace, n.version) IS UNIQUE",
    "CREATE CONSTRAINT crime_type_key IF NOT EXISTS FOR (n:CrimeType) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT legislation_key IF NOT EXISTS FOR (n:Legislation) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT case_key IF NOT EXISTS FOR (n:Case) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT authority_key IF NOT EXISTS FOR (n:CompetentAuthority) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT authority_change_id IF NOT EXISTS FOR (n:AuthorityChange) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT treaty_key IF NOT EXISTS FOR (n:Treaty) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT treaty_action_key IF NOT EXISTS FOR (n:TreatyAction) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT strategy_key IF NOT EXISTS FOR (n:Strategy) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT bibliography_entry_key IF NOT EXISTS "
    "FOR (n:BibliographyEntry) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_email IF NOT EXISTS FOR (n:User) REQUIRE n.email IS UNIQUE",
    # One focal point per party at a time: the property is set only on a focal point.
    "CREATE CONSTRAINT user_focal_point IF NOT EXISTS FOR (n:User) REQUIRE n.focalPointOf IS UNIQUE",
    "CREATE CONSTRAINT session_token IF NOT EXISTS FOR (n:Session) REQUIRE n.tokenHash IS UNIQUE",
    "CREATE CONSTRAINT activation_token IF NOT EXISTS FOR (n:ActivationToken) REQUIRE n.tokenHash IS UNIQUE",
    "CREATE CONSTRAINT login_throttle IF NOT EXISTS FOR (n:LoginThrottle) REQUIRE n.emailHash IS UNIQUE",
    "CREATE CONSTRAINT review_id IF NOT EXISTS FOR (n:Review) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT answer_key IF NOT EXISTS FOR (n:Answer) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT message_id IF NOT EXISTS FOR (n:DialogueMessage) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT review_document_id IF NOT EXISTS FOR (n:ReviewDocument) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT observations_review IF NOT EXISTS FOR (n:Observations) REQUIRE n.reviewId IS UNIQUE",
    "CREATE CONSTRAINT disclosure_key IF NOT EXISTS FOR (n:Disclosure) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT publication_key IF NOT EXISTS FOR (n:Publication) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT tombstone_uid IF NOT EXISTS FOR (n:Tombstone) REQUIRE n.uid IS UNIQUE",
    "CREATE CONSTRAINT draw_id IF NOT EXISTS FOR (n:Draw) REQUIRE n.id IS UNIQUE",
    # The lock node reviewer draws take (graph.draws.draw_reviewers): one, never two.
    "CREATE CONSTRAINT draw_lock_name IF NOT EXISTS FOR (n:DrawLock) REQUIRE n.name IS UNIQUE",
    # Announced draws (graph.announcements): one contribution per party and announcement.
    "CREATE CONSTRAINT draw_announcement_id IF NOT EXISTS FOR (n:DrawAnnouncement) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT draw_contribution_party IF NOT EXISTS "
    "FOR (n:DrawContribution) REQUIRE (n.announcementId, n.party) IS UNIQUE",
    # A party's choices about the draws (¶28(c), ¶29, footnote 2; graph.participation).
    "CREATE CONSTRAINT party_choices_party IF NOT EXISTS FOR (n:PartyChoices) REQUIRE n.party IS UNIQUE",
    "CREATE CONSTRAINT designation_id IF NOT EXISTS FOR (n:Designation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT stakeholder_dialogue_id IF NOT EXISTS "
    "FOR (n:StakeholderDialogue) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT stakeholder_registration_id IF NOT EXISTS "
    "FOR (n:StakeholderRegistration) REQUIRE n.id IS UNIQUE",
    # One registration per organization's (normalized) e-mail address and dialogue.
    "CREATE CONSTRAINT stakeholder_registration_email IF NOT EXISTS "
    "FOR (n:StakeholderRegistration) REQUIRE (n.dialogueId, n.emailKey) IS UNIQUE",
    # A group starts a phase once, and the Conference decides once per group and phase (¶10).
    "CREATE CONSTRAINT phase_start_key IF NOT EXISTS FOR (n:PhaseStart) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT conference_decision_key IF NOT EXISTS "
    "FOR (n:ConferenceDecision) REQUIRE n.key IS UNIQUE",
    # The Conference's amendments of the workplan (¶16), numbered in order.
    "CREATE CONSTRAINT workplan_amendment_number IF NOT EXISTS "
    "FOR (n:WorkplanAmendment) REQUIRE n.number IS UNIQUE",
)

INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX party_regional_group IF NOT EXISTS FOR (n:Party) ON (n.regionalGroup)",
    "CREATE INDEX article_instrument IF NOT EXISTS FOR (n:Article) ON (n.instrument)",
    "CREATE INDEX legislation_party IF NOT EXISTS FOR (n:Legislation) ON (n.party)",
    "CREATE INDEX legislation_sort IF NOT EXISTS FOR (n:Legislation) ON (n.sortDate, n.key)",
    "CREATE INDEX case_party IF NOT EXISTS FOR (n:Case) ON (n.party)",
    "CREATE INDEX case_sort IF NOT EXISTS FOR (n:Case) ON (n.sortDate, n.key)",
    "CREATE INDEX authority_party IF NOT EXISTS FOR (n:CompetentAuthority) ON (n.party)",
    # The directory's audit log (graph/authorities.py), newest first per party or authority.
    "CREATE INDEX authority_change_party IF NOT EXISTS FOR (n:AuthorityChange) ON (n.party, n.at)",
    "CREATE INDEX authority_change_authority IF NOT EXISTS FOR (n:AuthorityChange) ON (n.authority, n.at)",
    "CREATE INDEX authority_confirmed IF NOT EXISTS FOR (n:CompetentAuthority) ON (n.confirmedOn)",
    "CREATE INDEX treaty_sort IF NOT EXISTS FOR (n:Treaty) ON (n.sortDate, n.key)",
    "CREATE INDEX treaty_action_party IF NOT EXISTS FOR (n:TreatyAction) ON (n.party)",
    "CREATE INDEX strategy_sort IF NOT EXISTS FOR (n:Strategy) ON (n.sortDate, n.key)",
    "CREATE INDEX bibliography_entry_sort IF NOT EXISTS FOR (n:BibliographyEntry) ON (n.sortDate, n.key)",
    "CREATE INDEX document_pending IF NOT EXISTS FOR (n:Document) ON (n.indexPending)",
    "CREATE INDEX document_kind_key IF NOT EXISTS FOR (n:Document) ON (n.kind, n.key)",
    "CREATE INDEX session_user IF NOT EXISTS FOR (n:Session) ON (n.userId)",
    "CREATE INDEX answer_review IF NOT EXISTS FOR (n:Answer) ON (n.reviewId)",
    "CREATE INDEX message_review IF NOT EXISTS FOR (n:DialogueMessage) ON (n.reviewId)",
    "CREATE INDEX review_document_review IF NOT EXISTS FOR (n:ReviewDocument) ON (n.reviewId)",
    "CREATE INDEX disclosure_review IF NOT EXISTS FOR (n:Disclosure) ON (n.reviewId)",
    "CREATE INDEX disclosure_change_review IF NOT EXISTS FOR (n:DisclosureChange) ON (n.reviewId)",
    "CREATE INDEX publication_review IF NOT EXISTS FOR (n:Publication) ON (n.reviewId)",
    "CREATE INDEX designation_party IF NOT EXISTS FOR (n:Designation) ON (n.party, n.role)",
    "CREATE INDEX stakeholder_dialogue_sort IF NOT EXISTS FOR (n:StakeholderDialogue) ON (n.heldOn, n.id)",
    "CREATE INDEX stakeholder_registration_dialogue IF NOT EXISTS "
    "FOR (n:StakeholderRegistration) ON (n.dialogueId)",
)


async def apply_schema(graph: Graph) -> None:
    for statement in (*CONSTRAINTS, *INDEXES):
        await graph.write(statement)
    await graph.write("CALL db.awaitIndexes(120)")
    await graph.write("MERGE (m:Meta {key: 'schema'}) SET m.version = $version", version=SCHEMA_VERSION)


async def schema_applied(graph: Graph) -> bool:
    rows = await graph.read("MATCH (m:Meta {key: 'schema'}) RETURN m.version AS version")
    return bool(rows) and rows[0]["version"] == SCHEMA_VERSION
