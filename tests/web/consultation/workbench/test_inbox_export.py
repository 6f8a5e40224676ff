"""An officer exports the inbox as filtered on the page: only their departments' suggestions, masked."""

from __future__ import annotations

import csv
import io

import pytest

from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt

pytestmark = pytest.mark.django_db


def _rows(client, query: dict) -> list[list[str]]:
    response = client.get("/manage/inbox/export.csv", query)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_an_officer_exports_the_inbox_as_filtered(client, fed):
    """The inbox had no export (only the owner's search did), so an officer copied suggestions by hand; the
    export follows the page's filters and holds nothing of another department."""
    mine = Suggestion.objects.filter(campaign=fed.campaign, department=fed.dept_a)
    client.force_login(fed.officer_a)
    page = client.get("/manage/inbox/?c=plan&state=all").content.decode()
    assert 'href="/manage/inbox/export.csv?c=plan&amp;state=all"' in page
    rows = _rows(client, {"c": "plan", "state": "all"})
    assert rows[0][:3] == ["回执码", "标题", "内容"]
    assert sorted(r[0] for r in rows[1:]) == sorted(display_receipt(s.receipt) for s in mine)
    mine.filter(pk=mine.first().pk).update(status=Suggestion.Status.REPLIED)
    assert len(_rows(client, {"c": "plan", "state": "done"})) == 2  # the header and the one replied
    book = client.get("/manage/inbox/export.xlsx", {"c": "plan"})
    assert book.status_code == 200 and book.content[:2] == b"PK"


@pytest.mark.parametrize("who", ["owner", "citizen", "outsider"])
def test_nobody_but_an_officer_exports_an_inbox(client, fed, who):
    client.force_login(getattr(fed, who))
    assert client.get("/manage/inbox/export.csv", {"c": "plan"}).status_code in (403, 404)
