"""Who a message is about, by sex: the writer's own words ("62F", "male 40") or the words for
the person told about ("my mum", "he"). Split from ``quantities`` (numbers people write)."""

from __future__ import annotations

import re

_FEMALE = re.compile(
    r"\b(?:mulher|mujer|femme|donna|frau|женщина|\d{2}\s*f|f\W{0,2}\d{2}|female|woman|lady|im a girl|my periods?|pregnant|menopaus\w*|perimenopaus\w*)\b"
)
_MALE = re.compile(r"\b(?:\d{2}\s*m|m\W{0,2}\d{2}|male|im a man|im a guy|man of)\b")

_RELATIVE_FEMALE = re.compile(
    r"\b(?:mum|mom|mam|mother|wife|daughter|sister|gran|granny|grandma|nan|nana|aunt|auntie|girlfriend|she|her)\b"
)
_RELATIVE_MALE = re.compile(
    r"\b(?:dad|father|husband|hubby|son|brother|grandad|granddad|grandpa|uncle|boyfriend|he|him|his)\b"
)


def relative_sex(text: str) -> str | None:
    """The sex of the person a message is about, from the words for them ("my mum", "he")."""
    female, male = _RELATIVE_FEMALE.search(text), _RELATIVE_MALE.search(text)
    if female and (not male or female.start() < male.start()):
        return "female"
    return "male" if male else None


def sex(text: str) -> str | None:
    """'female' or 'male' when the writer says so (62F, 'woman', 'male 40')."""
    if _FEMALE.search(text):
        return "female"
    if _MALE.search(text):
        return "male"
    return None
