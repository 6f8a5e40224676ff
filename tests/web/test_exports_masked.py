"""Every file the platform lets someone download holds personal data masked: the recipients' CSV, the analyst's
search and an officer's inbox as CSV and XLSX, and a run's reports as HTML, XLSX and PDF. Seeded with mobiles,
landlines, ID numbers, a flat's room, names after a post and recipients' names, some planted in rows as stored before the intake
masked anything, each export's text is scanned for what a leak would look like.

Before, the recipients' CSV carried full phone numbers, full names and the full birth date (which, with the
masked ID number's first and last four digits and the village, gave the whole ID number back)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# The casts of both platforms (each test asks for the one it needs), and their settings.
from .assistance.conftest import _assistance_settings, aid, make_id  # noqa: F401
from .consultation.conftest import _own_var_dir, fed  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE, LANDLINE = "13912345670", "0734-8123456"
ID_NUMBER = make_id("43040519800101001")
ROOM, OFFICIAL, DOOR = "10栋1806室", "邓峰其", "韶山路1357号"
WRITER, DASHED = "李建义", "0734—7654321"  # a writer's own name (a word of the dictionary), a landline's long dash
PLATE, FLAT = "湘A73951", "3-2-1706"  # a licence plate, a flat written with dashes
RAW = (f"我叫{WRITER}，副局长{OFFICIAL}不管{DOOR}小区{ROOM}楼下的路灯坏了半年，请来修，电话{MOBILE}，座机{LANDLINE}，"
       f"{DASHED}，身份证{ID_NUMBER}，车牌{PLATE}的车天天堵在{FLAT}门口")
# What a leak looks like: a mobile or an ID number with all its digits, a room's or a door's number beside its
# building or 号 (a bare 1357 was found in report.xlsx on PostgreSQL, where ids keep counting across tests), a full name,
# a plate's number.
LEAKS = re.compile(rf"(?<!\d)1[3-9]\d{{9}}(?!\d)|(?<![\dA-Za-z])\d{{17}}[\dXx](?![\dA-Za-z])|8123456|7654321|栋1806|1357号|"
                   rf"73951|2-1706|{OFFICIAL}|{WRITER}")


def _recipients(request) -> dict[str, str]:
    from minsheng.assistance.models import Category
    from minsheng.assistance.services.recipients import recipient_register, recipient_update

    people = request.getfixturevalue("aid")
    recipient_update(actor=people.cadre_a, recipient=people.grandma_a, phone=MOBILE, guardian_phone=MOBILE)
    recipient_register(actor=people.cadre_a, name="张秀英", id_number=ID_NUMBER, area=people.village_a,
                       category=Category.TEKUN, consent=True, phone=LANDLINE.replace("-", ""),
                       address=f"潇湘村{ROOM}")
    client = request.getfixturevalue("client")
    client.force_login(people.civil)
    body = client.get("/assistance/recipients/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert sorted(r[1] for r in rows[1:]) == ["张**", "李**", "王**"], rows  # every recipient is there
    assert "1980-01-01" not in body and "19800101" not in body  # the birth date is eight of the ID's digits
    return {"recipients.csv": body}


def _seeded_campaign(request):
    """The consultation cast's campaign with the raw text submitted through the intake, and once as a row
    stored before the intake masked anything."""
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.services import suggestion_submit

    cast = request.getfixturevalue("fed")
    suggestion_submit(campaign=cast.campaign, text=RAW)
    old = suggestion_submit(campaign=cast.campaign, text="停车难，" + RAW)
    Suggestion.objects.filter(pk=old.pk).update(text="停车难，" + RAW, department=cast.dept_a)
    return cast


def _search(request) -> dict[str, str]:
    import openpyxl

    cast = _seeded_campaign(request)
    client = request.getfixturevalue("client")
    client.force_login(cast.owner)
    body = b"".join(client.get("/manage/c/plan/analysis/search/export.csv", {"q": "路灯"}).streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/manage/c/plan/analysis/search/export.xlsx",
                                                        {"q": "路灯"}).content))
    cells = "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)
    assert body.decode().count("路灯坏了半年") == 2 and cells.count("路灯坏了半年") == 2  # both rows exported
    return {"search.csv": body.decode(), "search.xlsx": cells}


def _inbox(request) -> dict[str, str]:
    """A department officer's inbox export: the stored-unmasked row is in their department."""
    import openpyxl

    cast = _seeded_campaign(request)
    client = request.getfixturevalue("client")
    client.force_login(cast.officer_a)
    query = {"c": "plan", "state": "all"}
    body = b"".join(client.get("/manage/inbox/export.csv", query).streaming_content).decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get("/manage/inbox/export.xlsx", query).content))
    cells = "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "路灯坏了半年" in body and "路灯坏了半年" in cells  # the seeded row is exported
    return {"inbox.csv": body, "inbox.xlsx": cells}


