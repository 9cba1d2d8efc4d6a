"""xAPI 1.0.3 statements: the ADL verbs the platform uses, and a validator written from the spec.

The validator follows "Experience API (xAPI) Standard, version 1.0.3", part two ("Experience
API Data"), section 2.4 (Statement properties) and 4 (data types): it returns every rule a
statement breaks, so an empty list means the statement is valid. Pure Python, no Django.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

VERSION = "1.0.3"
ADL_VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("launched", "experienced", "answered", "passed", "failed", "completed")
}
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
SHA1 = re.compile(r"^[0-9a-f]{40}$")
# ISO 8601 date-time with a timezone (the spec requires ISO 8601; we also require the offset,
# since a time without one is ambiguous when stored by an LRS elsewhere).
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _iri(value: Any) -> bool:
    return isinstance(value, str) and bool(IRI.match(value))


def _language_map(value: Any, where: str, errors: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        errors.append(f"{where} must be a non-empty language map")
        return
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(str(tag)):
            errors.append(f"{where}: {tag!r} is not a language tag (RFC 5646)")
        if not isinstance(text, str):
            errors.append(f"{where}[{tag}] must be a string")


def _extensions(value: Any, where: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where} must be an object")
        return
    for key in value:
        if not _iri(key):
            errors.append(f"{where}: key {key!r} is not an IRI")


def _no_nulls(value: Any, where: str, errors: list[str]) -> None:
    if value is None:
        errors.append(f"{where} is null")
    elif isinstance(value, dict):
        for key, child in value.items():
            _no_nulls(child, f"{where}.{key}", errors)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _no_nulls(child, f"{where}[{index}]", errors)


def _agent(value: Any, where: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where} must be an object")
        return
    kind = value.get("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        errors.append(f"{where}.objectType must be Agent or Group")
    identifiers = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in value]
    if kind == "Agent" and len(identifiers) != 1:
        errors.append(f"{where} needs exactly one inverse functional identifier, has {identifiers}")
    if kind == "Group" and len(identifiers) > 1:
        errors.append(f"{where}: an identified Group has exactly one identifier")
    if kind == "Group" and not identifiers and not isinstance(value.get("member"), list):
        errors.append(f"{where}: an anonymous Group needs a member list")
    if "mbox" in value and not str(value["mbox"]).startswith("mailto:"):
        errors.append(f"{where}.mbox must be a mailto: IRI")
    if "mbox_sha1sum" in value and not SHA1.match(str(value["mbox_sha1sum"])):
        errors.append(f"{where}.mbox_sha1sum must be 40 hex digits")
    if "openid" in value and not _iri(value["openid"]):
        errors.append(f"{where}.openid must be a URI")
    if "account" in value:
        account = value["account"]
        if not isinstance(account, dict):
            errors.append(f"{where}.account must be an object")
        else:
            if not _iri(account.get("homePage")):
                errors.append(f"{where}.account.homePage must be an IRL")
            if not isinstance(account.get("name"), str) or not account.get("name"):
                errors.append(f"{where}.account.name must be a non-empty string")
            extra = set(account) - {"homePage", "name"}
            if extra:
                errors.append(f"{where}.account has unknown properties {sorted(extra)}")
    if "name" in value and not isinstance(value["name"], str):
        errors.append(f"{where}.name must be a string")
    for member in value.get("member", []) if isinstance(value.get("member"), list) else []:
        _agent(member, f"{where}.member", errors)


def _activity(value: Any, where: str, errors: list[str]) -> None:
    if not _iri(value.get("id")):
        errors.append(f"{where}.id must be an IRI")
    definition = value.get("definition")
    if definition is None:
        return
    if not isinstance(definition, dict):
        errors.append(f"{where}.definition must be an object")
        return
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key], f"{where}.definition.{key}", errors)
    for key in ("type", "moreInfo"):
        if key in definition and not _iri(definition[key]):
            errors.append(f"{where}.definition.{key} must be an IRI")
    interaction = definition.get("interactionType")
    if interaction is not None and interaction not in INTERACTION_TYPES:
        errors.append(f"{where}.definition.interactionType {interaction!r} is not allowed")
    if "correctResponsesPattern" in definition and (
        not isinstance(definition["correctResponsesPattern"], list)
        or not all(isinstance(p, str) for p in definition["correctResponsesPattern"])
    ):
        errors.append(f"{where}.definition.correctResponsesPattern must be a list of strings")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{where}.definition.extensions", errors)


def _result(value: Any, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append("result must be an object")
        return
    score = value.get("score")
    if score is not None:
        if not isinstance(score, dict):
            errors.append("result.score must be an object")
        else:
            numbers = {k: score[k] for k in ("scaled", "raw", "min", "max") if k in score}
            for key, number in numbers.items():
                if not isinstance(number, int | float) or isinstance(number, bool):
                    errors.append(f"result.score.{key} must be a number")
                    return
            if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
                errors.append("result.score.scaled must be between -1 and 1")
            low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
            if low is not None and high is not None and not low < high:
                errors.append("result.score.min must be less than max")
            if raw is not None and low is not None and raw < low:
                errors.append("result.score.raw must not be below min")
            if raw is not None and high is not None and raw > high:
                errors.append("result.score.raw must not be above max")
    for key in ("success", "completion"):
        if key in value and not isinstance(value[key], bool):
            errors.append(f"result.{key} must be true or false")
    if "response" in value and not isinstance(value["response"], str):
        errors.append("result.response must be a string")
    if "duration" in value and not (
        isinstance(value["duration"], str) and DURATION.match(value["duration"])
    ):
        errors.append("result.duration must be an ISO 8601 duration")
    if "extensions" in value:
        _extensions(value["extensions"], "result.extensions", errors)


def _context(value: Any, object_is_activity: bool, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append("context must be an object")
        return
    if "registration" in value and not _is_uuid(value["registration"]):
        errors.append("context.registration must be a UUID")
    if "language" in value and not (
        isinstance(value["language"], str) and LANGUAGE_TAG.match(value["language"])
    ):
        errors.append("context.language must be a language tag (RFC 5646)")
    if not object_is_activity:
        for key in ("revision", "platform"):
            if key in value:
                errors.append(f"context.{key} is only allowed when the object is an Activity")
    if "instructor" in value:
        _agent(value["instructor"], "context.instructor", errors)
    activities = value.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, dict):
            errors.append("context.contextActivities must be an object")
        else:
            for key, entries in activities.items():
                if key not in ("parent", "grouping", "category", "other"):
                    errors.append(f"context.contextActivities.{key} is not allowed")
                for entry in entries if isinstance(entries, list) else [entries]:
                    if not isinstance(entry, dict):
                        errors.append(f"context.contextActivities.{key} holds a non-object")
                    else:
                        _activity(entry, f"context.contextActivities.{key}", errors)
    if "extensions" in value:
        _extensions(value["extensions"], "context.extensions", errors)


def statement_errors(statement: Any) -> list[str]:
    """Every rule of xAPI 1.0.3 that ``statement`` breaks; [] when it is valid."""
    if not isinstance(statement, dict):
        return ["a statement must be a JSON object"]
    errors: list[str] = []
    _no_nulls(statement, "statement", errors)
    unknown = set(statement) - STATEMENT_KEYS
    if unknown:
        errors.append(f"unknown properties {sorted(unknown)}")
    if "id" in statement and not _is_uuid(statement["id"]):
        errors.append("id must be a UUID")
    for key in ("actor", "verb", "object"):
        if key not in statement:
            errors.append(f"{key} is required")
    if "actor" in statement:
        _agent(statement["actor"], "actor", errors)
    verb = statement.get("verb")
    if verb is not None:
        if not isinstance(verb, dict) or not _iri(verb.get("id")):
            errors.append("verb.id must be an IRI")
        elif "display" in verb:
            _language_map(verb["display"], "verb.display", errors)
    target = statement.get("object")
    object_is_activity = True
    if target is not None:
        if not isinstance(target, dict):
            errors.append("object must be an object")
        else:
            kind = target.get("objectType", "Activity")
            object_is_activity = kind == "Activity"
            if kind == "Activity":
                _activity(target, "object", errors)
            elif kind in ("Agent", "Group"):
                _agent(target, "object", errors)
            elif kind == "StatementRef":
                if not _is_uuid(target.get("id")):
                    errors.append("object.id of a StatementRef must be a UUID")
            elif kind != "SubStatement":
                errors.append(f"object.objectType {kind!r} is not allowed")
    if "result" in statement:
        _result(statement["result"], errors)
    if "context" in statement:
        _context(statement["context"], object_is_activity, errors)
    for key in ("timestamp", "stored"):
        if key in statement:
            value = statement[key]
            if not (isinstance(value, str) and TIMESTAMP.match(value)):
                errors.append(f"{key} must be an ISO 8601 date-time with a timezone")
            else:
                try:
                    datetime.fromisoformat(value.replace("Z", "+00:00"))
                except ValueError:
                    errors.append(f"{key} is not a real date and time")
    if "version" in statement and not re.match(r"^1\.0(\.\d+)?$", str(statement["version"])):
        errors.append("version must be 1.0.x")
    if "authority" in statement:
        _agent(statement["authority"], "authority", errors)
    return errors
