"""The import pages' tests run on a fixed day, with uploads kept in a folder
of their own."""

import pytest
import time_machine

from tests.transfer.files import IMPORT_DAY


@pytest.fixture
def import_day(settings, tmp_path):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path / "imports")
    with time_machine.travel(IMPORT_DAY, tick=False):
        yield
