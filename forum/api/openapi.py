"""The OpenAPI 3.1 document of ``/api/v1``; ``tests/api`` validates real responses against it."""

from __future__ import annotations

from flask import url_for

NULLABLE_STR = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date-time"}
URL = {"type": "string", "format": "uri"}


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _links(*names: str) -> dict:
    return _obj({n: URL for n in names})


SCHEMAS = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
        "required": ["type", "title", "status", "detail"],
    },
    "PageLinks": _obj(
        {
            "self": URL,
            "first": URL,
            "last": URL,
            "next": {"type": ["string", "null"], "format": "uri"},
            "prev": {"type": ["string", "null"], "format": "uri"},
        }
    ),
    "PageMeta": _obj(
        {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 1},
            "more": {
                "type": "boolean",
                "description": "Search only: more matches exist than "
                "`total` counts (only the best 1,000 are ranked).",
            },
        },
        required=["page", "per_page", "total", "pages"],
    ),
    "Person": _obj({"username": {"type": "string"}, "name": {"type": "string"}}),
    "Series": _obj(
        {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "created_at": DATE,
            "links": _links("self", "html", "characteristics", "feed"),
        }
    ),
    "Characteristic": _obj(
        {
            "id": {"type": "integer"},
            "series": {"type": "string", "description": "The series' slug."},
            "number": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "definition_html": {"type": "string", "description": "Sanitised HTML."},
            "prompts": {"type": "array", "items": {"type": "string"}},
            "locked": {"type": "boolean"},
            "links": _links("self", "html", "parts", "comments", "feed", "comments_feed"),
        }
    ),
    "Part": _obj(
        {
            "id": {"type": "integer"},
            "characteristic": {"type": "string"},
            "part_number": {"type": "integer"},
            "title": {"type": "string"},
            "teaser": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["draft", "submitted", "approved", "rejected"],
                "description": "Always 'approved' for the public; authors see their own drafts.",
            },
            "body_format": {"type": "string"},
            "body_html": {
                "type": "string",
                "description": "Sanitised HTML, rendered once on write.",
            },
            "body_text": {"type": "string", "description": "Markdown or plain-text source."},
            "author": {"oneOf": [_ref("Person"), {"type": "null"}]},
            "published_at": NULLABLE_DATE,
            "updated_at": DATE,
            "links": _links("self", "html"),
        }
    ),
    "Comment": _obj(
        {
            "id": {"type": "integer"},
            "characteristic": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["pending", "approved", "rejected"],
                "description": "A new member's comment is 'pending' until a moderator approves it.",
            },
            "author": {"oneOf": [_ref("Person"), {"type": "null"}]},
            "guest_name": NULLABLE_STR,
            "reply_to": {"type": ["integer", "null"]},
            "body_format": {"type": "string"},
            "body_html": {"type": "string"},
            "created_at": DATE,
            "edited_at": NULLABLE_DATE,
            "links": _links("self", "html"),
        }
    ),
    "Expert": _obj(
        {
            "username": {"type": "string"},
            "name": {"type": "string"},
            "affiliation": {"type": "string"},
            "country": {"type": "string"},
            "website": {"type": "string"},
            "bio_html": {"type": "string"},
            "is_demo": {"type": "boolean", "description": "A fictional demo persona."},
            "links": _links("self", "html", "parts", "feed"),
        }
    ),
    "SearchHit": _obj(
        {
            "kind": {
                "type": "string",
                "description": "Content type: part, comment, or a plugin's.",
            },
            "id": {"type": "integer"},
            "title_html": {"type": "string", "description": "Escaped text; only <mark> is HTML."},
            "snippet_html": {"type": "string", "description": "Escaped text; only <mark> is HTML."},
            "url": {"type": "string"},
            "published_at": NULLABLE_DATE,
            "characteristic": NULLABLE_STR,
            "author_name": NULLABLE_STR,
        }
    ),
    "Me": _obj(
        {
            "username": {"type": "string"},
            "name": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
            "csrf_token": {"type": "string", "description": "Send as X-CSRFToken with a session."},
        }
    ),
    "Index": _obj({"links": _links("series", "characteristics", "experts", "search", "openapi")}),
    "CommentInput": {
        "type": "object",
        "additionalProperties": False,
        "required": ["body"],
        "properties": {
            "body": {
                "type": "string",
                "minLength": 1,
                "contentMediaType": "text/markdown",
                "description": "Markdown source (may hold line breaks).",
            },
            "format": {"type": "string", "default": "markdown"},
            "reply_to": {
                "type": ["integer", "null"],
                "description": "Id of a comment of the same thread.",
            },
        },
    },
}


def _page_of(name: str) -> dict:
    return _obj(
        {
            "data": {"type": "array", "items": _ref(name)},
            "links": _ref("PageLinks"),
            "meta": _ref("PageMeta"),
        }
    )


for _name in ("Series", "Characteristic", "Part", "Comment", "Expert", "SearchHit"):
    SCHEMAS[f"{_name}Page"] = _page_of(_name)

PROBLEM = {"application/problem+json": {"schema": _ref("Problem")}}


