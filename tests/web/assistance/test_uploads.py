"""Photos and files on a visit: type from the content, size capped, and a bad file leaves nothing behind."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minsheng.assistance.models import Attachment, AuditEntry, Visit
from minsheng.assistance.services.visits import visit_checkout

from .conftest import walk


def png(name="visit.png", size=(32, 24)) -> SimpleUploadedFile:
    """A real PNG of random pixels (noise does not compress, so size controls the byte count)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _open_visit(aid, need_a) -> Visit:
    return walk(need_a, "in_service", aid=aid).visits.get()


def _checkout(aid, visit, files):
    return visit_checkout(actor=aid.social_a, visit=visit, place="李奶奶家", work_done="教视频通话", files=files,
                          finish=True)


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_photo_and_a_pdf_are_stored_with_their_detected_types(aid, need_a, settings):
    visit = _open_visit(aid, need_a)
    pdf = SimpleUploadedFile("签字单.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
                             content_type="application/octet-stream")
    _checkout(aid, visit, [("photo", png()), ("document", pdf)])
    kinds = dict(Attachment.objects.values_list("kind", "content_type"))
    assert kinds == {"photo": "image/png", "document": "application/pdf"}
    assert len(_media_files(settings)) == 2


@pytest.mark.parametrize("case", ["not_an_image", "renamed_text", "broken_png", "oversized", "exe_as_document"])
def test_a_bad_upload_is_a_clear_error_and_the_visit_stays_open(aid, need_a, settings, case):
    settings.ASSISTANCE_UPLOAD_MAX_BYTES = 50_000
    visit = _open_visit(aid, need_a)
    bad = {
        "not_an_image": ("photo", SimpleUploadedFile("a.pdf", b"%PDF-1.4 fake", content_type="application/pdf")),
        "renamed_text": ("photo", SimpleUploadedFile("a.jpg", "这不是图片".encode(), content_type="image/jpeg")),
        "broken_png": ("photo", SimpleUploadedFile("b.png", png().read()[:40], content_type="image/png")),
        "oversized": ("photo", png("big.png", size=(200, 200))),
        "exe_as_document": ("document", SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 10, content_type="application/pdf")),
    }[case]
    assert case != "oversized" or bad[1].size > 50_000
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        _checkout(aid, visit, [("photo", png("good.png")), bad])  # the good one must not be kept either
    message = err.value.messages[0]
    assert bad[1].name in message
    assert {"not_an_image": "不是图片", "renamed_text": "不是图片", "broken_png": "损坏", "oversized": "过大",
            "exe_as_document": "类型不支持"}[case] in message
    visit.refresh_from_db()
    assert visit.checkout_at is None and visit.need.status == "in_service"
    assert Attachment.objects.count() == 0 and _media_files(settings) == []
    assert AuditEntry.objects.count() == audit_before


def test_a_file_lost_from_disk_is_a_404_that_says_so_not_a_500(client, aid, need_a, settings):
    """A record whose file is gone (a database restored without its media) raised FileNotFoundError: 服务器出错."""
    _checkout(aid, _open_visit(aid, need_a), [("photo", png())])
    attachment = Attachment.objects.get()
    Path(attachment.file.path).unlink()
    client.force_login(aid.social_a)
    response = client.get(f"/assistance/files/{attachment.pk}/")
    assert response.status_code == 404 and "文件已不存在" in response.content.decode()
