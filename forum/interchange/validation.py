"""Validate a whole interchange document before anything is written; errors carry JSON paths."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from jsonschema import Draft202012Validator

from forum.content.text_rules import json_problems, multiline_keys
from forum.interchange.schema import SERIES

MULTILINE_KEYS = multiline_keys(SERIES)


class InterchangeError(Exception):
    """The document is invalid; ``errors`` lists ``"$.path: message"`` lines."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_date(value: str) -> datetime:
    """ISO 8601; a date without a zone is taken as UTC."""
    dt = datetime.fromisoformat(value)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def load(text: str | bytes) -> dict:
    """Parse and validate; raises InterchangeError listing every problem found."""
    try:
        doc = json.loads(text)
    except UnicodeDecodeError as error:
        raise InterchangeError([f"$: not UTF-8 text ({error.reason})"]) from None
    except json.JSONDecodeError as error:
        raise InterchangeError(
            [f"$: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"]
        ) from None
    errors = [f"{path}: {reason}" for path, reason in json_problems(doc, MULTILINE_KEYS)]
    errors += [f"{e.json_path}: {e.message}" for e in Draft202012Validator(SERIES).iter_errors(doc)]
    if not errors:
        errors = _semantic_errors(doc)
    if errors:
        raise InterchangeError(sorted(errors))
    return doc


def _semantic_errors(doc: dict) -> list[str]:
    errors: list[str] = []
    numbers, slugs = set(), set()
    for ci, ch in enumerate(doc["characteristics"]):
        path = f"$.characteristics[{ci}]"
        if ch["number"] in numbers:
            errors.append(f"{path}.number: duplicate number {ch['number']}")
        if ch["slug"] in slugs:
            errors.append(f"{path}.slug: duplicate slug {ch['slug']!r}")
        numbers.add(ch["number"])
        slugs.add(ch["slug"])
        part_numbers = set()
        for pi, part in enumerate(ch.get("parts", [])):
            ppath = f"{path}.parts[{pi}]"
            if part["part_number"] in part_numbers:
                errors.append(f"{ppath}.part_number: duplicate part number {part['part_number']}")
            part_numbers.add(part["part_number"])
            errors.extend(_date_error(f"{ppath}.publish_at", part["publish_at"]))
        for mi, comment in enumerate(ch.get("comments", [])):
            mpath = f"{path}.comments[{mi}]"
            errors.extend(_date_error(f"{mpath}.created_at", comment["created_at"]))
            reply_to = comment.get("reply_to")
            if reply_to is not None and reply_to >= mi:
                errors.append(f"{mpath}.reply_to: must point to an earlier comment (index < {mi})")
    return errors


def _date_error(path: str, value: str) -> list[str]:
    try:
        parse_date(value)
    except ValueError:
        return [f"{path}: {value!r} is not an ISO 8601 date-time"]
    return []
