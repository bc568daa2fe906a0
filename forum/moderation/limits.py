"""Rate limits for posting and flagging, per account and per client IP (Flask-Limiter).

Storage is Redis when ``REDIS_URL`` is set, so every worker and host shares the counts.
Answered 429 with a clear message by the error handlers.
"""

from __future__ import annotations

from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.extensions import limiter


def _account_key() -> str:
    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def posting_limit(view):
    """Decorate a view that creates content: 10/minute per account, 30/minute per IP."""
    view = limiter.limit("10/minute", key_func=_account_key, methods=["POST"])(view)
    return limiter.limit("30/minute", methods=["POST"])(view)


def flagging_limit(view):
    """Decorate a view that flags content: 20/hour per account, 60/hour per IP."""
    view = limiter.limit("20/hour", key_func=_account_key, methods=["POST"])(view)
    return limiter.limit("60/hour", methods=["POST"])(view)
