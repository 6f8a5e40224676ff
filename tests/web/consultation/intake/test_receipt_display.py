"""A receipt is shown in one form everywhere (7W5MV-V8B7F): the citizen's receipt page, the officer's inbox and
letter page, the campaign's manage page, the analyst's search and its export, the reminder and notice texts; a
search and the inbox find it typed either way. Before, officers read 3NE4JYYTCV where citizens read 3NE4J-YTCV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from minsheng.consultation.intake.receipts import display_receipt

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[4] / "src" / "minsheng"
SHOWN = re.compile(r"\{\{\s*([\w.]+\.receipt)\s*\}\}|with receipt=([\w.]+receipt)\s")


def test_display_receipt_is_one_form_whatever_it_is_given():
    assert display_receipt("3NE4JYYTCV") == display_receipt("3ne4j-yytcv") == display_receipt(" 3NE4J-YYTCV ") \
        == "3NE4J-YYTCV"
    assert display_receipt("") == "" and display_receipt(None) == ""


def test_no_template_shows_a_receipt_unformatted():
    """The kind of the bug: a template printing the stored code. Attributes (data-, links) may hold it."""
    bare = []
    for path in SRC.rglob("templates/**/*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in SHOWN.finditer(line):
                if not re.search(r'(?:href|action|data-[\w-]+)="[^"]*$', line[:match.start()]):
                    bare.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
    assert not bare, bare


def test_officers_and_citizens_read_the_same_code(client, cast):
    from minsheng.consultation.analysis.export import search_export_rows
    from minsheng.consultation.analysis.selectors import SearchFilters
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议在城东增设公交线路，方便上下班")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    shown, stored = display_receipt(s.receipt), s.receipt
    assert shown != stored

    citizen = client.get(f"/r/{stored}/").content.decode()
    assert shown in citizen

    client.force_login(cast.officer_a)
    for url in ("/manage/inbox/?c=plan", f"/manage/inbox/s/{s.pk}/"):
        html = client.get(url).content.decode()
        assert shown in html and f">{stored}<" not in html, url
    for typed in (stored.lower(), shown):  # the inbox's 按回执码查找 takes it either way
        assert client.get("/manage/inbox/", {"r": typed}).url == f"/manage/inbox/s/{s.pk}/"

    client.force_login(cast.owner)
    html = client.get("/manage/c/plan/").content.decode()
    assert shown in html and f">{stored}<" not in html
    rows = list(search_export_rows(user=cast.owner, campaign=cast.campaign, run=None, filters=SearchFilters(q=shown)))
    assert [row[0] for row in rows[1:]] == [shown]
    body = b"".join(client.get("/manage/c/plan/analysis/search/export.csv", {"q": stored}).streaming_content)
    assert [r[0] for r in csv.reader(io.StringIO(body.decode("utf-8-sig")))][1:] == [shown]


def test_the_admin_lists_and_finds_a_receipt_as_people_read_it(client, cast):
    from minsheng.accounts.models import User
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议增设公交站")
    shown = display_receipt(s.receipt)
    client.force_login(User.objects.create_superuser("root", password="x-7291-pass"))
    for typed in (shown.lower(), s.receipt):
        html = client.get("/admin/consultation/suggestion/", {"q": typed}).content.decode()
        assert f">{shown}</a>" in html, typed
