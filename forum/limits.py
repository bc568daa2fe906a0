"""Rate limits for posting and flagging, per account and per client IP (Flask-Limiter).

Storage is Redis when ``REDIS_URL`` is set, so every worker and host shares the counts.
Answered 429 with a clear message by the error handlers. A foundation module beside
``forum.extensions`` (it needs only the limiter), so any feature's write views can use it.
"""

from __future__ import annotations

from forum.extensions import account_key, limiter


def posting_limit(view):
    """Decorate a view that creates content: 10/minute per account, 30/minute per IP."""
    view = limiter.limit("10/minute", key_func=account_key, methods=["POST"])(view)
    return limiter.limit("30/minute", methods=["POST"])(view)


def flagging_limit(view):
    """Decorate a view that flags content: 20/hour per account, 60/hour per IP."""
    view = limiter.limit("20/hour", key_func=account_key, methods=["POST"])(view)
    return limiter.limit("60/hour", methods=["POST"])(view)
