"""The upgrade test's data: backups that earlier releases made of their demo and of a few
secure-module artefacts, each with the questions asked of that release's API and its
answers (`tests/data/upgrade/<name>/`).

    .venv/bin/python -m tests.integration.upgrade build NAME

makes one with the code of the work tree, in servers of its own (ports 17693, 19271 and
19371, in a temporary home): `sherloc setup --demo`, then the artefacts through GraphQL as
the demo accounts, then the questions, then `sherloc backup`. Commit it when a release
changes the data model; never make an old one again: it stands for what a deployment of
that release holds. `test_upgrade.py` restores every committed one into fresh servers,
runs `sherloc setup` (the migrations) and asks the recorded questions again.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from api.config import Settings, load_settings
from api.graphql.knowledge.search import DocumentKind
from graph.migrations import load_steps
from ops import backup
from ops.bootstrap import DEMO_PASSWORD
from ops.cli import DEMO_DIR, cmd_setup
from ops.launcher import services
from tests.integration.conftest import serving

DATA = Path(__file__).resolve().parents[1] / "data" / "upgrade"
ANSWERS = "answers.json"
SECRETARIAT = "secretariat@unodc.example.org"
NEW_EXPERT = "new.expert@ury.example.org"
NEW_EXPERT_PASSWORD = "an expert of Uruguay, 2026"
FORMER_OBSERVER = "former.observer@ury.example.org"

LOGIN = (
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename"
    " ... on Session { user { email role status party { code } } } } }"
)

TOKEN = (
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename"
    " ... on Session { token } } }"
)


def fresh_settings(base: Settings, home: Path, ports: tuple[int, int, int]) -> Settings:
    """Settings for servers of their own in `home`, with their backups inside it."""
    bolt, http, transport = ports
    return base.model_copy(
        update={
            "home": home,
            "cache": base.cache_dir,
            "backup_dir": home / "backups",
            "neo4j_uri": f"bolt://127.0.0.1:{bolt}",
            "es_url": f"http://127.0.0.1:{http}",
            "es_transport_port": transport,
            "es_cluster_name": f"sherloc-upgrade-{bolt}",
            "neo4j_heap": "512m",
            "es_heap": "512m",
        }
    )


@contextmanager
def servers_of_their_own(base: Settings, ports: tuple[int, int, int]) -> Iterator[Settings]:
    home = Path(tempfile.mkdtemp(prefix="upgrade-", dir=base.home))
    home.chmod(0o755)  # Elasticsearch's service user enters it
    settings = fresh_settings(base, home, ports)
    try:
        yield settings
    finally:
        services.down(settings, log=lambda _: None)
        shutil.rmtree(home, ignore_errors=True)


# --- asking ----------------------------------------------------------------------------


@dataclass
class Asker:
    """One client of an API; logs each viewer in once with the passwords it knows."""

    http: httpx.AsyncClient
    passwords: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)

    async def login(self, email: str) -> dict[str, Any]:
        body = await self.post(None, LOGIN, {"e": email, "p": self.passwords[email]})
        result: dict[str, Any] = body["data"]["login"]
        return result

    async def token(self, email: str) -> str:
        if email not in self.tokens:
            body = await self.post(None, TOKEN, {"e": email, "p": self.passwords[email]})
            session = body["data"]["login"]
            if "token" not in session:
                raise AssertionError(f"{email} cannot log in with the password of the record: {session}")
            self.tokens[email] = session["token"]
        return self.tokens[email]

    async def post(
        self, viewer: str | None, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {await self.token(viewer)}"} if viewer else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        self.http.cookies.clear()
        body: dict[str, Any] = response.json()
        return body

    async def ask(self, viewer: str | None, query: str, variables: dict[str, Any] | None = None) -> Any:
        body = await self.post(viewer, query, variables)
        if "errors" in body:
            raise AssertionError(f"{query[:80]}...: {body['errors']}")
        return body["data"]

    async def download(self, viewer: str | None, path: str) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {await self.token(viewer)}"} if viewer else {}
        response = await self.http.get(path, headers=headers)
        self.http.cookies.clear()
        digest = hashlib.sha256(response.content).hexdigest() if response.status_code == 200 else None
        return {"status": response.status_code, "sha256": digest}


async def answers_of(asker: Asker, record: dict[str, Any]) -> dict[str, Any]:
    """The answers to a record's logins, questions and downloads, as the record keeps them."""
    return {
        "logins": {email: await asker.login(email) for email in record["passwords"]},
        "questions": [await asker.ask(q["viewer"], q["query"], q["variables"]) for q in record["questions"]],
        "downloads": [await asker.download(d["viewer"], d["path"]) for d in record["downloads"]],
    }


