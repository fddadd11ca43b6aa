"""Shared test settings: fixed console width, no colour, a fixed 'today', a state folder
of their own."""

import datetime as dt
import os
import tempfile

import pytest

os.environ["COLUMNS"] = "120"
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)
# the ledger's second head record goes to the user's state folder: the tests' own
os.environ["FENGDU_STATE_DIR"] = tempfile.mkdtemp(prefix="fengdu-state-")

AS_OF = dt.date(2024, 6, 30)


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


from tests.test_subsidy import world  # noqa: E402,F401  (the hand-built month, for every test file)
