"""A seeded generator of realistic synthetic SHERLOC content, in the ingest format.

Scale 1 is SHERLOC today: about 14,000 laws, 3,400 case digests and 1,000 competent
authorities; scale 10 is ten times that. Texts are composed from legal phrases in the
six working languages and a few others (German, Portuguese, Italian), with the length
spread of real laws (several articles) and digests. Every reference is valid: parties and
articles from the reference data, cases applying laws of their own party generated
earlier. The same seed and scale give the same bytes; lines are written as they are made,
so memory stays flat whatever the scale. A review's answers to its questionnaire come
from `review_answers` (the secure module's load writes them).

    python -m bench.corpus --scale 1 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.reference.load import load_reference_data
from mechanism.authorities import AuthorityFunction
from mechanism.vocabulary import CrimeType

LAWS, CASES, AUTHORITIES = 14_000, 3_400, 1_000
# The knowledge base's other databases at scale 1 (estimates of SHERLOC's today): treaties
# between parties, the depositary's treaty actions (a few per party).
TREATIES, TREATY_ACTIONS, STRATEGIES, PUBLICATIONS = 1_500, 800, 400, 1_200
COOPERATION = (
    "EXTRADITION",
    "MUTUAL_LEGAL_ASSISTANCE",
    "TRANSFER_OF_SENTENCED_PERSONS",
    "TRANSFER_OF_PROCEEDINGS",
    "LAW_ENFORCEMENT_COOPERATION",
)
ACTION_ARTICLES = (
    ("UNTOC:16", "5(a)"),
    ("UNTOC:18", "13"),
    ("UNTOC:18", "14"),
    ("UNTOC:35", "3"),
    (None, None),
)

# Phrases per language: subjects, actions and objects, composed into sentences.
PHRASES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "en": (
        [
            "Any person who",
            "A public official who",
            "Whoever, as a member of an organized criminal group,",
            "A legal person that",
            "Any person who knowingly",
        ],
        [
            "recruits, transports or harbours",
            "launders the proceeds of",
            "smuggles across the border",
            "manufactures or traffics in",
            "conceals or disguises the origin of",
            "obstructs the investigation of",
        ],
        [
            "persons by means of threat or force",
            "property derived from serious crime",
            "firearms and ammunition",
            "migrants for financial or material benefit",
            "falsified medical products",
            "protected wildlife",
        ],
    ),
    "fr": (
        [
            "Toute personne qui",
            "Tout agent public qui",
            "Quiconque, membre d'un groupe criminel organisé,",
            "La personne morale qui",
            "Toute personne qui sciemment",
        ],
        [
            "recrute, transporte ou héberge",
            "blanchit le produit de",
            "fait passer clandestinement la frontière à",
            "fabrique ou fait le trafic de",
            "dissimule l'origine de",
            "entrave l'enquête sur",
        ],
        [
            "des personnes par la menace ou la force",
            "biens provenant d'une infraction grave",
            "armes à feu et munitions",
            "migrants en vue d'un avantage financier",
            "produits médicaux falsifiés",
            "espèces sauvages protégées",
        ],
    ),
    "es": (
        [
            "Toda persona que",
            "El funcionario público que",
            "Quien, como miembro de un grupo delictivo organizado,",
            "La persona jurídica que",
            "Toda persona que a sabiendas",
        ],
        [
            "capte, transporte o acoja",
            "blanquee el producto de",
            "introduzca clandestinamente",
            "fabrique o trafique",
            "oculte el origen de",
            "obstruya la investigación de",
        ],
        [
            "personas mediante amenaza o fuerza",
            "bienes derivados de delitos graves",
            "armas de fuego y municiones",
            "migrantes con fines de lucro",
            "productos médicos falsificados",
            "especies silvestres protegidas",
        ],
    ),
    "ru": (
        [
            "Лицо, которое",
            "Должностное лицо, которое",
            "Участник организованной преступной группы, который",
            "Юридическое лицо, которое",
            "Лицо, заведомо",
        ],
        [
            "вербует, перевозит или укрывает",
            "легализует доходы от",
            "незаконно перемещает через границу",
            "изготавливает или незаконно сбывает",
            "скрывает происхождение",
            "препятствует расследованию",
        ],
        [
            "людей с применением угрозы или силы",
            "имущества, полученного преступным путем",
            "огнестрельного оружия и боеприпасов",
            "мигрантов ради материальной выгоды",
            "фальсифицированной медицинской продукции",
            "охраняемых диких животных",
        ],
    ),
    "ar": (
        ["كل شخص", "كل موظف عمومي", "كل عضو في جماعة إجرامية منظمة", "الشخص الاعتباري الذي", "كل من تعمد"],
        [
            "جند أو نقل أو آوى",
            "غسل عائدات",
            "هرب عبر الحدود",
            "صنع أو اتجر في",
            "أخفى مصدر",
            "عرقل التحقيق في",
        ],
        [
            "أشخاصا بالتهديد أو القوة",
            "الأموال المتأتية من جريمة خطيرة",
            "الأسلحة النارية والذخيرة",
            "المهاجرين من أجل منفعة مالية",
            "المنتجات الطبية المغشوشة",
            "الأحياء البرية المحمية",
        ],
    ),
    "zh": (
        ["任何人", "公职人员", "有组织犯罪集团成员", "法人", "明知而"],
        ["招募、运送或窝藏", "清洗", "偷运出境", "制造或贩运", "隐瞒来源", "妨碍调查"],
        [
            "以威胁或武力手段控制的人员",
            "严重犯罪所得财产",
            "枪支弹药",
            "为获取经济利益的移民",
            "伪造医疗产品",
            "受保护野生动物",
        ],
    ),
    "de": (
        [
            "Wer",
            "Ein Amtsträger, der",
            "Wer als Mitglied einer organisierten kriminellen Gruppe",
            "Eine juristische Person, die",
            "Wer wissentlich",
        ],
        [
            "anwirbt, befördert oder beherbergt",
            "wäscht die Erträge aus",
            "schleust über die Grenze",
            "herstellt oder handelt mit",
            "verschleiert die Herkunft von",
            "behindert die Ermittlungen zu",
        ],
        [
            "Personen durch Drohung oder Gewalt",
            "Vermögen aus schweren Straftaten",
            "Feuerwaffen und Munition",
            "Migranten gegen Entgelt",
            "gefälschten Arzneimitteln",
            "geschützten wildlebenden Arten",
        ],
    ),
    "pt": (
        [
            "Quem",
            "O funcionário público que",
            "Quem, como membro de grupo criminoso organizado,",
            "A pessoa coletiva que",
            "Quem, conscientemente,",
        ],
        [
            "recrutar, transportar ou alojar",
            "branquear o produto de",
            "introduzir clandestinamente",
            "fabricar ou traficar",
            "dissimular a origem de",
            "obstruir a investigação de",
        ],
        [
            "pessoas mediante ameaça ou força",
            "bens provenientes de crime grave",
            "armas de fogo e munições",
            "migrantes com intenção lucrativa",
            "produtos médicos falsificados",
            "espécies selvagens protegidas",
        ],
    ),
    "it": (
        [
            "Chiunque",
            "Il pubblico ufficiale che",
            "Chiunque, quale membro di un gruppo criminale organizzato,",
            "L'ente che",
            "Chiunque consapevolmente",
        ],
        [
            "recluta, trasporta o ospita",
            "ricicla i proventi di",
            "introduce clandestinamente",
            "fabbrica o traffica",
            "occulta la provenienza di",
            "ostacola le indagini su",
        ],
        [
            "persone mediante minaccia o violenza",
            "beni provenienti da delitti gravi",
            "armi da fuoco e munizioni",
            "migranti a scopo di profitto",
            "prodotti medici falsificati",
            "specie selvatiche protette",
        ],
    ),
}
PENALTY = {
    "en": "shall be punished by imprisonment of {n} to {m} years.",
    "fr": "est puni de {n} à {m} ans d'emprisonnement.",
    "es": "será castigado con pena de prisión de {n} a {m} años.",
    "ru": "наказывается лишением свободы на срок от {n} до {m} лет.",
    "ar": "يعاقب بالسجن من {n} إلى {m} سنوات.",
    "zh": "处{n}年以上{m}年以下有期徒刑。",
    "de": "wird mit Freiheitsstrafe von {n} bis {m} Jahren bestraft.",
    "pt": "é punido com pena de prisão de {n} a {m} anos.",
    "it": "è punito con la reclusione da {n} a {m} anni.",
}
LAW_TITLE = {
    "en": "Act No. {n} of {y} on {topic}",
    "fr": "Loi n° {n} du {y} relative à {topic}",
    "es": "Ley {n}/{y} sobre {topic}",
    "ru": "Федеральный закон № {n} от {y} года о {topic}",
    "ar": "القانون رقم {n} لسنة {y} بشأن {topic}",
    "zh": "{y}年第{n}号关于{topic}的法律",
    "de": "Gesetz Nr. {n} von {y} über {topic}",
    "pt": "Lei n.º {n}/{y} relativa a {topic}",
    "it": "Legge n. {n} del {y} in materia di {topic}",
}
# Where the laws of a party come from: the working languages weigh most, as in SHERLOC.
# How a State's answer to a question of the self-assessment questionnaire opens, in the
# working languages of a review.
ANSWER_OPENING = {
    "en": "In reply to the question on {article}, the State party reports the following.",
    "fr": "En réponse à la question relative à {article}, l'État partie indique ce qui suit.",
    "es": "En respuesta a la pregunta sobre {article}, el Estado parte informa lo siguiente.",
    "ru": "В ответ на вопрос о {article} государство-участник сообщает следующее.",
    "ar": "ردا على السؤال المتعلق بـ {article}، تفيد الدولة الطرف بما يلي.",
    "zh": "关于{article}的问题，缔约国报告如下。",
}
LANGUAGE_WEIGHTS = {"en": 30, "fr": 15, "es": 18, "ru": 8, "ar": 9, "zh": 4, "de": 6, "pt": 6, "it": 4}
COURTS = ["Supreme Court", "Court of Appeal", "High Court", "District Court", "Criminal Chamber"]


@dataclass(frozen=True)
class Scale:
    laws: int
    cases: int
    authorities: int

    @classmethod
    def of(cls, factor: float) -> Scale:
        return cls(round(LAWS * factor), round(CASES * factor), round(AUTHORITIES * factor))

    @property
    def total(self) -> int:
        return self.laws + self.cases + self.authorities


class Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        data = load_reference_data()
        self.parties = sorted(p.code for p in data.parties if p.regional_group is not None)
        self.articles = [a.ref.key for a in data.articles]
        self.languages = list(LANGUAGE_WEIGHTS)
        self.weights = list(LANGUAGE_WEIGHTS.values())

    def _language(self) -> str:
        return self.random.choices(self.languages, self.weights)[0]

    def sentence(self, lang: str) -> str:
        subjects, actions, objects = PHRASES[lang]
        n = self.random.randint(1, 8)
        penalty = PENALTY[lang].format(n=n, m=n + self.random.randint(2, 12))
        sep = "" if lang == "zh" else " "
        parts = [
            self.random.choice(subjects),
            self.random.choice(actions),
            self.random.choice(objects),
            penalty,
        ]
        return sep.join(parts)

    def paragraph(self, lang: str, sentences: int) -> str:
        sep = "" if lang == "zh" else " "
        return sep.join(self.sentence(lang) for _ in range(sentences))

    def _crime_types(self) -> list[str]:
        return sorted(self.random.sample([c.value for c in CrimeType], self.random.randint(1, 3)))

    def law(self, index: int) -> dict[str, Any]:
        lang = self._language()
        party = self.random.choice(self.parties)
        year = self.random.randint(1990, 2025)
        topic = PHRASES[lang][2][index % len(PHRASES[lang][2])]
        # Real laws run from a few articles to a few hundred: a long tail.
        articles = min(60, int(self.random.paretovariate(1.3)) + 2)
        text = "\n".join(
            f"{'Article' if lang != 'zh' else '第'} {i}. {self.paragraph(lang, self.random.randint(1, 4))}"
            for i in range(1, articles + 1)
        )
        title = {lang: LAW_TITLE[lang].format(n=index % 997 + 1, y=year, topic=topic)}
        if lang != "en" and self.random.random() < 0.5:
            title["en"] = LAW_TITLE["en"].format(n=index % 997 + 1, y=year, topic=PHRASES["en"][2][index % 6])
        return {
            "kind": "legislation",
            "id": f"BENCH-L{index:07d}",
            "party": party,
            "title": title,
            "original_language": lang,
            "enacted_on": f"{year}-{self.random.randint(1, 12):02d}-{self.random.randint(1, 28):02d}",
            "in_force": self.random.random() < 0.9,
            "text": {lang: text},
            "implements_articles": sorted(self.random.sample(self.articles, self.random.randint(0, 4))),
            "crime_types": self._crime_types(),
        }

    def case(self, index: int, laws_of: dict[str, list[int]]) -> dict[str, Any]:
        lang = self._language()
        party = self.random.choice(self.parties)
        year = self.random.randint(2000, 2025)
        legal_basis = self.random.random() < 0.3
        own_laws = laws_of.get(party, [])
        applied = [
            f"BENCH-L{i:07d}"
            for i in self.random.sample(own_laws, min(len(own_laws), self.random.randint(0, 3)))
        ]
        summary = {lang: self.paragraph(lang, self.random.randint(4, 14))}
        if lang != "en" and self.random.random() < 0.4:
            summary["en"] = self.paragraph("en", self.random.randint(3, 8))
        return {
            "kind": "case",
            "id": f"BENCH-C{index:07d}",
            "party": party,
            "court": f"{self.random.choice(COURTS)} of {party}",
            "case_number": f"{index % 9000 + 100}/{year}",
            "decided_on": f"{year}-{self.random.randint(1, 12):02d}-{self.random.randint(1, 28):02d}",
            "title": {lang: self.sentence(lang)[:180]},
            "summary": summary,
            "original_language": lang,
            "crime_types": self._crime_types(),
            "uses_convention_as_legal_basis": legal_basis,
            "legal_basis_articles": sorted(self.random.sample(self.articles, 2)) if legal_basis else [],
            "applied_legislation": applied,
        }

    def authority(self, index: int) -> dict[str, Any]:
        lang = self._language()
        party = self.random.choice(self.parties)
        functions = sorted(
            self.random.sample([f.value for f in AuthorityFunction], self.random.randint(1, 3))
        )
        return {
            "kind": "authority",
            "id": f"BENCH-A{index:06d}",
            "party": party,
            "name": {
                lang: f"{PHRASES[lang][0][index % 5]} {index}",
                "en": f"Central Authority {index} of {party}",
            },
            "functions": functions,
            "accepted_languages": sorted({lang, "en"}),
            "contact": {
                "address": f"{index} Justice Avenue, Capital, {party}",
                "phone": f"+{self.random.randint(1, 999)} {self.random.randint(1000000, 9999999)}",
                "email": f"authority{index}@{party.lower()}.example.org",
                "office_hours": "Monday to Friday, 9:00 to 17:00",
                "procedures": self.paragraph(lang, 2),
            },
        }

    def treaty(self, index: int) -> dict[str, Any]:
        """A bilateral treaty (nine in ten) or a regional convention of up to 40 parties."""
        lang = self._language()
        size = 2 if self.random.random() < 0.9 else self.random.randint(5, 40)
        parties = self.random.sample(self.parties, size)
        year = self.random.randint(1960, 2025)
        topic = PHRASES[lang][2][index % len(PHRASES[lang][2])]
        return {
            "kind": "treaty",
            "id": f"BENCH-T{index:06d}",
            "parties": parties,
            "cooperation": sorted(self.random.sample(COOPERATION, self.random.randint(1, 2))),
            "title": {
                lang: f"{LAW_TITLE[lang].format(n=index % 997 + 1, y=year, topic=topic)} ({parties[0]})"
            },
            "original_language": lang,
            "signed_on": f"{year}-{self.random.randint(1, 12):02d}-{self.random.randint(1, 28):02d}",
            "in_force_on": f"{min(year + self.random.randint(1, 4), 2026)}-06-01"
            if self.random.random() < 0.8
            else None,
            "text": {lang: self.paragraph(lang, self.random.randint(3, 10))},
        }

    def treaty_action(self, index: int) -> dict[str, Any]:
        article, paragraph = ACTION_ARTICLES[index % len(ACTION_ARTICLES)]
        return {
            "kind": "treaty_action",
            "id": f"BENCH-TA{index:06d}",
            "party": self.random.choice(self.parties),
            "instrument": "UNTOC",
            "article": article,
            "paragraph": paragraph,
            "action": self.random.choice(["DECLARATION", "NOTIFICATION", "RESERVATION"]),
            "made_on": f"{self.random.randint(2001, 2024)}-{self.random.randint(1, 12):02d}-01",
            "original_language": "en",
            "text": {"en": self.paragraph("en", self.random.randint(1, 4))},
        }

    def strategy(self, index: int) -> dict[str, Any]:
        lang = self._language()
        start = self.random.randint(2000, 2025)
        return {
            "kind": "strategy",
            "id": f"BENCH-S{index:06d}",
            "party": self.random.choice(self.parties),
            "document_type": self.random.choice(["STRATEGY", "ACTION_PLAN", "POLICY"]),
            "from_year": start,
            "to_year": start + self.random.randint(2, 6),
            "title": {lang: f"{PHRASES[lang][2][index % len(PHRASES[lang][2])]} {start}"},
            "original_language": lang,
            "crime_types": self._crime_types(),
            "summary": {lang: self.paragraph(lang, self.random.randint(2, 6))},
        }

    def publication(self, index: int) -> dict[str, Any]:
        lang = self._language()
        return {
            "kind": "publication",
            "id": f"BENCH-B{index:06d}",
            "title": {lang: self.sentence(lang)[:180]},
            "original_language": lang,
            "authors": [f"Author {self.random.randint(1, 400)}" for _ in range(self.random.randint(1, 3))],
            "year": self.random.randint(1995, 2025),
            "publisher": self.random.choice(["United Nations", "UNODC", "Oxford University Press", "Brill"]),
            "crime_types": self._crime_types(),
            "articles": sorted(self.random.sample(self.articles, self.random.randint(0, 3))),
            "parties": sorted(self.random.sample(self.parties, self.random.randint(0, 2))),
            "abstract": {lang: self.paragraph(lang, self.random.randint(2, 5))},
        }

    def depth_records(self, factor: float) -> Iterator[dict[str, Any]]:
        """The other databases of the knowledge base, at `factor` times SHERLOC's size."""
        for i in range(round(TREATIES * factor)):
            yield {k: v for k, v in self.treaty(i).items() if v is not None}
        for i in range(round(TREATY_ACTIONS * factor)):
            yield {k: v for k, v in self.treaty_action(i).items() if v is not None}
        for i in range(round(STRATEGIES * factor)):
            yield self.strategy(i)
        for i in range(round(PUBLICATIONS * factor)):
            yield self.publication(i)

    def answer(self, article: str, lang: str, laws: list[str]) -> dict[str, Any]:
        """A State's answer to one question of a review: several paragraphs in a working
        language of the review, citing a few of the State's own laws."""
        paragraphs = [
            self.paragraph(lang, self.random.randint(2, 5)) for _ in range(self.random.randint(2, 6))
        ]
        cited = self.random.sample(laws, min(len(laws), self.random.randint(0, 3)))
        return {
            "article": article,
            "text": "\n\n".join([ANSWER_OPENING[lang].format(article=article), *paragraphs]),
            "law_references": sorted(cited),
        }

    def records(self, scale: Scale) -> Iterator[dict[str, Any]]:
        laws_of: dict[str, list[int]] = {}
        for i in range(scale.laws):
            law = self.law(i)
            # Keep only a bounded sample of law numbers per party for cases to apply.
            own = laws_of.setdefault(law["party"], [])
            if len(own) < 200:
                own.append(i)
            yield law
        for i in range(scale.cases):
            yield self.case(i, laws_of)
        for i in range(scale.authorities):
            yield self.authority(i)