# --- building --------------------------------------------------------------------------

# A review's progress depends on the day it is asked: asked as of a fixed one.
REVIEW_FIELDS = """id phase clusters workingLanguages answersDueOn feedbackDueOn phaseStartedOn
  answersSubmittedOn status stateUnderReview { code } instruments { code }
  reviewingStates { sameRegionalGroup reviewer { code } instruments { code } }
  disclosure { artefact visibility part }
  answers { id article { id } text status version submittedAt lang }
  timeline { answersDueOn workingLanguages exception version agreedBy { code } }
  workingLanguagesException
  dialogue(history: true) { id postedAt body kind revision thread author { code } }
  documents { id title contentType size uploadedAt }
  progress(asOf: "2026-12-07") { stage writtenFeedback { givenOn party { code } } }
  listOfObservations { gapsAndChallenges goodPractices recommendations technicalAssistanceNeeds
    final version agreedBy { code } summaryLanguage
    reopenings { version reason at by { code } agreementsWithdrawn { code } } }
  en: summary(lang: "en") { lang text } ar: summary(lang: "ar") { lang text }
  disclosureLog { artefact part from to by onBehalfOfStateUnderReview at reason }"""

REVIEWS = "{ reviews(first: 100) { totalCount edges { cursor node { " + REVIEW_FIELDS + " } } } }"
DRAW_FIELDS = """id kind seed algorithmVersion createdAt seedOrigin conferenceDecision
  announcement { id commitment secret contributionsCloseAt performedAt
    contributions { party { code } commitment value revealed } }
  groups { party { code } year }
  redraw { kind repetition stateUnderReview { code } replaced { code } requestedBy { code } reason }
  assignments { stateUnderReview { code } reviewer { code } instruments { code } }"""
DRAWS = "{ draws(first: 100) { totalCount edges { node { " + DRAW_FIELDS + " } } } }"
DIALOGUES = """{ stakeholderDialogues(first: 100) { totalCount edges { node { id workingGroup
  sessionEndsOn heldOn title status notConvenedReason summary summaryFiledOn listCirculatedOn
  registrationsDueOn circulationDueOn objectionsDueOn
  registrations { id kind organization status registeredOn commentsSubmittedOn approved
    contactEmail comments objection { reason objectedOn } } } } } }"""
KNOWLEDGE = [
    "{ instruments { code title { text } articles { id } } }",
    """{ parties(first: 100) { totalCount edges { node { code kind regionalGroup uncacParty
      name(lang: "fr") { text } participations { instrument { code } } } } } }""",
    '{ crimeTypes { key label(lang: "es") { text } } }',
    """{ legislation(first: 100) { totalCount edges { cursor node { id key title { text }
      party { code } implementsArticles { id } } } pageInfo { hasNextPage endCursor } } }""",
    """{ cases(first: 100) { totalCount edges { cursor node { id key title { text } party { code }
      crimeTypes { key } } } } }""",
    """{ competentAuthorities(first: 100) { totalCount edges { node { id key name { text }
      party { code } functions acceptsConventionRequests acceptsInterpol confirmedOn } } } }""",
    """{ treaties(first: 100) { totalCount edges { node { id key bilateral cooperation signedOn
      inForceOn title { text } parties { code } } } } }""",
    """{ legalBasis(requesting: "MEX", requested: "ESP", cooperation: EXTRADITION) {
      treaties { id } convention { applies article { key } treatyActions { id } explanation }
      competentAuthorities { id } precedents(first: 20) { totalCount edges { node { id } } } } }""",
    '{ party(code: "NLD") { treatyActions { id key kind paragraph madeOn article { key } title { text } } } }',
    "{ caseDigest(first: 5) { cooperation totalCount article { key } cases { id } } }",
    """{ cases(first: 100, filter: {parties: ["KEN", "RUS", "MDA", "MEX", "ESP"]}) { edges { node {
      id courtLevel legalSystem outcome sentence keywords { family term }
      defendants { initials gender nationality ageGroup count } victims { gender count }
      proceduralHistory { court decidedOn outcome } cooperation { cooperation requesting { code } } } } } }""",
    """{ legislation(first: 100, filter: {parties: ["AUT", "ARE", "CHN", "COL"]}) { edges { node {
      id status(on: "2026-01-01") extracts { article { key } text { text } } amends { on law { id } }
      repealedBy { on law { id } } versions { inForceFrom } } } } }""",
    """{ strategies(first: 100) { totalCount edges { node { id key documentType fromYear toYear
      party { code } title { text } } } } }""",
    """{ bibliography(first: 100) { totalCount edges { node { id key authors year publisher
      title { text } articles { key } } } } }""",
]
SEARCHES = [
    ("trafficking", "en"),
    ("trata de personas", "es"),
    ("blanchiment", "fr"),
    ("洗钱", "zh"),
]
SEARCH = """query($q: String!, $l: LanguageCode!) { search(query: $q, lang: $l, first: 100) {
  totalCount edges { node { kind document { ... on Legislation { id } ... on Case { id }
    ... on CompetentAuthority { id } ... on Review { id } } } }
  facets { field buckets { key count } } } }"""


