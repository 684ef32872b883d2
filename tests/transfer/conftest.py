"""The import pages' tests run on a fixed day, with uploads kept in a folder
of their own."""

import datetime as dt

import pytest
import time_machine

# Noon on the day the import tests' files end: their newest entries are "today".
IMPORT_DAY = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def import_day(settings, tmp_path):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path / "imports")
    with time_machine.travel(IMPORT_DAY, tick=False):
        yield
