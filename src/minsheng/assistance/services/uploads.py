"""Checks for photos and files attached to a visit: size first, then the real type from the content.

The browser's content type and the file name are the uploader's claim; the first bytes (and, for photos,
Pillow actually decoding the image) are the evidence.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from minsheng.assistance.conf import upload_max_bytes

MAGIC = [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf")]


def sniff(head: bytes) -> str | None:
    for prefix, content_type in MAGIC:
        if head.startswith(prefix):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def upload_check(file, kind: str) -> str:
    """Return the detected content type of ``file`` or raise a ValidationError naming the file."""
    name = getattr(file, "name", _("文件"))
    limit = upload_max_bytes()
    if file.size > limit:
        raise ValidationError(_("“{name}”过大（{value}），上限为{value2}").format(name=name, value=_megabytes(file.size), value2=_megabytes(limit)))
    if file.size == 0:
        raise ValidationError(_("“{name}”是空文件").format(name=name))
    file.seek(0)
    content_type = sniff(file.read(16))
    file.seek(0)
    if kind == "photo":
        if content_type not in ("image/jpeg", "image/png", "image/webp"):
            raise ValidationError(_("“{name}”不是图片：照片只能是 JPG、PNG 或 WebP").format(name=name))
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(file) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(_("“{name}”图片已损坏，无法打开").format(name=name)) from None
        finally:
            file.seek(0)
    elif content_type is None:
        raise ValidationError(_("“{name}”类型不支持：只能上传 JPG、PNG、WebP 图片或 PDF 文件").format(name=name))
    return content_type