def review_answers(
    review_id: str, questions: list[str], lang: str, laws: list[str], seed: int = 2026
) -> Iterator[dict[str, Any]]:
    """The answers of one review, one per question (a review's questionnaire has a fixed
    size: answers grow with the number of reviews, not with the corpus). The same review,
    questions, laws and seed give the same answers."""
    generator = Generator(seed ^ zlib.crc32(review_id.encode()))
    for article in questions:
        yield generator.answer(article, lang, laws)


def write_corpus(out: Path, factor: float, seed: int = 2026) -> tuple[Path, Scale]:
    """Write `corpus-s{factor}.jsonl` under `out` (once: the same seed and scale give the
    same file, so an existing one is reused) and return its path and counts."""
    scale = Scale.of(factor)
    path = out / f"corpus-s{factor:g}-seed{seed}.jsonl"
    if path.exists():
        return path, scale
    out.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for record in Generator(seed).records(scale):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.rename(path)
    return path, scale


def write_depth_corpus(out: Path, factor: float, seed: int = 2026) -> Path:
    """Write (once) the treaties, treaty actions, strategies and publications at `factor`,
    and return the path."""
    path = out / f"depth-s{factor:g}-seed{seed}.jsonl"
    if path.exists():
        return path
    out.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for record in Generator(seed).depth_records(factor):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=Path("bench/.corpus"))
    args = parser.parse_args()
    path, scale = write_corpus(args.out, args.scale, args.seed)
    print(f"{path}: {scale.laws} laws, {scale.cases} cases, {scale.authorities} authorities")


if __name__ == "__main__":
    main()
