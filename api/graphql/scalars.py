"""Custom scalars of the contract."""

from __future__ import annotations

import re
from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def parse_language_code(value: object) -> str:
    if not isinstance(value, str) or not _BCP47.match(value) or len(value) > 35:
        raise ValueError(f"{value!r} is not a language code: give a BCP 47 tag such as 'en', 'fr' or 'zh'")
    return value.lower()


LanguageCode = NewType("LanguageCode", str)

# Registered in the schema's scalar_map (see schema.py).
LANGUAGE_CODE = strawberry.scalar(
    name="LanguageCode",
    description='A BCP 47 language tag: "en", "fr", "zh", "ar", "ru", "es", or another language.',
    serialize=str,
    parse_value=parse_language_code,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {LanguageCode: LANGUAGE_CODE}
