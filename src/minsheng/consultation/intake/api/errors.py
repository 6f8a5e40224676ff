"""The partner API's one error shape, also used by the site's error handlers for /api/ paths."""

from __future__ import annotations

from django.http import JsonResponse


def json_error(status: int, code: str, message: str, *, field: str | None = None, headers: dict | None = None,
               **extra) -> JsonResponse:
    """The API's one error shape: ``{"error": {"code", "message", "field"?, ...}}``."""
    body = {"code": code, "message": message, **({"field": field} if field else {}), **extra}
    return JsonResponse({"error": body}, status=status, headers=headers, json_dumps_params={"ensure_ascii": False})
