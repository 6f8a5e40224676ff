"""Checks for photos and files attached to a visit: size first, then the real type from the content.

The browser's content type and the file name are the uploader's claim; the first bytes (and, for photos,
Pillow actually decoding the image) are the evidence.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

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
    name = getattr(file, "name", "文件")
    limit = upload_max_bytes()
    if file.size > limit:
        raise ValidationError(f"“{name}”过大（{_megabytes(file.size)}），上限为{_megabytes(limit)}")
    if file.size == 0:
        raise ValidationError(f"“{name}”是空文件")
    file.seek(0)
    content_type = sniff(file.read(16))
    file.seek(0)
    if kind == "photo":
        if content_type not in ("image/jpeg", "image/png", "image/webp"):
            raise ValidationError(f"“{name}”不是图片：照片只能是 JPG、PNG 或 WebP")
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(file) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(f"“{name}”图片已损坏，无法打开") from None
        finally:
            file.seek(0)
    elif content_type is None:
        raise ValidationError(f"“{name}”类型不支持：只能上传 JPG、PNG、WebP 图片或 PDF 文件")
    return content_type
