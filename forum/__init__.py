"""A plugin-based discussion forum for a comment-driven mentorship series.

Plugins import from one module only: ``forum.sdk`` (``from forum.sdk import hookimpl``).
"""

from pluggy import HookimplMarker

from forum.app import create_app as _create_app

hookimpl = HookimplMarker("forum")


def create_app(config: dict | None = None):
    """Build the Flask app (the factory; see ``forum.app``)."""

    return _create_app(config)


__all__ = ["create_app", "hookimpl"]
