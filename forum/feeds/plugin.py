"""Feeds, as a core plugin."""

from __future__ import annotations
