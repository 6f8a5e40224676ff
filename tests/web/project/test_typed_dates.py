"""Dates and times are typed as text with a Chinese example, never drawn by the browser's picker: Chromium draws
type=date and datetime-local in the browser's language ("mm/dd/yyyy, --:-- --" in an English one)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.http import QueryDict

from minsheng.forms import TypedDateTimeField, parse_typed_date


@pytest.mark.parametrize("written", ["2026-12-04 09:30", "2026/12/4 9:30", "2026.12.04 09:30:00", "2026年12月4日 9:30",
                                     "2026年12月4日9时30分", "2026 年 12 月 4 日 9 点 30 分", "２０２６－１２－０４　０９：３０",
                                     "2026-12-04T09:30"])
def test_a_date_and_time_is_read_as_people_write_it(written):
    assert TypedDateTimeField().clean(written).replace(tzinfo=None) == datetime(2026, 12, 4, 9, 30)


@pytest.mark.parametrize("written", ["12/04/2026 09:30", "明天上午", "2026-13-01 09:30"])
def test_what_is_not_a_date_and_time_says_how_to_write_one(written):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        TypedDateTimeField().clean(written)
    assert caught.value.messages == ["请按“2026-12-04 09:30”这样填写日期和时间"]


def test_a_search_date_is_read_as_people_write_it_and_kept_as_iso():
    from minsheng.consultation.analysis.selectors import SearchFilters

    filters = SearchFilters.from_query(QueryDict("date_from=2020/8/16&date_to=2020年8月29日"))
    assert (filters.date_from, filters.date_to) == ("2020-08-16", "2020-08-29")
    assert parse_typed_date("08/16/2020") is None


@pytest.mark.django_db
def test_no_form_draws_a_date_box_in_the_browsers_language(client, cast):
    """The campaign form, the search filters and the visit time of a need's 服务前沟通 (tests/web/browser
    check every page a browser test shows as well)."""
    from minsheng.assistance.forms import CommunicationForm

    client.force_login(cast.owner)
    pages = [client.get("/manage/new/").content.decode(), str(CommunicationForm())]
    for html in pages:
        assert 'type="date' not in html and 'type="time' not in html and "如 2026-12-04 09:30" in html
