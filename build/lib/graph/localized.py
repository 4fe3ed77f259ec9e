"""Texts in several languages, stored as one node property per language: `title.fr`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def localized_properties(field: str, texts: Mapping[str, str]) -> dict[str, str]:
    return {f"{field}.{lang}": text for lang, text in texts.items()}


def read_localized(properties: Mapping[str, Any], field: str) -> dict[str, str]:
    prefix = f"{field}."
    return {
        key[len(prefix) :]: value
        for key, value in properties.items()
        if key.startswith(prefix) and isinstance(value, str)
    }
