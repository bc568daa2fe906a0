"""Fixtures for the pair-space tests (helpers live in ``pair_kit``)."""

import pytest
from pair_kit import PairKit


@pytest.fixture
def kit(app, make_user, login_as):
    return PairKit(app, make_user, login_as)
