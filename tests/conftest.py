"""Shared test settings: fixed console width, no colour, a fixed 'today'."""

import datetime as dt
import os

import pytest

os.environ["COLUMNS"] = "120"
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)

AS_OF = dt.date(2024, 6, 30)


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


from tests.test_subsidy import world  # noqa: E402,F401  (the hand-built month, for every test file)