@dataclass
class Builder:
    """Makes the secure-module artefacts through GraphQL, and the record of questions."""

    asker: Asker
    questions: list[dict[str, Any]] = field(default_factory=list)
    downloads: list[dict[str, Any]] = field(default_factory=list)

    async def do(self, viewer: str | None, query: str, expected: str, **variables: Any) -> dict[str, Any]:
        data = await self.asker.ask(viewer, query, variables)
        (result,) = data.values()
        if result.get("__typename") != expected:
            raise AssertionError(f"{query[:60]}...: {result}")
        return dict(result)

    def question(self, viewer: str | None, query: str, **variables: Any) -> None:
        self.questions.append({"viewer": viewer, "query": query, "variables": variables})

    async def accounts(self) -> None:
        invite = (
            "mutation($e: String!, $r: Role!, $p: String) { createAccount(email: $e, role: $r, party: $p) {"
            " __typename ... on AccountInvitation { activationToken user { id } } } }"
        )
        activate = (
            "mutation($t: String!, $p: String!) { activateAccount(token: $t, password: $p) { __typename } }"
        )
        for email, role in ((NEW_EXPERT, "GOVERNMENTAL_EXPERT"), (FORMER_OBSERVER, "OBSERVER")):
            made = await self.do(SECRETARIAT, invite, "AccountInvitation", e=email, r=role, p="URY")
            await self.asker.ask(None, activate, {"t": made["activationToken"], "p": NEW_EXPERT_PASSWORD})
            self.asker.passwords[email] = NEW_EXPERT_PASSWORD
            if email == FORMER_OBSERVER:
                disable = "mutation($u: ID!) { disableAccount(user: $u) { __typename } }"
                await self.do(SECRETARIAT, disable, "User", u=made["user"]["id"])

    async def designations(self) -> None:
        designate = (
            'mutation($n: String!, $s: Date!) { designate(party: "ARG", role: GOVERNMENTAL_EXPERT,'
            ' name: $n, title: "Prosecutor", institution: "Ministerio Público Fiscal", since: $s) {'
            " __typename ... on Designation { id } } }"
        )
        focal_point = "focal.point@arg.example.org"
        await self.do(focal_point, designate, "Designation", n="M. R.", s="2026-02-01")
        ended = await self.do(focal_point, designate, "Designation", n="J. P.", s="2025-05-01")
        end = "mutation($d: ID!) { endDesignation(designation: $d) { __typename } }"
        await self.do(focal_point, end, "Designation", d=ended["id"])

    async def draws(self) -> None:
        draw = "mutation { %s { __typename ... on Draw { id assignments { stateUnderReview { code } reviewer { code } } } } }"
        again = (
            'drawStatesUnderReview(seed: "upgrade-2026", conferenceDecision: "Decision 13/1 (upgrade test)")'
        )
        await self.do(SECRETARIAT, draw % again, "Draw")  # the demo's announced draw governed
        # The demo's announced draw of reviewing States gave every State its reviewers.
        current = "{ currentAssignments { stateUnderReview { code } reviewer { code } } }"
        drawn = await self.asker.ask(None, current)
        volunteer = 'mutation { volunteerToReview(party: "SWE", times: 4) { __typename } }'
        await self.do("focal.point@swe.example.org", volunteer, "PartyChoices")
        first = drawn["currentAssignments"][0]
        redraw = (
            "mutation($s: String!, $r: String!) { redrawReviewer(stateUnderReview: $s, reviewer: $r,"
            ' kind: REPETITION, requestedBy: $s, seed: "upgrade-2026-again") { __typename } }'
        )
        await self.do(
            SECRETARIAT, redraw, "Draw", s=first["stateUnderReview"]["code"], r=first["reviewer"]["code"]
        )

    async def reviews(self) -> None:
        reviews = await self.asker.ask(
            SECRETARIAT,
            "{ reviews { edges { node { id stateUnderReview { code } dialogue { id } documents { id } } } } }",
        )
        by_party = {e["node"]["stateUnderReview"]["code"]: e["node"] for e in reviews["reviews"]["edges"]}
        arg, ken = by_party["ARG"], by_party["KEN"]
        disclose = (
            "mutation($r: ID!, $a: ReviewArtefact!, $v: Visibility!, $p: String, $why: String) {"
            " setDisclosure(review: $r, artefact: $a, visibility: $v, part: $p, reason: $why) { __typename } }"
        )
        arg_focal_point = "focal.point@arg.example.org"
        await self.do(
            arg_focal_point, disclose, "Review", r=arg["id"], a="QUESTIONNAIRE_ANSWERS", v="PUBLIC", p=None
        )
        await self.do(
            arg_focal_point, disclose, "Review", r=arg["id"], a="DIALOGUE", v="ALL_STATES_PARTIES", p=None
        )
        await self.do(
            arg_focal_point,
            disclose,
            "Review",
            r=arg["id"],
            a="LIST_OF_OBSERVATIONS",
            v="REVIEW_PARTICIPANTS",
            p="technicalAssistanceNeeds",
            why="Assistance under negotiation with donors (¶38)",
        )
        await self.do(
            SECRETARIAT,
            disclose,
            "Review",
            r=ken["id"],
            a="ADDITIONAL_DOCUMENTS",
            v="ALL_STATES_PARTIES",
            p=None,
            why="Kenya's note verbale of 2 December 2026",
        )
        post = (
            "mutation($r: ID!, $b: String!, $m: Boolean!, $v: ID) { postDialogueMessage(review: $r, body: $b,"
            " meetingRecord: $m, revises: $v) { __typename ... on DialogueMessage { id } } }"
        )
        said = await self.do(
            arg_focal_point,
            post,
            "DialogueMessage",
            r=arg["id"],
            b="We will send the law of 2019.",
            m=False,
            v=None,
        )
        await self.do(
            arg_focal_point,
            post,
            "DialogueMessage",
            r=arg["id"],
            b="We will send the law of 2019 and its decree.",
            m=False,
            v=said["id"],
        )
        await self.do(
            SECRETARIAT,
            post,
            "DialogueMessage",
            r=arg["id"],
            b="Joint meeting held online on 3 December 2026.",
            m=True,
            v=None,
        )
        for review in (arg, ken):
            for document in review["documents"]:
                for viewer in (SECRETARIAT, "focal.point@nzl.example.org", None):
                    self.downloads.append({"viewer": viewer, "path": f"/documents/{document['id']}"})
            self.question(None, "query($id: ID!) { node(id: $id) { id __typename } }", id=review["id"])
            self.question(
                SECRETARIAT,
                "query($id: ID!) { node(id: $id) { ... on Review { " + REVIEW_FIELDS + " } } }",
                id=review["id"],
            )

    async def stakeholder_dialogue(self) -> None:
        schedule = (
            'mutation { scheduleStakeholderDialogue(workingGroup: TIP, sessionEndsOn: "2027-07-07",'
            ' heldOn: "2027-07-08", title: "Constructive dialogue on trafficking in persons") {'
            " __typename ... on StakeholderDialogue { id } } }"
        )
        dialogue = await self.do(SECRETARIAT, schedule, "StakeholderDialogue")
        register = (
            "mutation($d: ID!, $k: StakeholderKind!, $o: String!, $e: String!) { registerForStakeholderDialogue("
            "dialogue: $d, kind: $k, organization: $o, contactEmail: $e) { __typename ... on StakeholderRegistration { id } } }"
        )
        ngo = await self.do(
            None,
            register,
            "StakeholderRegistration",
            d=dialogue["id"],
            k="NGO",
            o="Red Example contra la Trata",
            e="contact@red.example.org",
        )
        other = await self.do(
            None,
            register,
            "StakeholderRegistration",
            d=dialogue["id"],
            k="OTHER_STAKEHOLDER",
            o="Example Shipping Association",
            e="office@shipping.example.org",
        )
        circulate = "mutation($d: ID!) { circulateStakeholderList(dialogue: $d) { __typename } }"
        await self.do(SECRETARIAT, circulate, "StakeholderDialogue", d=dialogue["id"])
        objection = "mutation($r: ID!, $w: String!) { objectToStakeholder(registration: $r, reason: $w) { __typename } }"
        kenya = "focal.point@ken.example.org"
        await self.do(
            kenya, objection, "StakeholderRegistration", r=ngo["id"], w="Not an independent organization"
        )
        bureau = "mutation($r: ID!) { recordBureauDecision(registration: $r, upheld: false) { __typename } }"
        await self.do(SECRETARIAT, bureau, "StakeholderRegistration", r=ngo["id"])
        comments = "mutation($r: ID!, $e: String!, $c: String!) { submitStakeholderComments(registration: $r, contactEmail: $e, comments: $c) { __typename } }"
        await self.do(
            None,
            comments,
            "StakeholderRegistration",
            r=ngo["id"],
            e="contact@red.example.org",
            c="Victims need shelters in border regions.",
        )
        await self.do(kenya, objection, "StakeholderRegistration", r=other["id"], w="A commercial interest")

    async def record(self) -> None:
        """The questions: the knowledge base as anyone, the secure module as each kind of viewer."""
        for query in KNOWLEDGE:
            self.question(None, query)
        for words, lang in SEARCHES:
            self.question(None, SEARCH, q=words, l=lang)
        viewers = [
            None,
            SECRETARIAT,
            "focal.point@arg.example.org",  # the State under review
            "expert@chl.example.org",  # a reviewing State's expert
            "focal.point@nzl.example.org",  # a State party taking part in neither review
            NEW_EXPERT,
        ]
        for viewer in viewers:
            self.question(viewer, REVIEWS)
            self.question(viewer, DIALOGUES)
            self.question(viewer, "{ me { id email role status party { code } } }")
        self.question(None, DRAWS)
        draws = (await self.asker.ask(None, DRAWS))["draws"]["edges"]
        for edge in draws:
            self.question(
                None,
                "query($id: ID!) { verifyDraw(id: $id) { reproduced commitmentHonoured meetsTheRules problems"
                " draw { id } } }",
                id=edge["node"]["id"],
            )
        announcements = (
            "{ drawAnnouncements(first: 100) { totalCount edges { node { id kind commitment secret"
        )
        announcements += " contributions { party { code } commitment value revealed } draw { id } } } } }"
        self.question(None, announcements)
        self.question(
            None, '{ partyChoices(party: "SWE") { maxReviews moreThanFourReviewers notReviewing } }'
        )
        self.question(None, "{ workplan { number cluster } workplanAmendments { number reference } }")
        self.question(
            None,
            "{ currentAssignments { stateUnderReview { code } reviewer { code } instruments { code } } }",
        )
        self.question(
            SECRETARIAT,
            "{ users(first: 100) { totalCount edges { node { id email role status party { code } } } } }",
        )
        self.question(
            None,
            '{ party(code: "ARG") { focalPoint { __typename } governmentalExperts { id name title institution since } } }',
        )
        self.question(
            SECRETARIAT,
            '{ party(code: "ARG") { governmentalExperts { id name title institution since party { code } } } }',
        )


