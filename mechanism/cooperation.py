"""International cooperation under the Convention: its kinds, the article that governs
each, the kinds of treaty action, and whether the Convention can serve as the legal basis
between two States (`convention_basis`).

The reading of the Convention (articles 16-18, 21, 27), kept here:
- Extradition (art. 16): a State party that makes extradition conditional on a treaty may
  take the Convention as the legal basis (16(4)) and says whether it does (16(5)(a));
  one that does not make it so conditional recognizes the offences as extraditable among
  themselves (16(6)). Between two parties the Convention can serve; the requested State's
  notifications under article 16 say on what terms.
- Mutual legal assistance (art. 18): the Convention is itself a basis (18(1)); where a
  treaty binds the two, the treaty applies unless they agree to apply 18(9)-(29) (18(7)).
- Transfer of sentenced persons (art. 17) and of proceedings (art. 21): the Convention asks
  the parties to consider agreements or the possibility; it is not itself a basis.
- Law enforcement cooperation (art. 27): without an agreement, the parties may consider
  the Convention as the basis (27(2)).
Reservations and declarations of either State under the governing article, and those on
the instrument as a whole, bear on the answer; they are listed, never interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from mechanism.instruments import ArticleRef, InstrumentCode


class CooperationType(StrEnum):
    EXTRADITION = "EXTRADITION"
    MUTUAL_LEGAL_ASSISTANCE = "MUTUAL_LEGAL_ASSISTANCE"
    TRANSFER_OF_SENTENCED_PERSONS = "TRANSFER_OF_SENTENCED_PERSONS"
    TRANSFER_OF_PROCEEDINGS = "TRANSFER_OF_PROCEEDINGS"
    LAW_ENFORCEMENT_COOPERATION = "LAW_ENFORCEMENT_COOPERATION"


class TreatyActionKind(StrEnum):
    RESERVATION = "RESERVATION"
    DECLARATION = "DECLARATION"
    NOTIFICATION = "NOTIFICATION"
    OBJECTION = "OBJECTION"
    WITHDRAWAL = "WITHDRAWAL"


GOVERNING_ARTICLE: dict[CooperationType, ArticleRef] = {
    CooperationType.EXTRADITION: ArticleRef(InstrumentCode.UNTOC, 16),
    CooperationType.MUTUAL_LEGAL_ASSISTANCE: ArticleRef(InstrumentCode.UNTOC, 18),
    CooperationType.TRANSFER_OF_SENTENCED_PERSONS: ArticleRef(InstrumentCode.UNTOC, 17),
    CooperationType.TRANSFER_OF_PROCEEDINGS: ArticleRef(InstrumentCode.UNTOC, 21),
    CooperationType.LAW_ENFORCEMENT_COOPERATION: ArticleRef(InstrumentCode.UNTOC, 27),
}

_WHAT_IT_SAYS: dict[CooperationType, tuple[bool, str]] = {
    CooperationType.EXTRADITION: (
        True,
        "Article 16 governs extradition: a State party that makes extradition conditional on a "
        "treaty may take the Convention as the legal basis (16(4)) and informs the Secretary-General "
        "whether it does (16(5)(a)); one that does not recognizes the offences as extraditable (16(6)).",
    ),
    CooperationType.MUTUAL_LEGAL_ASSISTANCE: (
        True,
        "Article 18 is itself a basis for mutual legal assistance (18(1)); where a treaty binds "
        "the two States, the treaty applies unless they agree to apply 18(9) to (29) (18(7)).",
    ),
    CooperationType.TRANSFER_OF_SENTENCED_PERSONS: (
        False,
        "Article 17 asks the States parties to consider agreements on the transfer of sentenced "
        "persons; the Convention is not itself a legal basis for it.",
    ),
    CooperationType.TRANSFER_OF_PROCEEDINGS: (
        False,
        "Article 21 asks the States parties to consider transferring proceedings to one another; "
        "the Convention is not itself a legal basis for it.",
    ),
    CooperationType.LAW_ENFORCEMENT_COOPERATION: (
        True,
        "Article 27 governs law enforcement cooperation; without an agreement between them the "
        "States parties may consider the Convention as the basis (27(2)).",
    ),
}


@dataclass(frozen=True)
class ActionFact:
    """A treaty action as the rule reads it."""

    key: str
    party: str
    instrument: str
    article: str | None  # "UNTOC:16"; None for the instrument as a whole


@dataclass(frozen=True)
class ConventionBasisFacts:
    applies: bool
    article: ArticleRef
    bearing: list[str]  # keys of the treaty actions that bear on it
    explanation: str


def bearing_actions(
    actions: list[ActionFact], parties: tuple[str, str], cooperation: CooperationType
) -> list[str]:
    """The actions of either State under the governing article, or on the Convention as a
    whole, that bear on cooperation between them."""
    article = GOVERNING_ARTICLE[cooperation]
    return [
        a.key
        for a in actions
        if a.party in parties
        and a.instrument == article.instrument.value
        and (a.article is None or a.article == article.key)
    ]


def convention_basis(
    requesting: str,
    requested: str,
    parties_to_the_convention: set[str],
    actions: list[ActionFact],
    cooperation: CooperationType,
    *,
    treaty_in_force: bool,
) -> ConventionBasisFacts:
    """Whether the Convention can serve as the legal basis for `cooperation` between the two
    States, with the actions that bear on it and why, in words."""
    article = GOVERNING_ARTICLE[cooperation]
    bearing = bearing_actions(actions, (requesting, requested), cooperation)
    outside = [code for code in (requesting, requested) if code not in parties_to_the_convention]
    if outside:
        return ConventionBasisFacts(
            False,
            article,
            bearing,
            f"{' and '.join(outside)} {'is' if len(outside) == 1 else 'are'} not party to the Convention: "
            "it cannot serve between them.",
        )
    serves, says = _WHAT_IT_SAYS[cooperation]
    parts = [f"Both {requesting} and {requested} are parties to the Convention.", says]
    if cooperation is CooperationType.MUTUAL_LEGAL_ASSISTANCE and treaty_in_force:
        parts.append("A treaty in force between them governs, unless they agree otherwise (18(7)).")
    if bearing:
        parts.append(
            f"{len(bearing)} reservation(s), declaration(s) or notification(s) of the two States under "
            f"article {article.number}, or on the Convention as a whole, bear on it: read them."
        )
    else:
        parts.append(
            f"No reservation, declaration or notification of either State under article "
            f"{article.number} is recorded here (the record may be incomplete)."
        )
    return ConventionBasisFacts(serves, article, bearing, " ".join(parts))


_ACTION_LABELS: dict[str, dict[TreatyActionKind, str]] = {
    "en": {
        TreatyActionKind.RESERVATION: "Reservation",
        TreatyActionKind.DECLARATION: "Declaration",
        TreatyActionKind.NOTIFICATION: "Notification",
        TreatyActionKind.OBJECTION: "Objection",
        TreatyActionKind.WITHDRAWAL: "Withdrawal",
    },
    "fr": {
        TreatyActionKind.RESERVATION: "Réserve",
        TreatyActionKind.DECLARATION: "Déclaration",
        TreatyActionKind.NOTIFICATION: "Notification",
        TreatyActionKind.OBJECTION: "Objection",
        TreatyActionKind.WITHDRAWAL: "Retrait",
    },
    "es": {
        TreatyActionKind.RESERVATION: "Reserva",
        TreatyActionKind.DECLARATION: "Declaración",
        TreatyActionKind.NOTIFICATION: "Notificación",
        TreatyActionKind.OBJECTION: "Objeción",
        TreatyActionKind.WITHDRAWAL: "Retiro",
    },
    "ru": {
        TreatyActionKind.RESERVATION: "Оговорка",
        TreatyActionKind.DECLARATION: "Заявление",
        TreatyActionKind.NOTIFICATION: "Уведомление",
        TreatyActionKind.OBJECTION: "Возражение",
        TreatyActionKind.WITHDRAWAL: "Снятие",
    },
    "ar": {
        TreatyActionKind.RESERVATION: "تحفظ",
        TreatyActionKind.DECLARATION: "إعلان",
        TreatyActionKind.NOTIFICATION: "إخطار",
        TreatyActionKind.OBJECTION: "اعتراض",
        TreatyActionKind.WITHDRAWAL: "سحب",
    },
    "zh": {
        TreatyActionKind.RESERVATION: "保留",
        TreatyActionKind.DECLARATION: "声明",
        TreatyActionKind.NOTIFICATION: "通知",
        TreatyActionKind.OBJECTION: "反对",
        TreatyActionKind.WITHDRAWAL: "撤回",
    },
}

_UNDER: dict[str, str] = {
    "en": "{label}, {instrument} article {article}",
    "fr": "{label}, {instrument} article {article}",
    "es": "{label}, {instrument} artículo {article}",
    "ru": "{label}, {instrument} статья {article}",
    "ar": "{label}، {instrument} المادة {article}",
    "zh": "{label}，{instrument} 第{article}条",
}


def action_title(
    kind: TreatyActionKind, instrument: str, article: int | None, paragraph: str | None
) -> dict[str, str]:
    """A treaty action's title in the six languages: what it is, and under what."""
    titles = {}
    for lang, labels in _ACTION_LABELS.items():
        if article is None:
            titles[lang] = f"{labels[kind]}, {instrument}"
        else:
            where = article_reference(article, paragraph)
            titles[lang] = _UNDER[lang].format(label=labels[kind], instrument=instrument, article=where)
    return titles


# A paragraph as written after its article: `5(a)`, `13`, or `(a)` for a lettered one.
PARAGRAPH = re.compile(r"^(?:[0-9]{1,3}(?:\([a-z]{1,4}\))*|(?:\([a-z]{1,4}\))+)$")


def article_reference(article: int, paragraph: str | None) -> str:
    """`16`, `18(13)`, `16(5)(a)`, `2(a)` from an article and a paragraph written `5(a)`."""
    if not paragraph or not PARAGRAPH.match(paragraph):
        return str(article)
    letters = paragraph.lstrip("0123456789")
    number = paragraph[: len(paragraph) - len(letters)]
    return f"{article}({number}){letters}" if number else f"{article}{letters}"
