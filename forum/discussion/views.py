"""Comment pages and actions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("discussion", __name__)