async def build_record(url: str, emails: list[str]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        asker = Asker(http, {email: DEMO_PASSWORD for email in emails})
        builder = Builder(asker)
        await builder.accounts()
        await builder.designations()
        await builder.draws()
        await builder.reviews()
        await builder.stakeholder_dialogue()
        await builder.record()
        record = {
            "passwords": asker.passwords,
            "questions": builder.questions,
            "downloads": builder.downloads,
        }
        answers = await answers_of(asker, record)
    return record | {"answers": answers}


def _demo_emails() -> list[str]:
    with (DEMO_DIR / "accounts.csv").open(encoding="utf-8") as handle:
        return [row["email"] for row in csv.DictReader(handle)]


def build(name: str) -> Path:
    target = DATA / name
    if target.exists():
        raise SystemExit(f"{target} exists: an upgrade test's data is never made again")
    base = load_settings()
    with servers_of_their_own(base, (17693, 19271, 19371)) as settings:
        services.up(settings)
        cmd_setup(settings, demo=True)
        with serving(settings) as url:
            record = asyncio.run(build_record(url, _demo_emails()))
        backup.backup(settings, name)
        shutil.copytree(settings.backups_dir / name, target)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout
    made = {
        "made_by": commit.strip(),
        "made_on": date.today().isoformat(),
        "graph_version": len(load_steps()),
        # What its searches may find: a later release asks them of these kinds only.
        "document_kinds": [kind.value for kind in DocumentKind],
    }
    (target / ANSWERS).write_text(json.dumps(made | record, indent=1, ensure_ascii=False) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["build"])
    parser.add_argument(
        "name", help="the backup's name, e.g. release-2026-12 (the graph's version is recorded)"
    )
    args = parser.parse_args()
    print(f"Made {build(args.name)}")


if __name__ == "__main__":
    main()
