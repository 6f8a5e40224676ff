"""Dates are written one way wherever a person looks (2026-12-06 on the home page and 2026年12月6日 on the
campaign page were the same day): every template writes them through the builtin filters of
templatetags/spans.py (``day``, ``moment``, ``span``), never with a format of its own."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

import minsheng

TEMPLATES = sorted(Path(minsheng.__file__).parent.rglob("templates/**/*.html"))
OWN_FORMAT = re.compile(r"\|\s*date\s*:")  # |time:"H:i" is a time of day, not a date


def test_no_template_formats_a_date_its_own_way():
    assert TEMPLATES
    own = [f"{path.relative_to(Path(minsheng.__file__).parent)}:{n}" for path in TEMPLATES
           for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if OWN_FORMAT.search(line)]
    assert own == []


@pytest.mark.django_db
def test_the_home_page_and_the_campaign_page_write_its_dates_alike(client, cast):
    from django.utils import timezone

    from minsheng.forms import moment_words

    cast.campaign.opens_at = timezone.now() - timedelta(days=400)  # a year other than this one: written in full
    cast.campaign.save(update_fields=["opens_at"])
    shown = moment_words(cast.campaign.opens_at, "")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown)
    for page in (client.get("/").content.decode(), client.get(f"/c/{cast.campaign.slug}/").content.decode()):
        assert shown in page and not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)


def test_an_end_on_another_day_is_written_with_its_date():
    """A visit's 签退 was its time of day alone: one ending after midnight read as ending before it began."""
    from django.utils import timezone

    from minsheng.forms import end_words, moment_words

    start = timezone.make_aware(timezone.datetime(2026, 12, 6, 22, 27))
    assert end_words(start, start + timedelta(minutes=50)) == "23:17"
    next_day = start + timedelta(hours=3)
    assert end_words(start, next_day) == moment_words(next_day) and end_words(start, next_day).endswith("01:27")
    assert end_words(start, None) == "—"
