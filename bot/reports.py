"""Stored reports as typed models: validated once where storage meets the bot.

``storage`` keeps a report as the JSON ``analysis`` produced when the file was read, and that
may be an older engine version than the one running now: a field added since (a new index) is
missing, a field removed since is extra. :func:`load_report` reads any stored version into
today's :class:`analysis.Report`: unknown fields are dropped, a missing index reads as "not
applicable" with no reason, and the sentences engine version 1 wrote are kept for the words
(``content.analysis_words``) to fall back on. Everything in ``bot`` after this works on the
typed report, never on the raw dictionary.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from analysis.model import NOT_COMPUTED, IndexResult, Report

#: What a field missing from an older report reads as, by model.
MISSING: dict[type[BaseModel], dict[str, Any]] = {
    IndexResult: NOT_COMPUTED.model_dump(include={"value", "applicable", "status"}),
}


class StoredReportError(Exception):
    """A stored report cannot be read even tolerantly (its essential numbers are missing)."""


def load_report(raw: Mapping[str, Any] | Report) -> Report:
    """A stored report (any engine version) as today's typed :class:`Report`."""
    if isinstance(raw, Report):
        return raw
    try:
        return Report.model_validate(raw)
    except ValidationError:
        pass
    try:
        return Report.model_validate(_fit(Report, raw))
    except ValidationError as exc:
        raise StoredReportError(f"stored report unreadable: {exc.error_count()} problems") from exc


def _fit(model: type[BaseModel], data: Any) -> Any:
    """``data`` reshaped to ``model``'s fields: extras dropped, known gaps filled, nested too."""
    if not isinstance(data, Mapping):
        return data
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in data:
            out[name] = _fit_value(field.annotation, data[name])
        elif field.is_required():
            nested = _model_in(field.annotation)
            if nested is not None and nested in MISSING:
                out[name] = dict(MISSING[nested])
            elif name in MISSING.get(model, {}):
                out[name] = MISSING[model][name]
    return out


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _fit_value(annotation: Any, value: Any) -> Any:
    nested = _model_in(annotation)
    if nested is not None:
        return _fit(nested, value)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple) and args and isinstance(value, list):
        return [_fit_value(args[0], v) for v in value]
    if origin is dict and len(args) == 2 and isinstance(value, Mapping):
        return {k: _fit_value(args[1], v) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType) and value is not None:
        for arg in args:
            if _model_in(arg) is not None:
                return _fit(arg, value)
    return value
