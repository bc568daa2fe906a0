"""Account tests: recovery codes hashed at a sixteenth of scrypt's real cost."""

import pytest

from forum.accounts import recovery


@pytest.fixture(autouse=True)
def _cheap_recovery_hashes(monkeypatch):
    """Ten codes at the real cost (n = 2**14) take half a second to hash and as long to try at
    login; these tests are about what the codes do, which no cost changes."""
    monkeypatch.setitem(recovery.SCRYPT, "n", 2**10)
