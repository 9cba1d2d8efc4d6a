"""OpenAPI schema post-processing: every operation documents the error answers it can give."""

from __future__ import annotations

from typing import Any

# The answers every operation may give besides its success: a bad parameter, no or a bad
# credential, a missing role, an unknown organisation or object.
ERROR_STATUSES = {
    "400": "The request is malformed: a parameter or field is missing, empty or out of range.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "Signed in, but without a role that opens this endpoint.",
    "404": "No such organisation of yours, or no such object in it.",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error answer: `detail` for the request as a whole, or one list of "
    "messages per field.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


def document_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the JSON error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
