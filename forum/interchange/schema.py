"""The JSON Schema of the series interchange format (version 1)."""

from __future__ import annotations

FORMAT = "mentorship-forum/series@1"

_TEXT = {"type": "string", "maxLength": 100_000, "contentMediaType": "text/markdown"}  # multi-line
_SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 80}
_USERNAME = {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,40}$"}
_DATE = {"type": "string", "format": "date-time"}

PART = {
    "type": "object",
    "required": ["part_number", "author", "title", "markdown", "publish_at"],
    "additionalProperties": False,
    "properties": {
        "part_number": {"type": "integer", "minimum": 1, "maximum": 10_000},
        "author": _USERNAME,
        "author_name": {"type": "string", "maxLength": 80},
        "affiliation": {"type": "string", "maxLength": 200},
        "country": {"type": "string", "maxLength": 100},
        "website": {"type": "string", "maxLength": 500, "pattern": "^(https?://.*)?$"},
        "bio": _TEXT,
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "teaser": {"type": "string", "maxLength": 500},
        "markdown": _TEXT,
        "publish_at": _DATE,
    },
}

COMMENT = {
    "type": "object",
    "required": ["markdown", "created_at"],
    "additionalProperties": False,
    "properties": {
        "author": _USERNAME,
        "guest_name": {"type": "string", "minLength": 1, "maxLength": 80},
        "markdown": {**_TEXT, "minLength": 1},
        "created_at": _DATE,
        "reply_to": {"type": ["integer", "null"], "minimum": 0},
    },
    "oneOf": [{"required": ["author"]}, {"required": ["guest_name"]}],
}

CHARACTERISTIC = {
    "type": "object",
    "required": ["number", "slug", "title"],
    "additionalProperties": False,
    "properties": {
        "number": {"type": "integer", "minimum": 1, "maximum": 10_000},
        "slug": _SLUG,
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "definition": _TEXT,
        "prompts": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 1000},
        },
        "parts": {"type": "array", "items": PART},
        "comments": {"type": "array", "items": COMMENT},
    },
}

SERIES = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["slug", "title", "characteristics"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "slug": _SLUG,
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": _TEXT,
        "characteristics": {"type": "array", "items": CHARACTERISTIC},
    },
}
