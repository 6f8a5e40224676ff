"""The demo seeds ID numbers (encrypted) and visit photos: a key and a media folder of the test's own."""

from __future__ import annotations

import pytest

from ..assistance.conftest import TEST_KEY


@pytest.fixture(autouse=True)
def _demo_settings(settings, tmp_path):
    settings.ASSISTANCE_ID_KEY = TEST_KEY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ASSISTANCE_MIN_VISIT_MINUTES = 0  # as under tests/web/assistance, where this test was