def _analysed(request):
    """The seeded campaign analysed by a platform run; the run and a client signed in as its owner."""
    from minsheng.consultation.analysis.services import analysis_run_start

    cast = _seeded_campaign(request)
    with request.getfixturevalue("django_capture_on_commit_callbacks")(execute=True):
        run = analysis_run_start(campaign=cast.campaign, user=cast.owner)
    run.refresh_from_db()
    assert run.status == "done", run.error
    client = request.getfixturevalue("client")
    client.force_login(cast.owner)
    return run, client


def _reports(request) -> dict[str, str]:
    import openpyxl

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    request.getfixturevalue("settings").ANALYSIS_REPORTS = True
    run, client = _analysed(request)
    got = {fmt: b"".join(client.get(f"/manage/c/plan/analysis/runs/{run.pk}/report.{fmt}").streaming_content)
           for fmt in ("html", "xlsx", "pdf")}
    book = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
    pdf = Path(run.out_dir) / "scan.pdf"
    pdf.write_bytes(got["pdf"])
    return {"report.html": got["html"].decode(),
            "report.xlsx": "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v),
            "report.pdf": subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                         check=True).stdout}


def _tables(request) -> dict[str, str]:
    """The analysis tables as the platform's pages show them (loaded from the run's result into the database),
    not only as the run's files hold them: they showed the names and doors the files had masked."""
    _run, client = _analysed(request)
    pages = {page: client.get(f"/manage/c/plan/analysis/{page}/").content.decode()
             for page in ("hot", "digest", "themes", "novel")}
    assert "路灯坏了半年" in pages["digest"] + pages["hot"], pages  # the text is there, masked
    return pages


def _public(request) -> dict[str, str]:
    """What a citizen or a partner reaches: the planted text sent through the partner API as well (its answers), a
    run, the results page published, the home and campaign pages, the API's status answers, and the receipt page,
    shown to anyone who holds its code: it showed the text as stored (an official's name, a door's number)."""
    import json

    from minsheng.consultation.publishing.services import campaign_results_publish

    cast = request.getfixturevalue("fed")
    client = request.getfixturevalue("client")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {cast.key}"}
    item = {"external_id": "planted", "title": f"{PLATE}占道", "text": "公交站，" + RAW, "author_name": WRITER,
            "contact": MOBILE}
    posted = client.post("/api/v1/campaigns/plan/suggestions", data=json.dumps(item, ensure_ascii=False),
                         content_type="application/json", **auth)
    assert posted.status_code == 201, posted.content
    receipt = posted.json()["receipt"]
    # the same letter from a dozen people more, so that the results page quotes it among the most raised
    ask = f"强烈建议尽快修好{DOOR}{ROOM}和{FLAT}门口的路灯，管管天天占道的{PLATE}，我是{WRITER}，电话{MOBILE}。"
    letters = [{"external_id": f"planted-{i}", "text": ask + RAW + "谢谢" * (i % 3), "author_name": f"{WRITER}{i}"}
               for i in range(12)]
    batch = client.post("/api/v1/campaigns/plan/suggestions", data=json.dumps(letters, ensure_ascii=False),
                        content_type="application/json", **auth)
    assert batch.status_code == 200 and batch.json()["created"] == 12, batch.content
    _analysed(request)
    campaign_results_publish(actor=cast.owner, campaign=cast.campaign)
    client.logout()
    pages = {"api POST": posted.content.decode(), "api batch": batch.content.decode(),
             "api status": client.get(f"/api/v1/campaigns/plan/suggestions/{receipt}", **auth).content.decode(),
             "api external_id": client.get("/api/v1/campaigns/plan/suggestions", {"external_id": "planted"},
                                           **auth).content.decode()}
    for url in ("/", "/c/plan/", "/c/plan/results/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    assert "湘A*****" in pages["/c/plan/results/"], pages["/c/plan/results/"]  # the planted ask is quoted
    receipt_page = client.get(f"/r/{receipt.replace('-', '')}/", follow=True).content.decode()
    assert "路灯坏了半年" in receipt_page
    pages["receipt"] = receipt_page
    return pages


@pytest.mark.parametrize("exports", [_recipients, _search, _inbox, _reports, _tables, _public],
                         ids=["assistance", "search", "inbox", "reports", "tables", "public"])
def test_no_export_holds_unmasked_personal_data(exports, request):
    for name, text in exports(request).items():
        assert text.strip(), name
        leaks = sorted({m.group() for m in LEAKS.finditer(text)})
        assert not leaks, (name, leaks)
