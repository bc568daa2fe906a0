"""Core tests use the fixtures of ``forum.testing`` (a pytest plugin, like plugin authors do)."""

import threading

import pytest


@pytest.fixture
def run_at_once(app):
    """``run_at_once(work, times=2)``: call ``work()`` from ``times`` threads released together,
    each in its own app context (its own DB session, like another host); returns their results."""
    from forum.extensions import db

    def run(work, times=2):
        db.session.commit()  # the test's own transaction must not hold SQLite's write lock
        results, start = [], threading.Barrier(times)

        def worker():
            with app.app_context():
                start.wait()
                try:
                    results.append(work())
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(times)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        return results

    return run