def _problem(description: str) -> dict:
    return {"description": description, "content": PROBLEM}


def _ok(schema: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _param(
    name: str, where: str = "path", description: str = "", schema=None, required=None
) -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path" if required is None else required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


PAGE_PARAMS = [
    _param(
        "page",
        "query",
        "Page number (1 is the first).",
        {"type": "integer", "minimum": 1, "default": 1},
    ),
    _param(
        "per_page",
        "query",
        "Items per page.",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    ),
]
COMMON = {
    "400": _problem("Bad request (malformed parameter)"),
    "429": _problem("Too many requests"),
}


def _get(summary: str, schema: str, params=(), paged=False, missing=True, op_id="") -> dict:
    responses = {"200": _ok(schema), **COMMON}
    if missing or paged:
        responses["404"] = _problem("Not found (or no such page)")
    return {
        "get": {
            "summary": summary,
            "operationId": op_id,
            "parameters": list(params) + (PAGE_PARAMS if paged else []),
            "responses": responses,
        }
    }


SLUG = _param("slug", description="A characteristic's slug, e.g. 'confidentiality'.")
PATHS = {
    "/": _get("Links to the collections", "Index", missing=False, op_id="index"),
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "openapi",
            "responses": {
                "200": {
                    "description": "OpenAPI 3.1 document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/me": {
        "get": {
            "summary": "Who you are, and a CSRF token for session use",
            "operationId": "me",
            "responses": {"200": _ok("Me"), "401": _problem("Not logged in"), **COMMON},
        }
    },
    "/series": _get("List series", "SeriesPage", paged=True, op_id="listSeries"),
    "/series/{slug}": _get("One series", "Series", [_param("slug")], op_id="getSeries"),
    "/characteristics": _get(
        "List characteristics",
        "CharacteristicPage",
        [_param("series", "query", "Only this series (slug).")],
        paged=True,
        op_id="listCharacteristics",
    ),
    "/characteristics/{slug}": _get(
        "One characteristic", "Characteristic", [SLUG], op_id="getCharacteristic"
    ),
    "/characteristics/{slug}/parts": _get(
        "The characteristic's published parts, in order",
        "PartPage",
        [SLUG],
        paged=True,
        op_id="listParts",
    ),
    "/characteristics/{slug}/comments": {
        **_get(
            "The characteristic's public comments, oldest first",
            "CommentPage",
            [SLUG],
            paged=True,
            op_id="listComments",
        ),
        "post": {
            "summary": "Post a comment as yourself",
            "operationId": "createComment",
            "description": "Authenticate with a personal access token (no CSRF needed) or with a "
            "browser session plus an X-CSRFToken header. A new member's comment is "
            "'pending' until a moderator approves it.",
            "security": [{"bearerAuth": []}, {"sessionCookie": [], "csrfHeader": []}],
            "parameters": [SLUG],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("CommentInput")}},
            },
            "responses": {
                "201": {
                    **_ok("Comment", "Created"),
                    "headers": {"Location": {"schema": URL, "description": "The new comment."}},
                },
                "400": _problem("Malformed JSON or missing CSRF token"),
                "401": _problem("No valid token or session"),
                "403": _problem("Not allowed (suspended, or the thread is locked)"),
                "404": _problem("No such characteristic"),
                "413": _problem("Body too large"),
                "415": _problem("Body is not application/json"),
                "422": _problem("Invalid comment"),
                "429": _problem("Too many requests"),
            },
        },
    },
    "/parts/{part_id}": _get(
        "One part", "Part", [_param("part_id", schema={"type": "integer"})], op_id="getPart"
    ),
    "/comments/{comment_id}": _get(
        "One comment",
        "Comment",
        [_param("comment_id", schema={"type": "integer"})],
        op_id="getComment",
    ),
    "/experts": _get("List invited experts", "ExpertPage", paged=True, op_id="listExperts"),
    "/experts/{username}": _get("One expert", "Expert", [_param("username")], op_id="getExpert"),
    "/experts/{username}/parts": _get(
        "An expert's published parts, newest first",
        "PartPage",
        [_param("username")],
        paged=True,
        op_id="listExpertParts",
    ),
    "/search": _get(
        "Search public parts, comments and plugin content",
        "SearchHitPage",
        [
            _param("q", "query", "Words to find.", required=True),
            _param("kind", "query", "Only this content type (part, comment, ...)."),
            _param("characteristic", "query", "Only this characteristic (slug)."),
            _param("expert", "query", "Only this expert (username)."),
        ],
        paged=True,
        op_id="search",
    ),
}


def document() -> dict:
    """The document, with the server URL of the current request."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Mentorship Forum API",
            "version": "1.0.0",
            "description": "Read the Key Mentorship Characteristics series and its public "
            "discussion; search; post comments. Errors are problem details "
            "(application/problem+json). Lists are paginated with links.next/prev.",
        },
        "servers": [{"url": url_for("api.index", _external=True).rstrip("/")}],
        "security": [{}, {"bearerAuth": []}, {"sessionCookie": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token from /account/tokens.",
                },
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
        },
    }
