"""Fixtures for the language and time-zone tests."""

import pytest


@pytest.fixture
def part_form():
    """``part_form(characteristic, **fields)``: the expert's part editor, filled in."""

    def fill(characteristic, **fields) -> dict:
        return {
            "characteristic_id": str(characteristic.id),
            "part_number": "1",
            "title": "A part",
            "body_format": "markdown",
            "body": "Text.",
            **fields,
        }

    return fill
