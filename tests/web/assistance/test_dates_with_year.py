"""A need's record, a recipient's and the slip she keeps span years: their dates carry the year, in the shape every
page writes dates (2026-12-08; the language's own 2026年12月8日 was a second shape beside 12-10 09:00 on one line).
The slip said 12-08 的服务 and 12-22 前有效, and a need's timeline 12-08 then 01-05 (walk-2026-12-07e.md)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from minsheng.forms import dated_words

from .conftest import walk

pytestmark = pytest.mark.django_db


def test_the_slip_the_rating_page_and_the_need_page_write_the_year(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    cadre = Client()
    cadre.force_login(aid.cadre_a)
    slip = cadre.post(reverse("assistance:slip-issue", args=[need.pk]), follow=True).content.decode()
    day = dated_words(need.served_at, "")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
    assert f"服务完成：{day}" in slip
    token = re.search(r"/assistance/rate/([\w-]+)/", slip).group(1)
    phone = Client()
    phone.get(reverse("assistance:rate-token", args=[token]))
    assert f"{day}的智能设备教学服务" in phone.get(reverse("assistance:rate")).content.decode()
    record = cadre.get(reverse("assistance:need", args=[need.pk])).content.decode()
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", slip + record)
    visit = need.visits.get()
    assert dated_words(visit.checkin_at) in record and dated_words(need.created_at) in record


def test_a_date_with_its_year_in_the_one_shape_of_dates():
    from datetime import date, datetime

    from django.utils import timezone

    assert dated_words(date(2026, 12, 8), "") == "2026-12-08"
    at = timezone.make_aware(datetime(2027, 1, 5, 9, 30))
    assert dated_words(at) == "2027-01-05 09:30" and dated_words(at, "") == "2027-01-05"
    assert dated_words(None) == "—"
